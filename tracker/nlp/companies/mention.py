"""One company mention found in a text (before it is written out as a contract dict)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.securities.master import Master
from tracker.securities.naming import display_name


@dataclass
class Mention:
    start: int
    end: int
    key: str
    confidence: float
    how: str  # ticker | name | short | bare
    tokens: tuple = ()
    alternatives: list = field(default_factory=list)  # same-name companies, best first
    extended: bool = False  # a legal form followed the name ("Target Corp.")
    curated: bool = False
    # a company the master does not know, named by the text itself: its name and ticker (None when unlisted)
    unknown: tuple[str, str | None] | None = None

    def as_dict(self, text: str, master: Master) -> dict:
        if self.unknown is not None:
            canonical, ticker = self.unknown
            key = self.key
        else:
            c = master.companies[self.key]
            canonical = c.canonical if c.source == "private" else display_name(c.canonical)
            ticker, key = c.home, c.key
        return {"name": text[self.start:self.end], "canonical": canonical, "ticker": ticker,
                "company_key": key, "start": self.start, "end": self.end, "confidence": round(self.confidence, 3)}


def trim_possessive(text: str, a: int, b: int) -> int:
    """End offset without a trailing possessive: "Samsung's" -> "Samsung"."""
    return b - 2 if b - a > 2 and text[b - 2:b] in ("'s", "’s") else b


def inside(pos: int, spans) -> bool:
    return any(a <= pos < b for a, b in spans)

