"""Deterministic synthetic price series for the evaluation scenario tests (business days, seeded noise)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np

START = date(2025, 6, 2)
BASELINE = date(2025, 12, 1)
TODAY = date(2026, 3, 31)


def business_days(start: date = START, end: date = TODAY) -> list[date]:
    out, d = [], start
    while d <= end:
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(days=1)
    return out


def path(after, *, seed: int = 1, vol: float = 0.01, start_value: float = 100.0, end: date = TODAY,
         skip=()) -> list[tuple[str, float]]:
    """A seeded random walk (daily σ ``vol``) up to BASELINE, then ``after(i)``: the log return of the i-th
    session after it (noise-free, so statuses are exact). Dates in ``skip`` are left out (gaps)."""
    rng = np.random.default_rng(seed)
    days = business_days(end=end)
    value, out, i = start_value, [], 0
    for d in days:
        if d <= BASELINE:
            value *= float(np.exp(rng.normal(0, vol))) if out else 1.0
        else:
            value *= float(np.exp(after(i)))
            i += 1
        if d not in skip:
            out.append((d.isoformat(), round(value, 6)))
    return out


def write(folder: Path, name: str, rows, header: str = "date,close") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text(header + "\n" + "\n".join(f"{d},{v}" for d, v in rows) + "\n")
