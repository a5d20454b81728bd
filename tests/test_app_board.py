"""The thesis board, a thesis, a claim: AppTest over the evaluated fixture store of tests/_board_seed.py (claims
linked and judged day by day over CSV series, one through a proxy, one on the sample data set, one reversed with
an alert, a claim about the past checked as stated, a user thesis, mutes). Every interaction writes through the
CLI's own store functions (fix a link, mute, acknowledge) and the page shows the result."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from tests import _board_seed as B
from tests import _seed
from tests._board_fixtures import board_db, board_template, chart_layers, page_links, run_page, texts  # noqa: F401
from tracker.ui.components import md

RELIANCE_CLAIM = 6  # outperform the Nifty: reversed, broken, one alert
SMALL_CAPS_CLAIM = 7  # through the Russell 2000 proxy: weakening
HYNIX_CLAIM = 3  # on the sample data set
PAST_CLAIM = 8  # "risen 25% so far this year": confirmed as stated
LEVEL_CLAIM = 10  # the user thesis's own claim: Sony's operating margin at a stated 11.5%


def card_titles(at) -> list[str]:
    return [label for label, page, _ in page_links(at) if page == "thesis"]


def thesis_id(title: str, db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id FROM theses WHERE title = ?", [title]).fetchone()[0]


# ------------------------------------------------------------------------------------------ the board
def test_first_page_answers_which_theses_are_breaking(board_db):
    at = run_page()
    assert [t.value for t in at.title] == ["Theses"]
    counts = {m.label: m.value for m in at.metric if "badge" in m.label}
    assert counts == {":red-badge[:material/cancel: broken]": "1", ":orange-badge[:material/warning: weakening]": "1",
                      ":green-badge[:material/check_circle: holding]": "5", ":gray-badge[:material/help: unknown]": "1"}
    assert "**1 broken** and **1 weakening** of 8 theses" in at.error[0].value
    titles = card_titles(at)
    assert len(titles) == 8
    # recently changed first: small caps turned weakening on the last day, the past-claim article, Reliance broke
    assert titles[:3] == [f"**{md(_seed.ARTICLES[6]['title'])}**", f"**{md(B.PAST_TITLE)}**",
                          f"**{md(B.RELIANCE_TITLE)}**"]
    lines = texts(at)
    reliance = next(t for t in lines if t.startswith(":red-badge"))
    assert reliance.startswith(":red-badge[:material/cancel: broken] 1 broken · changed") and "(was weakening)" in reliance


def test_cards_show_key_metric_sparkline_proxy_and_sample_data(board_db):
    at = run_page()
    metrics = {m.label: m for m in at.metric if "badge" not in m.label}
    proxy = metrics["small caps · relative return underperform · proxy"]
    assert len(proxy.proto.chart_data) == 19  # a sparkline of the ratio since the claim: one point per session
    assert "since the claim" in proxy.delta
    sample = next(m for label, m in metrics.items() if label.startswith("SK hynix") and "SAMPLE DATA" in label)
    assert list(sample.proto.chart_data) == [150.0]  # the growth of the one quarter since the baseline
    assert f"Nikkei Asia Markets: [{md(B.RELIANCE_TITLE)}](https://asia.example.com/news/" in \
        "".join(c.value for c in at.caption)
    assert "Key claim: Tencent revenue growth (no data yet)" in [c.value for c in at.caption]


def test_filters_by_status_ticker_sector_source_and_date(board_db):
    at = run_page()
    at.multiselect(key="status").select("broken").run()
    assert card_titles(at) == [f"**{md(B.RELIANCE_TITLE)}**"]
    assert {m.label: m.value for m in at.metric}[":green-badge[:material/check_circle: holding]"] == "5"  # headline
    at.multiselect(key="status").set_value([]).run()
    at.selectbox(key="ticker").select("000660.KS").run()
    assert card_titles(at) == [f"**{B.USER_THESIS}**", f"**{md(_seed.ARTICLES[2]['title'])}**"]
    at.selectbox(key="ticker").select(None).run()
    at.selectbox(key="sector").select("internet").run()
    assert card_titles(at) == [f"**{md(_seed.ARTICLES[4]['title'])}**"]
    at.selectbox(key="sector").select(None).run()
    at.multiselect(key="sources").select(_seed.FAILING_FEED).run()
    assert card_titles(at) == [f"**{md(_seed.ARTICLES[4]['title'])}**"]
    at.multiselect(key="sources").set_value([]).run()
    at.date_input(key="date_from").set_value(date(2026, 11, 24))
    at.date_input(key="date_to").set_value(date(2026, 11, 26)).run()
    assert card_titles(at) == [f"**{md(B.PAST_TITLE)}**", f"**{B.USER_THESIS}**",  # holds SK hynix's claim
                               f"**{md(_seed.ARTICLES[2]['title'])}**"]
    at.multiselect(key="status").select("weakening").run()
    assert card_titles(at) == [] and "No thesis matches these filters." in at.info[0].value


# ---------------------------------------------------------------------------------------- one thesis
def test_thesis_page_lists_claims_sources_and_history(board_db):
    tid = thesis_id(B.USER_THESIS, board_db)
    at = run_page("thesis", {"id": str(tid)})
    assert at.header[0].value == B.USER_THESIS
    assert texts(at)[0] == ":green-badge[:material/check_circle: holding]"
    assert "3 holding" in texts(at)[1] and "your thesis (tracker.toml)" in texts(at)[1]
    claim_targets = [q for _, page, q in page_links(at) if page == "claim"]
    assert sorted(claim_targets) == ["id=10", f"id={HYNIX_CLAIM}", "id=9"]
    assert any("SAMPLE DATA" in t and "SK hynix" in t for t in texts(at))
    assert len(at.dataframe[0].value) == 15  # one history row per evaluation day
    sources = [label for label, page, _ in page_links(at) if page == "article"]
    assert sources == [md(_seed.ARTICLES[2]["title"])]


def test_unknown_thesis_id(board_db):
    at = run_page("thesis", {"id": "999"})
    assert at.warning[0].value == "No thesis with this id."


def test_muting_a_thesis_writes_a_mute(board_db):
    tid = thesis_id(B.USER_THESIS, board_db)
    at = run_page("thesis", {"id": str(tid)})
    at.selectbox(key="mute_days").select(30)
    at.button(key="mute").click().run()
    assert "muted until" in at.success[0].value
    with sqlite3.connect(board_db) as conn:
        assert conn.execute("SELECT scope, target FROM mutes WHERE scope = 'thesis'").fetchall() == [("thesis", str(tid))]


# ----------------------------------------------------------------------------------------- one claim
def test_claim_page_shows_the_evidence(board_db):
    at = run_page("claim", {"id": str(RELIANCE_CLAIM)})
    assert at.header[0].value == "Reliance Industries · relative return outperform"
    lines = texts(at)
    assert lines[0] == ":red-badge[:material/cancel: broken]"
    assert lines[1].startswith("-21.9% since the baseline, -7.0σ for the claim")
    marked = next(t for t in lines if "<mark>" in t)
    assert f"<mark>{B.RELIANCE_SENTENCE}</mark>" in marked and marked.startswith(md(B.RELIANCE_TITLE))
    fields = next(t for t in lines if t.startswith("**subject**"))
    assert "**ticker**: RELIANCE.NS" in fields and "**horizon**: 12 months" in fields
    assert "relative to Nifty 50 (^NSEI) since 2026-11-15" in next(t for t in lines if t.startswith("close of"))
    values = {m.label: m.value for m in at.metric}
    # the ratio Reliance / Nifty 50 on the last session before publication (a Sunday), and on the latest one
    assert values == {"At publication (2026-11-13)": "3.53", "Now (as of 2026-12-04)": "2.757"}
    assert any("Provider: csv" in c.value for c in at.caption)
    assert "close\\:RELIANCE.NS: csv, fetched 2026-12-04 22:00" in [c.value for c in at.caption]


def test_claim_chart_has_baseline_and_reversal_markers(board_db):
    at = run_page("claim", {"id": str(RELIANCE_CLAIM)})
    (line, _, series), (level, _, levels), (rule, _, dates) = chart_layers(at)
    assert (line, level, rule) == ("line", "rule", "rule")
    assert series[0]["date"].date() == date(2026, 10, 16)  # from 30 days before the baseline...
    assert series[-1]["date"].date() == date(2026, 12, 4) and round(series[-1]["value"], 3) == 2.757  # ...to now
    assert [(r["what"], r["kind"]) for r in levels] == [("baseline 3.53", "baseline")]
    assert [(r["date"].date().isoformat(), r["what"], r["kind"]) for r in dates] == [
        ("2026-11-13", "baseline (publication)", "baseline"),
        ("2026-11-24", "status holding → weakening", "reversal"),
        ("2026-11-25", "status weakening → broken", "reversal"),
        ("2026-11-26", "alert: reversed", "reversal")]
    legend = next(c.value for c in at.caption if c.value.startswith("grey:"))
    assert "red: 2026-11-24 status holding → weakening; 2026-11-25 status weakening → broken" in legend


def test_claim_chart_draws_the_stated_level(board_db):
    at = run_page("claim", {"id": str(LEVEL_CLAIM)})
    assert texts(at)[1] == "latest 12 against the stated level 11.5 (high)"
    levels = chart_layers(at)[1][2]
    assert sorted((r["kind"], r["value"]) for r in levels) == [("baseline", 12.0), ("stated", 11.5)]
    assert "blue: the stated level 11.5" in next(c.value for c in at.caption if c.value.startswith("grey:"))


def test_proxy_sample_data_and_as_stated_are_said(board_db):
    proxy = texts(run_page("claim", {"id": str(SMALL_CAPS_CLAIM)}))
    assert any(":orange-badge[proxy] Russell 2000, a proxy for small caps" in t for t in proxy)
    sample = run_page("claim", {"id": str(HYNIX_CLAIM)})
    assert "SAMPLE DATA" in sample.warning[0].value
    assert all("SAMPLE DATA" in m.label for m in sample.metric)
    assert "SAMPLE DATA" in chart_layers(sample)[0][1]["y"]["title"]
    past = texts(run_page("claim", {"id": str(PAST_CLAIM)}))
    stated = next(t for t in past if t.startswith(":green-badge[confirmed]"))
    assert "+29.8% from 2025-12-31 to 2026-11-26; stated +25%" in stated.replace("\\", "")


def test_old_alert_links_open_the_claim(board_db):
    """Alerts link to {board_url}/claim?id=ID (tracker.alerts.message.claim_link): that page must exist."""
    from tracker.alerts.message import claim_link
    from tracker.config import Settings

    url = claim_link(Settings(), RELIANCE_CLAIM)
    assert url.endswith(f"/claim?id={RELIANCE_CLAIM}")
    at = run_page("claim", {"id": url.rsplit("=", 1)[1]})
    assert at.header[0].value.startswith("Reliance Industries")


def test_fix_a_link_through_user_link(board_db):
    at = run_page("claim", {"id": str(SMALL_CAPS_CLAIM)})
    at.text_input(key="symbols").input("IWM")
    at.text_input(key="benchmark").input("SPY")
    at.button[0].click()  # the form's submit
    at = _submit(at)
    assert "Your link is saved" in at.success[0].value
    assert any("close of IWM relative to SPY since 2026-11-10 (set by the user)" in t and "set by you" in t
               for t in texts(at))
    with sqlite3.connect(board_db) as conn:
        row = conn.execute("SELECT recipe, symbols, benchmark, source FROM claim_links WHERE claim_id = ?",
                           [SMALL_CAPS_CLAIM]).fetchone()
    assert row == ("relative", '["IWM"]', "SPY", "user")
    at.button(key="auto_link").click().run()
    assert "Linked automatically again." in at.success[0].value
    with sqlite3.connect(board_db) as conn:
        assert conn.execute("SELECT symbols, source FROM claim_links WHERE claim_id = ?",
                            [SMALL_CAPS_CLAIM]).fetchone() == ('["^RUT"]', "auto")


def _submit(at):
    form_button = next(b for b in at.get("button") if getattr(b, "proto", None) and b.proto.is_form_submitter)
    form_button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("symbols, benchmark, error", [
    ("", "", "give at least one symbol"),
    ("javascript:alert(1)", "", "is not a market symbol"),
    ("IWM", "<b>", "is not a market symbol: give the benchmark"),
])
def test_a_bad_link_is_one_clear_error_and_writes_nothing(board_db, symbols, benchmark, error):
    with sqlite3.connect(board_db) as conn:
        before = conn.execute("SELECT * FROM claim_links WHERE claim_id = ?", [SMALL_CAPS_CLAIM]).fetchone()
    at = run_page("claim", {"id": str(SMALL_CAPS_CLAIM)})
    at.text_input(key="symbols").input(symbols)
    at.text_input(key="benchmark").input(benchmark)
    at = _submit(at)
    assert at.error[0].value.startswith(r"\[T060\]") and error in at.error[0].value.replace("\\", "")
    with sqlite3.connect(board_db) as conn:
        assert conn.execute("SELECT * FROM claim_links WHERE claim_id = ?", [SMALL_CAPS_CLAIM]).fetchone() == before


def test_mute_a_claim_and_acknowledge_its_alert(board_db):
    at = run_page("claim", {"id": str(RELIANCE_CLAIM)})
    alert = next(t for t in texts(at) if t.startswith("**Claim reversed"))
    assert alert.endswith("· open")
    assert any(md("json://tracker:****@127.0.0.1:9/hook") in c.value and "pending after 7 attempt(s)" in
               c.value for c in at.caption)
    assert not any(B.SECRET in c.value for c in at.caption)
    at.button(key="ack_1").click().run()
    assert at.success[0].value == "Alert 1 acknowledged."
    assert next(t for t in texts(at) if t.startswith("**Claim reversed")).endswith("· acknowledged")
    at.selectbox(key="mute_days").select(7)
    at.button(key="mute").click().run()
    assert at.success[0].value == f"Claim {RELIANCE_CLAIM} muted for 7 day(s)."
    assert any(c.value.startswith(f"Muted (claim {RELIANCE_CLAIM}) until") for c in at.caption)
    with sqlite3.connect(board_db) as conn:
        assert conn.execute("SELECT status FROM deliveries WHERE alert_id = 1 ORDER BY id").fetchall() == \
            [("sent",), ("cancelled",)]
        assert conn.execute("SELECT count(*) FROM mutes WHERE scope = 'claim' AND target = ?",
                            [str(RELIANCE_CLAIM)]).fetchone() == (1,)


def test_claim_muted_by_its_ticker_says_so(board_db):
    at = run_page("claim", {"id": "5"})  # Tencent: its ticker 0700.HK is muted until 2099
    assert any(c.value == "Muted (ticker 0700.HK) until 2099-01-01 00:00" for c in at.caption)
    assert "no data yet for stmt\\:0700.HK\\:TotalRevenue" in at.info[0].value  # nothing to chart


def test_unknown_claim_id(board_db):
    assert run_page("claim", {"id": "999"}).warning[0].value == "No claim with id 999."
