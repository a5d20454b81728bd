"""Local sources: .html, .md and .txt files (single files or directories, recursively) read as articles.

Each source root (the directory or file given) gets a feed row with kind='local', url = its file:// URI
and name = the path as given (the bundled sample: url 'package:tracker/data/sample', name 'sample').
An article's guid is its path relative to the root, so re-reading an unchanged file adds nothing and
a changed file updates its article.

Title: the front-matter ``title:``, else ``<title>``/first ``<h1>`` (HTML) or first heading/line (Markdown,
text). Markdown and text may start with a front-matter block (``---`` lines) holding title, date,
author, url and source.
"""

from __future__ import annotations

import re
from importlib.resources import as_file, files
from pathlib import Path

import trafilatura

from tracker import defaults as D
from tracker.collect.feeds import Entry
from tracker.collect.pages import decode_html, html_to_text, jsonld_article_body
from tracker.errors import FetchError
from tracker.timeutil import iso, parse_iso

SAMPLE_URL = "package:tracker/data/sample"
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_HTML_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
_META_DATE = re.compile(r"<meta[^>]+(?:article:published_time|name=[\"']date)[^>]+content=[\"']([^\"']+)", re.I)
_MD_MARKUP = re.compile(r"(\*\*|__|`|^#+\s*|^>\s?)", re.M)
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


def files_under(root: Path) -> list[Path]:
    """The readable files of a source: the file itself, or a directory's matching files (hidden ones skipped)."""
    if root.is_file():
        return [root]
    # A dangling link is listed too: reading it fails and is recorded on the source.
    return sorted(p for p in root.rglob("*") if (p.is_file() or p.is_symlink()) and p.suffix.lower() in D.LOCAL_SUFFIXES
                  and not any(part.startswith(".") for part in p.relative_to(root).parts))


def _front_matter(text: str) -> tuple[dict, str]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[m.end():]


def _first_line(text: str) -> str | None:
    return next((line.strip().lstrip("#").strip() for line in text.splitlines() if line.strip()), None)


def _date(value: str | None) -> str | None:
    dt = parse_iso(value) if value else None
    return iso(dt) if dt else None


def read_entry(path: Path, root: Path) -> Entry:
    """An Entry (guid = path relative to root) from one file; raises FetchError when it cannot be read."""
    try:
        raw = path.read_bytes()[: D.MAX_PAGE_BYTES]
    except OSError as e:
        raise FetchError(f"{path}: cannot be read ({e.strerror or e})") from None
    rel = path.name if root.is_file() else path.relative_to(root).as_posix()
    if path.suffix.lower() in (".html", ".htm"):
        page = decode_html(raw)
        title = html_to_text((_HTML_TITLE.search(page) or _HTML_H1.search(page) or [None, None])[1])
        body = jsonld_article_body(page) or trafilatura.extract(page) or html_to_text(page)
        date = _META_DATE.search(page)
        meta = {"date": date.group(1)} if date else {}
    else:
        text = raw.decode("utf-8-sig", "replace")
        meta, text = _front_matter(text)
        title = meta.get("title") or _first_line(text)
        if path.suffix.lower() == ".md":
            text = _MD_MARKUP.sub("", _MD_LINK.sub(r"\1", text))
        body = text.strip()
    title = meta.get("title") or title
    if title and body and _first_line(body) == title:  # the heading repeats the title
        body = body.split(title, 1)[1].strip()
    return Entry(guid=rel, url=meta.get("url"), title=title, author=meta.get("author"),
                 published_at=_date(meta.get("date")), content=(body or "")[: D.MAX_FIELD_CHARS] or None)


def sample_root():
    """A context manager giving the bundled sample corpus directory as a real path."""
    return as_file(files("tracker.data").joinpath("sample"))
