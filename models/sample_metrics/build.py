"""Build the bundled SAMPLE metric data set (tracker/data/sample_metrics/) for the sample commentary.

    python models/sample_metrics/build.py [--check]

Runs the real pipeline offline over the bundled sample corpus (collect, extract, link) in a temporary store, then
writes one CSV per series the links read: daily closes (business days, 2024-06-03 .. 2026-12-31) and quarterly
statement lines (2023 Q1 .. 2026 Q3). The numbers are SYNTHETIC: seeded random walks around plausible levels, with a
per-series trend after the sample articles' dates so the board shows a mix of holding, weakening and broken claims.
They are not market data; every file says so in its first line, the provider is called "sample", and the board and
alerts label them SAMPLE DATA. Re-run after changing the sample corpus or the extraction; ``--check`` only lists
the series the links read and which files are missing.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "tracker" / "data" / "sample_metrics"
START, END = date(2024, 6, 3), date(2026, 12, 31)
TREND_FROM = date(2026, 11, 20)  # around the sample articles' dates
HEADER = "# SAMPLE DATA: synthetic numbers for the bundled sample commentary, not market prices"
QUARTERS = [date(2023, 3, 31), date(2023, 6, 30), date(2023, 9, 30), date(2023, 12, 31), date(2024, 3, 31),
            date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30),
            date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)]
LEVELS = {"TotalRevenue": 5e10, "OperatingIncome": 8e9, "EBIT": 8.5e9, "NetIncome": 6e9, "InterestExpense": 2e8,
          "DilutedEPS": 3.0, "OperatingCashFlow": 1.1e10, "CapitalExpenditure": -4e9,
          "FreeCashFlow": 5e9, "TotalDebt": 2e10}
# rates and spreads (percent) and index levels where a random walk around 100 would look wrong
MACRO_LEVELS = {"DGS10": 4.2, "DGS2": 3.9, "DFF": 4.1, "MORTGAGE30US": 6.5, "BAMLH0A0HYM2": 3.1, "CPIAUCSL": 320.0,
                "DTWEXBGS": 121.0}


def _rng(series_id: str) -> np.random.Generator:
    return np.random.default_rng(int(hashlib.sha256(series_id.encode()).hexdigest()[:8], 16))


def business_days() -> list[date]:
    out, d = [], START
    while d <= END:
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(days=1)
    return out


def closes(series_id: str, symbol: str) -> list[tuple[str, float]]:
    rng = _rng(series_id)
    days = business_days()
    level = MACRO_LEVELS.get(symbol) or float(rng.choice([25.0, 80.0, 150.0, 400.0, 2500.0]))
    rate = symbol in MACRO_LEVELS and symbol != "CPIAUCSL" and symbol != "DTWEXBGS"
    vol = 0.04 if rate else (0.006 if symbol.startswith("^") or "=" in symbol else 0.014)
    trend = float(rng.choice([0.004, 0.002, 0.0, -0.002, -0.005]))  # per session after TREND_FROM
    value, out = level, []
    for d in days:
        step = rng.normal(0.0003, vol)
        if d >= TREND_FROM:
            step += trend if not rate else trend * 10
        value = value + step if rate else value * float(np.exp(step))
        out.append((d.isoformat(), round(value, 4)))
    return out


def statement(series_id: str, field: str) -> list[tuple[str, float]]:
    rng = _rng(series_id)
    base = LEVELS.get(field, 1e9) * float(rng.uniform(0.3, 3.0))
    growth = float(rng.choice([0.04, 0.03, 0.02, 0.0, -0.02]))  # per quarter
    out, value = [], base
    for q in QUARTERS:
        value *= 1 + growth + float(rng.normal(0, 0.03))
        out.append((q.isoformat(), round(value, 4 if abs(value) < 100 else 0)))
    return out


def wanted_series() -> list[str]:
    from tracker.collect import collect
    from tracker.config import Settings
    from tracker.metrics.linking import link_claims
    from tracker.nlp.extract import extract_store
    from tracker.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        s = Settings()
        s.store.path = str(Path(tmp) / "sample.db")
        with open_store(s.db_path) as store:
            collect(store, s, sample=True, progress=False)
            extract_store(store, s, progress=False)
            link_claims(store, s)
            return [r[0] for r in store.conn.execute("SELECT series_id FROM series ORDER BY series_id")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="list the series and the missing files, write nothing")
    args = ap.parse_args()
    from tracker.metrics.series import parse

    ids = wanted_series()
    files = {}
    for sid in ids:
        key = parse(sid)
        name = f"{key.symbol}@{key.field}.csv" if key.kind == "statement" else f"{key.symbol}.csv"
        files[name] = (sid, key)
    if args.check:
        missing = [n for n in files if not (OUT / n).exists()]
        print(f"{len(files)} series read by the sample's links; missing: {missing or 'none'}")
        sys.exit(1 if missing else 0)
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    (OUT / "README.md").write_text(
        "# SAMPLE DATA\n\nSynthetic series for the bundled sample commentary, built by "
        "`python models/sample_metrics/build.py`.\nThey are **not market data**: seeded random walks, labelled "
        "`sample` wherever they are shown. Turn them on with `tracker run --sample` (or automatically when no feed "
        "can be reached).\n", encoding="utf-8")
    for name, (sid, key) in sorted(files.items()):
        if key.kind == "statement":
            rows, head = statement(sid, key.field), "date,value"
        else:
            rows, head = closes(sid, key.symbol), "date,close"
        text = HEADER + "\n" + head + "\n" + "\n".join(f"{d},{v}" for d, v in rows) + "\n"
        (OUT / name).write_text(text, encoding="utf-8")
    size = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(files)} series to {OUT} ({size / 1024:.0f} kB)")


if __name__ == "__main__":
    main()
