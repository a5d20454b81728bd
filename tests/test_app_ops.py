"""The Alerts and Sources pages over the evaluated fixture store: alerts with their per-channel deliveries (the
webhook's password never shown), acknowledge, mute and unmute; channel health; add and remove a feed (bad input
is one typed line and writes nothing); "collect now" runs `tracker collect` in the background against a loopback
feed server while the page stays usable."""

from __future__ import annotations

import sqlite3

import pytest

from tests import _board_seed as B
from tests import _seed
from tests._board_fixtures import board_db, board_template, run_page, texts  # noqa: F401
from tests._feedserver import RSS_CT, rss
from tracker.ui import actions
from tracker.ui.components import md


def all_text(at) -> str:
    parts = [*texts(at), *(c.value for c in at.caption), *(e.value for e in at.error),
             *(c.value for c in at.code)]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    return "\n".join(parts)


# -------------------------------------------------------------------------------------------- alerts
def test_alerts_list_with_deliveries_per_channel(board_db):
    at = run_page("alerts")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Alerts": "1", "Not acknowledged": "1", "Deliveries pending": "1", "Deliveries failed": "0"}
    table = at.dataframe[0].value
    row = table.iloc[0]
    assert (row["kind"], row["claim"], row["data of"], row["state"]) == ("reversed", 6, "2026-11-26", "open")
    assert row["title"] == "Claim reversed: Reliance Industries (RELIANCE.NS), relative return outperform"
    assert "alerts.log: sent" in row["deliveries"] and "json://tracker:****@127.0.0.1:9/hook" in row["deliveries"]
    assert "pending (7 attempts)" in row["deliveries"]
    assert "On the board: http://127.0.0.1:8501/claim?id=6" in at.code[0].value  # the message as sent
    assert B.SECRET not in all_text(at)


def test_channel_health_masks_secrets(board_db, tmp_path):
    """Regression: Apprise's privacy rendering left an ntfy token (the URL's user part) in clear."""
    (tmp_path / "tracker.toml").write_text(f'[alerts]\nchannels = ["{B.WEBHOOK}", "ntfy://tok3nsecret99@ntfy.example/t"]\n')
    at = run_page("alerts")
    health = at.dataframe[1].value.set_index("channel")
    webhook = next(label for label in health.index if label.startswith("json://"))
    assert health.loc[webhook, "configured"] and health.loc[webhook, "pending"] == 1
    assert "Connection error" in health.loc[webhook, "last error"]
    assert any(label.startswith("ntfy://") for label in health.index)
    text = all_text(at)
    assert B.SECRET not in text and "tok3nsecret99" not in text


def test_acknowledge_and_mute_from_the_alerts_page(board_db):
    at = run_page("alerts")
    at.button(key="ack").click().run()
    assert at.success[0].value == "Alert 1 acknowledged: its retries stop."
    assert at.dataframe[0].value.iloc[0]["state"] == "acknowledged"
    assert {m.label: m.value for m in at.metric}["Deliveries pending"] == "0"
    at.selectbox(key="mute_days").select(30)
    at.button(key="mute").click().run()
    assert at.success[0].value == "Claim 6 muted for 30 day(s)."
    assert any(t.startswith("claim **6** until") for t in texts(at))
    with sqlite3.connect(board_db) as conn:
        assert conn.execute("SELECT acked_at IS NOT NULL FROM alerts WHERE id = 1").fetchone() == (1,)
        mute = conn.execute("SELECT id FROM mutes WHERE scope = 'claim' AND target = '6'").fetchone()[0]
    at.button(key=f"unmute_{mute}").click().run()
    assert at.success[0].value == "Unmuted claim 6."
    with sqlite3.connect(board_db) as conn:
        assert conn.execute("SELECT count(*) FROM mutes WHERE scope = 'claim' AND target = '6'").fetchone() == (0,)


# ------------------------------------------------------------------------------------------- sources
def test_add_a_feed_then_remove_it(board_db):
    at = run_page("sources")
    at.text_input(key="feed_url").input("https://markets.example.net/asia.rss")
    at.text_input(key="feed_name").input("Asia wire")
    next(b for b in at.button if b.proto.is_form_submitter).click().run()
    assert at.success[0].value == f"Added {md('https://markets.example.net/asia.rss')}: the next collect fetches it."
    assert "Asia wire" in list(at.dataframe[0].value["name"])
    with sqlite3.connect(board_db) as conn:
        feed_id = conn.execute("SELECT id FROM feeds WHERE url = 'https://markets.example.net/asia.rss'").fetchone()[0]
    at.selectbox(key="remove_feed").select(feed_id).run()
    at.button(key="remove").click().run()
    assert at.success[0].value == f"Removed {md('https://markets.example.net/asia.rss')}; its articles stay."
    assert "Asia wire" not in list(at.dataframe[0].value["name"])


@pytest.mark.parametrize("url", ["javascript:alert(1)", "not a url", "ftp://example.com/feed", ""])
def test_a_bad_feed_url_is_one_typed_line_and_writes_nothing(board_db, url):
    with sqlite3.connect(board_db) as conn:
        before = conn.execute("SELECT count(*) FROM feeds").fetchone()
    at = run_page("sources")
    at.text_input(key="feed_url").input(url)
    next(b for b in at.button if b.proto.is_form_submitter).click().run()
    error = next(e.value for e in at.error if "T013" in e.value)
    assert error.startswith(r"\[T013\]") and "is not a valid http(s) URL" in error
    with sqlite3.connect(board_db) as conn:
        assert conn.execute("SELECT count(*) FROM feeds").fetchone() == before


def test_a_feed_from_the_config_is_not_removed_here(board_db, tmp_path):
    (tmp_path / "tracker.toml").write_text(f'[[feeds]]\nurl = "{_seed.FEEDS[0]["url"]}"\nname = "x"\n')
    at = run_page("sources")
    at.selectbox(key="remove_feed").select(1).run()
    at.button(key="remove").click().run()
    error = next(e.value for e in at.error if "T013" in e.value)
    assert "is listed in" in error and "remove its \\[\\[feeds\\]\\] entry there" in error
    with sqlite3.connect(board_db) as conn:
        assert conn.execute("SELECT count(*) FROM feeds WHERE id = 1").fetchone() == (1,)


def test_collect_now_runs_in_the_background(board_db, httpserver):
    items = [{"title": f"Loopback story {i}", "link": httpserver.url_for(f"/story/{i}"), "guid": f"s{i}",
              "content": f"Story {i}: " + "chip makers raised prices again this week. " * 30,
              "pubDate": "Thu, 03 Dec 2026 08:00:00 GMT"} for i in range(3)]
    httpserver.expect_request("/feed.xml").respond_with_data(rss(items), content_type=RSS_CT)
    with sqlite3.connect(board_db) as conn:  # the seeded feeds are not due: only the loopback feed is fetched
        conn.execute("UPDATE feeds SET next_poll_at = '2099-01-01T00:00:00Z'")
    actions.add_feed(str(board_db), httpserver.url_for("/feed.xml"), "Loopback")
    at = run_page("sources")
    at.button(key="collect").click().run()
    assert "Collecting" in at.info[0].value and "runs in the background" in at.info[0].value
    assert actions.wait_collect(str(board_db.resolve()), 120) == 0
    at.run()  # the page notices the end, reads the store again
    at.run()
    assert "finished." in at.success[0].value
    assert {m.label: m.value for m in at.metric}["Articles from feeds"] == "11"  # 8 seeded + 3 collected
    with sqlite3.connect(board_db) as conn:
        assert conn.execute("SELECT count(*) FROM articles WHERE title LIKE 'Loopback story %'").fetchone() == (3,)
