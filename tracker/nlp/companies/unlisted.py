"""Companies the securities master does not know, named by the text itself.

- ``named_by_ticker``: a name followed by a ticker the master does not know ("Texas Roadhouse (NASDAQ: TXRH)",
  "Invincible Investment (8963 JP)") is a listed company: the name, the ticker and later mentions of the name are
  linked to it, with the ticker in Yahoo form.
- ``organisations``: an organisation spaCy finds (ORG) whose name ends like a business ("Bridgewater Associates",
  "Nippon Life Insurance", "Counterpoint Research") and has no word of a public body ("Ministry", "Bureau",
  "Fund"...) is an unlisted company: linked with ticker None.
"""

from __future__ import annotations

import re

from tracker import defaults as D
from tracker.names import norm_tokens
from tracker.nlp.companies.mention import Mention, trim_possessive
from tracker.securities.naming import display_name

# a run of capitalised words (with '&', 'and', 'of', 'de' inside) right before "(" and the ticker
_NAME_BEFORE = re.compile(r"((?:[A-Z][\w&.'’-]*|&)(?:[ \t]+(?:[A-Z][\w&.'’-]*|&|and|of|de))*)[ \t]*\([ \t]*$")
# words that open a sentence or a rating line, not the name: "Shares of", "Upgrade to Buy:"
_LEAD_WORDS = frozenset("the a an shares share stock stocks analysts investors buy sell hold upgrade downgrade "
                        "overweight underweight neutral outperform underperform rating on at of in to for from with "
                        "by and as prefer like favour favor reiterate initiate pick".split())
_BUSINESS_TAILS = frozenset("""
capital partners associates management investments investment advisors advisers securities research holdings group
inc incorporated llc ltd limited lp llp co corp corporation company insurance life gmbh ag sa plc technologies
labs systems motors energy electronics pharmaceuticals robotics ventures
""".split())
_PUBLIC_BODY_WORDS = frozenset("""
ministry department bureau agency commission council committee association federation union university institute
institution office authority board court government party parliament congress senate reserve treasury
administration exchange fund funds index forum foundation center centre school college organisation organization
bank central national world nations state states federal city municipal police army navy force trust church
hospital museum league club team
""".split())

_FORMERLY = re.compile(r"\b(?:formerly|previously|once|renamed from)(?: known| called)?(?: as)?\s+(?:the\s+)?$", re.I)
_INDEX_WORDS = frozenset("nifty sensex kospi kosdaq topix nikkei hang csi msci ftse stoxx dax cac russell dow "
                         "s&p sp asx taiex".split())


# the text names the organisation as a research source, the way it names brokers and data providers: "analysts at
# X", "X's strategists expect", "X's head of research", "X data show", "X, a consultancy,"
_ROLES = r"(?:analysts?|strategists?|head of research|chief strategist)"
_SOURCE_BEFORE = re.compile(_ROLES + r"\s+(?:at|from)\s+(?:the\s+)?$", re.I)
_SOURCE_AFTER = re.compile(r"(?:['’]s?\s+(?:\w+\s+)?" + _ROLES + r"\b|\s+(?:\w+\s+)?data\s+(?:show|showed|shows|suggest)\b"
                           r"|,\s+(?:a|an|the)\s+(?:\w+\s+)?(?:consultancy|data provider|research (?:house|firm)|broker"
                           r"|brokerage|investment bank)\b)", re.I)


def source_cue(text: str, a: int, b: int) -> bool:
    """The organisation at [a, b) is named as a broker, research house or data provider."""
    return bool(_SOURCE_BEFORE.search(text, max(0, a - 40), a) or _SOURCE_AFTER.match(text, b))


def _name_before(text: str, at: int, window: int, max_words: int) -> tuple[int, int] | None:
    """The span of the capitalised name right before "(" and the ticker at ``at``, without opening words."""
    m = _NAME_BEFORE.search(text, max(0, at - window), at)
    if not m:
        return None
    words = list(re.finditer(r"\S+", m.group(1)))
    while words and words[0].group().lower() in _LEAD_WORDS:
        words = words[1:]
    if not words or len(words) > max_words:
        return None
    return m.start(1) + words[0].start(), m.start(1) + words[-1].end()


def named_by_ticker(text: str, unknown: list[tuple[int, int, str]], blockers: frozenset) -> list[Mention]:
    """Mentions of listed companies the master lacks, from "Name (TICKER)": the name, the ticker, later names."""
    out: list[Mention] = []
    for a, b, symbol in unknown:
        span = _name_before(text, a, 120, 6)
        if span is None:
            continue
        start, end = span
        name = text[start:end]
        if norm_tokens(name) in blockers:
            continue
        found = (display_name(name), symbol)
        out.append(Mention(start, trim_possessive(text, start, end), symbol, 0.9, "name", unknown=found))
        out.append(Mention(a, b, symbol, 0.97, "ticker", unknown=found))
        out += _later(text, name, b, symbol, found, 0.85)
    return out


def named_before_ticker(text: str, tickers: list[Mention], names: list[Mention], master,
                        blockers: frozenset) -> list[Mention]:
    """A short name the text gives a known company right before its ticker, "prefer Galaxy (27 HK)": the name and
    its later mentions are that company when the name shares a word with the company's own name."""
    out: list[Mention] = []
    for t in tickers:
        if (t.how != "ticker" or t.unknown is not None or t.key not in master.companies
                or any(n.key == t.key and 0 <= t.start - n.end <= 3 for n in names)):
            continue
        span = _name_before(text, t.start, 80, 4)
        if span is None:
            continue
        start, end = span
        toks = norm_tokens(text[start:end])
        own = set(norm_tokens(master.companies[t.key].canonical))
        if not toks or toks in blockers or not set(toks) & own or any(n.start < end and start < n.end for n in names):
            continue
        out.append(Mention(start, trim_possessive(text, start, end), t.key, 0.9, "name", toks))
        name = text[start:trim_possessive(text, start, end)]
        out += [Mention(x.start, x.end, t.key, 0.85, "short", toks) for x in _later(text, name, t.end, t.key, None, 0)
                if not any(n.start < x.end and x.start < n.end for n in names)]
    return out


def organisations(text: str, ents: list[tuple[int, int, str]], taken: list[tuple[int, int]],
                  blockers: frozenset) -> list[Mention]:
    """Unlisted companies: ORG entities whose name ends like a business, or that the text names as a research source,
    and that are no public body's."""
    out: list[Mention] = []
    seen: set[str] = set()
    for a, b, label in ents:
        if label != "ORG" or any(x < b and a < y for x, y in taken):
            continue
        written = text[a:b]
        if written.lower().startswith("the "):
            a, written = a + 4, written[4:]
        b = trim_possessive(text, a, b)
        written = text[a:b]
        toks = norm_tokens(written)
        words = written.split()
        if _FORMERLY.search(text, max(0, a - 40), a) or (toks and toks[0] in _INDEX_WORDS):
            continue  # "formerly known as GUD Holdings" is the same company; "Nifty Energy" is an index
        business = len(toks) >= 2 and toks[-1] in _BUSINESS_TAILS
        if (not (business or (toks and source_cue(text, a, b) and not written.isupper()))
                or set(toks) & _PUBLIC_BODY_WORDS or toks in blockers
                or not all(w[:1].isupper() or w in ("&", "and", "of", "de") for w in words)):
            continue
        key = "private:" + "-".join(toks)
        if key in seen:
            continue
        seen.add(key)
        found = (" ".join(words), None)
        out.append(Mention(a, b, key, D.COMPANY_ORG_CONFIDENCE, "org", toks, unknown=found))
        out += _later(text, written, b, key, found, D.COMPANY_ORG_CONFIDENCE)
    return out


def _later(text: str, name: str, after: int, key: str, found: tuple, confidence: float) -> list[Mention]:
    """Later mentions of a name found once (as written, or possessive), outside other words."""
    out = []
    for m in re.finditer(r"(?<![\w])" + re.escape(name) + r"(?![\w])", text[after:]):
        a = after + m.start()
        out.append(Mention(a, a + len(name), key, confidence, "short", unknown=found))
    return out
