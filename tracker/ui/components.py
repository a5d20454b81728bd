"""Pieces shared by the board's pages: opening the database, showing untrusted text inertly, safe links, statuses.

Everything that comes from a feed or an article (titles, text, authors, source names, claim subjects, snippets,
URLs) is untrusted: it is printed through ``md`` (no HTML, links, images, emphasis, LaTeX or list markers), a
link is only built for an http(s) URL (``web_url``), and the one HTML the board writes (the ``<mark>`` of a
highlight) is built from escaped text (``highlighted``).
"""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import quote, urlsplit

import streamlit as st

from tracker.config import load_settings
from tracker.errors import ConfigError
from tracker.store import board
from tracker.timeutil import now, parse_iso
from tracker.vocab import STATUSES

_MD_CHARS = re.compile(r"([\\`*_\[\]$~|:!])")  # ':' too: Streamlit's :red[...] / :material/x: directives
_MD_LINE_START = re.compile(r"^(\s*)([-+*#]|\d+[.)])(?=\s|$)", re.MULTILINE)  # list items, headings
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# GitHub-flavoured Markdown turns bare "http://...", "www...." and "name@host.tld" into links (mailto: too):
# an invisible word joiner after the scheme or "www" and before "@" keeps untrusted text from becoming one.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|www)(?=[:.])|(?=@)")
_JOINER = "\u2060"

# colour (st.badge / Markdown badge) and icon of each status, with its word: never colour alone
STATUS_STYLE = {"holding": ("green", ":material/check_circle:"), "weakening": ("orange", ":material/warning:"),
                "broken": ("red", ":material/cancel:"), "unknown": ("gray", ":material/help:")}
assert tuple(STATUS_STYLE) == STATUSES, "one style per status of tracker.vocab"
SAMPLE_DATA = "SAMPLE DATA"


def open_board(title: str | None, *, needs_articles: bool = True) -> str:
    """Render the page title (a fixed, trusted one) and the database line; return the db path, or stop the page
    with the reason. The database comes from the same settings as the CLI ($TRACKER_CONFIG / ./tracker.toml,
    $TRACKER_DB)."""
    if title:
        st.title(title)
    try:
        settings = load_settings()
    except ConfigError as e:
        st.error(str(e))  # the config's own keys and values (trusted: the user's file)
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
        st.warning(state["message"])  # our sentence and the configured path
        st.stop()
    if needs_articles and not state["articles"]:
        st.info(state["message"])
        st.stop()
    return db


def md(text: str | None) -> str:
    """Untrusted text shown literally in Markdown: no HTML, links (autolinks included), images, emphasis,
    directives, LaTeX or lists."""
    unlinked = _AUTOLINK.sub(lambda m: (m.group(1) or "") + _JOINER, str(text or ""))
    escaped = _MD_CHARS.sub(r"\\\1", html.escape(unlinked, quote=False))
    return _MD_LINE_START.sub(r"\1\\\2", escaped)


def web_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else None (javascript:, data:, file paths...)."""
    if not url or _CONTROL.search(url):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def link(label: str, url: str | None) -> str:
    """A Markdown link for http(s) URLs; anything else (local files, javascript:, data:) as plain text."""
    safe = web_url(url)
    if safe:
        return f"[{md(label)}]({quote(safe, safe=':/?&=#%+@,;~')})"
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


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def highlighted(context: tuple[str, str, str]) -> str:
    """Markdown with one <mark> around the middle of (before, highlight, after); every part escaped first."""
    before, middle, after = context
    return f"{md(before)}<mark>{md(middle)}</mark>{md(after)}"


def date_str(value: date | None) -> str | None:
    return value.isoformat()[:10] if value else None


def num(value) -> str:
    """A value as the board prints it: 4 significant digits, thousands separated; '—' when missing."""
    if value is None:
        return "—"
    return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"


def status_md(status: str | None) -> str:
    """A status as an inline Markdown badge: colour, icon and the word."""
    colour, icon = STATUS_STYLE.get(status or "unknown", STATUS_STYLE["unknown"])
    return f":{colour}-badge[{icon} {status or 'unknown'}]"


def status_badge(status: str | None) -> None:
    colour, icon = STATUS_STYLE.get(status or "unknown", STATUS_STYLE["unknown"])
    st.badge(status or "unknown", icon=icon, color=colour)


def counts_md(counts: dict) -> str:
    """'2 holding · 1 broken' (statuses with no claim left out), '0 claims' when empty."""
    parts = [f"{counts[s]} {s}" for s in STATUSES if counts.get(s)]
    return " · ".join(parts) or "0 claims"


def query_id(name: str = "id") -> int | None:
    """The integer in the page's query parameter ``name`` (``/claim?id=12``), or None."""
    value = st.query_params.get(name, "")
    return int(value) if value.isdigit() else None


@st.cache_resource(show_spinner=False)
def favicon():
    """The tab icon, drawn here (a rising line on a dark square): served by the board itself, no CDN asked."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (32, 32), (28, 43, 64))
    ImageDraw.Draw(image).line([(5, 24), (12, 17), (18, 20), (27, 8)], fill=(80, 200, 120), width=3)
    return image
