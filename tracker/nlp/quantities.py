"""A claim's magnitude as a number and a unit, beside the text as written.

``parse_magnitude("14%") == Magnitude(14.0, "%")``; "56x"/"56 times" -> (56, "x"); "25bp"/"25 basis points" ->
(25, "bp"); "1.4 percentage points"/"12 points" -> (1.4, "pp") / (12, "points"); "$3.2bn" -> (3.2e9, "USD");
"1.9 trillion won" -> (1.9e12, "KRW"); "₹15,000 crore" -> (1.5e11, "INR"); ranges ("8-11%") give their middle;
words ("a quarter point", "five percentage points", "double") are read too. Anything else: None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Magnitude:
    value: float
    unit: str  # % | x | bp | pp | points | a currency code | count


_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
                 "thirty": 30, "fifty": 50, "hundred": 100, "half": 0.5, "quarter": 0.25}
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
          "billion": 1e9, "tn": 1e12, "trn": 1e12, "trillion": 1e12, "lakh": 1e5, "crore": 1e7}
_CURRENCY_SIGNS = (("US$", "USD"), ("HK$", "HKD"), ("NT$", "TWD"), ("A$", "AUD"), ("C$", "CAD"), ("S$", "SGD"),
                   ("R$", "BRL"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("₩", "KRW"), ("₹", "INR"))
_CURRENCY_WORDS = {"won": "KRW", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupees": "INR", "rupee": "INR",
                   "dollars": "USD", "euros": "EUR", "pounds": "GBP", "ringgit": "MYR", "baht": "THB",
                   "rupiah": "IDR", "pesos": "MXN", "usd": "USD", "eur": "EUR", "jpy": "JPY", "krw": "KRW",
                   "cny": "CNY", "hkd": "HKD", "twd": "TWD", "inr": "INR"}
_MULTIPLE_WORDS = {"double": (2.0, "x"), "doubled": (2.0, "x"), "triple": (3.0, "x"), "tripled": (3.0, "x"),
                   "halve": (0.5, "x"), "halved": (0.5, "x")}

_NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?)"
_RANGE = re.compile(_NUM + r"\s*(?:-|–|to)\s*" + _NUM)
_FIRST_NUMBER = re.compile(_NUM)
_WORD_NUM = re.compile(r"\b(" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")\b")


def _number(text: str) -> float | None:
    m = _RANGE.search(text)
    if m:
        return (float(m.group(1).replace(",", "")) + float(m.group(2).replace(",", ""))) / 2
    m = _FIRST_NUMBER.search(text)
    if m:
        return float(m.group(1).replace(",", ""))
    m = _WORD_NUM.search(text)
    return float(_WORD_NUMBERS[m.group(1)]) if m else None


def _scale(text: str) -> float:
    m = re.search(r"(?<=[\d\s])(k|thousand|mn|mln|m|million|bn|b|billion|tn|trn|trillion|lakh|crore)\b", text)
    return _SCALE[m.group(1)] if m else 1.0


def parse_magnitude(text: str | None) -> Magnitude | None:
    """The magnitude of ``text`` (a claim's magnitude as written), or None when it holds no readable figure."""
    if not text or not text.strip():
        return None
    raw = " ".join(text.split())
    low = raw.lower()
    m = re.search(r"\b(quarter|half)[- ](?:percentage )?point\b", low)
    if m and not re.search(r"\d", low):  # "a quarter point" of a rate: 25 basis points
        return Magnitude(25.0 if m.group(1) == "quarter" else 50.0, "bp")
    for word, (value, unit) in _MULTIPLE_WORDS.items():
        if re.search(rf"\b{word}\b", low) and not re.search(r"\d", low):
            return Magnitude(value, unit)
    value = _number(low)
    if value is None:
        return None
    if "%" in low or re.search(r"\bper ?cent\b", low):
        return Magnitude(value, "%")
    if re.search(r"\b(bps?|basis points?)\b", low) or re.search(r"\dbps?\b", low):
        return Magnitude(value, "bp")
    if re.search(r"\bpercentage points?\b|\bppts?\b|\dpp\b", low):
        return Magnitude(value, "pp")
    if re.search(r"\d\s?x\b|\btimes\b", low):
        return Magnitude(value, "x")
    if re.search(r"\b(points?|pts)\b", low):
        return Magnitude(value, "points")
    for sign, code in _CURRENCY_SIGNS:
        if sign in raw:
            return Magnitude(value * _scale(low), code)
    for word, code in _CURRENCY_WORDS.items():
        if re.search(rf"\b{word}\b", low):
            return Magnitude(value * _scale(low), code)
    if re.search(r"\d", low):
        return Magnitude(value * _scale(low), "count")
    return None
