"""tracker.net: the politeness shared by the collector and the metric providers."""

from __future__ import annotations

import pytest

from tracker.net import CircuitBreaker, HostGate, backoff_s, host_of


class FakeClock:
    def __init__(self):
        self.t = 1000.0
        self.slept: list[float] = []

    def __call__(self):
        return self.t

    def sleep(self, s):
        self.slept.append(s)
        self.t += s


@pytest.mark.parametrize("failures, expected", [(0, 0), (1, 60), (2, 120), (3, 240), (12, 3600), (500, 3600)])
def test_backoff_doubles_and_is_capped(failures, expected):
    assert backoff_s(60, 3600, failures) == expected


def test_host_gate_spaces_requests_per_host_only():
    clock = FakeClock()
    gate = HostGate(2.0, clock=clock, sleep=clock.sleep)
    with gate.turn("a.example"):
        pass
    with gate.turn("b.example"):  # another host: no wait
        pass
    assert clock.slept == []
    with gate.turn("a.example"):
        pass
    assert clock.slept == [2.0]
    clock.t += 5
    with gate.turn("a.example"):
        pass
    assert clock.slept == [2.0]


def test_host_gate_closed_until_retry_after():
    gate = HostGate(0)
    gate.close("a.example", "2026-12-07T10:00:00Z")
    gate.close("a.example", "2026-12-07T09:00:00Z")  # an earlier date never shortens the wait
    assert gate.is_closed("a.example", "2026-12-07T09:30:00Z")
    assert not gate.is_closed("a.example", "2026-12-07T10:00:01Z")
    assert not gate.is_closed("b.example", "2026-12-07T09:30:00Z")


def test_circuit_breaker_opens_after_threshold_and_backs_off():
    clock = FakeClock()
    cb = CircuitBreaker(threshold=2, base_s=100, cap_s=1000, clock=clock)
    cb.failure("timeout")
    assert cb.allows()  # one failure: still closed
    cb.failure("timeout")
    assert not cb.allows() and cb.open_until == clock.t + 100
    clock.t += 101
    assert cb.allows()  # half-open: one try
    cb.failure("timeout again")
    assert not cb.allows() and cb.open_until == clock.t + 200 and cb.last_error == "timeout again"
    clock.t += 201
    cb.success()
    assert cb.allows() and cb.failures == 0 and cb.last_error is None


def test_host_of():
    assert host_of("https://Query1.Finance.Yahoo.com/v8/x") == "query1.finance.yahoo.com"
    assert host_of("not a url") == ""
