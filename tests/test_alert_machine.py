"""The reversal state machine on its own: hysteresis, persistence, cooldown, no-data, per-claim parameters."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tracker.alerts.detect import Params, dedup_key, params_for, position, step
from tracker.config import Settings

P = Params(entry_sigma=2.0, exit_sigma=1.0, persistence=2, cooldown_hours=72)
T0 = datetime(2026, 1, 5, 22, tzinfo=timezone.utc)


def feed(zs, *, p=P, start=T0, same_day=False, notify_recovered=False, statuses=None):
    """Run the machine over one evaluation per z (one data date each, unless ``same_day``); return its events."""
    st, out = None, []
    for i, z in enumerate(zs):
        now = start + timedelta(days=0 if same_day else i)
        status = {"status": (statuses or {}).get(i, "holding" if z is None or z > -1 else "broken"),
                  "move_sigma": z, "latest_date": (now.date()).isoformat()}
        if z is None:
            status["status"] = "unknown"
        st, events = step(st, status, now, p, 0, notify_recovered)
        out.append(events)
    return st, out


def test_reversal_needs_two_data_dates_beyond_the_entry_band():
    st, events = feed([0.5, -2.5, -2.6, -3.0])
    assert events == [[], [], ["reversed"], []] and st["state"] == "reversed" and st["episode"] == 1


def test_duplicate_evaluations_of_one_data_date_do_not_count_as_persistence():
    st, events = feed([-2.5, -2.6, -2.7], same_day=True)
    assert events == [[], [], []] and st["state"] == "pending" and st["pending_days"] == 1


def test_wobbling_around_the_entry_band_never_fires():
    _, events = feed([-2.1, -1.9, -2.1, -1.9, -2.2, -1.95, -2.05, -1.5])
    assert all(e == [] for e in events)


def test_hysteresis_reversed_stays_reversed_between_the_bands():
    st, events = feed([-2.5, -2.5, -1.5, -1.2, -2.4, -2.6, -0.8], notify_recovered=True)
    assert events == [[], ["reversed"], [], [], [], [], ["recovered"]]  # no second alert while still reversed
    assert st["state"] == "ok" and st["episode"] == 1


SLOW = Params(entry_sigma=2.0, exit_sigma=1.0, persistence=2, cooldown_hours=100)


def test_reverse_recover_reverse_again_respects_the_cooldown():
    # alert on day 1, recovered on day 2, reversed again on day 4 (72 h later, inside the 100 h cooldown):
    # that alert waits and fires on day 6 (120 h), the first evaluation after the cooldown
    st, events = feed([-2.5, -2.5, 0.0, -2.5, -2.5, -2.6, -2.7], p=SLOW)
    assert events[1] == ["reversed"] and events[4] == [] and events[5] == [] and events[6] == ["reversed"]
    assert st["episode"] == 2 and dedup_key(7, "reversed", st) == "claim:7:reversed:2"


def test_a_reversal_that_recovers_during_the_cooldown_never_fires():
    _, events = feed([-2.5, -2.5, 0.0, -2.5, -2.5, 0.0, 0.0, 0.0], p=SLOW)
    assert sum(e == ["reversed"] for e in events) == 1


def test_no_data_is_its_own_condition_and_alerts_only_when_asked():
    st, events = feed([-2.5, None, None, -2.6])
    assert events == [[], [], [], ["reversed"]]  # the gap neither reverses nor resets the pending count
    s2, e2 = None, []
    for i in range(4):
        s2, ev = step(s2, {"status": "unknown"}, T0 + timedelta(days=i), P, 2, False)
        e2.append(ev)
    assert e2 == [[], [], ["nodata"], []] and dedup_key(3, "nodata", s2) == f"claim:3:nodata:{s2['nodata_since']}"


def test_levels_without_sigma_map_broken_and_holding_to_the_bands():
    assert position({"status": "broken", "move_sigma": None}) == float("-inf")
    assert position({"status": "holding", "move_sigma": None}) == float("inf")
    assert position({"status": "unknown", "move_sigma": -5}) is None
    _, events = feed([None, None, None], statuses={0: "broken", 1: "broken", 2: "weakening"})
    assert events == [[], [], []]  # z None + unknown status: no data


def test_overrides_claim_over_ticker_over_thesis_over_global():
    cfg = Settings.model_validate({"alerts": {"persistence": 3, "overrides": [
        {"thesis": "Chips", "entry_sigma": 3.0, "persistence": 1},
        {"ticker": "2330.TW", "entry_sigma": 2.5},
        {"claim": 9, "persistence": 5}]}}).alerts
    assert params_for({"id": 1, "subject_ticker": None}, [], cfg) == Params(2.0, 1.0, 3, 72.0)
    assert params_for({"id": 1, "subject_ticker": None}, ["Chips"], cfg) == Params(3.0, 1.0, 1, 72.0)
    assert params_for({"id": 1, "subject_ticker": "2330.tw"}, ["Chips"], cfg) == Params(2.5, 1.0, 1, 72.0)
    assert params_for({"id": 9, "subject_ticker": "2330.TW"}, ["Chips"], cfg) == Params(2.5, 1.0, 5, 72.0)
