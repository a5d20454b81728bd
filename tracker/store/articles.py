"""Queries on articles and stories: dedupe look-ups, atomic writes, and search grouped by story.

A story is one piece of news; its first article is the original (is_duplicate=0) and every later
copy (syndicated, same URL or near-identical text in another source) is an article with
is_duplicate=1 and the same story_id, so a story remembers every source that carried it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from tracker import defaults as D
from tracker.names import alias_norm
from tracker.store import Store
from tracker.timeutil import iso

ARTICLE_FIELDS = ("feed_id", "source_name", "guid", "url", "canonical_url", "title", "author", "published_at",
                  "fetched_at", "summary", "text", "text_source", "content_hash", "minhash", "language", "truncated",
                  "page_status")


def article_text(article: dict) -> str:
    """The text extraction runs on (title, blank line, text or summary): mention and claim offsets index it."""
    return "\n\n".join(x for x in (article.get("title"), article.get("text") or article.get("summary")) if x)


# ------------------------------------------------------------------------------------------ look-ups
def _one(store: Store, sql: str, params) -> dict | None:
    rows = list(store.db.query(sql, params))
    return rows[0] if rows else None


def by_guid(store: Store, feed_id: int, guid: str) -> dict | None:
    return _one(store, "SELECT id, story_id, feed_id, content_hash FROM articles WHERE feed_id = ? AND guid = ?",
                [feed_id, guid])


def by_canonical_url(store: Store, canonical_url: str, feed_id: int) -> dict | None:
    """An article with this canonical URL: the feed's own one if it has it, else the oldest."""
    return _one(store, "SELECT id, story_id, feed_id FROM articles WHERE canonical_url = ? "
                       "ORDER BY feed_id IS ? DESC, id LIMIT 1", [canonical_url, feed_id])


def by_content_hash(store: Store, content_hash: str, feed_id: int) -> dict | None:
    """An article with this content hash: the feed's own one if it has it, else the oldest."""
    return _one(store, "SELECT id, story_id, feed_id FROM articles WHERE content_hash = ? "
                       "ORDER BY feed_id IS ? DESC, id LIMIT 1", [content_hash, feed_id])


def story_of(store: Store, article_id: int) -> int | None:
    row = store.conn.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0] if row else None


def recent_signatures(store: Store, since: str):
    """(article_id, minhash blob) of articles published (or fetched) since ``since``."""
    return store.conn.execute(
        "SELECT id, minhash FROM articles WHERE minhash IS NOT NULL AND coalesce(published_at, fetched_at) >= ?",
        [since])


def get(store: Store, article_id: int) -> dict | None:
    return _one(store, "SELECT * FROM articles WHERE id = ?", [article_id])


# --------------------------------------------------------------------------------------------- writes
def insert(store: Store, article: dict, story_id: int | None = None) -> tuple[int, int]:
    """Insert one article, and its story when ``story_id`` is None, in ONE transaction.

    With a ``story_id`` the article is stored as a copy (is_duplicate=1) of that story.
    Returns (article_id, story_id).
    """
    row = {k: article.get(k) for k in ARTICLE_FIELDS}
    row["fetched_at"] = row["fetched_at"] or iso()
    row["truncated"] = int(bool(row["truncated"]))
    with store.transaction() as db:  # plain SQL: sqlite-utils' insert introspects the table on every call
        if story_id is None:
            story_id = db.execute("INSERT INTO stories (title, created_at) VALUES (?, ?)",
                                  [row["title"], row["fetched_at"]]).lastrowid
            row["is_duplicate"] = 0
        else:
            row["is_duplicate"] = 1
        row["story_id"] = story_id
        article_id = db.execute(f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                                list(row.values())).lastrowid
    return article_id, story_id


def update(store: Store, article_id: int, changes: dict) -> None:
    """Replace an article's content (a changed local file); the FTS index follows through its triggers.

    A new ``content_hash`` makes the article pending for extraction again (tracker.store.extractions): until
    then its company mentions and sectors, which were read from the old text, are removed, so search and
    the board never show companies or passages the text no longer holds. Its claims stay until the new
    extraction replaces or retracts them."""
    changes = {k: v for k, v in changes.items() if k in ARTICLE_FIELDS}
    with store.transaction() as db:
        if "content_hash" in changes:
            for table in ("mentions", "article_sectors"):
                db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
        db["articles"].update(article_id, {**changes, "gone_at": None})
        if "title" in changes:
            db.execute("UPDATE stories SET title = ? WHERE id = (SELECT story_id FROM articles WHERE id = ?) "
                       "AND (SELECT is_duplicate FROM articles WHERE id = ?) = 0",
                       [changes["title"], article_id, article_id])


def pages_due(store: Store, now: str, limit: int) -> list[dict]:
    """Articles whose page is wanted and due (with their feed's URL): the oldest of every feed first, then the next of every feed, and
    so on, so that one huge feed cannot fill a pass and starve the others."""
    return [dict(r) for r in store.db.query(
        "SELECT q.id, q.url, q.title, q.text, q.page_attempts, f.url AS feed_url FROM ("
        "  SELECT id, url, title, text, page_attempts, feed_id,"
        "         row_number() OVER (PARTITION BY feed_id ORDER BY id) AS turn FROM articles"
        "  WHERE page_status = 'wanted' AND (page_next_at IS NULL OR page_next_at <= ?)"
        ") q LEFT JOIN feeds f ON f.id = q.feed_id ORDER BY q.turn, q.id LIMIT ?", [now, limit])]


def pages_wanted_count(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM articles WHERE page_status = 'wanted'").fetchone()[0]


def page_done(store: Store, article_id: int, changes: dict | None) -> None:
    """The page was fetched: its text replaces the feed's (``changes``), or the feed's text was as good (None)."""
    if changes:  # one transaction: the new text (pending extraction again) and the queue's state
        update(store, article_id, {**changes, "fetched_at": iso(), "page_status": "fetched"})
    else:
        with store.transaction() as db:
            db.execute("UPDATE articles SET page_status = 'fetched' WHERE id = ?", [article_id])


def page_failed(store: Store, article_id: int, error: str, attempts: int, next_at: str | None, give_up: bool) -> None:
    with store.transaction() as db:
        db.execute("UPDATE articles SET page_status = ?, page_error = ?, page_attempts = ?, page_next_at = ? "
                   "WHERE id = ?", ["failed" if give_up else "wanted", error, attempts, next_at, article_id])


def mark_gone(store: Store, feed_id: int, present_guids: list[str]) -> int:
    """Mark the articles of a local source whose file is not in ``present_guids`` gone (now), and clear the
    mark of those whose file is back. Returns how many were newly marked gone."""
    listed = json.dumps(present_guids)
    with store.transaction() as db:
        gone = db.execute("UPDATE articles SET gone_at = ? WHERE feed_id = ? AND gone_at IS NULL AND guid IS NOT NULL "
                          "AND guid NOT IN (SELECT value FROM json_each(?))", [iso(), feed_id, listed]).rowcount
        db.execute("UPDATE articles SET gone_at = NULL WHERE feed_id = ? AND gone_at IS NOT NULL "
                   "AND guid IN (SELECT value FROM json_each(?))", [feed_id, listed])
    return gone


# --------------------------------------------------------------------------------------------- search
_PHRASE = re.compile(r'"([^"]*)"')
_TERM = re.compile(r"\w+", re.UNICODE)


def fts_query(query: str) -> str | None:
    """A safe FTS5 MATCH expression: every word (or quoted phrase) quoted, all required (AND).

    Operators, stray quotes and punctuation in user input become plain words or disappear,
    so ``AI "chips``, ``-`` or ``NEAR(`` never raise. Returns None when nothing searchable is left.
    """
    parts = []
    for phrase in _PHRASE.findall(query):
        toks = _TERM.findall(phrase)
        if toks:
            parts.append('"' + " ".join(toks) + '"')
    rest = _PHRASE.sub(" ", query)
    parts += [f'"{t}"' for t in _TERM.findall(rest)]
    return " ".join(parts) or None


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def _mention_keys(query: str) -> set[str]:
    """Forms of the query to look up as a company name, alias or ticker: '$TSM', 'NYSE: TSM' -> 'tsm';
    names also in the securities master's normal form ('SK Hynix, Inc.' -> 'sk hynix inc')."""
    q = _norm(query).strip("\"'")
    keys = {q, q.lstrip("$"), alias_norm(q)}
    if ":" in q:  # exchange-prefixed ticker: NASDAQ: MSFT, KRX:005930, HK:1211
        keys.add(q.split(":", 1)[1].strip())
    return {k for k in keys if k}


_BARE_CODE = re.compile(r"^[a-z0-9]{1,10}$")


def fts_hits(conn, query: str, limit: int) -> dict[int, float]:
    """article_id -> bm25 score (higher is better) of the ``limit`` best articles whose text holds every word of
    ``query``, among the newest SEARCH_RANK_WINDOW such articles (walking the match list by rowid is cheap;
    scoring it is not). Snippets are cut afterwards, for the results shown only (``fts_snippets``)."""
    match = fts_query(query)
    if not match:
        return {}
    oldest = conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC "
                          "LIMIT 1 OFFSET ?", [match, D.SEARCH_RANK_WINDOW - 1]).fetchone()
    w = ", ".join(str(x) for x in D.SEARCH_FTS_WEIGHTS)
    sql = (f"SELECT rowid, -bm25(articles_fts, {w}) FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= ? "
           f"ORDER BY bm25(articles_fts, {w}) LIMIT ?")
    return {r[0]: r[1] for r in conn.execute(sql, [match, oldest[0] if oldest else 0, limit])}


def fts_snippets(conn, query: str, ids: list[int]) -> dict[int, str]:
    """article_id -> the passage around the query's words, for these articles."""
    match = fts_query(query)
    if not match or not ids:
        return {}
    sql = (f"SELECT rowid, snippet(articles_fts, -1, '[', ']', ' … ', {D.SEARCH_SNIPPET_TOKENS}) FROM articles_fts "
           f"WHERE articles_fts MATCH ? AND rowid IN ({','.join('?' * len(ids))})")
    return {r[0]: r[1] for r in conn.execute(sql, [match, *ids])}


def mention_hits(conn, query: str, limit: int) -> dict[int, tuple[int, int]]:
    """article_id -> (start, end) of its first mention of a company named, aliased or tickered as ``query``
    (the ``limit`` most recent articles). Every listing of the company counts, so 'TSM' (the ADR) finds
    articles linked to 2330.TW, and a bare code finds its Yahoo symbol ('6758' -> 6758.T).

    The query's forms are resolved to symbols and company keys through the securities master first; then each
    (column, value) is one lookup of the newest ``limit`` articles straight off an index ending in article_id
    (schema v10), and the lookups are merged here. One SQL statement with an OR or IN over them read every
    mention of a big company (100-300 ms at 100,000 articles)."""
    keys = sorted(_mention_keys(query))
    if not keys:
        return {}
    marks = ",".join("?" * len(keys))
    codes = [k.upper() for k in keys if _BARE_CODE.match(k)]
    ranges = "".join(" UNION SELECT symbol FROM securities WHERE symbol >= ? AND symbol < ?" for _ in codes)
    bounds = [b for c in codes for b in (c + ".", c + "/")]  # '6758.' <= symbol < '6758/': 6758.T, 6758.JP...
    symbols = [r[0] for r in conn.execute(
        f"SELECT symbol FROM security_aliases WHERE alias_norm IN ({marks}) "
        f"UNION SELECT symbol FROM securities WHERE lower(symbol) IN ({marks}){ranges}", keys * 2 + bounds)]
    companies = [r[0] for r in conn.execute(
        f"SELECT DISTINCT company_key FROM securities WHERE symbol IN ({','.join('?' * len(symbols))}) "
        "AND company_key IS NOT NULL", symbols)] if symbols else []
    lookups = [(expr, k) for expr in ("lower(name)", "lower(canonical)", "lower(symbol)") for k in keys]
    lookups += [("symbol", s) for s in symbols] + [("company_key", k) for k in companies]
    found: dict[int, tuple[int, int]] = {}
    for expr, value in lookups:  # each served by its index (schema v10)
        for article_id, start, end in conn.execute(
                f'SELECT article_id, min(start), min("end") FROM mentions WHERE {expr} = ? '
                f"GROUP BY article_id ORDER BY article_id DESC LIMIT ?", [value, limit]):
            if article_id not in found or start < found[article_id][0]:
                found[article_id] = (start, end)
    return {a: found[a] for a in sorted(found, reverse=True)[:limit]}


def _snippet_around(text: str | None, start: int, end: int, width: int = 120) -> str:
    text = text or ""
    a, b = max(0, start - width), min(len(text), end + width)
    return ("… " if a else "") + text[a:start] + "[" + text[start:end] + "]" + text[end:b] + (" …" if b < len(text) else "")


def search(store: Store, query: str, limit: int = 20) -> list[dict]:
    """One result per story, best first:
    {story_id, article_id, title, url, published_at, snippet, score, gone_at, truncated, sources: [...],
    companies: [...]}.

    Matches full text (FTS5, bm25 over title/summary/text) and, through ``mentions`` and
    ``security_aliases``, articles that mention a company named, aliased or tickered as the query.
    ``article_id``/``title``/``url`` are the story's original article; ``sources`` lists every article
    of the story (feed_id, source_name, url, published_at, gone_at, truncated); ``companies`` the companies it
    mentions. ``gone_at`` is set when the article's local file has disappeared; ``truncated`` when only the
    start of its text was stored.
    """
    limit = max(1, min(int(limit), D.SEARCH_MAX_LIMIT))
    candidates = limit * 10 + 50  # articles looked at, so that copies of one story still leave ``limit`` stories
    fts = fts_hits(store.conn, query, candidates)
    mentioned = mention_hits(store.conn, query, candidates)
    scores: dict[int, float] = dict(fts)
    for a in mentioned:
        scores[a] = scores.get(a, 0.0) + D.SEARCH_MENTION_SCORE
    if not scores:
        return []
    ids = list(scores)
    marks = ",".join("?" * len(ids))
    hit_rows = {r[0]: r[1] for r in store.conn.execute(f"SELECT id, story_id FROM articles WHERE id IN ({marks})", ids)}
    best: dict[int, int] = {}  # story -> best-scoring article
    for a, s in hit_rows.items():
        if s not in best or scores[a] > scores[best[s]]:
            best[s] = a
    ranked = sorted(best, key=lambda s: -scores[best[s]])[:limit]
    if not ranked:
        return []
    return _story_results(store, query, ranked, best, scores, mentioned)


def _snippets(store, query: str, articles: list[int], mentioned: dict[int, tuple[int, int]]) -> dict[int, str]:
    """The passage shown for each result: around the query's words, else around the company's first mention."""
    out = fts_snippets(store.conn, query, articles)
    rest = [a for a in articles if a not in out and a in mentioned]
    if rest:
        for a, text, summary in store.conn.execute(
                f"SELECT id, text, summary FROM articles WHERE id IN ({','.join('?' * len(rest))})", rest):
            out[a] = _snippet_around(text or summary, *mentioned[a])
    return out


def _story_results(store, query, stories, best, scores, mentioned) -> list[dict]:
    marks = ",".join("?" * len(stories))
    members = defaultdict(list)
    for r in store.db.query(
            f"SELECT a.id, a.story_id, a.feed_id, a.source_name, a.url, a.title, a.published_at, a.is_duplicate, "
            f"a.gone_at, a.truncated, f.name AS feed_name FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id "
            f"WHERE a.story_id IN ({marks}) ORDER BY a.is_duplicate, coalesce(a.published_at, a.fetched_at), a.id",
            stories):
        members[r["story_id"]].append(r)
    companies = defaultdict(dict)
    for r in store.db.query(
            f"SELECT a.story_id, m.canonical, m.symbol, m.company_key FROM mentions m "
            f"JOIN articles a ON a.id = m.article_id WHERE a.story_id IN ({marks}) ORDER BY m.start", stories):
        key = r["company_key"] or r["symbol"] or r["canonical"]
        companies[r["story_id"]].setdefault(key, {"name": r["canonical"], "symbol": r["symbol"],
                                                  "company_key": r["company_key"]})
    snippets = _snippets(store, query, [best[s] for s in stories], mentioned)
    out = []
    for s in stories:
        original = members[s][0]
        a = best[s]
        snippet = snippets.get(a, "")
        out.append({
            "story_id": s, "article_id": original["id"], "title": original["title"], "url": original["url"],
            "published_at": original["published_at"], "snippet": snippet, "score": round(scores[a], 4),
            "gone_at": original["gone_at"], "truncated": bool(original["truncated"]),
            "sources": [{"feed_id": m["feed_id"], "source_name": m["source_name"] or m["feed_name"],
                         "url": m["url"], "published_at": m["published_at"], "gone_at": m["gone_at"],
                         "truncated": bool(m["truncated"])} for m in members[s]],
            "companies": list(companies[s].values()),
        })
    return out
