"""Bytes to text (tracker.textio): binary input is refused with a reason, legacy encodings are detected, size caps
never read a whole huge file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tracker.errors import InputError
from tracker.textio import decode, read_capped

LS = Path("/bin/ls")


@pytest.mark.parametrize("text, encoding", [
    ("Société Générale shares rose 3% in Paris.", "latin-1"),
    ("Société Générale shares rose 3% in Paris.", "cp1252"),
    ("Nestlé and L’Oréal led the CAC 40 — the euro fell à la clôture. München Rück, Zürich, España.", "cp1252"),
    ("Toyota señaló que la demanda cayó en España y México.", "latin-1"),
    ("Москва: акции Сбербанка выросли на 3%.", "cp1251"),
    ("Ελληνικές τράπεζες ενισχύθηκαν.", "cp1253"),
])
def test_legacy_encodings_are_detected(text, encoding):
    """Regression (issue #13): Latin-1 files were stored with replacement characters."""
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize("text, encoding", [("Sony and 台積電 rose.", "utf-8"), ("Sony and 台積電 rose.", "utf-8-sig"),
                                            ("Sony and 台積電 rose.", "utf-16"), ("Sony and 台積電 rose.", "utf-32")])
def test_unicode_with_and_without_bom(text, encoding):
    assert decode(text.encode(encoding)) == text


def test_declared_charset_is_tried_first():
    assert decode("Zürich".encode("cp1252"), declared="cp1252") == "Zürich"
    assert decode("Zürich".encode("utf-8"), declared="no-such-codec") == "Zürich"


@pytest.mark.skipif(not LS.exists(), reason="/bin/ls not present")
def test_an_executable_is_not_text():
    """Regression (issue #13): /bin/ls saved as .html became an 'ELF' article with nine invented companies."""
    with pytest.raises(InputError, match=r"ls\.html is not text \(binary data: NUL bytes\)"):
        decode(LS.read_bytes(), what="ls.html")


@pytest.mark.parametrize("raw, needle", [
    (bytes(range(1, 32)) * 50 + b"Sony rose", "control characters"),
    (bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xC1, 0xFE]) * 300, "not text"),
])
def test_garbage_without_nul_bytes_is_not_text(raw, needle):
    with pytest.raises(InputError, match=needle):
        decode(raw)


def test_a_multibyte_character_cut_by_a_size_cap_is_dropped_not_an_error():
    raw = "Samsung 삼성전자".encode()
    assert decode(raw[:-1], cut=True) == "Samsung 삼성전"


def test_read_capped_reads_no_more_than_the_cap(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"x" * 1000)
    assert read_capped(p, 10) == (b"x" * 10, True)
    assert read_capped(p, 1000) == (b"x" * 1000, False)
    stream = io.BytesIO(b"y" * 50)
    assert read_capped(stream, 20) == (b"y" * 20, True) and stream.tell() == 21
