"""Reversal detection: a per-claim state machine fed by each evaluation (Alertmanager-style semantics).

States: ``ok`` → ``pending`` (the metric is beyond the entry band against the claim) → ``reversed`` once it has
stayed there for ``persistence`` data dates (a re-evaluation of the same data date does not count) → back to
``ok`` only when it is back within the exit band (hysteresis: between the bands nothing changes). Bands are in
the volatility units of claim status (``move_sigma``); claims judged on levels or growth map broken to beyond the
entry band and holding to within the exit band. No data is its own condition, never a reversal.

Events: ``reversed`` (once per episode, not within ``cooldown_hours`` of the claim's last reversal alert: a
reversal during the cooldown fires when it ends, if it still holds), ``recovered`` (optional) and ``nodata``
(optional, after ``nodata_days`` without data). Each event's key is unique in the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tracker.timeutil import iso, parse_iso

INF = float("inf")


@dataclass(frozen=True)
class Params:
    entry_sigma: float
    exit_sigma: float
    persistence: int
    cooldown_hours: float


def params_for(claim: dict, thesis_titles: list[str], cfg) -> Params:
    """The claim's own override, else its ticker's, else one of its theses', else the global settings."""
    chosen = {}
    for scope_ok in (lambda o: o.thesis is not None and o.thesis in thesis_titles,
                     lambda o: o.ticker is not None and (claim.get("subject_ticker") or "").upper() == o.ticker.upper(),
                     lambda o: o.claim is not None and o.claim == claim["id"]):
        for o in cfg.overrides:
            if scope_ok(o):
                chosen.update({k: v for k, v in o.model_dump().items()
                               if k in ("entry_sigma", "exit_sigma", "persistence", "cooldown_hours") and v is not None})
    merged = {k: chosen.get(k, getattr(cfg, k)) for k in ("entry_sigma", "exit_sigma", "persistence", "cooldown_hours")}
    return Params(**merged)


def position(status: dict) -> float | None:
    """Where the claim's metric stands, in σ for the claim (negative: against it); None when there is no data."""
    s = status.get("status")
    if s in (None, "unknown"):
        return None
    if status.get("move_sigma") is not None:
        return float(status["move_sigma"])
    return {"holding": INF, "broken": -INF}.get(s)  # weakening: None below, handled as "inside the bands"


def step(state: dict | None, status: dict, now: datetime, p: Params, nodata_days: int,
         notify_recovered: bool) -> tuple[dict, list[str]]:
    """The next state of one claim and the events it fires."""
    st = dict(state or {"state": "ok", "pending_days": 0, "episode": 0, "alerted": 0, "nodata_alerted": 0})
    events: list[str] = []
    s = status.get("status")
    z = position(status)
    if s in (None, "unknown"):
        st["nodata_since"] = st.get("nodata_since") or iso(now)
        since = parse_iso(st["nodata_since"])
        if nodata_days and not st.get("nodata_alerted") and now - since >= timedelta(days=nodata_days):
            events.append("nodata")
            st["nodata_alerted"] = 1
        return st, events
    st["nodata_since"], st["nodata_alerted"] = None, 0
    if z is None:  # weakening with no σ: inside the hysteresis band
        z = -(p.entry_sigma + p.exit_sigma) / 2
    as_of = status.get("latest_date") or iso(now)[:10]
    new_day = not st.get("last_as_of") or as_of > st["last_as_of"]
    if st["state"] in ("ok", "pending"):
        if z <= -p.entry_sigma:
            if new_day:
                st["pending_days"] = (st.get("pending_days") or 0) + 1
            st["state"] = "pending"
            if st["pending_days"] >= p.persistence:
                st.update(state="reversed", episode=(st.get("episode") or 0) + 1, alerted=0, since=iso(now))
        else:
            st.update(state="ok", pending_days=0)
    elif st["state"] == "reversed" and z >= -p.exit_sigma:
        if notify_recovered and st.get("alerted"):
            events.append("recovered")
        st.update(state="ok", pending_days=0, since=iso(now))
    if new_day:
        st["last_as_of"] = as_of
    if st["state"] == "reversed" and not st.get("alerted"):
        last = parse_iso(st.get("last_alert_at"))
        if last is None or now - last >= timedelta(hours=p.cooldown_hours):
            events.append("reversed")
            st.update(alerted=1, last_alert_at=iso(now))
    return st, events


def dedup_key(claim_id: int, kind: str, st: dict) -> str:
    if kind == "nodata":
        return f"claim:{claim_id}:nodata:{st.get('nodata_since')}"
    return f"claim:{claim_id}:{kind}:{st.get('episode') or 0}"
