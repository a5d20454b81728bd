"""'As stated at publication': a claim about the past checked against the data of its own window.

For "has returned 14% year-to-date", "fell 8% in a single session", "earnings grew far above the industry's 8%" or
"EBIT covers interest 56 times", the stated figure is compared with the series over the stated window ending at
publication: ``confirmed``, ``contradicted`` (with the real figure) or ``uncheckable`` (no figure, no window, no
data). Forward-looking claims are not checked here (``None``): their status is the tracking itself.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from tracker.evaluate.recipes import ValueSeries, at_or_before
from tracker.nlp.horizons import is_forward
from tracker.vocab import sign_of

PAST_KINDS = ("past", "to_date", "session")


def check(claim: dict, link: dict | None, vs: ValueSeries | None, published: date | None, p) -> tuple:
    """(as_stated, real value, note) for one claim; as_stated is None for forward-looking claims."""
    kind = claim.get("horizon_kind") or "open"
    forward = kind == "future" or is_forward(claim.get("sentence") or "", bool(claim.get("hedged")))
    if forward:
        return None, None, None
    value, unit = claim.get("magnitude_value"), claim.get("magnitude_unit")
    params = (link or {}).get("params") or {}
    threshold = params.get("threshold")
    if value is None and threshold is None and claim.get("direction") != "stable":
        return "uncheckable", None, "no figure stated"
    if not link or not link.get("recipe"):
        return "uncheckable", None, "no series linked"
    if vs is None or not len(vs) or published is None:
        return "uncheckable", None, f"no data for the stated window ({(vs.note if vs is not None else None) or 'nothing fetched'})"
    pub = published.isoformat()
    s = sign_of(claim["direction"]) * (-1 if params.get("invert") else 1)

    if vs.kind in ("ratio", "level", "growth") or (vs.kind == "price" and unit == "x"):
        k = at_or_before(vs.dates, claim.get("horizon_end") or pub)
        if k < 0:
            return "uncheckable", None, f"no {vs.frequency} value on or before {pub}"
        actual = float(vs.values[k])
        when = vs.date(k)
        if threshold is not None:
            ok = s * (actual - threshold) > 0
            return ("confirmed" if ok else "contradicted"), actual, \
                f"{actual:+.1f}% in the period to {when} against the stated {threshold:g}%"
        if vs.kind == "growth" and unit == "%":
            stated = (s or 1) * abs(value)
            return _compare(actual, stated, p, f"{actual:+.1f}% year on year in the quarter to {when}", "%")
        if unit in ("x", "%"):
            ok = abs(actual - value) <= p.as_stated_tolerance_rel * abs(value)
            return ("confirmed" if ok else "contradicted"), actual, \
                f"{actual:,.3g}{unit if unit == '%' else 'x'} in the quarter to {when} against the stated {value:g}{unit}"
        return "uncheckable", None, f"a stated {unit} cannot be compared with this series"

    if kind not in PAST_KINDS:
        return "uncheckable", None, "no window stated (say 'year-to-date', 'in a session', 'last quarter'...)"
    end = min(claim.get("horizon_end") or pub, pub)
    k_end = at_or_before(vs.dates, end)
    if kind == "session":
        k_start = k_end - 1
    else:
        k_start = int(np.searchsorted(vs.dates, np.datetime64(claim.get("horizon_start") or end, "D"), side="left")) - 1
    if k_end < 0 or k_start < 0 or k_start >= k_end:
        return "uncheckable", None, f"the data does not cover {claim.get('horizon_start')} to {end}"
    v0, v1 = float(vs.values[k_start]), float(vs.values[k_end])
    span = f"from {vs.date(k_start)} to {vs.date(k_end)}"
    if vs.kind == "rate":
        if unit not in ("bp", "pp", "%", None):
            return "uncheckable", None, f"a stated {unit} cannot be compared with a rate"
        scale = 100.0 if unit == "bp" else 1.0
        actual = (v1 - v0) * scale
        stated = s * abs(value or 0.0)
        return _compare(actual, stated, p, f"{actual:+.2f}{unit or 'pp'} {span}", unit or "pp", scale=scale)
    if unit not in ("%", None) and claim.get("direction") != "stable":
        return "uncheckable", None, f"a stated {unit} move cannot be compared with prices"
    actual = (v1 / v0 - 1.0) * 100.0 if v0 else float("nan")
    stated = 0.0 if claim.get("direction") == "stable" else s * abs(value)
    return _compare(actual, stated, p, f"{actual:+.1f}% {span}", "%")


def _compare(actual: float, stated: float, p, note: str, unit: str, scale: float = 1.0) -> tuple:
    tol = max(p.as_stated_tolerance_pp * scale, p.as_stated_tolerance_rel * abs(stated))
    wrong_sign = stated != 0 and actual * stated < 0
    ok = abs(actual - stated) <= tol and not wrong_sign
    return ("confirmed" if ok else "contradicted"), round(actual, 4), \
        f"{note}; stated {stated:+g}{unit} (tolerance ±{tol:.2g})"
