"""The company_linker component: explicit tickers, the name scan, context decisions, short forms after a
first mention and near-miss spellings, written to ``doc._.companies`` / ``doc._.tickers``."""

from __future__ import annotations

import re

from tracker import defaults as D
from tracker.names import norm_tokens, norm_word, tokens_with_offsets
from tracker.nlp.companies.context import Context
from tracker.nlp.companies.decide import Decider
from tracker.nlp.companies.mention import Mention, inside, trim_possessive
from tracker.nlp.companies.resources import curated_casing, fuzzy_index, given_names, lexicon_words, load_blockers
from tracker.nlp.companies.scan import NameScanner
from tracker.nlp.companies.tickers import find_tickers, mask_quote_rows
from tracker.nlp.companies.unlisted import named_before_ticker, named_by_ticker, organisations
from tracker.nlp.companies.words import ACRONYMS, GENERIC_FIRST, NOT_ORG
from tracker.nlp.doctext import doc_text
from tracker.securities.master import Master
from tracker.securities.sources import curated_other_senses, curated_rows


_PAREN_CODE = re.compile(r"(?:'s|’s)?\s*\((?P<code>[A-Z][A-Z0-9\-]{0,9})\)")


class CompanyLinker(NameScanner, Decider):
    def __init__(self, nlp, name):
        self.name = name
        self.master: Master | None = None
        self.settings = None
        self.min_confidence = D.COMPANY_MIN_CONFIDENCE
        self.lexicon = lexicon_words(nlp)
        self.given_names = given_names()
        self.blockers, self.block_max = load_blockers()
        self.lowercase_ok, self.caps_aliases = curated_casing()
        self.apostrophe_names = frozenset(norm_tokens(a) for r in curated_rows()
                                          for a in [r["name"], *r["aliases"].split("|")] if a.endswith(("'s", "’s")))
        self.exact_aliases = frozenset(a for r in curated_rows() for a in [r["name"], *r["aliases"].split("|")] if a)
        self.other_senses = curated_other_senses()
        self.fuzzy_choices, self.fuzzy_keys = fuzzy_index()
        self._other_vectors: dict = {}

    def bind(self, master=None, settings=None):
        self.master = master
        self.settings = settings
        nlp_settings = getattr(settings, "nlp", None)
        self.min_confidence = getattr(nlp_settings, "company_min_confidence", D.COMPANY_MIN_CONFIDENCE)

    # ------------------------------------------------------------------------------------------ main
    def __call__(self, doc):
        if self.master is None:
            from tracker.securities.master import load_master

            self.master = load_master(None)
        text = doc_text(doc)
        work = mask_quote_rows(text)  # "TSLA 241.10 -1.8%" rows are page furniture, not mentions
        tickers, mentions, unknown = find_tickers(work, self.master)
        mentions += named_by_ticker(work, unknown, self.blockers)  # "Texas Roadhouse (NASDAQ: TXRH)", not in the master
        taken = [(m.start, m.end) for m in mentions] + [(a, b) for a, b, _ in tickers]
        toks = tokens_with_offsets(work)
        ctx = Context(doc, toks)
        names = self._names(work, toks, taken, ctx)
        confirmed = {m.key for m in mentions}
        kept = self._decide(doc, work, names, confirmed, ctx, mentions)
        mentions += kept
        mentions += named_before_ticker(work, mentions, kept, self.master, self.blockers)  # "Galaxy (27 HK)"
        mentions += self._short_forms(work, toks, mentions, ctx)
        mentions = self._near_misses(work, mentions, ctx)
        mentions += self._parenthesised_tickers(work, mentions, tickers)
        mentions += organisations(work, ctx.ents, [(m.start, m.end) for m in mentions] + taken, self.blockers)
        mentions.sort(key=lambda m: m.start)
        doc._.companies = [m.as_dict(text, self.master) for m in mentions if m.confidence >= self.min_confidence]
        doc._.tickers = [text[a:b] for a, b, _ in sorted(tickers)]
        return doc

    def _parenthesised_tickers(self, text, mentions: list[Mention], tickers: list) -> list[Mention]:
        """A bare code in parentheses right after a company's name that is one of its listings, "Lattice
        Semiconductor (LSCC)": an explicit ticker (added to ``tickers``) and a mention."""
        out = []
        for m in mentions:
            if m.how not in ("name", "short") or m.unknown is not None:
                continue
            p = _PAREN_CODE.match(text, m.end)
            if p and self.master.symbols.get(p.group("code")) == m.key and p.group("code") not in ACRONYMS:
                a, b = p.span("code")
                if not any(x < b and a < y for x, y, _ in tickers):
                    tickers.append((a, b, text[a:b]))
                    if not any(x.start == a and x.end == b for x in mentions):  # not already a bare ticker
                        out.append(Mention(a, b, m.key, 0.97, "ticker"))
        return out

    # ---------------------------------------------------------------------------------- near misses
    def _near_misses(self, text, mentions: list[Mention], ctx) -> list[Mention]:
        """``mentions`` plus (or, for a shorter match inside, instead of) organisation names (spaCy ORG) that no alias matched but that are a close spelling of a curated
        name ("Hon Hai Precision Industries", "Samsung Electornics"): rapidfuzz, curated names only."""
        from rapidfuzz import fuzz, process

        out = list(mentions)
        for a, b, label in ctx.ents:
            if label != "ORG":
                continue
            inside = [m for m in out if m.start < b and a < m.end]
            if any(m.start < a or m.end > b or m.how in ("ticker", "fuzzy") for m in inside):
                continue
            if inside and sum(m.end - m.start for m in inside) >= (b - a) - 4:
                continue  # already matched (up to a legal form or possessive)
            toks = norm_tokens(text[a:b])
            q = " ".join(toks)
            if len(toks) < 2 or len(q) < 8 or toks in self.blockers or toks in self.master.aliases:
                continue  # too short, blocked, or an exact name the scan has already decided
            hit = process.extractOne(q, self.fuzzy_choices, scorer=fuzz.ratio,
                                     score_cutoff=D.COMPANY_FUZZY_MIN_RATIO)
            if hit:
                key = self.fuzzy_keys[hit[2]]
                if key in self.master.companies:
                    out = [m for m in out if m not in inside]
                    out.append(Mention(a, trim_possessive(text, a, b), key, 0.7, "fuzzy", toks))
        out.sort(key=lambda m: m.start)
        return out

    # ---------------------------------------------------------------------------------- short forms
    def _short_forms(self, text, toks, mentions: list[Mention], ctx) -> list[Mention]:
        """Acronyms in parentheses after a name, and the first word of long names, after the first mention."""
        local: dict[tuple, tuple[str, int]] = {}
        for m in sorted(mentions, key=lambda m: m.start):
            if m.how not in ("name",):
                continue
            after = text[m.end:m.end + 14]
            pm = re.match(r"\s*\((?P<acr>[A-Z][A-Za-z&]{1,6})\)", after)
            if pm and pm.group("acr").upper() not in ACRONYMS:
                local.setdefault((norm_word(pm.group("acr")),), (m.key, m.end))
            toks_m = m.tokens
            if len(toks_m) >= 2:
                first = toks_m[0]
                if (len(first) >= 3 and first not in self.lexicon and first not in GENERIC_FIRST
                        and not first.isdigit() and first.upper() not in ACRONYMS):
                    local.setdefault((first,), (m.key, m.end))
        if not local:
            return []
        covered = sorted((m.start, m.end) for m in mentions)
        out = []
        for t, a, b in toks:
            hit = local.get((t,))
            if hit is None or a < hit[1] or inside(a, covered):
                continue
            written = text[a:b]
            if not written[:1].isupper() or (t,) in self.master.aliases or ctx.ent_is(a, b, NOT_ORG):
                continue
            out.append(Mention(a, trim_possessive(text, a, b), hit[0], 0.8, "short", (t,)))
        return out
