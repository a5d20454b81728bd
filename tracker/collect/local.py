"""Local sources: .html, .md and .txt files (single files or directories, recursively) read as articles.

Each source root (the directory or file given) gets a feed row with kind='local', url = its file:// URI
and name = the path as given (the bundled sample: url 'package:tracker/data/sample', name 'sample').
An article's guid is its path relative to the root, so re-reading an unchanged file adds nothing and
a changed file updates its article (and makes it pending for extraction again); a file that disappears
marks its article gone (``articles.gone_at``) until it comes back. Files that hold no text (empty,
binary, undecodable) are skipped with a note on the source.

Title: the front-matter ``title:``, else ``<title>``/first ``<h1>`` (HTML) or first heading/line (Markdown,
text). Markdown and text may start with a front-matter block (``---`` lines) holding title, date,
author, url and source.
"""

from __future__ import annotations

import os
import re
import stat
from importlib.resources import as_file, files
from pathlib import Path

import trafilatura

from tracker import defaults as D
from tracker.collect.feeds import Entry
from tracker.collect.pages import decode_html, html_to_text, jsonld_article_body
from tracker.errors import FetchError, InputError
from tracker.textio import decode, read_capped
from tracker.timeutil import iso, parse_iso

SAMPLE_URL = "package:tracker/data/sample"
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_HTML_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
_META_DATE = re.compile(r"<meta[^>]+(?:article:published_time|name=[\"']date)[^>]+content=[\"']([^\"']+)", re.I)
_MD_MARKUP = re.compile(r"(\*\*|__|`|^#+\s*|^>\s?)", re.M)
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


def files_under(root: Path, notes: list[str] | None = None) -> list[Path]:
    """The readable files of a source: the file itself, or a directory's matching files (hidden ones skipped).

    Symlinked folders are followed once: a folder reached again (a symlink loop, or two links to one folder)
    is skipped, and folders that cannot be listed are noted in ``notes``. A dangling or looping file link is
    listed too: reading it fails and is recorded on the source."""
    notes = notes if notes is not None else []
    if not root.is_dir():
        return [root]
    out, seen = [], set()

    def unreadable(err: OSError) -> None:
        notes.append(f"{err.filename}: folder cannot be read ({err.strerror or err})")

    for folder, dirs, names in os.walk(root, followlinks=True, onerror=unreadable):
        try:
            st = os.stat(folder)
        except OSError as e:
            notes.append(f"{folder}: folder cannot be read ({e.strerror or e})")
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            notes.append(f"{folder}: skipped, this folder was already read (a symlink loop or a second link to it)")
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [Path(folder, n) for n in names if not n.startswith(".") and Path(n).suffix.lower() in D.LOCAL_SUFFIXES]
    if not out and not notes:
        notes.append(f"{root}: no {'/'.join(D.LOCAL_SUFFIXES)} files in this folder")
    return sorted(out)


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
    """An Entry (guid = path relative to root) from one file.

    Raises FetchError when the file cannot be read and InputError when it holds no text (empty, binary or
    undecodable). A file over ``MAX_PAGE_BYTES`` is read up to that size, and text over ``MAX_FIELD_CHARS`` is
    cut there: the entry is then marked ``truncated``."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device would block or never end
            raise FetchError(f"{path}: not a regular file, skipped")
        raw, cut = read_capped(path, D.MAX_PAGE_BYTES)
    except OSError as e:
        raise FetchError(f"{path}: cannot be read ({e.strerror or e})") from None
    if not raw.strip():
        raise InputError(f"{path}: empty file, skipped")
    rel = path.name if root.is_file() else path.relative_to(root).as_posix()
    if path.suffix.lower() in (".html", ".htm"):
        page = decode_html(raw, cut=cut, what=str(path))
        title = html_to_text((_HTML_TITLE.search(page) or _HTML_H1.search(page) or [None, None])[1])
        body = jsonld_article_body(page) or trafilatura.extract(page) or html_to_text(page)
        date = _META_DATE.search(page)
        meta = {"date": date.group(1)} if date else {}
    else:
        text = decode(raw, cut=cut, what=str(path))
        meta, text = _front_matter(text)
        title = meta.get("title") or _first_line(text)
        if path.suffix.lower() == ".md":
            text = _MD_MARKUP.sub("", _MD_LINK.sub(r"\1", text))
        body = text.strip()
    title = meta.get("title") or title
    if title and body and _first_line(body) == title:  # the heading repeats the title
        body = body.split(title, 1)[1].strip()
    if not (title or body):
        raise InputError(f"{path}: no text in this file, skipped")
    body = body or ""
    return Entry(guid=rel, url=meta.get("url"), title=title, author=meta.get("author"),
                 published_at=_date(meta.get("date")), content=body[: D.MAX_FIELD_CHARS] or None,
                 truncated=cut or len(body) > D.MAX_FIELD_CHARS)


def sample_root():
    """A context manager giving the bundled sample corpus directory as a real path."""
    return as_file(files("tracker.data").joinpath("sample"))
