"""Structured magnitude (value + unit) and horizon (a date window resolved against the publication date)."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.nlp.horizons import Horizon, is_forward, resolve
from tracker.nlp.quantities import Magnitude, parse_magnitude

PUB = date(2025, 12, 21)  # a Sunday


@pytest.mark.parametrize("text, value, unit", [
    ("14%", 14, "%"), ("+2.3 per cent", 2.3, "%"), ("8-11%", 9.5, "%"), ("about 10%", 10, "%"),
    ("56x", 56, "x"), ("56 times", 56, "x"), ("180x forward sales", 180, "x"), ("double", 2, "x"),
    ("25bp", 25, "bp"), ("10 basis points", 10, "bp"), ("a quarter point", 25, "bp"),
    ("1.4 percentage points", 1.4, "pp"), ("five percentage points", 5, "pp"), ("12 points", 12, "points"),
    ("$3.2bn", 3.2e9, "USD"), ("NT$900bn", 9e11, "TWD"), ("1.9 trillion won", 1.9e12, "KRW"),
    ("about ₹15,000 crore", 1.5e11, "INR"), ("13 billion yuan", 1.3e10, "CNY"), ("254,000", 254000, "count"),
])
def test_magnitudes_read_as_value_and_unit(text, value, unit):
    m = parse_magnitude(text)
    assert m == Magnitude(pytest.approx(value), unit)


@pytest.mark.parametrize("text", [None, "", "sharply", "more than peers"])
def test_no_figure_no_magnitude(text):
    assert parse_magnitude(text) is None


@pytest.mark.parametrize("horizon, sentence, kind, start, end", [
    # the claims of the article this product was started from
    ("year-to-date", "Asia ex-Japan small caps are up 14% year-to-date", "to_date", "2025-01-01", "2025-12-21"),
    ("this year", "Small caps are up 14% this year", "to_date", "2025-01-01", "2025-12-21"),
    ("in a single session", "The Hang Seng fell 8% in a single session", "session", "2025-12-21", "2025-12-21"),
    ("nine months to September 2025", "Earnings rose 40% in the nine months", "past", "2025-01-01", "2025-09-30"),
    ("next year", "Earnings will grow 20% next year", "future", "2025-12-21", "2026-12-31"),
    ("over three years", "We expect sales to double over three years", "future", "2025-12-21", "2028-12-21"),
    ("over three years", "Sales have doubled over three years", "to_date", "2022-12-21", "2025-12-21"),
    ("on Thursday", "Shares fell 3% on Thursday", "session", "2025-12-18", "2025-12-18"),
    ("last quarter", "Revenue rose 9% last quarter", "past", "2025-07-01", "2025-09-30"),
    ("in the third quarter", "Margins widened in the third quarter", "past", "2025-07-01", "2025-09-30"),
    ("in the first nine months", "Profit rose in the first nine months", "to_date", "2025-01-01", "2025-09-30"),
    ("since March", "The stock has doubled since March", "to_date", "2025-03-01", "2025-12-21"),
    ("by 2027", "Capex will reach $40bn by 2027", "future", "2025-12-21", "2027-12-31"),
    ("in 2022", "Small caps fell 20% in 2022", "past", "2022-01-01", "2022-12-31"),
    ("over the past six months", "The index rose 12% over the past six months", "to_date", "2025-06-21", "2025-12-21"),
    ("next quarter", "Revenue will grow 60% next quarter", "future", "2025-12-21", "2026-03-31"),
])
def test_horizons_resolve_to_windows(horizon, sentence, kind, start, end):
    h = resolve(horizon, sentence, PUB)
    assert (h.kind, h.start.isoformat(), h.end.isoformat()) == (kind, start, end)


@pytest.mark.parametrize("horizon", [None, "", "yoy", "year on year", "from a year earlier", "sequentially",
                                     "even in a downturn"])
def test_no_window_is_open_ended(horizon):
    assert resolve(horizon, "Revenue rose 10% yoy", PUB) == Horizon("open")


def test_tense_decides_ambiguous_spans():
    assert is_forward("Sales will rise") and is_forward("Sales rose", hedged=True) and not is_forward("Sales rose")
    assert resolve("this year", "x", PUB, forward=True) == Horizon("future", PUB, date(2025, 12, 31))
