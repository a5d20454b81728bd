"""The name scan: a longest-match walk over the text's normalised words against the master's alias index."""

from __future__ import annotations

import re

from tracker import defaults as D
from tracker.nlp.companies.mention import Mention, inside, trim_possessive
from tracker.nlp.companies.words import ABBREVIATIONS, ACRONYMS, CONNECTORS, GAP, GENERIC_FIRST, LEGAL_TAIL
from tracker.securities.master import CAP_RANK


class NameScanner:
    """Mixin of CompanyLinker: finds the names (and bare curated tickers) in a text."""

    # -------------------------------------------------------------------------------------- names
    def _names(self, text, toks, taken, ctx) -> list[Mention]:
        aliases, max_len = self.master.aliases, self.master.max_len
        taken_starts = sorted(taken)
        out: list[Mention] = []
        n = len(toks)
        i = 0
        while i < n:
            t0, s0, _ = toks[i]
            if inside(s0, taken_starts):
                i += 1
                continue
            longest = max(max_len.get(t0, 0), self.block_max.get(t0, 0))
            best = None
            for L in range(min(longest, n - i), 0, -1):
                if not self._contiguous(text, toks, i, L):
                    continue
                key = tuple(t for t, _, _ in toks[i:i + L])
                if key in self.blockers:
                    best = ("block", L)
                    break
                if key in aliases:
                    best = ("alias", L)
                    break
            if best is None:
                bare = self._bare_ticker(text, toks[i])
                if bare:
                    out.append(bare)
                i += 1
                continue
            kind, L = best
            if kind == "block":
                i += L
                continue
            a, b = toks[i][1], toks[i + L - 1][2]
            if tuple(t for t, _, _ in toks[i:i + L]) not in self.apostrophe_names:  # keep "Moody's"
                b = trim_possessive(text, a, b)
            # absorb a following legal form: "Samsung Electronics Co., Ltd." / "Apple Inc."
            j, extended = i + L, False
            while j < n and toks[j][0] in LEGAL_TAIL and self._contiguous(text, toks, j - 1, 2):
                if toks[j][0] in ("group", "holdings", "holding", "company") and not text[toks[j][1]].isupper():
                    break
                b = trim_possessive(text, a, toks[j][2])
                j += 1
                extended = True
            key = tuple(t for t, _, _ in toks[i:i + L])
            last = toks[j - 1][0]
            extended = extended or (L > 1 and last in LEGAL_TAIL)
            if last in ABBREVIATIONS and text[b:b + 1] == ".":
                b += 1
            m = self._choose(text, a, b, key, extended, ctx)
            if m is not None:
                out.append(m)
            i = j
        return out

    def _contiguous(self, text, toks, i, L) -> bool:
        for k in range(i, i + L - 1):
            gap = text[toks[k][2]:toks[k + 1][1]]
            if len(gap) > D.COMPANY_MAX_GAP_CHARS or not GAP.fullmatch(gap):
                return False
        return True

    def _bare_ticker(self, text, tok) -> Mention | None:
        """An all-caps word that is a curated company's ticker (NVDA, TSLA), not a common acronym."""
        _, a, b = tok
        w = text[a:b]
        if len(w) < 3 or not w.isupper() or not w.isalpha() or w in ACRONYMS or w.lower() in self.lexicon:
            return None
        key = self.master.symbols.get(w)
        if key is None or self.master.companies[key].source != "curated":
            return None
        return Mention(a, b, key, 0.8, "bare")

    def _choose(self, text, a, b, key_tokens, extended, ctx) -> Mention | None:
        """Pick a company for the alias at [a, b) and give it a prior confidence (decided later)."""
        written = text[a:b]
        entries = self.master.entries_on(key_tokens, ctx.on)  # a name that changed hands: the holder that day
        curated = [e for e in entries if e[2] == "curated"]
        if curated:
            entries = curated
        elif not self._external_ok(key_tokens, written):
            return None
        if not self._case_ok(written, key_tokens, bool(curated)):
            return None
        companies = self.master.companies
        if len(entries) > 1:
            entries = sorted(entries, key=lambda e: (companies[e[0]].home is None,
                                                     CAP_RANK.get(companies[e[0]].market_cap or "", 9),
                                                     companies[e[0]].key))
            with_home = [e for e in entries if companies[e[0]].home]
            entries = (with_home or entries)[:5]
        return Mention(a, b, entries[0][0], 0.0, "name", key_tokens, [e[0] for e in entries], extended,
                       bool(curated))

    def _external_ok(self, toks: tuple, written: str) -> bool:
        """Names only FinanceDatabase/pytickersymbols know: never bare acronyms or single dictionary words."""
        if len(toks) == 1:
            w = toks[0]
            if len(w) <= 3 or w in self.lexicon or w.upper() in ACRONYMS or w in GENERIC_FIRST or w.isdigit():
                return False
        return True

    def _case_ok(self, written: str, toks: tuple, curated: bool) -> bool:
        words = [w for w in re.findall(r"[^\W_]+", written)]
        if not words:
            return False
        if " ".join(toks) in self.lowercase_ok or written in self.exact_aliases:
            return True  # "eBay", "JD.com": written as the curated list spells it
        caps = [w for w in words if w.lower() not in CONNECTORS and w.lower() not in LEGAL_TAIL]
        if not caps:
            return False
        if not all(w[0].isupper() or w[0].isdigit() or not w[0].isalpha() or not w.isascii() for w in caps):
            return False
        if " ".join(toks) in self.caps_aliases and not written.isupper():
            return False  # 'ING', 'BAT', 'TIM' only in capitals
        return True
