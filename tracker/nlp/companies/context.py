"""Per-doc context helpers: entity labels, sentence starts and the words around a name, by character offset."""

from __future__ import annotations

import bisect
import re
from datetime import date, datetime

from spacy.tokens import Doc

from tracker.names import norm_tokens, norm_word
from tracker.nlp.companies.words import (BUSINESS_NOUNS, CONNECTORS, FINANCE_CUES, HEADLINE_SMALL_WORDS, HEADLINE_VERBS,
                                         LEGAL_TAIL, LIST_SEP, MARKET_CUES, PRODUCT_WORDS, TITLES)
from tracker.nlp.doctext import doc_text


def doc_date(doc) -> date:
    """The document's publication date (``doc._.date``, set by the Extractor), else today."""
    d = doc._.date if Doc.has_extension("date") else None
    if isinstance(d, datetime):
        return d.date()
    return d if isinstance(d, date) else date.today()


class Context:
    """Per-doc helpers: entity labels and sentence starts by character offset."""

    def __init__(self, doc, toks):
        self.doc = doc
        self.on = doc_date(doc)  # the publication date decides names that changed hands
        self.toks = toks
        self.tok_starts = [a for _, a, _ in toks]
        self.ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        self._sent_starts: list[int] | None = None

    @property
    def sent_starts(self) -> list[int]:
        """Character offsets where sentences start (computed on first use: most docs never need them)."""
        if self._sent_starts is None:
            from spacy.attrs import SENT_START

            doc = self.doc
            starts = [0]
            if len(doc) and (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
                flags = doc.to_array([SENT_START])
                starts += [doc[int(i)].idx for i in (flags == 1).nonzero()[0] if i > 0]
            self._sent_starts = starts
        return self._sent_starts

    def _overlapping(self, a, b):
        return [e for e in self.ents if e[0] < b and a < e[1]]

    def ent_label(self, a, b) -> str | None:
        ov = self._overlapping(a, b)
        return ov[0][2] if ov else None

    def ent_is(self, a, b, labels) -> bool:
        return any(e[2] in labels for e in self._overlapping(a, b))

    def containing_ent(self, a, b):
        for e in self._overlapping(a, b):
            if e[0] <= a and b <= e[1] and (e[0] < a or b < e[1]):
                # ignore containers that only add a legal form or possessive
                extra = (doc_text(self.doc)[e[0]:a] + " " + doc_text(self.doc)[b:e[1]]).strip()
                if extra and not all(t in LEGAL_TAIL or t in BUSINESS_NOUNS or t in ("s", "the")
                                     or any(ch.isdigit() for ch in t)  # "Heineken Q3" is no longer name
                                     for t in norm_tokens(extra)) and not self._only_function_words(e, a, b):
                    return e
        return None

    def _only_function_words(self, e, a, b) -> bool:
        """The entity adds only adverbs, conjunctions or the like to the name: "Meanwhile Amorepacific" tagged as one
        PERSON is no longer name ("Harrison Ford", "Apple Valley" add proper nouns)."""
        extra = [t for t in self.doc.char_span(e[0], e[1], alignment_mode="expand") or []
                 if not (a <= t.idx < b) and not t.is_punct]
        return bool(extra) and all(t.pos_ in ("ADV", "CCONJ", "SCONJ", "ADP", "PART", "INTJ") for t in extra)

    def in_longer_name(self, a, b) -> bool:
        """Capitalised words (not a legal form) right before or after [a, b), or an entity containing it."""
        if self.containing_ent(a, b) is not None:
            return True
        t = doc_text(self.doc)
        if self.title_case_line(a):
            return False  # headline: every word is capitalised
        nxt = re.match(r" ([A-Z][\w&]*)", t[b:b + 30])
        if nxt and not {norm_word(nxt.group(1))} & (LEGAL_TAIL | FINANCE_CUES | PRODUCT_WORDS):
            return True
        prev = re.search(r"(?:^|[^\w])([A-Z][\w&]*) $", t[max(0, a - 30):a])
        if prev and not self.sentence_initial(a - len(prev.group(1)) - 1) and prev.group(1) not in ("The", "A"):
            return True
        return False

    def title_case_line(self, a) -> bool:
        t = doc_text(self.doc)
        line = t[t.rfind("\n", 0, a) + 1: (t.find("\n", a) + 1 or len(t) + 1) - 1]
        words = [w for w in re.findall(r"[A-Za-z][\w']*", line) if w.lower() not in CONNECTORS and len(w) > 3]
        return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.9 * len(words)

    def list_neighbour(self, a, b, kept: list[tuple[int, int]]) -> bool:
        """Separated from a kept mention only by a comma, 'and', '&' or '/' ("Rexel, Nexans and Ipsen")."""
        t = doc_text(self.doc)
        for x, y in kept:
            if 0 <= x - b <= 8 and LIST_SEP.fullmatch(t[b:x]):
                return True
            if 0 <= a - y <= 8 and LIST_SEP.fullmatch(t[y:a]):
                return True
        return False

    def prev_capitalised(self, a) -> bool:
        """A capitalised word right before ("Inflation Target Rises"), other than a sentence's first 'The'."""
        m = re.search(r"(?:^|[^\w])([A-Z][\w&]*) $", doc_text(self.doc)[max(0, a - 30):a])
        return bool(m and m.group(1).lower() not in HEADLINE_SMALL_WORDS)

    def verb_follows(self, b) -> bool:
        """The next word is a market verb ("Target slumps", "Amazon To Cut"): the name is its subject."""
        m = re.match(r"\s([A-Za-z]+)(?:\s([A-Za-z]+))?", doc_text(self.doc)[b:b + 40])
        if not m:
            return False
        w = m.group(1).lower()
        if w == "to" and m.group(2):
            w = m.group(2).lower()
        return w in MARKET_CUES or w in HEADLINE_VERBS

    def business_noun_before(self, a) -> bool:
        m = re.search(r"([A-Za-z]+) $", doc_text(self.doc)[max(0, a - 25):a])
        return bool(m and m.group(1).lower() in BUSINESS_NOUNS)

    def after_title(self, a) -> bool:
        m = re.search(r"([A-Za-z]+)\.? $", doc_text(self.doc)[max(0, a - 20):a])
        return bool(m and m.group(1).lower() in TITLES)

    def market_cue(self, a, b, window: int = 5) -> bool:
        i = bisect.bisect_left(self.tok_starts, a)
        j = bisect.bisect_left(self.tok_starts, b)
        near = self.toks[max(0, i - 2):i] + self.toks[j:j + window]
        return any(t in MARKET_CUES for t, _, _ in near)

    def modifies_common_noun(self, a, b, adjective: bool = False) -> bool:
        """The name is a modifier of a following ordinary noun ("Visa applications", "Canon law"; with
        ``adjective`` also "Next issue"), the everyday reading; "Apple shares" or "Target stores" do not count."""
        span = self.doc.char_span(a, b, alignment_mode="expand")
        if span is None or not len(span):
            return False
        tok = span[-1]
        head = tok.head
        deps = ("compound", "amod") if adjective else ("compound",)
        if tok.dep_ not in deps or head.i <= tok.i or head.pos_ != "NOUN" or head.text[:1].isupper():
            return False
        lemma = head.lemma_.lower()
        return lemma not in FINANCE_CUES and lemma not in MARKET_CUES and head.lower_ not in FINANCE_CUES

    def next_word(self, end) -> str:
        m = re.match(r"\s+([A-Za-z][\w-]*)", doc_text(self.doc)[end:end + 40])
        return m.group(1).lower() if m else ""

    def possessive(self, end) -> bool:
        t = doc_text(self.doc)
        return t[end:end + 2] in ("'s", "’s")

    def sentence_initial(self, a) -> bool:
        i = bisect.bisect_right(self.sent_starts, a) - 1
        s = self.sent_starts[i] if i >= 0 else 0
        lead = doc_text(self.doc)[s:a]
        line = doc_text(self.doc).rfind("\n", 0, a)
        return not re.search(r"\w", lead) or not re.search(r"\w", doc_text(self.doc)[line + 1:a])

    def finance_cue(self, a, b, window: int = 6) -> bool:
        i = bisect.bisect_left(self.tok_starts, a)
        j = bisect.bisect_left(self.tok_starts, b)
        near = self.toks[max(0, i - window):i] + self.toks[j:j + window]
        return any(t in FINANCE_CUES for t, _, _ in near)

