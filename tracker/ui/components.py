"""Pieces shared by the board's pages: opening the database, escaping text, story lists, highlights."""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import quote

import streamlit as st

from tracker import defaults as D
from tracker.config import load_settings
from tracker.errors import ConfigError
from tracker.store import board
from tracker.timeutil import now, parse_iso

_MD_CHARS = re.compile(r"([\\`*_\[\]$~|])")
_MD_LINE_START = re.compile(r"^(\s*)([-+*#]|\d+[.)])(?=\s|$)", re.MULTILINE)  # list items, headings


def open_board(title: str, *, needs_articles: bool = True) -> str:
    """Render the page title and the database line; return the db path, or stop the page with the reason.

    The database comes from the same settings as the CLI ($TRACKER_CONFIG / ./tracker.toml, $TRACKER_DB).
    """
    st.title(title)
    try:
        settings = load_settings()
    except ConfigError as e:
        st.error(str(e))
        st.stop()
    db = str(settings.db_path.resolve())
    state = board.status(db)
    with st.sidebar:
        st.caption(f"Database: `{db}`")
        if state["ok"]:
            st.caption(f"{state['articles']} articles · {state['feeds']} feeds · schema v{state['schema_version']}")
        if st.button("Reload data", help="Forget cached queries and read the store again."):
            st.cache_data.clear()
    if not state["ok"]:
        st.warning(state["message"])
        st.stop()
    if needs_articles and not state["articles"]:
        st.info(state["message"])
        st.stop()
    return db


def md(text: str | None) -> str:
    """Text from feeds shown literally in markdown: no HTML, links, emphasis, LaTeX or list markers."""
    escaped = _MD_CHARS.sub(r"\\\1", html.escape(text or "", quote=False))
    return _MD_LINE_START.sub(r"\1\\\2", escaped)


def link(label: str, url: str | None) -> str:
    """A markdown link for http(s) URLs; other locations (local files) as plain text."""
    if url and url.startswith(("http://", "https://")):
        return f"[{md(label)}]({quote(url, safe=':/?&=#%+@,;~')})"
    return md(label)


def when(value: str | None) -> str:
    """'2026-11-27 08:00' (UTC) from a stored ISO timestamp; '' when unknown."""
    dt = parse_iso(value)
    return dt.strftime("%Y-%m-%d %H:%M") if dt else ""


def relative(value: str | None, *, empty: str = "now") -> str:
    """'in 25 min', '3 h ago', ... from a stored ISO timestamp (``empty`` when there is none)."""
    dt = parse_iso(value)
    if dt is None:
        return empty
    seconds = (dt - now()).total_seconds()
    span = abs(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if span >= size:
            amount = f"{int(span // size)} {unit}"
            break
    else:
        amount = f"{int(span)} s"
    return f"in {amount}" if seconds > 0 else f"{amount} ago"


def story_lines(story: dict) -> str:
    """One story as markdown: linked title, then date, every source that carried it, companies."""
    sources = ", ".join(link(s["source_name"] or "unknown source", s["url"]) for s in story["sources"])
    count = len(story["sources"])
    parts = [when(story["published_at"])[:10], f"{sources} ({count} source{'s' if count > 1 else ''})"]
    if story["companies"]:
        parts.append(md(", ".join(story["companies"])))
    return f"**{link(story['title'] or '(untitled)', story['url'])}**  \n" + " · ".join(p for p in parts if p)


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def story_list(stories: list[dict]) -> None:
    for story in stories:
        with st.container(border=True):
            st.markdown(story_lines(story))
            if story["summary"]:
                st.caption(md(shorten(story["summary"], D.BOARD_SUMMARY_CHARS)))


def highlighted(context: tuple[str, str, str]) -> str:
    """Markdown (with one <mark>) for a claim's (before, sentence, after)."""
    before, sentence, after = context
    return f"{md(before)}<mark>{md(sentence)}</mark>{md(after)}"


def date_str(value: date | None) -> str | None:
    return value.isoformat()[:10] if value else None


def show_article(article: dict) -> None:
    """An article's header, sources, companies, sectors, claims and text (from ``board.article_detail``)."""
    st.header(article["title"] or "(untitled)")
    carried = ", ".join(link(s["source_name"] or "unknown source", s["url"]) for s in article["sources"])
    st.markdown(f"{when(article['published_at'] or article['fetched_at'])} · {md(article['author'] or '')} "
                f"· carried by {carried}")
    companies_col, sectors_col = st.columns([3, 2])
    companies_col.subheader("Companies")
    if article["companies"]:
        companies_col.dataframe(article["companies"], hide_index=True,
                                column_order=["company", "ticker", "mentions", "written_as", "confidence"])
    else:
        companies_col.caption("No companies found in this article.")
    sectors_col.subheader("Sectors")
    if article["sectors"]:
        sectors_col.dataframe(article["sectors"], hide_index=True,
                              column_config={"confidence": st.column_config.ProgressColumn(min_value=0, max_value=1)})
    else:
        sectors_col.caption("No sectors tagged.")
    st.subheader("Claims")
    if article["claims"]:
        for claim in article["claims"]:
            facts = " · ".join(md(str(v)) for v in (claim["metric"], claim["direction"], claim["magnitude"],
                                                     claim["horizon"]) if v)
            st.markdown(f"> {md(claim['sentence'])}  \n> **{md(claim['subject'] or '?')}** {facts} "
                        f"· status: {claim['status']}")
    else:
        st.caption("No claims extracted from this article.")
    with st.expander("Text"):
        st.markdown(md(article["text"] or article["summary"] or ""))
