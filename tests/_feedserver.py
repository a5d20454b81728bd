"""Shared helpers for the collect tests: real loopback HTTP servers (pytest-httpserver) and one-call collection.

Import what you need: ``from tests._feedserver import rss, add_and_collect, feed_row, articles``.
"""

from __future__ import annotations

from email.utils import format_datetime

from tracker.collect import collect
from tracker.store import feeds as feeds_q
from tracker.timeutil import now

RSS_CT = "application/rss+xml; charset=utf-8"


def rss(items: list[dict], title: str = "Test feed") -> bytes:
    """An RSS 2.0 document; each item dict may hold title, link, guid, description, content, pubDate."""
    out = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
           f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{title}</title>']
    for it in items:
        out.append("<item>")
        for key in ("title", "link", "description", "pubDate"):
            if key in it:
                out.append(f"<{key}><![CDATA[{it[key]}]]></{key}>")
        if "guid" in it:
            out.append(f'<guid isPermaLink="false">{it["guid"]}</guid>')
        if "content" in it:
            out.append(f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


def http_date(offset_s: float = 0) -> str:
    from datetime import timedelta

    return format_datetime(now() + timedelta(seconds=offset_s), usegmt=True)


def add_and_collect(store, settings, url: str, **kw):
    feeds_q.add_feed(store, url)
    return collect(store, settings, all_feeds=True, progress=False, **kw)


def feed_row(store, url: str) -> dict:
    return next(f for f in feeds_q.list_feeds(store) if f["url"] == url)


def articles(store, where: str = "1", params=()) -> list[dict]:
    return [dict(r) for r in store.db.query(f"SELECT * FROM articles WHERE {where} ORDER BY id", list(params))]
