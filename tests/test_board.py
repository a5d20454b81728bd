"""The board's queries and text helpers on their own (the pages are tested in test_app.py)."""

from __future__ import annotations

import pytest

from tests import _seed
from tracker.store import board
from tracker.ui import components as ui


@pytest.fixture
def conn(tmp_path):
    with board.reader(_seed.seed(tmp_path / "board.db")) as c:
        yield c


def test_reader_is_read_only(conn):
    with pytest.raises(Exception, match="readonly"):
        conn.execute("DELETE FROM feeds")


@pytest.mark.parametrize("query", ['"', "AND", "OR NOT", "foo*(", "NEAR(", "tsmc\"", "'; DROP TABLE articles; --"])
def test_search_never_leaks_fts_syntax(conn, query):
    """FTS operators and SQL in the search box are plain words: the board finds what the words find."""
    import re

    words = re.findall(r"\w+", query)
    assert board.search_stories(conn, query) == (board.search_stories(conn, " ".join(words)) if words else [])
    if query == 'tsmc"':
        assert [s["title"] for s in board.search_stories(conn, query)] == [_seed.TSMC_TITLE]
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 0  # nothing was dropped


@pytest.mark.parametrize("query", ["taiwan semiconductor manufacturing", "TSM", "2330", "$TSM", "NYSE: TSM"])
def test_company_search_covers_every_listing_and_form(conn, query):
    """An alias, the ADR's ticker or a bare code finds the story through the company's mentions."""
    assert [s["title"] for s in board.search_stories(conn, query)] == [_seed.TSMC_TITLE]


def test_company_search_by_former_name_and_unknown(conn):
    assert any("Hynix" in (s["title"] or "") or "sk hynix" in [c.lower() for c in s["companies"]]
               for s in board.search_stories(conn, "Hynix"))
    assert board.search_stories(conn, "no such company") == []


def test_claim_context_trusts_offsets_only_when_they_hold_the_sentence():
    text = "Intro. Margins will widen next year. Outro."
    sentence = "Margins will widen next year."
    assert board.claim_context(text, 7, 36, sentence, chars=3) == ("…o. ", sentence, " Ou…")
    assert board.claim_context(text, 0, 10, sentence, chars=100) == ("Intro. ", sentence, " Outro.")  # stale offsets
    assert board.claim_context(text, 0, 10, "A sentence that is gone.") is None


def test_claims_carry_their_status_and_filter_by_it(conn):
    rows = board.claims(conn)
    assert len(rows) == 7 and {r["status"] for r in rows} == {"unknown"}  # not evaluated in this store
    assert board.claims(conn, status="unknown", metric="capex")[0]["sentence"] == _seed.CAPEX_SENTENCE
    assert board.claims(conn, status="broken") == []


@pytest.mark.parametrize("raw, shown", [
    ("<b>x</b> & y", "&lt;b&gt;x&lt;/b&gt; &amp; y"),
    ("costs $5bn, not $6bn", r"costs \$5bn, not \$6bn"),
    ("![x](http://tracker.example/p.png)", "\\!\\[x\\](http\u2060\\://tracker.example/p.png)"),
    ("see www.x.example or ir@x.example", "see www\u2060.x.example or ir\u2060@x.example"),  # no autolinks
    (":red[broken] :material/cancel:", r"\:red\[broken\] \:material/cancel\:"),
    ("*bold* _it_ `code` [a](b) ~x~ a|b", r"\*bold\* \_it\_ \`code\` \[a\](b) \~x\~ a\|b"),
    ("- item\n# heading\n2026. year", "\\- item\n\\# heading\n\\2026. year"),
    ("3-nanometre 0.72 up-beat", "3-nanometre 0.72 up-beat"),
    (None, ""),
])
def test_md_shows_text_literally(raw, shown):
    assert ui.md(raw) == shown


def test_link_only_for_web_urls():
    assert ui.link("Feed", "https://a.example/x y") == "[Feed](https://a.example/x%20y)"
    assert ui.link("File", "sample/boj.md") == "File"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>x</b>", "http:/no-host",
                "https://a.example/\nx", "//evil.example/x", "vbscript:x"):
        assert ui.web_url(bad) is None and ui.link("x", bad) == "x", bad
    assert ui.web_url("HTTPS://A.example/x?y=1") == "HTTPS://A.example/x?y=1"


def test_shorten_cuts_at_a_word():
    assert ui.shorten("Chip  stocks\nrallied hard today", 18) == "Chip stocks …"
    assert ui.shorten("short", 18) == "short"


def test_filtered_search_looks_past_the_newest_matches(store, tmp_db, monkeypatch):
    """Issue #11: the board looks at the newest matches first and at more only when the filters leave too few
    stories, so a filter that keeps only an old article still finds it."""
    from tracker import defaults as D
    from tracker.store import articles as articles_q
    from tracker.timeutil import iso

    monkeypatch.setattr(D, "BOARD_MATCH_FIRST", 2)
    ids = [articles_q.insert(store, {"title": f"Cloud note {i}", "text": "cloud revenue grew", "content_hash": str(i),
                                     "fetched_at": iso(), "source_name": "old desk" if i == 0 else "wire"})[0]
           for i in range(12)]
    with board.reader(tmp_db) as conn:
        assert len(board.search_stories(conn, "cloud", limit=3)) == 3
        (hit,) = board.search_stories(conn, "cloud", sources=["old desk"], limit=1)  # looks at 4, then 40
        assert hit["article_id"] == ids[0]
        assert board.search_stories(conn, "cloud", sources=["nobody"]) == []
