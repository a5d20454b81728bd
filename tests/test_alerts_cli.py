"""`tracker alerts list|deliver|test|channels|ack|mute`: contracts, and secrets never shown."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from tests.test_alerts_delivery import FIRST_REVERSAL, Hook, World
from tracker.cli import app

SECRET = "s3cr3t-t0ken-value"


@pytest.fixture
def world(tmp_path, settings, httpserver):
    hook = Hook(httpserver)
    url = hook.url.replace("json://", f"json://tracker:{SECRET}@")
    w = World(tmp_path, settings, [url, "log://" + str(tmp_path / "alerts.log")])
    for i in range(FIRST_REVERSAL + 1):
        w.session(i)
    cfg = tmp_path / "tracker.toml"
    cfg.write_text(f'[store]\npath = "{w.db}"\n[alerts]\nchannels = ["{url}", "log://{tmp_path / "alerts.log"}"]\n')
    w.cli = ["--config", str(cfg)]
    w.hook = hook
    w.log = tmp_path / "alerts.log"
    return w


def run(args, code=0):
    r = CliRunner().invoke(app, args)
    assert r.exit_code == code, r.output
    assert SECRET not in r.output  # never print a channel's secret
    return r.output


def test_list_json_carries_key_claim_kind_message_and_deliveries(world):
    rows = json.loads(run([*world.cli, "alerts", "list", "--json"]))
    assert len(rows) == 1
    a = rows[0]
    assert (a["dedup_key"], a["claim_id"], a["kind"]) == ("claim:1:reversed:1", 1, "reversed")
    assert a["message"].startswith('"TOY will keep rising."') and a["created_at"].startswith("2025-12-22")
    assert sorted(d["status"] for d in a["deliveries"]) == ["sent", "sent"]
    assert any("tracker:****@127.0.0.1" in d["channel"] or "tracker:***" in d["channel"] for d in a["deliveries"])
    assert world.log.read_text().startswith("[alert] Claim reversed: Toy Corp (TOY), price return up | ")
    text = run([*world.cli, "alerts", "list"])
    assert "claim:1:reversed:1" in text and "sent" in text


def test_ack_cancels_retries(world):
    world.hook.answer = 503
    rows = json.loads(run([*world.cli, "alerts", "list", "--json"]))
    assert "acknowledged" in run([*world.cli, "alerts", "ack", str(rows[0]["id"])])
    assert json.loads(run([*world.cli, "alerts", "list", "--json"]))[0]["acked_at"]
    run([*world.cli, "alerts", "ack", "999"], code=1)


def test_test_command_reports_each_channel(world):
    out = run([*world.cli, "alerts", "test"])
    assert out.count("ok    ") == 2
    assert world.hook.posts[-1]["title"] == "thesis tracker test" and world.hook.posts[-1]["alert_key"] == "test"
    world.hook.answer = 404
    out = run([*world.cli, "alerts", "test", "1"], code=1)
    assert out.startswith("FAILED") and "error=404" in out
    run([*world.cli, "alerts", "test", "7"], code=1)


def test_channels_show_health_masked(world):
    out = run([*world.cli, "alerts", "channels"])
    assert "sent 1, pending 0, failed 0" in out and "alerts.log" in out


def test_mute_list_and_remove(world):
    assert "muted ticker TOY until" in run([*world.cli, "alerts", "mute", "--ticker", "TOY", "--for", "2d"])
    assert "TOY" in run([*world.cli, "alerts", "mute", "--list"])
    assert "removed 1 mute(s) of ticker TOY" in run([*world.cli, "alerts", "mute", "--ticker", "TOY", "--remove"])
    assert "no active mutes" in run([*world.cli, "alerts", "mute", "--list"])
    for bad, msg in ((["--ticker", "TOY", "--for", "soon"], "not a duration"),
                     (["--ticker", "TOY", "--until", "2001-01-01"], "already have expired"),
                     (["--ticker", "TOY", "--claim", "3"], "exactly one of"),
                     (["--thesis", "No such thesis"], "no thesis titled")):
        assert msg in run([*world.cli, "alerts", "mute", *bad], code=1)


def test_deliver_now_ignores_the_backoff(world):
    world.hook.answer = 503
    world.session(FIRST_REVERSAL + 1)  # no new alert
    assert "0 sent" in run([*world.cli, "alerts", "deliver", "--now"])


def test_channel_secrets_never_reach_the_store(world):
    import sqlite3

    conn = sqlite3.connect(world.db)
    dump = "\n".join(conn.iterdump())
    assert SECRET not in dump


def test_config_error_on_a_channel_does_not_echo_it(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(f'[alerts]\nchannels = ["not-a-url-{SECRET}"]\n')
    out = run(["--config", str(cfg), "alerts", "list"], code=1)  # run() also checks the secret is not printed
    assert "bad value for 'alerts.channels': Value error, channel 1 is not a URL" in out
