"""Parsing feed bytes: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 with feedparser, JSON Feed by hand.

Never raises on bad input: ``parse_feed`` returns a ``ParsedFeed`` with whatever entries could be read,
``warnings`` (readable; any warning makes the fetch 'partial') and ``error`` (nothing usable: 'error').
Entity declarations in a DOCTYPE are removed before parsing, so no entity is ever expanded
(billion laughs, quadratic blow-up, external file/http entities).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

import feedparser

from tracker import defaults as D
from tracker.timeutil import iso, now, parse_iso


@dataclass
class Entry:
    guid: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: str | None = None  # ISO-8601 UTC, or None when absent/unusable
    summary: str | None = None
    content: str | None = None  # full content carried by the feed (HTML or text), if any
    language: str | None = None
    truncated: bool = False  # summary or content was cut at a size cap


@dataclass
class ParsedFeed:
    title: str | None = None
    version: str = ""
    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # set when the body is not a usable feed at all
    capped: bool = False


# ------------------------------------------------------------------------------------------ hardening
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF16_PROLOGS = {b"<\x00?\x00": "utf-16-le", b"\x00<\x00?": "utf-16-be"}  # no BOM, declared in <?xml?>
_DOCTYPE = re.compile(r"<!DOCTYPE", re.I)
_SUBSET_END = re.compile(r"\]\s*>")
_FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")
_ENTITY_DECL = re.compile(r"<!ENTITY[^>]*>", re.I)
_ENTITY_NAME = re.compile(r"<!ENTITY\s+(?:%\s*)?([\w.:-]+)", re.I)


def strip_entity_declarations(body: bytes) -> tuple[bytes, bool]:
    """Remove a DOCTYPE whose internal subset declares entities. Returns (body, removed).

    The bytes are scanned as latin-1 (a lossless round trip for UTF-8 and every single-byte
    encoding) or as UTF-16 when the body starts with a UTF-16 byte-order mark or a UTF-16 "<?".
    """
    codec = _UTF16_PROLOGS.get(body[:4], "utf-16" if body[:2] in _UTF16_BOMS else "latin-1")
    try:
        text = body.decode(codec)
    except UnicodeDecodeError:
        return body, False
    start = _DOCTYPE.search(text)
    root = _FIRST_ELEMENT.search(text)
    if not start or (root and root.start() < start.start()):  # a DOCTYPE only counts before the root
        return body, False
    bracket = text.find("[", start.end())
    close = text.find(">", start.end())
    if bracket == -1 or (close != -1 and close < bracket):  # no internal subset: nothing declared
        return body, False
    end = _SUBSET_END.search(text, bracket)
    stop = end.end() if end else len(text)
    if not _ENTITY_NAME.search(text, bracket, stop):
        return body, False
    names = _ENTITY_NAME.findall(text, bracket)  # also those declared after a value that held "]>"
    # Leftovers (a declaration whose value held "]>") lose their markup too; references to the
    # removed entities are dropped, so the strict parser does not fall back to the slow loose one.
    rest = _ENTITY_DECL.sub("", text[stop:])
    refs = re.compile("&(?:" + "|".join(re.escape(n) for n in set(names)) + ");")
    rest = refs.sub("", rest)
    return (text[:start.start()] + rest).encode(codec), True


def _cap(value: str | None, what: str, warnings: set[str]) -> str | None:
    if value is None:
        return None
    value = str(value)
    if len(value) > D.MAX_FIELD_CHARS:
        warnings.add(f"{what} longer than {D.MAX_FIELD_CHARS} characters truncated")
        return value[: D.MAX_FIELD_CHARS]
    return value


def _clean_date(dt: datetime | None, warnings: set[str]) -> str | None:
    """ISO string, or None for absurd dates (before DATE_MIN_YEAR or too far in the future)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    if dt.year < D.DATE_MIN_YEAR or (dt - now()).total_seconds() > D.DATE_MAX_FUTURE_S:
        warnings.add(f"absurd dates (before {D.DATE_MIN_YEAR} or in the future) stored as NULL")
        return None
    return iso(dt)


def _struct_to_dt(st) -> datetime | None:
    try:
        return datetime(*st[:6], tzinfo=timezone.utc) if st else None  # feedparser's struct_time is UTC
    except (ValueError, TypeError):
        return None


def _finish(entry: Entry, warnings: set[str]) -> Entry | None:
    """Cap fields; drop an entry that carries nothing to read."""
    entry.truncated = entry.truncated or any(len(str(x)) > D.MAX_FIELD_CHARS for x in (entry.summary, entry.content) if x)
    for name in ("guid", "url", "title", "author", "summary", "content", "language"):
        setattr(entry, name, _cap(getattr(entry, name), name, warnings) or None)
    if not (entry.title or entry.summary or entry.content):
        warnings.add("entries without title or content skipped")
        return None
    if not (entry.guid or entry.url):
        warnings.add("entries without link or id kept (matched by content)")
    return entry


# ----------------------------------------------------------------------------------------- feedparser
def _looks_like_html(body: bytes, content_type: str) -> bool:
    head = body[:2048].lstrip().lower()
    return "html" in content_type or head.startswith(b"<!doctype html") or head.startswith(b"<html")


def _from_feedparser(body: bytes, headers: dict[str, str], max_entries: int) -> ParsedFeed:
    out = ParsedFeed()
    warnings: set[str] = set()
    body, stripped = strip_entity_declarations(body)
    if stripped:
        warnings.add("DOCTYPE with entity declarations removed (entities are never expanded)")
    # A file-like object, so feedparser never treats the bytes as a URL or a path to open.
    d = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=True)
    out.version = d.get("version") or ""
    out.title = _cap(d.feed.get("title"), "feed title", warnings)
    if d.get("bozo") and d.get("bozo_exception") is not None:
        warnings.add(f"{type(d.bozo_exception).__name__}: {d.bozo_exception}")
    entries = d.entries
    if len(entries) > max_entries:
        warnings.add(f"feed has {len(entries)} entries: only the first {max_entries} kept (max_entries_per_feed)")
        entries, out.capped = entries[:max_entries], True
    for e in entries:
        content = max((c.get("value") or "" for c in e.get("content") or []), key=len, default=None)
        # dict.get: feedparser's own get() maps updated<->published with a DeprecationWarning.
        dt = _struct_to_dt(dict.get(e, "published_parsed") or dict.get(e, "updated_parsed"))
        if dt is None and (dict.get(e, "published") or dict.get(e, "updated")):
            warnings.add("unparsable dates stored as NULL")
        entry = Entry(guid=e.get("id"), url=e.get("link"), title=e.get("title"), author=e.get("author"),
                      published_at=_clean_date(dt, warnings), summary=e.get("summary"), content=content,
                      language=(e.get("title_detail") or {}).get("language") or d.feed.get("language"))
        entry = _finish(entry, warnings)
        if entry:
            out.entries.append(entry)
    if not out.version and not out.entries:
        ctype = headers.get("content-type", "")
        if not body.strip():
            out.error = "empty response body"
        elif _looks_like_html(body, ctype):
            out.error = (f"not a feed: the server sent an HTML page ({ctype or 'no content-type'}); "
                         "check the URL points at the RSS/Atom/JSON feed itself")
        else:
            detail = "; ".join(sorted(warnings)) or "no RSS, Atom or JSON Feed found"
            out.error = f"not a readable feed: {detail}"
    out.warnings = sorted(warnings)
    return out


# ------------------------------------------------------------------------------------------ JSON Feed
def _is_json_feed(body: bytes, content_type: str) -> bool:
    if "json" in content_type:
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _json_date(value, warnings: set[str]) -> str | None:
    if not value:
        return None
    dt = parse_iso(str(value))
    if dt is None:
        warnings.add("unparsable dates stored as NULL")
    return _clean_date(dt, warnings)


def _from_json_feed(body: bytes, max_entries: int) -> ParsedFeed:
    out = ParsedFeed(version="json")
    warnings: set[str] = set()
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        out.error = f"not a readable JSON Feed: {type(e).__name__}: {e}"
        return out
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        out.error = "not a JSON Feed: no 'items' list (see https://jsonfeed.org/version/1.1)"
        return out
    if "jsonfeed.org/version" not in str(doc.get("version", "")):
        warnings.add("JSON document without a jsonfeed.org version: read as a JSON Feed anyway")
    out.title = _cap(doc.get("title"), "feed title", warnings)
    items = doc["items"]
    if len(items) > max_entries:
        warnings.add(f"feed has {len(items)} entries: only the first {max_entries} kept (max_entries_per_feed)")
        items, out.capped = items[:max_entries], True
    for it in items:
        if not isinstance(it, dict):
            warnings.add("items that are not objects skipped")
            continue
        authors = it.get("authors") or ([it["author"]] if isinstance(it.get("author"), dict) else [])
        author = ", ".join(str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")) or None
        entry = Entry(guid=str(it["id"]) if it.get("id") is not None else None,
                      url=it.get("url") or it.get("external_url"), title=it.get("title"), author=author,
                      published_at=_json_date(it.get("date_published") or it.get("date_modified"), warnings),
                      summary=it.get("summary"), content=it.get("content_html") or it.get("content_text"),
                      language=it.get("language") or doc.get("language"))
        entry = _finish(entry, warnings)
        if entry:
            out.entries.append(entry)
    out.warnings = sorted(warnings)
    return out


def parse_feed(body: bytes, headers: dict[str, str] | None = None, *,
               max_entries: int = D.MAX_ENTRIES_PER_FEED) -> ParsedFeed:
    """Parse a feed body with the HTTP response headers (lower-cased names; content-location = base URL)."""
    headers = headers or {}
    if not body.strip():
        return ParsedFeed(error="empty response body")
    if _is_json_feed(body, headers.get("content-type", "").lower()):
        return _from_json_feed(body, max_entries)
    try:
        return _from_feedparser(body, headers, max_entries)
    except Exception as e:  # feedparser is meant not to raise; a bug there must not stop a run
        return ParsedFeed(error=f"the feed parser failed: {type(e).__name__}: {e}")
