"""Turn the raw series a link reads into the one value series its claim is judged on.

``value_series(link, raw)`` -> ``ValueSeries`` (dates as ISO strings, values as a float array, oldest first) with
its ``kind``, which decides how moves are measured:
- ``price``: closes, ratios of closes, baskets, P/E, volatility: log changes;
- ``rate``: yields, policy rates, spreads (percent): absolute changes;
- ``growth``: year-on-year changes in % (statement lines, CPI): judged on their sign and level;
- ``ratio`` / ``level``: quarterly margins, interest cover, free cash flow, capex: judged against the baseline
  quarter in units of their own quarter-to-quarter variability, or against a stated level.
Every function is pure (numpy over lists): the evaluation benchmark runs them on 10,000 claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

SESSIONS_PER_YEAR = 252
VOL_WINDOW = 20  # sessions of the realised-volatility recipe
MAX_FILL_DAYS = 7  # a benchmark's last close is carried over another market's holidays for at most this long


@dataclass
class ValueSeries:
    dates: list[str]
    values: np.ndarray
    kind: str  # price | rate | growth | ratio | level
    frequency: str  # daily | monthly | quarterly
    provider: str | None = None
    note: str | None = None  # why it is empty, when it is

    def __len__(self) -> int:
        return len(self.dates)


def _empty(kind: str, frequency: str, note: str, provider=None) -> ValueSeries:
    return ValueSeries([], np.zeros(0), kind, frequency, provider, note)


def _frequency(dates: list[str]) -> str:
    if len(dates) < 3:
        return "quarterly" if dates and len(dates) < 3 else "daily"
    d = [date.fromisoformat(x) for x in dates[-12:]]
    gap = float(np.median([(b - a).days for a, b in zip(d, d[1:])]))
    return "daily" if gap <= 5 else ("monthly" if gap <= 45 else "quarterly")


def _align(base: tuple[list[str], np.ndarray], other: tuple[list[str], np.ndarray]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """``other`` sampled on ``base``'s dates: its last value on or before each date, if at most MAX_FILL_DAYS old."""
    bd, bv = base
    od, ov = other
    if not bd or not od:
        return [], np.zeros(0), np.zeros(0)
    idx = np.searchsorted(np.array(od), np.array(bd), side="right") - 1
    keep = idx >= 0
    out_d, out_b, out_o = [], [], []
    for i, (d, j) in enumerate(zip(bd, idx)):
        if not keep[i]:
            continue
        if (date.fromisoformat(d) - date.fromisoformat(od[j])).days > MAX_FILL_DAYS:
            continue
        out_d.append(d)
        out_b.append(bv[i])
        out_o.append(ov[j])
    return out_d, np.array(out_b, dtype=float), np.array(out_o, dtype=float)


def basket(members: list[tuple[list[str], np.ndarray]], baseline: str) -> tuple[list[str], np.ndarray]:
    """Equal-weight basket: each member rebased to 1 at its last close on or before ``baseline`` (or its first
    close after), averaged over the members quoted that day; days with fewer than half the members are dropped."""
    members = [(d, v) for d, v in members if len(d)]
    if not members:
        return [], np.zeros(0)
    all_dates = sorted(set().union(*[set(d) for d, _ in members]))
    grid = np.full((len(members), len(all_dates)), np.nan)
    pos = {d: i for i, d in enumerate(all_dates)}
    for m, (d, v) in enumerate(members):
        k = int(np.searchsorted(np.array(d), baseline, side="right")) - 1
        ref = v[max(k, 0)]
        if ref <= 0:
            continue
        cols = [pos[x] for x in d]
        grid[m, cols] = np.asarray(v, dtype=float) / ref
    # carry each member over its own market holidays
    for m in range(len(members)):
        row = grid[m]
        last = np.nan
        for j in range(len(row)):
            if np.isnan(row[j]):
                row[j] = last
            else:
                last = row[j]
    counts = np.sum(~np.isnan(grid), axis=0)
    ok = counts >= max(1, (len(members) + 1) // 2)
    with np.errstate(invalid="ignore"):
        mean = np.nanmean(np.where(np.isnan(grid), np.nan, grid), axis=0)
    return [d for d, k in zip(all_dates, ok) if k], mean[ok]


def yoy_growth(dates: list[str], values: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Year-on-year change in % of each observation against the one 330-400 days earlier (positive base only)."""
    d = [date.fromisoformat(x) for x in dates]
    out_d, out_v = [], []
    j = 0
    for i, di in enumerate(d):
        while j < i and (di - d[j]).days > 400:
            j += 1
        k = j
        while k < i and (di - d[k]).days >= 330:
            if (di - d[k]).days <= 400 and values[k] > 0:
                out_d.append(dates[i])
                out_v.append((values[i] / values[k] - 1.0) * 100.0)
                break
            k += 1
    return out_d, np.array(out_v, dtype=float)


def ttm(dates: list[str], values: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Trailing sum of four quarters (at each quarter with three earlier ones within 13 months)."""
    d = [date.fromisoformat(x) for x in dates]
    out_d, out_v = [], []
    for i in range(3, len(d)):
        if (d[i] - d[i - 3]).days <= 290:
            out_d.append(dates[i])
            out_v.append(float(np.sum(values[i - 3:i + 1])))
    return out_d, np.array(out_v, dtype=float)


def value_series(link: dict, raw: dict) -> ValueSeries:
    """``link``: a claim_links row with JSON fields parsed; ``raw``: series id -> (dates, values, provider)."""
    recipe, params, series = link["recipe"], link.get("params") or {}, link.get("series") or []
    got = {s: raw.get(s, ([], [], None)) for s in series}
    providers = {p for _, _, p in got.values() if p}
    provider = ",".join(sorted(providers)) or None
    missing = [s for s, (d, _, _) in got.items() if not d]

    def arr(sid):
        d, v, _ = got[sid]
        return list(d), np.asarray(v, dtype=float)

    if recipe == "group" and len(series) > 1:
        present = [arr(s) for s in series if got[s][0]]
        if not present:
            return _empty("price", "daily", f"no data yet for {', '.join(series)}", provider)
        d, v = basket(present, link.get("baseline_date") or "")
        return ValueSeries(d, v, "price", "daily", provider, None if d else "basket members do not overlap")
    if missing and recipe not in ("group",):
        return _empty("price", "daily", f"no data yet for {', '.join(missing)}", provider)
    if recipe in ("close", "group"):
        d, v = arr(series[0])
        return ValueSeries(d, v, "price", _frequency(d), provider)
    if recipe == "relative":
        subject = [arr(s) for s in series[:-1]]
        sd, sv = subject[0] if len(subject) == 1 else basket(subject, link.get("baseline_date") or "")
        d, a, b = _align((sd, sv), arr(series[-1]))
        ok = b > 0
        return ValueSeries([x for x, k in zip(d, ok) if k], a[ok] / b[ok], "price", "daily", provider)
    if recipe == "macro":
        d, v = arr(series[0])
        kind = params.get("kind", "level")
        if kind == "yoy":
            gd, gv = yoy_growth(d, v)
            return ValueSeries(gd, gv, "growth", _frequency(d), provider)
        return ValueSeries(d, v, "rate" if kind == "rate" else "price", _frequency(d), provider)
    if recipe == "volatility":
        d, v = arr(series[0])
        if len(v) <= VOL_WINDOW:
            return _empty("level", "daily", "not enough closes for a 20-session volatility", provider)
        r = np.diff(np.log(np.maximum(v, 1e-12)))
        win = np.lib.stride_tricks.sliding_window_view(r, VOL_WINDOW)
        vol = win.std(axis=1, ddof=1) * np.sqrt(SESSIONS_PER_YEAR) * 100
        return ValueSeries(d[VOL_WINDOW:], vol, "price", "daily", provider)
    if recipe == "statement_growth":
        d, v = arr(series[0])
        gd, gv = yoy_growth(d, v)
        note = None if gd else "fewer than five quarters reported: no year-on-year change yet"
        return ValueSeries(gd, gv, "growth", "quarterly", provider, note)
    if recipe == "statement_ratio":
        nd, nv = arr(series[0])
        dd, dv = arr(series[1])
        den = dict(zip(dd, np.abs(dv)))
        pairs = [(x, y / den[x]) for x, y in zip(nd, nv) if den.get(x)]
        scale = float(params.get("scale", 1.0))
        return ValueSeries([p[0] for p in pairs], np.array([p[1] * scale for p in pairs], dtype=float), "ratio",
                           "quarterly", provider, None if pairs else "no quarter reports both lines")
    if recipe == "statement_level":
        d, v = arr(series[0])
        return ValueSeries(d, np.abs(v) if params.get("absolute") else v, "level", "quarterly", provider)
    if recipe == "valuation":
        cd, cv = arr(series[0])
        ed, ev = ttm(*arr(series[1]))
        if not ed:
            return _empty("price", "daily", "fewer than four quarters of EPS: no trailing P/E", provider)
        idx = np.searchsorted(np.array(ed), np.array(cd), side="right") - 1
        eps = np.asarray(ev)[np.maximum(idx, 0)]
        ok = (idx >= 0) & (eps > 0)
        return ValueSeries([x for x, k in zip(cd, ok) if k], cv[ok] / eps[ok], "price", "daily", provider)
    return _empty("price", "daily", f"unknown recipe {recipe!r}", provider)


def stale_days(frequency: str, daily: int, monthly: int, quarterly: int) -> int:
    return {"daily": daily, "monthly": monthly}.get(frequency, quarterly)


def days_between(a: str, b: date) -> int:
    return (b - date.fromisoformat(a)).days

