"""Read-only queries behind the Streamlit board.

The board never writes: ``reader(path)`` opens the database with ``mode=ro`` (a missing file is an
error, not a new empty database), and ``status(path)`` says in one sentence what to run when the
database is missing, empty or on an older schema. Every query returns plain dicts/lists so the
results can be cached by ``st.cache_data``.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path
from typing import Iterator

from tracker import defaults as D
from tracker.store import articles as articles_q
from tracker.store.schema import SCHEMA_VERSION
from tracker.vocab import STATUSES

SETUP_HINT = "run `tracker init` then `tracker collect` (or simply `make run`)"


class BoardUnavailable(Exception):
    """The database cannot be shown yet; ``str(err)`` says why and what to run."""


@contextlib.contextmanager
def reader(path: str | Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection (rows as sqlite3.Row), closed on exit."""
    p = Path(path)
    if not p.is_file():
        raise BoardUnavailable(f"No database at {p}: {SETUP_HINT}")
    from tracker.errors import StoreError
    from tracker.store import connect_readonly

    try:  # never creates or migrates; a WAL database in a read-only folder still opens (immutable)
        conn = connect_readonly(p)
        conn.row_factory = sqlite3.Row
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (StoreError, sqlite3.DatabaseError) as e:
        raise BoardUnavailable(f"{p} is not a usable SQLite database ({e}): point TRACKER_DB elsewhere "
                               f"or {SETUP_HINT}") from None
    try:
        yield conn
    finally:
        conn.close()


def status(path: str | Path) -> dict:
    """``{"ok", "message", "schema_version", "articles", "feeds"}`` for the database at ``path``."""
    try:
        with reader(path) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                return _status(False, f"The database {path} is empty (no tables yet): {SETUP_HINT}", version)
            if version < SCHEMA_VERSION:
                return _status(False, f"The database {path} has schema version {version}, older than this "
                               f"board's {SCHEMA_VERSION}: run `tracker init` to migrate it", version)
            if version > SCHEMA_VERSION:
                return _status(False, f"The database {path} has schema version {version}, newer than this "
                               f"board's {SCHEMA_VERSION}: upgrade the tracker", version)
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            feeds = conn.execute("SELECT count(*) FROM feeds").fetchone()[0]
    except BoardUnavailable as e:
        return _status(False, str(e), None)
    message = "" if articles else f"No articles in {path} yet: {SETUP_HINT}"
    return {"ok": True, "message": message, "schema_version": version, "articles": articles, "feeds": feeds}


def _status(ok: bool, message: str, version: int | None) -> dict:
    return {"ok": ok, "message": message, "schema_version": version, "articles": 0, "feeds": 0}


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    return [dict(r) for r in conn.execute(sql, list(params))]


def _in(values) -> str:
    return ",".join("?" * len(values))


# ------------------------------------------------------------------------------------------ articles
def source_names(conn: sqlite3.Connection) -> list[str]:
    return [r["source_name"] for r in conn.execute(
        "SELECT DISTINCT source_name FROM articles WHERE source_name IS NOT NULL ORDER BY source_name")]


def _matching_articles(conn: sqlite3.Connection, text: str, limit: int) -> set[int]:
    """Articles whose text matches every word (the newest ``limit``), or that mention the company the text names
    (the same matching as ``tracker search``, without its ranking and snippets: the board lists by date)."""
    match = articles_q.fts_query(text)
    words = {r[0] for r in conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                                        "ORDER BY rowid DESC LIMIT ?", [match, limit])} if match else set()
    return words | set(articles_q.mention_hits(conn, text, limit))


def article_filters(*, sources=(), sector: str | None = None, date_from: str | None = None,
                    date_to: str | None = None) -> tuple[list[str], list]:
    """SQL conditions on ``articles a`` for the search filters: source names, a sector or theme (tagged on the
    article or on one of its claims), and publication dates (YYYY-MM-DD; the fetch date when unpublished)."""
    where, params = [], []
    if sources:
        where.append(f"a.source_name IN ({_in(sources)})")
        params += list(sources)
    if sector:
        where.append("(EXISTS (SELECT 1 FROM article_sectors s WHERE s.article_id = a.id AND s.sector = ?) OR EXISTS "
                     "(SELECT 1 FROM claims c, json_each(c.sectors) j WHERE c.article_id = a.id AND j.value = ?))")
        params += [sector, sector]
    if date_from:
        where.append("substr(COALESCE(a.published_at, a.fetched_at), 1, 10) >= ?")
        params.append(str(date_from))
    if date_to:
        where.append("substr(COALESCE(a.published_at, a.fetched_at), 1, 10) <= ?")
        params.append(str(date_to))
    return where, params


def search_stories(conn: sqlite3.Connection, text: str = "", *, sources=(), sector: str | None = None,
                   date_from: str | None = None, date_to: str | None = None,
                   limit: int = D.BOARD_MAX_RESULTS) -> list[dict]:
    """One row per story, newest first: the story's lead article plus every source that carried it.

    ``text`` matches words in title/summary/text (FTS5) or a company by name, alias or ticker
    (through mentions and security_aliases). Filters apply to the articles: a story is kept when
    one of its articles is from a chosen source, tagged with the sector and published (or fetched) in the range.
    """
    where, params = article_filters(sources=sources, sector=sector, date_from=date_from, date_to=date_to)
    sql = ("SELECT COALESCE(a.story_id, -a.id) AS story, max(COALESCE(a.published_at, a.fetched_at)) AS latest "
           "FROM articles a{where} GROUP BY story ORDER BY latest DESC, story DESC LIMIT ?")
    if not text.strip():
        stories = [r["story"] for r in conn.execute(
            sql.format(where=" WHERE " + " AND ".join(where) if where else ""), [*params, int(limit)])]
        return [_story(conn, s) for s in stories]
    # The newest matches first; only when the filters leave too few stories are more matches looked at (up to
    # BOARD_MATCH_LIMIT): a company in 20,000 articles costs what its newest few hundred cost.
    matches = max(D.BOARD_MATCH_FIRST, 4 * int(limit))
    while True:
        ids = _matching_articles(conn, text, matches)
        found = [r["story"] for r in conn.execute(
            sql.format(where=" WHERE " + " AND ".join([f"a.id IN ({_in(ids)})", *where])),
            [*sorted(ids), *params, int(limit)])]
        if len(found) >= limit or len(ids) < matches or matches >= D.BOARD_MATCH_LIMIT:
            return [_story(conn, s) for s in found]
        matches = min(D.BOARD_MATCH_LIMIT, matches * 10)


def _story_articles(conn: sqlite3.Connection, story: int) -> list[dict]:
    """A story's articles, lead (non-duplicate, earliest) first. ``story`` < 0 is a lone article -id."""
    if story < 0:
        return _rows(conn, "SELECT * FROM articles WHERE id = ?", [-story])
    return _rows(conn, "SELECT * FROM articles WHERE story_id = ? ORDER BY is_duplicate, id", [story])


def _story(conn: sqlite3.Connection, story: int) -> dict:
    articles = _story_articles(conn, story)
    lead = articles[0]
    ids = [a["id"] for a in articles]
    companies = [r["canonical"] for r in conn.execute(
        f"SELECT canonical, count(*) AS n FROM mentions WHERE article_id IN ({_in(ids)}) "
        "GROUP BY canonical ORDER BY n DESC, canonical", ids)]
    return {
        "story_id": lead["story_id"], "article_id": lead["id"], "title": lead["title"], "url": lead["url"],
        "published_at": lead["published_at"] or lead["fetched_at"], "summary": lead["summary"],
        "sources": [{"article_id": a["id"], "source_name": a["source_name"], "url": a["url"],
                     "is_duplicate": bool(a["is_duplicate"])} for a in articles],
        "companies": companies,
    }


def article_detail(conn: sqlite3.Connection, article_id: int) -> dict | None:
    """An article with its story's sources, companies, sectors and claims; None when unknown."""
    found = _rows(conn, "SELECT * FROM articles WHERE id = ?", [article_id])
    if not found:
        return None
    article = found[0]
    story = article["story_id"] if article["story_id"] is not None else -article["id"]
    article["sources"] = _story(conn, story)["sources"]
    article["companies"] = _rows(conn, (
        "SELECT m.canonical AS company, m.symbol AS ticker, count(*) AS mentions, max(m.confidence) AS confidence, "
        "group_concat(DISTINCT m.name) AS written_as FROM mentions m WHERE m.article_id = ? "
        "GROUP BY m.canonical, m.symbol ORDER BY mentions DESC, company"), [article_id])
    article["sectors"] = _rows(conn, "SELECT sector, confidence FROM article_sectors WHERE article_id = ? "
                                     "ORDER BY confidence DESC, sector", [article_id])
    article["claims"] = claims(conn, article_id=article_id)
    return article


# ----------------------------------------------------------------------------------------- companies
_COMPANY = "COALESCE(m.company_key, m.symbol, m.canonical)"


def companies(conn: sqlite3.Connection, text: str = "", limit: int = D.BOARD_MAX_COMPANIES) -> list[dict]:
    """The most covered companies: name, ticker, stories (syndicated copies count once), mentions, latest.

    ``text`` keeps companies whose name or ticker contains it (case-insensitive).
    """
    like = f"%{text.strip().lower()}%"
    return _rows(conn, f"""
        SELECT {_COMPANY} AS company_key,
               COALESCE(max(s.name), max(m.canonical)) AS company,
               COALESCE(max(CASE WHEN s.is_primary THEN s.symbol END), max(m.symbol)) AS ticker,
               count(DISTINCT COALESCE(a.story_id, -a.id)) AS stories,
               count(*) AS mentions,
               max(COALESCE(a.published_at, a.fetched_at)) AS latest
        FROM mentions m JOIN articles a ON a.id = m.article_id
        LEFT JOIN securities s ON s.symbol = m.symbol
        GROUP BY {_COMPANY} HAVING lower(company) LIKE ? OR lower(COALESCE(ticker, '')) LIKE ?
        ORDER BY stories DESC, mentions DESC, company LIMIT ?""", [like, like, int(limit)])


def company_articles(conn: sqlite3.Connection, company_key: str, limit: int = D.BOARD_COMPANY_ARTICLES) -> list[dict]:
    """The latest stories mentioning a company (key as returned by ``companies``)."""
    stories = [r[0] for r in conn.execute(f"""
        SELECT COALESCE(a.story_id, -a.id) AS story FROM mentions m JOIN articles a ON a.id = m.article_id
        WHERE {_COMPANY} = ? GROUP BY story
        ORDER BY max(COALESCE(a.published_at, a.fetched_at)) DESC LIMIT ?""", [company_key, int(limit)])]
    return [_story(conn, s) for s in stories]


# -------------------------------------------------------------------------------------------- claims
_CLAIM_SECTORS = """(SELECT value FROM json_each(c.sectors)
                     UNION SELECT sector FROM article_sectors WHERE article_id = c.article_id)"""


def claims(conn: sqlite3.Connection, *, metric: str | None = None, direction: str | None = None,
           sector: str | None = None, status: str | None = None, article_id: int | None = None) -> list[dict]:
    """Active claims newest first, with their status (``unknown`` until evaluated). ``sector`` matches the claim's
    own tags or its article's sectors."""
    where, params = ["c.retracted_at IS NULL"], []
    for column, value in (("c.metric", metric), ("c.direction", direction), ("c.article_id", article_id),
                          ("coalesce(st.status, 'unknown')", status)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if sector:
        where.append(f"? IN {_CLAIM_SECTORS}")
        params.append(sector)
    rows = _rows(conn, f"""
        SELECT c.id, c.subject, c.subject_ticker AS ticker, c.metric, c.direction, c.magnitude, c.horizon,
               c.benchmark, c.hedged, c.negated, c.confidence, coalesce(st.status, 'unknown') AS status,
               st.reason, st.changed_at, c.sentence, c.sectors, c.article_id, a.title AS article_title,
               a.url AS article_url, COALESCE(a.published_at, a.fetched_at) AS published_at
        FROM claims c LEFT JOIN articles a ON a.id = c.article_id LEFT JOIN claim_status st ON st.claim_id = c.id
        WHERE {" AND ".join(where)}
        ORDER BY published_at DESC, c.id""", params)
    for r in rows:
        r["sectors"] = json.loads(r["sectors"] or "[]")
    return rows


def claim_facets(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The metrics, directions and sectors that occur in claims, and the statuses (for the filters)."""
    return {
        "metric": [r[0] for r in conn.execute("SELECT DISTINCT metric FROM claims ORDER BY 1")],
        "direction": [r[0] for r in conn.execute("SELECT DISTINCT direction FROM claims ORDER BY 1")],
        "status": list(STATUSES),
        "sector": [r[0] for r in conn.execute(
            "SELECT j.value FROM claims c, json_each(c.sectors) j "
            "UNION SELECT sector FROM article_sectors WHERE article_id IN (SELECT article_id FROM claims) ORDER BY 1")],
    }


def claim_context(text: str, start: int, end: int, sentence: str,
                  chars: int = D.BOARD_CONTEXT_CHARS) -> tuple[str, str, str] | None:
    """(before, sentence, after) around a claim; the stored offsets are trusted only if they hold the sentence."""
    if text[start:end] != sentence:
        start = text.find(sentence)
        if start < 0:
            return None
        end = start + len(sentence)
    lo, hi = max(0, start - chars), min(len(text), end + chars)
    before = ("…" if lo else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < len(text) else "")
    return before, text[start:end], after


# ------------------------------------------------------------------------------------------- sources
def feeds(conn: sqlite3.Connection) -> list[dict]:
    """Feeds with their last status and error, consecutive errors, next poll, articles and failed fetches, and
    their articles whose full text is still queued (``pages_queued``) or was given up (``pages_failed``)."""
    return _rows(conn, """
        SELECT f.id, COALESCE(f.name, f.url) AS name, f.url, f.kind, f.active, f.last_outcome, f.last_status,
               f.last_error, f.error_count, f.last_fetched_at, f.last_success_at, f.next_poll_at,
               f.retry_after_until,
               (SELECT count(*) FROM articles a WHERE a.feed_id = f.id) AS articles,
               (SELECT count(*) FROM fetches x WHERE x.feed_id = f.id AND x.outcome = 'error') AS failed_fetches,
               (SELECT count(*) FROM articles a WHERE a.feed_id = f.id AND a.page_status = 'wanted') AS pages_queued,
               (SELECT count(*) FROM articles a WHERE a.feed_id = f.id AND a.page_status = 'failed') AS pages_failed
        FROM feeds f ORDER BY (f.last_error IS NULL), f.name, f.id""")


def fetch_log(conn: sqlite3.Connection, *, feed_id: int | None = None,
              limit: int = D.BOARD_FETCH_LOG_ROWS) -> list[dict]:
    """The most recent fetches, newest first (optionally of one feed)."""
    where = "WHERE x.feed_id = ?" if feed_id is not None else ""
    params = [feed_id] if feed_id is not None else []
    return _rows(conn, f"""
        SELECT x.started_at, COALESCE(f.name, x.url) AS feed, x.status, x.outcome, x.error, x.duration_ms,
               x.bytes, x.entries_seen, x.entries_new, x.url
        FROM fetches x LEFT JOIN feeds f ON f.id = x.feed_id {where}
        ORDER BY x.started_at DESC, x.id DESC LIMIT ?""", [*params, int(limit)])
