"""Name normalisation shared by the securities master, the company linker and company search.

One normal form everywhere: accents stripped, lower case, possessive 's and apostrophes dropped,
punctuation removed, '&' read as 'and': ``alias_norm("Samsung's Électronique & Co.")`` ==
``"samsung electronique and co"``.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|&", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$")


def norm_word(w: str) -> str:
    """One token, normalised: accents stripped, lower-cased, possessive 's and apostrophes dropped."""
    if w == "&":
        return "and"
    s = unicodedata.normalize("NFKD", w)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = unicodedata.normalize("NFKC", s).lower()
    s = _POSSESSIVE.sub("", s)
    return s.replace("'", "").replace("’", "")


def tokens_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """(normalised token, start, end) for each word of ``text``; offsets index ``text``."""
    out = []
    for m in _WORD.finditer(text):
        n = norm_word(m.group())
        if n:
            out.append((n, m.start(), m.end()))
    return out


def norm_tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t, _, _ in tokens_with_offsets(text))


def alias_norm(text: str) -> str:
    return " ".join(norm_tokens(text))
