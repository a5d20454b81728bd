"""Deciding which names are companies here: plain names, then common words and externally known names by
their context (parse, cue words, neighbours in a list) and finally by MiniLM similarity of the context to
the company's description against the word's everyday meaning."""

from __future__ import annotations

import re

from tracker import defaults as D
from tracker.nlp.companies.mention import Mention
from tracker.nlp.companies.people import person_or_company
from tracker.nlp.companies.words import CONNECTORS, DEAL_NOUNS, NOT_ORG, PLACE_OR_PERSON
from tracker.nlp.doctext import doc_text


_PERIOD = re.compile(r"(?:q[1-4]|h[12]|fy\d{0,4}|[1-4]q\d{0,2})")
# a name written as a margin's abbreviation and followed by an unsigned percentage level: "GM 51.6%" is a gross
# margin ("GM +3%" or "GM shares" stay the company)
_METRIC_ABBREVIATIONS = frozenset({"GM", "OPM", "EBITDAM", "NPM"})
_LEVEL_AFTER = re.compile(r"\s*(?:of|at|was|is|=|:)?\s*~?\d{1,2}(?:\.\d+)?\s?%")


class Decider:
    """Mixin of CompanyLinker: keeps the names that are companies in their context."""

    # ------------------------------------------------------------------------------------ decisions
    def _decide(self, doc, text, names: list[Mention], confirmed: set, ctx, explicit: list[Mention]) -> list[Mention]:
        """Keep the names that are companies here. Plain names go first; ambiguous ones (common words,
        single words only the external lists know) then use context, including being listed next to a
        company already kept ("Sopra Steria, Rexel and Nexans rose")."""
        out, pending = [], []
        for m in names:
            verdict = self._plain(doc, m, confirmed, ctx)
            if verdict == "keep":
                out.append(m)
            elif verdict == "ambiguous":
                pending.append(m)
        confirmed = confirmed | {m.key for m in out if m.confidence >= 0.85}
        for m in list(pending):  # "Apple Inc. ... Apple": the short word is the company named before
            if m.key in confirmed:
                m.confidence = 0.9
                out.append(m)
                pending.remove(m)
        changed = True
        while pending and changed:
            changed = False
            kept = sorted((x.start, x.end) for x in out + explicit)
            for m in list(pending):
                if ctx.list_neighbour(m.start, m.end, kept):
                    m.confidence = 0.75
                    if len(m.alternatives) > 1:
                        self._disambiguate(doc, m)
                    out.append(m)
                    pending.remove(m)
                    changed = True
        undecided = []
        for m in pending:
            verdict = self._without_context(doc, m, ctx)
            if verdict is None:
                undecided.append(m)
            elif verdict:
                out.append(m)
        self._prefetch_vectors(doc, undecided)  # only the mentions the context must decide are encoded
        out += [m for m in undecided if self._by_context(doc, m, ctx)]
        return out

    def _prefetch_vectors(self, doc, mentions: list[Mention]) -> None:
        """Encode every context window and description these mentions may need in two batched calls."""
        if not mentions:
            return
        from tracker.nlp.embed import embed_spans, encode_texts

        embed_spans(doc, [self._context_span(doc, m) for m in mentions])
        cache = self.master._desc_vectors
        keys = list(dict.fromkeys(k for m in mentions for k in (m.alternatives or [m.key]) if k not in cache))
        others = [k for k in dict.fromkeys(m.key for m in mentions)
                  if k in self.other_senses and k not in self._other_vectors]
        texts = [self.master.description(k) for k in keys] + [self.other_senses[k] for k in others]
        if texts:
            vecs = encode_texts(texts)
            for k, v in zip(keys, vecs[:len(keys)]):
                cache[k] = v
            for k, v in zip(others, vecs[len(keys):]):
                self._other_vectors[k] = v

    def _plain(self, doc, m: Mention, confirmed: set, ctx) -> str:
        """keep | drop | ambiguous, setting the confidence of kept mentions."""
        if doc_text(doc)[m.start:m.end] in _METRIC_ABBREVIATIONS and _LEVEL_AFTER.match(doc_text(doc), m.end):
            return "drop"
        if m.how == "bare":
            return "drop" if ctx.ent_is(m.start, m.end, NOT_ORG) else "keep"
        company = self.master.companies[m.key]
        single = len(m.tokens) == 1
        external = not m.curated
        container = ctx.containing_ent(m.start, m.end)
        if container is not None and container[2] in PLACE_OR_PERSON and not ctx.title_case_line(m.start):
            return "drop"  # inside a longer person/place name ("Harrison Ford", "Apple Valley")
        alts = [k for k in (m.alternatives or [m.key]) if k in confirmed]
        personish = m.curated and "person" in company.flags and (single or self._person_shaped(m, ctx))
        if single or personish:  # "Senator Warren", "Abbott signs the FTA", "Ford said it would cut jobs"
            verdict = person_or_company(ctx, m.start, m.end, self.lexicon, self.given_names, first_names_ok=personish)
            if verdict == "person" or (verdict == "person?" and personish and not alts):
                return "drop"
            if verdict is None and personish and not single and not alts:
                return "drop"  # "Walt Disney opened the first park": a person's name with nothing that says company
            if verdict == "company" and personish:
                m.confidence = 0.9
        if alts:  # named unambiguously elsewhere in the text (a ticker, a full name)
            m.key, m.confidence = alts[0], 0.95
            return "keep"
        word = m.curated and "word" in company.flags and single
        all_words = all(t in self.lexicon or t in CONNECTORS for t in m.tokens)
        if word or (external and (single or all_words)):
            return "ambiguous"
        label = ctx.ent_label(m.start, m.end)
        if external and label in ("GPE", "LOC", "NORP", "FAC", "EVENT"):
            return "drop"
        if external and label == "PERSON" and not ctx.market_cue(m.start, m.end):
            return "drop"  # "Carl Zeiss Meditec rose" is kept; a bare person's name is not
        if m.curated:
            m.confidence = 0.95 if len(m.tokens) > 1 else 0.9
        else:
            m.confidence = 0.85
        if len(m.alternatives) > 1:
            self._disambiguate(doc, m)
        return "keep"

    def _person_shaped(self, m: Mention, ctx) -> bool:
        """A name written like a person's: two or three capitalised words, none an English word ("Walt Disney",
        "Charles Schwab"); a company flagged 'person' is then read as that person unless the words around say
        otherwise."""
        written = doc_text(ctx.doc)[m.start:m.end].split()
        if not (2 <= len(m.tokens) <= 3 and len(written) == len(m.tokens) and all(w[:1].isupper() for w in written)):
            return False
        return m.tokens[0] in self.given_names or not any(t in self.lexicon or t in CONNECTORS for t in m.tokens)

    def _without_context(self, doc, m: Mention, ctx) -> bool | None:
        """A common-word name or an externally known single word, decided by the parse and the words
        around it where they settle it: True (a company), False (not one), None (the context window's
        meaning must decide: ``_by_context``)."""
        external, single = not m.curated, len(m.tokens) == 1
        if m.curated and ctx.verb_follows(m.end) and not ctx.after_title(m.start) and not ctx.prev_capitalised(m.start):
            m.confidence = 0.8  # the subject of a market verb: "Oracle Soars On Cloud Deal", "Amazon to cut"
            return True
        nxt = ctx.next_word(m.end)
        if m.curated and single and (nxt in DEAL_NOUNS or _PERIOD.fullmatch(nxt)):
            m.confidence = 0.8  # "the Amazon deal", "a Shell stake", "Grab Q3 2025 earnings call"
            return True
        if ctx.in_longer_name(m.start, m.end) or (ctx.title_case_line(m.start) and ctx.prev_capitalised(m.start)):
            return False  # "Apple Valley", "the Big Apple", "Target Field", "Inflation Target Rises"
        if ctx.after_title(m.start):
            return False  # "Chair Powell", "Mr Lagarde"
        if external and single and m.tokens[0] in self.lexicon:
            # a dictionary word only the big lists know ("Vanguard", "Focus"): only with its legal form
            m.confidence = 0.8
            return m.extended
        if m.extended or ctx.possessive(m.end) or ctx.business_noun_before(m.start):
            m.confidence = 0.85  # "Target Corp.", "Shell's", "clothing retailer Next"
            return True
        if single and ctx.sentence_initial(m.start) and ctx.modifies_common_noun(m.start, m.end, adjective=True):
            return False  # "Next issue: packaging substrates"
        label = ctx.ent_label(m.start, m.end)
        market = ctx.market_cue(m.start, m.end)
        if external and single and m.tokens[0] not in self.lexicon:
            # a capitalised non-dictionary word: a company when used like one
            if label == "ORG" or market:
                m.confidence = 0.75 if label == "ORG" else 0.7
                if len(m.alternatives) > 1:
                    self._disambiguate(doc, m)
                return True
        if label in ("PERSON", "GPE", "LOC", "NORP") and not (m.curated and self.other_senses.get(m.key)):
            return False
        if external and not single and ctx.title_case_line(m.start) and label != "ORG":
            return False  # "Global Markets Outlook" in a headline
        return None

    def _by_context(self, doc, m: Mention, ctx) -> bool:
        """The rest of ``_without_context``: the context window against the company's description (and,
        for a common word, against its everyday meaning)."""
        external = not m.curated
        label = ctx.ent_label(m.start, m.end)
        market = ctx.market_cue(m.start, m.end)
        other = self._other_vector(m.key) if m.curated else None
        cue = market or ctx.finance_cue(m.start, m.end)
        initial = ctx.sentence_initial(m.start)
        sim = self._similarity(doc, m)
        if other is not None:
            # the company's description against the word's everyday meaning, on the same context window
            from tracker.nlp.embed import embed_spans

            s_other = float(embed_spans(doc, [self._context_span(doc, m)])[0] @ other)
            margin = (sim - s_other + (0.05 if market else 0.0) + (0.05 if label == "ORG" else 0.0)
                      - (0.05 if label in NOT_ORG else 0.0) - (0.03 if initial else 0.0)
                      - (0.1 if ctx.modifies_common_noun(m.start, m.end) else 0.0))
            if margin >= D.COMPANY_SENSE_MARGIN and sim >= D.COMPANY_SENSE_MIN_SIMILARITY:
                m.confidence = min(0.9, 0.6 + margin)
                return True
            return False
        score = sim + (0.1 if label == "ORG" else 0.0) + (0.08 if cue else 0.0) - (0.1 if initial else 0.0)
        threshold = D.COMPANY_AMBIGUOUS_MIN_SIMILARITY + (0.05 if external else 0.0)
        if score >= threshold:
            m.confidence = min(0.9, 0.5 + score)
            return True
        return False

    def _context_span(self, doc, m: Mention) -> tuple[int, int]:
        a = max(0, m.start - D.COMPANY_CONTEXT_CHARS)
        b = min(len(doc_text(doc)), m.end + D.COMPANY_CONTEXT_CHARS)
        return a, b

    def _similarity(self, doc, m: Mention) -> float:
        from tracker.nlp.embed import embed_spans

        vec = embed_spans(doc, [self._context_span(doc, m)])[0]
        best, best_key = -1.0, m.key
        for k in (m.alternatives or [m.key]):
            s = float(vec @ self._desc_vector(k))
            if s > best:
                best, best_key = s, k
        m.key = best_key
        return best

    def _disambiguate(self, doc, m: Mention) -> None:
        """Several listed companies share this name: take the one whose description fits the context."""
        self._similarity(doc, m)

    def _other_vector(self, key: str):
        """Vector of the everyday meaning of a common-word company name (None when there is none)."""
        text = self.other_senses.get(key)
        if not text:
            return None
        if key not in self._other_vectors:
            from tracker.nlp.embed import encode_texts

            self._other_vectors[key] = encode_texts([text])[0]
        return self._other_vectors[key]

    def _desc_vector(self, key: str):
        cache = self.master._desc_vectors
        if key not in cache:
            from tracker.nlp.embed import encode_texts

            cache[key] = encode_texts([self.master.description(key)])[0]
        return cache[key]
