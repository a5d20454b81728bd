"""Claim status from its value series: holding / weakening / broken / unknown, with a score and the evidence.

- **Moves** (up / down / outperform / underperform, and high / low with no stated level, on price and rate series):
  the change since the baseline in units of the series' own volatility, ``z = s·Δ / (σ·√n)`` with Δ the log change
  (absolute for rates), σ the standard deviation of one-session changes over ``vol_lookback`` sessions and n the
  sessions since the baseline. ``z <= -broken_sigma`` is broken, ``<= -weakening_sigma`` weakening; a recent turn
  (the last ``trend_sessions`` against the claim by ``trend_sigma``) weakens a claim that still holds overall.
  'stable' is judged on |z|.
- **Growth** (year-on-year % of a statement line or CPI): its sign and size; against a stated figure when there
  is one ("will grow 20%": holding at >= 75% of it), or against a stated benchmark figure for relative claims.
- **Levels** (a stated level such as "56x cover", or margins, cover, free cash flow, capex): the latest value
  against the stated level within ``level_tolerance``, else against the baseline quarter in units of the series'
  own quarter-to-quarter variability; a catalogue ``floor`` (cover below 1.5x, negative free cash flow) breaks a
  'high' claim whatever the baseline.
The horizon bounds the window: past ``horizon_end`` the verdict is final. No data, stale data or an unlinked
claim is ``unknown``, never broken.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date



from tracker.evaluate.recipes import ValueSeries, at_or_before, stale_days
from tracker.vocab import LEVEL_DIRECTIONS, sign_of

LEVEL_UNITS = {"ratio": ("x", "%"), "level": ("x", "%"), "growth": ("%",), "price": ("x",), "rate": ("%", "bp")}


@dataclass
class Verdict:
    status: str
    reason: str
    score: float | None = None
    baseline_value: float | None = None
    baseline_date: str | None = None
    latest_value: float | None = None
    latest_date: str | None = None
    change: float | None = None
    move_sigma: float | None = None
    window_start: str | None = None
    window_end: str | None = None
    provider: str | None = None
    final: bool = False
    evidence: dict = field(default_factory=dict)


def unknown(reason: str, **kw) -> Verdict:
    return Verdict("unknown", reason, **kw)


def _band(z: float, p) -> str:
    return "broken" if z <= -p.broken_sigma else "weakening" if z <= -p.weakening_sigma else "holding"


def _sigma(vs: ValueSeries, lo: int, hi: int, log: bool, floor: float) -> float:
    s = vs.step_std(lo, hi, log)
    return floor if s is None or not math.isfinite(s) else max(s, floor)


def judge(claim: dict, link: dict | None, vs: ValueSeries | None, today: date, p) -> Verdict:
    """The status of one claim (a claims row) given its link and value series; ``p`` is the [evaluate] settings."""
    if not link or not link.get("recipe"):
        return unknown(f"unlinked: {(link or {}).get('unlinked_reason') or 'no link yet'}")
    if vs is None or not len(vs):
        return unknown(f"no data: {(vs.note if vs is not None else None) or 'nothing fetched yet'}",
                       provider=vs.provider if vs is not None else None)
    base = link.get("baseline_date")
    end = claim.get("horizon_end") if claim.get("horizon_kind") == "future" else None
    final = bool(end and today.isoformat() > end)
    window_end = min(end, today.isoformat()) if end else today.isoformat()
    k_end = at_or_before(vs.dates, window_end)
    if k_end < 0:
        return unknown(f"no data up to {window_end} (first observation {vs.date(0)})", provider=vs.provider)
    k_base = at_or_before(vs.dates, base)
    if k_base < 0:
        k_base = 0  # data starts after the baseline: the first observation stands in (said in the evidence)
    latest_date = vs.date(k_end)
    limit = stale_days(vs.frequency, p.stale_days_daily, p.stale_days_monthly, p.stale_days_quarterly)
    sample = "sample" in (vs.provider or "").split(",")  # the bundled sample data set is static: never stale
    if not final and not sample and (today - date.fromisoformat(latest_date)).days > limit:
        return unknown(f"stale: the latest {vs.frequency} observation is from {latest_date} (older than {limit} days)",
                       provider=vs.provider, latest_date=latest_date, latest_value=float(vs.values[k_end]))
    v0, v = float(vs.values[k_base]), float(vs.values[k_end])
    common = dict(baseline_value=v0, baseline_date=vs.date(k_base), latest_value=v, latest_date=latest_date,
                  window_start=base, window_end=window_end, provider=vs.provider, final=final)
    direction = claim["direction"]
    s = sign_of(direction) * (-1 if (link.get("params") or {}).get("invert") else 1)
    params = link.get("params") or {}
    level = _stated_level(claim, vs.kind)
    if vs.kind == "growth":
        return _growth(direction, s, v, v0, vs, k_end, params, level, p, common)
    if level is not None and (direction in LEVEL_DIRECTIONS or vs.kind in ("ratio", "level")):
        return _level(direction, v, level, params, p, common)
    if vs.kind in ("ratio", "level"):
        return _against_baseline(direction, s, v, v0, vs, k_end, params, p, common)
    return _move(direction, s, vs, k_base, k_end, p, common)


def _stated_level(claim: dict, kind: str) -> float | None:
    if claim.get("level") is not None:
        return float(claim["level"])
    value, unit = claim.get("magnitude_value"), claim.get("magnitude_unit")
    if value is None or unit not in LEVEL_UNITS.get(kind, ()):
        return None
    if kind == "price" and claim.get("metric") != "valuation":
        return None
    return float(value)


def _move(direction, s, vs: ValueSeries, k_base, k_end, p, common) -> Verdict:
    n = k_end - k_base
    if n <= 0:
        return unknown(f"no observation after the baseline {common['baseline_date']} yet", **common)
    lo = max(0, k_end - p.vol_lookback)
    floor = p.vol_floor_rate if vs.kind == "rate" else p.vol_floor_price
    sigma = _sigma(vs, lo, k_end, vs.kind == "price", floor)
    v0, v = common["baseline_value"], common["latest_value"]
    delta = (math.log(max(v, 1e-12) / max(v0, 1e-12)) if vs.kind == "price" else v - v0)
    change = (v / v0 - 1.0) if vs.kind == "price" and v0 else delta
    z = delta / (sigma * math.sqrt(n))
    k = min(p.trend_sessions, n)
    prev = float(vs.values[k_end - k])
    recent = (math.log(max(v, 1e-12) / max(prev, 1e-12)) if vs.kind == "price" else v - prev) / (sigma * math.sqrt(k))
    unit = "log" if vs.kind == "price" else "pp"
    ev = {"sigma": sigma, "sessions": n, "z": z, "recent_z": recent, "unit": unit}
    if s == 0:  # stable
        a = abs(z)
        status = "broken" if a >= p.broken_sigma else "weakening" if a >= p.weakening_sigma else "holding"
        return Verdict(status, f"moved {_fmt_change(change, vs.kind)} ({a:.1f}σ) since the baseline; the claim "
                       f"says stable", round(1 - min(a / p.broken_sigma, 2.0), 3), change=change, move_sigma=z,
                       evidence=ev, **common)
    zs, rs = s * z, s * recent
    status = _band(zs, p)
    why = f"{_fmt_change(change, vs.kind)} since the baseline, {zs:+.1f}σ for the claim over {n} sessions"
    if status == "holding" and k >= 3 and rs <= -p.trend_sigma:
        status = "weakening"
        why += f"; the last {k} sessions turned against it ({rs:+.1f}σ)"
    return Verdict(status, why, round(math.tanh(zs / 2), 3), change=change, move_sigma=zs, evidence=ev, **common)


def _fmt_change(change: float, kind: str) -> str:
    return f"{change * 100:+.1f}%" if kind == "price" else f"{change:+.2f} pp"


def _growth(direction, s, v, v0, vs, k_end, params, level, p, common) -> Verdict:
    tol = p.growth_tolerance_pp
    threshold = params.get("threshold")
    ev = {"growth_pct": v, "baseline_growth_pct": v0}
    if threshold is not None and s != 0:
        gap = s * (v - threshold)
        status = "holding" if gap >= 0 else "weakening" if gap >= -tol else "broken"
        return Verdict(status, f"year-on-year growth {v:+.1f}% against the stated {threshold:g}% "
                       f"({'above' if v >= threshold else 'below'})", round(math.tanh(gap / (2 * tol)), 3),
                       change=v - v0, evidence={**ev, "threshold": threshold}, **common)
    if level is not None and s != 0 and direction not in LEVEL_DIRECTIONS:
        target = s * abs(level)
        if s * v >= 0.75 * abs(level):
            status = "holding"
        elif s * v > 0:
            status = "weakening"
        else:
            status = "broken"
        return Verdict(status, f"year-on-year growth {v:+.1f}% against the stated {target:+g}%",
                       round(math.tanh(s * v / max(abs(level), tol)), 3), change=v - v0,
                       evidence={**ev, "stated": target}, **common)
    if s == 0:
        gap = abs(v - v0)
        status = "holding" if gap <= 2 * tol else "weakening" if gap <= 4 * tol else "broken"
        return Verdict(status, f"year-on-year growth {v:+.1f}% (was {v0:+.1f}% at the baseline); the claim says "
                       "stable", round(1 - min(gap / (4 * tol), 2), 3), change=v - v0, evidence=ev, **common)
    g = s * v
    if g <= -tol:
        status = "broken"
    elif g <= tol or (s * v0 > 3 * tol and g < s * v0 / 3):
        status = "weakening"
    else:
        status = "holding"
    word = "growth" if v >= 0 else "decline"
    return Verdict(status, f"year-on-year {word} of {v:+.1f}% in the quarter to {common['latest_date']} "
                   f"(was {v0:+.1f}% at the baseline)", round(math.tanh(g / (3 * tol)), 3), change=v - v0,
                   evidence=ev, **common)


def _level(direction, v, level, params, p, common) -> Verdict:
    tol = p.level_tolerance
    floor = params.get("floor")
    ratio = v / level if level else float("inf")
    ev = {"stated_level": level, "tolerance": tol}
    if direction in ("high", "up", "outperform"):
        status = "holding" if ratio >= 1 - tol else "weakening" if ratio >= 1 - 2 * tol else "broken"
        if floor is not None and v < floor:
            status = "broken"
    elif direction in ("low", "down", "underperform"):
        status = "holding" if ratio <= 1 + tol else "weakening" if ratio <= 1 + 2 * tol else "broken"
    else:
        dev = abs(ratio - 1)
        status = "holding" if dev <= tol else "weakening" if dev <= 2 * tol else "broken"
    score = round(max(-1.0, min(1.0, (ratio - 1) / (2 * tol) + (1 if status == "holding" else 0))), 3) \
        if direction in ("high", "up", "outperform") else round(1 - min(abs(ratio - 1) / (2 * tol), 2), 3)
    return Verdict(status, f"latest {v:,.4g} against the stated level {level:,.4g} ({direction})", score,
                   change=ratio - 1, evidence=ev, **common)


def _against_baseline(direction, s, v, v0, vs, k_end, params, p, common) -> Verdict:
    floor = params.get("floor")
    sigma = _sigma(vs, 0, k_end, False, max(abs(v0) * p.level_tolerance / 2, 1e-9))
    z = (v - v0) / sigma
    ev = {"sigma": sigma, "z": z, "quarters": k_end + 1}
    if floor is not None and direction == "high" and v < floor:
        return Verdict("broken", f"latest {v:,.4g} is below {floor:g}, which is never high", -1.0, change=v - v0,
                       move_sigma=z, evidence=ev, **common)
    if s == 0:
        a = abs(z)
        status = "broken" if a >= p.broken_sigma else "weakening" if a >= p.weakening_sigma else "holding"
        return Verdict(status, f"latest {v:,.4g} against {v0:,.4g} at the baseline ({a:.1f}σ); the claim says stable",
                       round(1 - min(a / p.broken_sigma, 2.0), 3), change=v - v0, move_sigma=z, evidence=ev, **common)
    zs = s * z
    status = _band(zs, p)
    note = "" if common["latest_date"] != common["baseline_date"] else " (no quarter reported since the claim)"
    return Verdict(status, f"latest {v:,.4g} against {v0:,.4g} at the baseline quarter, {zs:+.1f}σ for the "
                   f"claim{note}", round(math.tanh(zs / 2), 3), change=v - v0, move_sigma=zs, evidence=ev, **common)
