"""Article text: HTML to plain text, JSON-LD ``articleBody``, and trafilatura on a page we fetched ourselves.

``page_text`` is tried only when a feed carries a summary shorter than ``full_text_min_chars``;
it raises ``FetchError`` on any failure so the caller can keep the summary and record why.
"""

from __future__ import annotations

import html
import json
import re

import lxml.html
from lxml import etree
import trafilatura

from tracker.collect.http import fetch
from tracker import defaults as D
from tracker.errors import FetchError, InputError
from tracker.textio import decode

_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
               "blockquote", "pre", "section", "article", "header", "footer", "figcaption", "dd", "dt"}
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_JSONLD = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)


def html_to_text(value: str | None) -> str | None:
    """Plain text of an HTML fragment (paragraphs kept as blank-line breaks); plain text passes through."""
    if not value:
        return None
    if "<" not in value:
        text = html.unescape(value)
    else:
        try:
            root = lxml.html.fragment_fromstring(value, create_parent="div")
        except (ValueError, etree.ParserError):
            return html.unescape(re.sub(r"<[^>]+>", " ", value)).strip() or None
        for bad in root.xpath("//script|//style"):
            bad.drop_tree()
        for el in root.iter():
            if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
                el.tail = "\n\n" + (el.tail or "")
        text = root.text_content()
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip() or None


def decode_html(content: bytes, content_type: str = "", *, cut: bool = False, what: str = "the page") -> str:
    """Decode a page using the charset of the header or the <meta> tag, else UTF-8, else the detected encoding.
    Raises InputError when the bytes are not text (tracker.textio)."""
    m = _CHARSET.search(content_type) or _CHARSET.search(content[:2048].decode("ascii", "ignore"))
    return decode(content, declared=m.group(1) if m else None, cut=cut, what=what)


def _article_bodies(node):
    if isinstance(node, list):
        for x in node:
            yield from _article_bodies(x)
    elif isinstance(node, dict):
        body = node.get("articleBody")
        if isinstance(body, str):
            yield body
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in node:
                yield from _article_bodies(node[key])


def jsonld_article_body(page_html: str) -> str | None:
    """The longest ``articleBody`` in the page's JSON-LD blocks (malformed blocks are skipped)."""
    best = None
    for block in _JSONLD.findall(page_html):
        try:
            data = json.loads(block.strip())
        except ValueError:
            continue
        for body in _article_bodies(data):
            text = html_to_text(body)
            if text and (best is None or len(text) > len(best)):
                best = text
    return best


def page_text(client, url: str, cfg) -> tuple[str, str]:
    """(text, text_source) from the article page: JSON-LD articleBody first, then trafilatura."""
    got = fetch(client, url, max_bytes=cfg.max_page_bytes, total_timeout_s=cfg.total_timeout_s,
                headers={"Accept": D.PAGE_ACCEPT})
    if not got.ok:
        raise FetchError(f"{url}: HTTP {got.status}", permanent=400 <= got.status < 500)
    ctype = got.headers.get("content-type", "").lower()
    if ctype and "html" not in ctype and not ctype.startswith("text/"):
        raise FetchError(f"{url}: not an HTML page ({ctype})", permanent=True)
    try:
        page = decode_html(got.content, got.headers.get("content-type", ""), what=url)
    except InputError as e:
        raise FetchError(e.message, permanent=True) from None
    body = jsonld_article_body(page)
    if body:
        return body, "jsonld"
    try:
        text = trafilatura.extract(page, url=got.url, include_comments=False, include_tables=False)
    except Exception as e:  # trafilatura on hostile HTML: keep the summary
        raise FetchError(f"{url}: text extraction failed ({type(e).__name__})") from None
    if not text:
        raise FetchError(f"{url}: no article text found in the page", permanent=True)
    return text, "page"
