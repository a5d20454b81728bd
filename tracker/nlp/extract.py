"""Extract stage entry points.

- ``Extractor.extract(texts)``: contract dicts (companies, tickers, sectors, claims) for raw texts.
- ``extract_paths(paths, settings)``: the ``tracker extract PATH... | -`` contract, one dict per input.
- ``extract_store(store, settings, reprocess)``: extract pending stored articles, each saved atomically.

Long texts are cut into chunks at paragraph/sentence boundaries (spaCy's max_length and memory), and
offsets are shifted back so they always index the original text.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator

from tqdm import tqdm

from tracker import defaults as D
from tracker.store.articles import article_text
from tracker.timeutil import parse_iso

_BREAK = re.compile(r"\n\s*\n|(?<=[.!?])\s+")


def chunk_text(text: str, max_chars: int = D.MAX_CHUNK_CHARS) -> list[tuple[int, str]]:
    """Split into (offset, chunk) pieces of at most ``max_chars``, preferring paragraph then sentence breaks."""
    if len(text) <= max_chars:
        return [(0, text)]
    out, pos = [], 0
    while pos < len(text):
        end = min(pos + max_chars, len(text))
        if end < len(text):
            window = text[pos:end]
            cut = window.rfind("\n\n")
            if cut < max_chars // 2:
                m = None
                for m in _BREAK.finditer(window):
                    pass
                cut = m.end() if m and m.end() > max_chars // 2 else max_chars
            end = pos + cut
        out.append((pos, text[pos:end]))
        pos = end
    return out


_MARKUP_BLOCK = re.compile(r"<(script|style|noscript|svg|template)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]{0,2000}>|&(?:[a-z]+|#\d+);", re.S)


def mask_markup(text: str) -> str:
    """Blank out HTML tags, scripts, styles and entities with spaces, so offsets still index ``text``."""
    if "<" not in text and "&" not in text:
        return text
    blank = lambda m: " " * (m.end() - m.start())  # noqa: E731
    return _TAG.sub(blank, _MARKUP_BLOCK.sub(blank, text))


def _shift(items: list[dict], offset: int) -> list[dict]:
    if offset:
        for it in items:
            it["start"] += offset
            it["end"] += offset
    return items


class Extractor:
    """Loads models once; ``extract`` runs the whole pipeline over many texts."""

    def __init__(self, settings=None, store=None):
        from tracker.nlp.models import model_versions
        from tracker.nlp.pipeline import build_pipeline
        from tracker.securities import load_master

        self.settings = settings
        self.master = load_master(store)
        self.nlp = build_pipeline(self.master, settings)
        self.models = model_versions()

    def use_master(self, master, settings=None) -> None:
        """Re-bind the components to another securities master (models stay loaded)."""
        if master is self.master and settings is self.settings:
            return
        from tracker.nlp.pipeline import bind_components

        self.master, self.settings = master, settings
        bind_components(self.nlp, master, settings)

    def extract(self, texts: Iterable[str], batch_size: int = 16, dates: Iterable | None = None) -> Iterator[dict]:
        """Contract dicts for ``texts``. ``dates``: each text's publication date (a date, datetime, ISO string
        or None), aligned with ``texts``; it decides names that changed hands. Unknown dates mean today."""
        texts = list(texts)
        days = [as_date(d) for d in dates] if dates is not None else [None] * len(texts)
        if len(days) != len(texts):
            raise ValueError(f"extract: {len(texts)} texts but {len(days)} dates; give one date (or None) per text")
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, chunk)
        for i, t in enumerate(texts):
            t = mask_markup((t or "")[: D.MAX_EXTRACT_CHARS])
            for off, chunk in chunk_text(t):
                pieces.append((i, off, chunk))
        results = [{"companies": [], "tickers": [], "sectors": [], "claims": [], "truncated": len(t or "") > D.MAX_EXTRACT_CHARS}
                   for t in texts]
        sector_scores: list[dict[str, float]] = [{} for _ in texts]
        docs = self.nlp.pipe((self._doc(c, days[i]) for i, _, c in pieces), batch_size=batch_size)
        for (i, off, _), doc in zip(pieces, docs):
            r = results[i]
            r["companies"] += _shift(list(doc._.companies or []), off)
            r["tickers"] += list(doc._.tickers or [])
            claims = list(doc._.claims or [])
            r["claims"] += _shift(claims, off)
            for s in doc._.sectors or []:
                sector_scores[i][s["sector"]] = max(sector_scores[i].get(s["sector"], 0.0), s["confidence"])
        for r, sc in zip(results, sector_scores):
            r["sectors"] = [{"sector": k, "confidence": round(v, 3)} for k, v in sorted(sc.items(), key=lambda kv: -kv[1])]
            yield r


    def _doc(self, text: str, day: date | None):
        doc = self.nlp.make_doc(text)
        doc._.date = day
        return doc


def as_date(value) -> date | None:
    """A publication date from a date, datetime or ISO-8601 string ('2025-03-01', '2025-03-01T09:00:00Z');
    None (unknown) for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        dt = parse_iso(value.strip())
        if dt is not None:
            return dt.date()
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


_EXTRACTOR: Extractor | None = None


def get_extractor(settings=None, store=None) -> Extractor:
    """The process-wide Extractor (models load once), bound to ``store``'s securities master."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = Extractor(settings, store)
    else:
        from tracker.securities import load_master

        _EXTRACTOR.use_master(load_master(store), settings)
    return _EXTRACTOR


def _read_input(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        data = Path(path).read_bytes()
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")


def extract_paths(paths: list[str], settings=None, progress: bool = True, on: date | None = None) -> Iterator[dict]:
    """One contract dict per input path ('-' = stdin). Unreadable files yield an object with an ``error``.
    ``on``: the texts' publication date (None: today)."""
    store = _store_if_any(settings)
    try:
        ex = get_extractor(settings, store)
    finally:
        if store is not None:
            store.close()
    for p in tqdm(paths, desc="extract", unit="file", disable=not progress or len(paths) < 2, file=sys.stderr):
        try:
            text = _read_input(p)
        except OSError as e:
            yield {"source": p, "error": f"cannot read {p}: {e.strerror or e}", "companies": [], "tickers": [],
                   "sectors": [], "claims": []}
            continue
        r = next(ex.extract([text], dates=[on]))
        r.pop("truncated", None)
        yield {"source": p, **r}


def _store_if_any(settings):
    """The configured store when its database already exists (for its securities master), else None."""
    if settings is None or not settings.db_path.exists():
        return None
    from tracker.store import open_store

    return open_store(settings.db_path)


def extract_store(store, settings=None, *, reprocess: bool = False, progress: bool = True, batch: int = 32) -> dict:
    """Extract every pending article; each article's results are committed atomically on their own.

    Holds the store's extract lock: a second concurrent extract on the same database fails at once."""
    with store.exclusive("extract"):
        return _extract_store(store, settings, reprocess=reprocess, progress=progress, batch=batch)


def _extract_store(store, settings, *, reprocess: bool, progress: bool, batch: int) -> dict:
    from tracker.store import extractions as xq

    todo = xq.pending_articles(store, reprocess=reprocess)
    if not todo:
        return {"extracted": 0, "failed": 0, "summary": "extract: nothing to do"}
    ex = get_extractor(settings, store)
    done = failed = 0
    bar = tqdm(total=len(todo), desc="extract", unit="article", disable=not progress, file=sys.stderr)
    for i in range(0, len(todo), batch):
        group = todo[i : i + batch]
        try:
            results = list(ex.extract([article_text(a) for a in group], dates=[a.get("published_at") for a in group]))
        except Exception:  # one bad article must not stop the run: retry one by one
            results = []
            for a in group:
                try:
                    results.append(next(ex.extract([article_text(a)], dates=[a.get("published_at")])))
                except Exception as e1:  # noqa: BLE001 - recorded, shown on the board
                    results.append({"error": f"{type(e1).__name__}: {e1}"})
        for a, r in zip(group, results):
            err = r.get("error")
            xq.save_extraction(store, a["id"], r if not err else {}, ex.models, error=err, truncated=r.get("truncated", False))
            failed += bool(err)
            done += not err
        bar.update(len(group))
    bar.close()
    return {"extracted": done, "failed": failed,
            "summary": f"extract: {done} articles extracted" + (f", {failed} failed (see the board)" if failed else "")}
