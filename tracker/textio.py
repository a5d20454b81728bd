"""Bytes to text for everything the tracker reads from files and stdin: size caps, binary rejection, encodings.

- ``read_capped(source, max_bytes)`` reads at most ``max_bytes`` (never the whole of a huge file) and says
  whether more was left.
- ``decode(raw)`` returns the text or raises InputError when the bytes are not text: NUL bytes (executables,
  images, archives), no encoding that decodes them cleanly, or too many control characters. UTF-8 (with or
  without BOM) and UTF-16/32 with a BOM are decoded directly; anything else is detected with
  charset-normalizer. Among equally clean candidates the Western-European code page (cp1252, a superset of
  Latin-1) is preferred: on short commentary charset-normalizer's first guess is often cp1250 or cp775,
  which turns French or Spanish accents into other letters.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path
from typing import BinaryIO

from tracker import defaults as D
from tracker.errors import InputError

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_WESTERN = {"cp1252", "latin_1", "iso8859_15"}
_ALLOWED_CONTROLS = set("\t\n\r\f\v")


def read_capped(source: str | Path | BinaryIO, max_bytes: int) -> tuple[bytes, bool]:
    """(the first ``max_bytes`` bytes, True when the source held more). ``source``: a path or a binary stream."""
    if isinstance(source, (str, Path)):
        with open(source, "rb") as fh:
            data = fh.read(max_bytes + 1)
    else:
        data = source.read(max_bytes + 1)
    return data[:max_bytes], len(data) > max_bytes


def decode(raw: bytes, *, declared: str | None = None, cut: bool = False, what: str = "the input") -> str:
    """The text of ``raw``; InputError when it is not text. ``declared``: a charset named by the source (HTTP
    header, ``<meta>``), tried first. ``cut``: ``raw`` was cut at a size cap, so a multi-byte character split
    at its end is dropped instead of being an error."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return _checked(_decode_as(raw, codec, cut), what)
    if b"\x00" in raw:
        raise InputError(f"{what} is not text (binary data: NUL bytes): give a text, Markdown or HTML file")
    for codec in ([declared] if declared else []) + ["utf-8"]:
        try:
            return _checked(_decode_as(raw, codec, cut), what)
        except (LookupError, UnicodeDecodeError):
            continue
    return _checked(_detected(raw, what), what)


def _decode_as(raw: bytes, codec: str, cut: bool) -> str:
    text = codecs.getincrementaldecoder(codec)().decode(raw, final=not cut)
    return text.lstrip("\ufeff")


def _detected(raw: bytes, what: str) -> str:
    from charset_normalizer import from_bytes

    matches = from_bytes(raw)
    if not matches:
        raise InputError(f"{what} is not text in any known encoding (binary or corrupt): give a text, Markdown "
                         "or HTML file, or convert it to UTF-8")
    cleanest = min(m.chaos for m in matches)
    western = [m for m in matches if m.chaos <= cleanest and _WESTERN & set(m.could_be_from_charset)]
    return str(western[0] if western else matches.best())


def _checked(text: str, what: str) -> str:
    sample = text[: D.TEXT_SNIFF_CHARS]
    controls = sum(1 for c in sample if c not in _ALLOWED_CONTROLS and unicodedata.category(c) == "Cc")
    if "\x00" in sample or controls > D.MAX_CONTROL_CHAR_RATIO * max(len(sample), 1):
        raise InputError(f"{what} is not text ({controls} control characters in its first {len(sample)}): "
                         "give a text, Markdown or HTML file")
    return text
