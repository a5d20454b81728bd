"""A claim's horizon as a date window, resolved against the publication date.

``resolve(horizon, sentence, published, forward=...)`` -> ``Horizon(kind, start, end)`` where kind is
- ``past``: a closed window before publication ("last year", "nine months to September 2025", "in Q3");
- ``to_date``: from a start to the publication ("year-to-date", "this year" said of the past, "since March");
- ``session``: the last trading session on or before ``end`` ("in a single session", "on Thursday", "intraday");
- ``future``: from the publication to an end ("next year", "over the next three years", "by 2027");
- ``open``: no window (no horizon, or a comparison basis such as "year on year").
Ambiguous spans ("over three years", "this year") are past or future by the claim's tense (``forward``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

MONTHS = {m: i for i, m in enumerate(("january february march april may june july august september october "
                                      "november december").split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20, "single": 1}
_UNIT = {"day": "days", "session": "days", "week": "weeks", "month": "months", "quarter": "quarters",
         "year": "years", "decade": "decades"}
_ORDINAL_Q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "q1": 1, "q2": 2, "q3": 3, "q4": 4}
_FORWARD = re.compile(r"\b(will|would|shall|next|expects?|expected|forecasts?|targets?|guid\w*|outlook|set to|poised|"
                      r"likely|plans?|aims?|going to|should|could|may|might|coming)\b", re.I)


@dataclass(frozen=True)
class Horizon:
    kind: str  # past | to_date | session | future | open
    start: date | None = None
    end: date | None = None

    def as_row(self) -> dict:
        return {"horizon_kind": self.kind, "horizon_start": self.start.isoformat() if self.start else None,
                "horizon_end": self.end.isoformat() if self.end else None}


OPEN = Horizon("open")


def is_forward(sentence: str, hedged: bool = False) -> bool:
    """The claim looks ahead (a forecast, guidance, a hedge) rather than stating what happened."""
    return hedged or bool(_FORWARD.search(sentence or ""))


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else _COUNT.get(word)


def _span(n: int, unit: str) -> relativedelta:
    unit = _UNIT.get(unit.rstrip("s"), "days")
    if unit == "quarters":
        return relativedelta(months=3 * n)
    if unit == "decades":
        return relativedelta(years=10 * n)
    return relativedelta(**{unit: n})


def _quarter(year: int, q: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    return start, start + relativedelta(months=3) - timedelta(days=1)


def _month_end(year: int, month: int) -> date:
    return date(year, month, 1) + relativedelta(months=1) - timedelta(days=1)


def resolve(horizon: str | None, sentence: str = "", published: date | None = None, *,
            forward: bool | None = None) -> Horizon:
    """The window of ``horizon`` (as written) for a claim published on ``published`` (today when None)."""
    p = published or date.today()
    fwd = is_forward(sentence) if forward is None else forward
    text = " ".join((horizon or "").lower().replace("-", " ").split())
    if not text:
        return OPEN
    h = _resolve(text, p, fwd)
    return h if h is not None else OPEN


def _resolve(t: str, p: date, fwd: bool) -> Horizon | None:  # noqa: C901 - one table of phrase shapes
    if re.search(r"\b(year on year|year over year|yoy|y/y|from a year (ago|earlier)|a year (ago|earlier)|"
                 r"quarter on quarter|q/q|sequentially|annual(ised|ized)?|quarterly)\b", t):
        return OPEN  # a comparison basis, not a window
    if re.search(r"\b(ytd|year to date|so far this year|since the (start|beginning) of the year)\b", t):
        return Horizon("to_date", date(p.year, 1, 1), p)
    if re.search(r"\b(month to date|mtd)\b", t):
        return Horizon("to_date", p.replace(day=1), p)
    if re.search(r"\b(single session|one session|a session|on the day|intraday|overnight|in one day|"
                 r"a single day|today)\b", t):
        return Horizon("session", p, p)
    m = re.search(r"\bon (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", t)
    if m:
        back = (p.weekday() - WEEKDAYS[m.group(1)]) % 7
        d = p - timedelta(days=back)
        return Horizon("session", d, d)
    m = re.search(r"\b(\w+) months? to (" + "|".join(MONTHS) + r")(?: (\d{4}))?\b", t)
    if m and _count(m.group(1)):
        month = MONTHS[m.group(2)]
        year = int(m.group(3)) if m.group(3) else (p.year if month <= p.month else p.year - 1)
        return Horizon("past", date(year, month, 1) - relativedelta(months=_count(m.group(1)) - 1),
                       _month_end(year, month))
    m = re.search(r"\b(?:first|past|last|latest) (\w+) (days?|weeks?|months?|quarters?|years?|sessions?)\b", t)
    if m and _count(m.group(1)) and not t.startswith("next"):
        if re.search(r"\bfirst\b", t):  # "in the first nine months": of this year
            start = date(p.year, 1, 1)
            return Horizon("to_date", start, min(p, start + _span(_count(m.group(1)), m.group(2)) - timedelta(days=1)))
        return Horizon("to_date", p - _span(_count(m.group(1)), m.group(2)), p)
    m = re.search(r"\b(?:over |in |for |during )?the next (\w+) (days?|weeks?|months?|quarters?|years?|decades?)\b", t)
    if m and _count(m.group(1)):
        return Horizon("future", p, p + _span(_count(m.group(1)), m.group(2)))
    m = re.search(r"\b(?:over|in|within|for) (?:the )?(?:past |last )?(\w+) (days?|weeks?|months?|quarters?|years?|"
                  r"sessions?|decades?)\b", t)
    if m and _count(m.group(1)):
        span = _span(_count(m.group(1)), m.group(2))
        if re.search(r"\b(past|last)\b", t) or not fwd:
            return Horizon("to_date", p - span, p)
        return Horizon("future", p, p + span)
    if re.search(r"\bover the (past|last) (year|month|week|quarter)\b", t):
        unit = re.search(r"(year|month|week|quarter)", t).group(1)
        return Horizon("to_date", p - _span(1, unit), p)
    for unit in ("year", "quarter", "month", "week"):
        if re.search(rf"\b(this|current|the) (fiscal )?{unit}\b|\bfull {unit}\b|\bfor the {unit}\b", t):
            start, end = _current(unit, p)
            return Horizon("future", p, end) if fwd else Horizon("to_date", start, p)
        if re.search(rf"\bnext {unit}('s)?\b", t):
            start, end = _current(unit, p)
            nstart = end + timedelta(days=1)
            return Horizon("future", p, _current(unit, nstart)[1])
        if re.search(rf"\blast {unit}\b", t):
            start, _ = _current(unit, p)
            prev_end = start - timedelta(days=1)
            return Horizon("past", _current(unit, prev_end)[0], prev_end)
    m = re.search(r"\b(?:in |for |during )?(?:the )?(?:fiscal )?(first|second|third|fourth|q1|q2|q3|q4)(?: fiscal)?"
                  r"(?: quarter)?(?: of)?(?: (\d{4}))?\b", t)
    if m and ("quarter" in t or m.group(1).startswith("q")):
        q = _ORDINAL_Q[m.group(1)]
        year = int(m.group(2)) if m.group(2) else p.year
        start, end = _quarter(year, q)
        if not m.group(2) and start > p:
            start, end = _quarter(year - 1, q)
        return Horizon("past", start, end) if end < p else Horizon("future" if fwd else "to_date", start if not fwd else p, end if fwd else p)
    m = re.search(r"\b(first|second) half\b", t)
    if m:
        start = date(p.year, 1 if m.group(1) == "first" else 7, 1)
        end = start + relativedelta(months=6) - timedelta(days=1)
        if start > p:
            start, end = start - relativedelta(years=1), end - relativedelta(years=1)
        return Horizon("past", start, end) if end < p else Horizon("future" if fwd else "to_date", p if fwd else start, end if fwd else p)
    m = re.search(r"\bsince (" + "|".join(MONTHS) + r")(?: (\d{4}))?\b", t)
    if m:
        month = MONTHS[m.group(1)]
        year = int(m.group(2)) if m.group(2) else (p.year if month <= p.month else p.year - 1)
        return Horizon("to_date", date(year, month, 1), p)
    m = re.search(r"\bsince (\d{4})\b", t)
    if m:
        return Horizon("to_date", date(int(m.group(1)), 1, 1), p)
    m = re.search(r"\b(by|through|until|till|to) (?:the end of )?(?:fiscal )?(\d{4})\b", t)
    if m:
        year = int(m.group(2))
        return Horizon("future", p, date(year, 12, 31)) if year >= p.year else Horizon("past", date(year, 1, 1), date(year, 12, 31))
    m = re.search(r"\b(" + "|".join(MONTHS) + r")(?: (\d{4}))?\b", t)
    if m and re.search(r"\b(in|for|during|of)\b", t):
        month = MONTHS[m.group(1)]
        year = int(m.group(2)) if m.group(2) else (p.year if month <= p.month else p.year - 1)
        start, end = date(year, month, 1), _month_end(year, month)
        return Horizon("past", start, end) if end < p else Horizon("to_date", start, p)
    m = re.search(r"\b(\d{4})\b", t)
    if m and 1990 <= int(m.group(1)) <= p.year + 30:
        year = int(m.group(1))
        start, end = date(year, 1, 1), date(year, 12, 31)
        if year < p.year:
            return Horizon("past", start, end)
        if year > p.year:
            return Horizon("future", p, end)
        return Horizon("future", p, end) if fwd else Horizon("to_date", start, p)
    return None


def _current(unit: str, p: date) -> tuple[date, date]:
    if unit == "year":
        return date(p.year, 1, 1), date(p.year, 12, 31)
    if unit == "quarter":
        return _quarter(p.year, (p.month - 1) // 3 + 1)
    if unit == "month":
        return p.replace(day=1), _month_end(p.year, p.month)
    start = p - timedelta(days=p.weekday())
    return start, start + timedelta(days=6)
