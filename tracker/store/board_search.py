"""Read-only queries behind the board's Search page: companies suggested from the securities master, every
article that mentions a company (through the extracted mentions, not its words) with the mention in context and
the article's claims, and the articles a similar-meaning search found (ids from ``article_vectors.VectorIndex``).

Filters shared by every mode: ``date_from``/``date_to`` (YYYY-MM-DD, on the publication date, else the fetch
date), ``sources`` (source names) and ``sector`` (a tag of the article or of one of its claims).
"""

from __future__ import annotations

from tracker import defaults as D
from tracker.names import alias_norm
from tracker.store import reports
from tracker.store.articles import article_text
from tracker.store.board import _in, _rows, _story, article_filters

def sectors(conn) -> list[str]:
    """Sectors and themes that tag at least one article (the Search page's sector filter)."""
    return [r[0] for r in conn.execute("SELECT DISTINCT sector FROM article_sectors ORDER BY 1")]


# ------------------------------------------------------------------------------------------ companies
def company_suggestions(conn, text: str, limit: int = D.BOARD_SUGGESTIONS) -> list[dict]:
    """Companies of the securities master that ``text`` names: an alias or ticker equal to it first, then aliases
    and tickers starting with it, then names containing it; the most covered first within each. Each:
    ``{company_key, name, ticker (home listing), articles (how many mention it)}``."""
    low = " ".join(text.lower().split()).strip("$\"'")
    if ":" in low:  # an exchange prefix: "NYSE: TSM", "KRX:005930"
        low = low.split(":", 1)[1].strip()
    norm = alias_norm(low)
    if not low:
        return []
    like = low.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    cur = conn.execute(r"""
        WITH hits (company_key, rank) AS (
            SELECT s.company_key, 0 FROM security_aliases a JOIN securities s ON s.symbol = a.symbol
                WHERE a.alias_norm = :norm
            UNION ALL SELECT company_key, 0 FROM securities WHERE lower(symbol) = :low OR lower(symbol) LIKE :code
                ESCAPE '\'
            UNION ALL SELECT s.company_key, 1 FROM security_aliases a JOIN securities s ON s.symbol = a.symbol
                WHERE :norm != '' AND a.alias_norm >= :norm AND a.alias_norm < :norm || char(1114111)
            UNION ALL SELECT company_key, 1 FROM securities WHERE lower(symbol) LIKE :prefix ESCAPE '\'
            UNION ALL SELECT company_key, 2 FROM securities WHERE lower(name) LIKE :inner ESCAPE '\')
        SELECT h.company_key, min(h.rank) AS rank,
               (SELECT name FROM securities WHERE company_key = h.company_key
                ORDER BY is_primary DESC, symbol LIMIT 1) AS name,
               (SELECT symbol FROM securities WHERE company_key = h.company_key
                ORDER BY is_primary DESC, listing_kind = 'primary' DESC, symbol LIMIT 1) AS ticker,
               (SELECT count(DISTINCT m.article_id) FROM mentions m WHERE m.company_key = h.company_key) AS articles
        FROM hits h GROUP BY h.company_key ORDER BY rank, articles DESC, name LIMIT :limit""",
                       {"norm": norm, "low": low, "code": like + ".%", "prefix": like + "%", "inner": f"%{like}%",
                        "limit": int(limit)})
    return [dict(r) for r in cur]


def company_mentions(conn, company_key: str, *, sources=(), sector: str | None = None, date_from: str | None = None,
                     date_to: str | None = None, limit: int = D.BOARD_MAX_RESULTS) -> list[dict]:
    """Every article that mentions the company (any of its listings), newest first: the story (title, url, date,
    every source that carried it, companies), ``mention``: (before, as written, after) around its first mention,
    and ``claims``: the article's claims (``reports`` objects), those about this company first."""
    where, params = article_filters(sources=sources, sector=sector, date_from=date_from, date_to=date_to)
    rows = _rows(conn, f"""
        SELECT a.id, a.story_id, a.title, a.text, a.summary, min(m.start) AS m_start, m."end" AS m_end
        FROM mentions m JOIN articles a ON a.id = m.article_id
        WHERE (m.company_key = ? OR m.symbol IN (SELECT symbol FROM securities WHERE company_key = ?))
        {"".join(f" AND {w}" for w in where)}
        GROUP BY a.id ORDER BY max(COALESCE(a.published_at, a.fetched_at)) DESC, a.id DESC LIMIT ?""",
                 [company_key, company_key, *params, int(limit)])
    symbols = {r[0] for r in conn.execute("SELECT symbol FROM securities WHERE company_key = ?", [company_key])}
    claims = _claims_of(conn, [r["id"] for r in rows])
    out = []
    for r in rows:
        story = _story(conn, r["story_id"] if r["story_id"] is not None else -r["id"])
        text = article_text(r)
        width = D.BOARD_SUMMARY_CHARS // 2
        lo, hi = max(0, r["m_start"] - width), min(len(text), r["m_end"] + width)
        story["mention"] = (("…" if lo else "") + text[lo:r["m_start"]], text[r["m_start"]:r["m_end"]],
                            text[r["m_end"]:hi] + ("…" if hi < len(text) else ""))
        mine = claims.get(r["id"], [])
        story["claims"] = sorted(mine, key=lambda c: (c["subject_ticker"] not in symbols, c["id"]))
        story["article_id"] = r["id"]
        out.append(story)
    return out


def _claims_of(conn, article_ids: list[int]) -> dict[int, list[dict]]:
    if not article_ids:
        return {}
    ids = [r[0] for r in conn.execute(f"SELECT id FROM claims WHERE article_id IN ({_in(article_ids)}) "
                                      "AND retracted_at IS NULL", article_ids)]
    out: dict[int, list[dict]] = {}
    for c in reports.claims(conn, ids=ids):
        out.setdefault(c["article_id"], []).append(c)
    return out


# ------------------------------------------------------------------------------------ similar meaning
def similar_stories(conn, hits: list[tuple[int, float]], *, sources=(), sector: str | None = None,
                    date_from: str | None = None, date_to: str | None = None,
                    limit: int = D.BOARD_MAX_RESULTS) -> list[dict]:
    """The stories of ``hits`` ([(article_id, similarity)], best first) that pass the filters, best first, each
    with its ``similarity`` and the article's claims."""
    if not hits:
        return []
    ids = [a for a, _ in hits]
    where, params = article_filters(sources=sources, sector=sector, date_from=date_from, date_to=date_to)
    keep = {r[0]: r[1] for r in conn.execute(
        f"SELECT a.id, a.story_id FROM articles a WHERE a.id IN ({_in(ids)})" + "".join(f" AND {w}" for w in where),
        [*ids, *params])}
    out, seen = [], set()
    for article_id, score in hits:
        if article_id not in keep:
            continue
        story = keep[article_id] if keep[article_id] is not None else -article_id
        if story in seen:
            continue
        seen.add(story)
        s = _story(conn, story)
        s["similarity"] = round(score, 4)
        out.append(s)
        if len(out) >= limit:
            break
    claims = _claims_of(conn, [s["article_id"] for s in out])
    for s in out:
        s["claims"] = claims.get(s["article_id"], [])
    return out
