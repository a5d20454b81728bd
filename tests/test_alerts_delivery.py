"""Alerts end to end over real servers on loopback: an aiosmtpd SMTP server and an HTTP receiver.

A claim ("TOY will keep rising") is evaluated once per session over a CSV market that rises, then falls hard
(a reversal), recovers, and falls again. The clock is pinned to each session's evening (UTC)."""

from __future__ import annotations

import json
import socket
import threading
from datetime import date, datetime, timedelta, timezone

import pytest

from tests import _series as S
from tracker.alerts import deliver, detect, AlertReport
from tracker.evaluate import evaluate
from tracker.metrics.providers import CsvProvider
from tracker.store import alerts as aq
from tracker.store import extractions as xq
from tracker.store import open_store
from tracker.timeutil import iso

RETURNS = [0.003] * 10 + [-0.03] * 6 + [0.04] * 6 + [-0.07] * 6
SESSIONS = [d for d in S.business_days(S.BASELINE + timedelta(days=1), date(2026, 2, 27))]
FIRST_REVERSAL = 14  # session index whose evaluation fires (z: -2.3 on 13, -2.9 on 14)


class Mailbox:
    def __init__(self):
        self.messages: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        import email

        msg = email.message_from_bytes(envelope.content)
        part = next((p for p in msg.walk() if p.get_content_type() == "text/plain"), msg)
        with self.lock:
            self.messages.append(f"Subject: {msg['Subject']}\n" + part.get_payload(decode=True).decode("utf-8"))
        return "250 OK"


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    c = Controller(box, hostname="127.0.0.1", port=port)
    c.start()
    box.url = f"mailto://127.0.0.1:{port}?from=tracker@example.test&to=me@example.test"
    yield box
    c.stop()


class Hook:
    """The webhook receiver: records each JSON post; ``answer`` is the status it replies with."""

    def __init__(self, httpserver):
        self.server = httpserver
        self.posts: list[dict] = []
        self.answer = 200

        def handler(request):
            from werkzeug import Response

            self.posts.append(json.loads(request.data))
            return Response("ok" if self.answer < 400 else "nope", status=self.answer)

        httpserver.expect_request("/hook", method="POST").respond_with_handler(handler)
        self.url = f"json://127.0.0.1:{httpserver.port}/hook"


@pytest.fixture
def hook(httpserver):
    return Hook(httpserver)


class World:
    def __init__(self, tmp_path, settings, channels, returns=RETURNS):
        self.data = tmp_path / "series"
        self.settings = settings
        self.returns = returns
        settings.metrics.refresh_interval_s = 0  # every evaluation reads the CSV again
        settings.alerts.channels = channels
        settings.alerts.retry_base_s = 60
        self.db = tmp_path / "tracker.db"
        store = open_store(self.db)
        with store.transaction() as d:
            story = d.execute("INSERT INTO stories (title, created_at) VALUES ('t', ?)", [iso()]).lastrowid
            a = d.execute("INSERT INTO articles (story_id, title, text, content_hash, fetched_at, published_at, url) "
                          "VALUES (?, 'Toy maker keeps rising', 'x', 'h', ?, '2025-12-01T08:00:00Z', "
                          "'https://news.example/toy')", [story, iso()]).lastrowid
        s = "TOY will keep rising."
        xq.save_extraction(store, a, {"claims": [{"sentence": s, "start": 0, "end": len(s), "subject": "Toy Corp",
                                                  "subject_norm": "toy corp", "subject_ticker": "TOY",
                                                  "metric": "price_return", "direction": "up", "confidence": 0.8}]},
                           {"t": "1"})
        store.close()

    def session(self, i: int, *, alerts: bool = True, store=None):
        """Evaluate on the evening of session ``i`` with the market up to that session."""
        day = SESSIONS[i]
        S.write(self.data, "TOY", S.path(lambda k: self.returns[k] if k < len(self.returns) else 0.0, seed=11, end=day))
        own = store is None
        store = store or open_store(self.db)
        try:
            return evaluate(store, self.settings, now=datetime.combine(day, datetime.min.time(), timezone.utc)
                            + timedelta(hours=22), alerts=alerts, progress=False, providers=[CsvProvider(self.data)])
        finally:
            if own:
                store.close()

    def alerts(self):
        with open_store(self.db) as store:
            return aq.list_alerts(store.conn)


def test_a_reversal_delivers_exactly_one_email_and_one_webhook(tmp_path, settings, smtp, hook):
    w = World(tmp_path, settings, [smtp.url, hook.url])
    for i in range(FIRST_REVERSAL):
        w.session(i)
    assert smtp.messages == [] and hook.posts == []
    report = w.session(FIRST_REVERSAL)
    assert report.alerts.created == 1 and report.alerts.sent == 2
    assert len(smtp.messages) == 1 and len(hook.posts) == 1
    post = hook.posts[0]
    assert post["alert_key"] == "claim:1:reversed:1" and post["title"].startswith("Claim reversed: Toy Corp (TOY)")
    for text in (post["message"], smtp.messages[0]):
        assert "TOY will keep rising." in text and "Toy maker keeps rising <https://news.example/toy>" in text
        assert "close of TOY since 2025-12-01" in text and "/claim?id=1" in text
        assert "Value at baseline" in text and "csv" in text and "σ for the claim" in text
    # the same reversal seen again: next run, restart (new store connection), duplicate evaluation
    w.session(FIRST_REVERSAL)
    w.session(FIRST_REVERSAL)
    w.session(FIRST_REVERSAL + 1)
    assert len(smtp.messages) == 1 and len(hook.posts) == 1
    alerts = w.alerts()
    assert len(alerts) == 1 and {d["status"] for d in alerts[0]["deliveries"]} == {"sent"}
    assert all("127.0.0.1" in d["channel"] for d in alerts[0]["deliveries"])


def test_receiver_down_for_several_runs_then_up_is_delivered_exactly_once(tmp_path, settings, smtp, hook):
    port = free_port()  # nothing listens there yet
    down = f"json://127.0.0.1:{port}/hook"
    w = World(tmp_path, settings, [smtp.url, down])
    w.settings.alerts.retry_base_s = 0  # retry on every run
    for i in range(FIRST_REVERSAL + 3):
        w.session(i)
    assert len(smtp.messages) == 1  # one failing channel never blocks the other
    d = {x["channel"].split("/")[2]: x for x in w.alerts()[0]["deliveries"]}
    assert d[f"127.0.0.1:{port}"]["status"] == "pending" and d[f"127.0.0.1:{port}"]["attempts"] == 3
    assert d[f"127.0.0.1:{port}"]["last_error"] == "A Connection error occurred sending JSON notification to 127.0.0.1."
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=port)
    got = []
    server.expect_request("/hook", method="POST").respond_with_handler(
        lambda r: (got.append(json.loads(r.data)), __import__("werkzeug").Response("ok"))[1])
    server.start()
    try:
        w.session(FIRST_REVERSAL + 3)
        w.session(FIRST_REVERSAL + 4)
    finally:
        server.stop()
    assert [g["alert_key"] for g in got] == ["claim:1:reversed:1"] and len(smtp.messages) == 1


def test_permanent_4xx_stops_retrying_and_is_shown(tmp_path, settings, hook):
    hook.answer = 400
    w = World(tmp_path, settings, [hook.url])
    w.settings.alerts.retry_base_s = 0
    for i in range(FIRST_REVERSAL + 4):
        w.session(i)
    assert len(hook.posts) == 1  # no retry storm
    d = w.alerts()[0]["deliveries"][0]
    assert d["status"] == "failed" and d["attempts"] == 1 and "error=400" in d["last_error"]


def test_reverse_recover_reverse_again_gives_two_alerts_after_the_cooldown(tmp_path, settings, hook):
    w = World(tmp_path, settings, [hook.url])
    w.settings.alerts.cooldown_hours = 500  # the second reversal (2026-01-08) waits until 2026-01-11 18:00
    w.settings.alerts.notify_recovered = True
    fired = {}
    for i in range(len(SESSIONS) - 10):
        before = len(hook.posts)
        w.session(i)
        if len(hook.posts) > before:
            fired[SESSIONS[i].isoformat()] = [p["alert_key"] for p in hook.posts[before:]]
    assert fired == {"2025-12-22": ["claim:1:reversed:1"], "2025-12-26": ["claim:1:recovered:1"],
                     "2026-01-12": ["claim:1:reversed:2"]}


def test_mute_suppresses_then_expires(tmp_path, settings, hook):
    w = World(tmp_path, settings, [hook.url])
    with open_store(w.db) as store:
        aq.add_mute(store, "ticker", "TOY", "2025-12-24T00:00:00Z")
    for i in range(FIRST_REVERSAL + 1):
        w.session(i)
    assert hook.posts == [] and w.alerts()[0]["suppressed"].startswith("muted (ticker TOY) until 2025-12-24")
    w.settings.alerts.cooldown_hours = 1
    for i in range(FIRST_REVERSAL + 1, len(SESSIONS) - 10):  # expired: the second reversal is delivered
        w.session(i)
    assert [p["alert_key"] for p in hook.posts] == ["claim:1:reversed:2"]


def test_digest_mode_sends_one_message_with_every_transition(tmp_path, settings, hook):
    w = World(tmp_path, settings, [hook.url])
    w.settings.alerts.digest = True
    w.settings.alerts.notify_recovered = True
    w.settings.alerts.cooldown_hours = 0
    for i in range(FIRST_REVERSAL + 5):  # reversal and recovery both happen while nothing is delivered
        w.session(i, alerts=i < FIRST_REVERSAL)
        if i >= FIRST_REVERSAL:
            with open_store(w.db) as store:
                detect(store, w.settings, datetime.combine(SESSIONS[i], datetime.min.time(), timezone.utc)
                       + timedelta(hours=22), AlertReport())
    with open_store(w.db) as store:
        report = deliver(store, w.settings, datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert report.sent == 2 and len(hook.posts) == 1
    assert hook.posts[0]["title"] == "thesis tracker: 2 claim transitions"
    assert hook.posts[0]["alert_key"] == "claim:1:reversed:1,claim:1:recovered:1"


def test_a_crash_between_commit_and_delivery_is_delivered_on_the_next_run(tmp_path, settings, hook):
    w = World(tmp_path, settings, [hook.url])
    for i in range(FIRST_REVERSAL):
        w.session(i)
    w.session(FIRST_REVERSAL, alerts=False)
    with open_store(w.db) as store:  # the alert is committed, then the process dies before delivering
        detect(store, w.settings, datetime(2025, 12, 22, 22, tzinfo=timezone.utc), AlertReport())
    assert hook.posts == [] and w.alerts()[0]["deliveries"][0]["status"] == "pending"
    w.session(FIRST_REVERSAL + 1)
    assert [p["alert_key"] for p in hook.posts] == ["claim:1:reversed:1"]
