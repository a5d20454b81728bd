"""Name forms of listed companies: legal forms and grouping words stripped, display names.

``core_tokens("Sony Group Corporation") == ("sony",)``; ``legal_tokens`` drops the legal form only;
``short_tokens`` also drops trailing descriptors writers leave out ("Fuyao Glass Industry Group" ->
"Fuyao Glass"); ``display_name`` is the name as the board and the linker report it.
"""

from __future__ import annotations

import re

from tracker.names import norm_tokens

# Legal-form words dropped from the end of a name ("Co., Ltd.", "Inc.", "plc", "AG"...).
LEGAL_WORDS = frozenset(
    "inc incorporated corp corporation co company ltd limited plc llc lp l p ag se sa s a nv n v bv spa s p a "
    "ab publ asa oyj as a s kgaa kk k k tbk pt bhd berhad sab de cv s a b pjsc jsc oao pcl public "
    "holding holdings group the class ordinary shares share adr ads depositary receipts receipt sponsored "
    "unsponsored common stock registered bearer pref preferred units gmbh sarl srl nvdr reg ord sh shs "
    "international intl".split()
)
# Only these are stripped for the "legal" alias (Group/Holdings/International stay).
_PURE_LEGAL = frozenset(
    "inc incorporated corp corporation co ltd limited plc llc lp l p ag se sa s a nv n v bv spa s p a ab publ "
    "asa oyj as a s kgaa kk k k tbk pt bhd berhad sab de cv pjsc jsc pcl gmbh sarl srl "
    "adr ads depositary receipts receipt sponsored unsponsored common stock registered bearer ordinary shares "
    "share class nvdr reg ord sh shs".split()
)
PAREN = re.compile(r"\([^)]*\)")


def _strip_tail(tokens: tuple[str, ...], words: frozenset) -> tuple[str, ...]:
    t = list(tokens)
    while t and t[0] == "the":
        t.pop(0)
    while len(t) > 1 and (t[-1] in words or (len(t[-1]) == 1 and t[-1] not in "0123456789" and len(t) > 2)):
        t.pop()
    while len(t) > 1 and t[-1] == "and":
        t.pop()
    return tuple(t)


def core_tokens(name: str) -> tuple[str, ...]:
    """Name without parentheticals and trailing legal/grouping words: 'Sony Group Corporation' → (sony,)."""
    return _strip_tail(norm_tokens(PAREN.sub(" ", name)), LEGAL_WORDS)


# Trailing descriptors that writers drop: "Fuyao Glass Industry Group" is "Fuyao Glass" in text.
DESCRIPTOR_WORDS = frozenset(
    "industrial industries industry technology technologies tech manufacturing enterprises enterprise products "
    "systems solutions services development investment investments resources co ltd limited".split()
)


def short_tokens(name: str) -> tuple[str, ...]:
    """Core name without trailing descriptors, kept only while at least two words remain."""
    t = core_tokens(name)
    while len(t) > 2 and t[-1] in DESCRIPTOR_WORDS:
        t = _strip_tail(t[:-1], LEGAL_WORDS)
    return t


def legal_tokens(name: str) -> tuple[str, ...]:
    """Name without its legal form only: 'Alibaba Group Holding Limited' → (alibaba, group, holding)."""
    return without_legal_form(norm_tokens(PAREN.sub(" ", name)))


def without_legal_form(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Normalised name tokens without a trailing legal form: (gmo, internet, inc) → (gmo, internet)."""
    return _strip_tail(tokens, _PURE_LEGAL)


_LEGAL_SUFFIX_RE = re.compile(
    r"(?:[\s,]+(?:Inc|Incorporated|Corp|Corporation|Co|Company|Ltd|Limited|plc|PLC|p\.l\.c|LLC|AG|SE|SA|S\.A|NV|N\.V"
    r"|SpA|S\.p\.A|AB|ASA|Oyj|A/S|KGaA|Abp|Kabushiki Kaisha|K\.K|Bhd|Tbk|Holdings?|Group)\.?)+\s*$")


def display_name(name: str) -> str:
    """A company's name without its legal form: 'Samsung Electronics Co. Ltd.' -> 'Samsung Electronics'."""
    out = PAREN.sub("", name).strip()
    if out.lower().startswith("the "):
        out = out[4:]
    short = _LEGAL_SUFFIX_RE.sub("", out).strip(" ,&")
    return " ".join((short or out).split())
