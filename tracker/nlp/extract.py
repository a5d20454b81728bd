"""Extract stage entry points.

- ``Extractor.extract(texts)``: contract dicts (companies, tickers, sectors, claims) for raw texts.
- ``extract_paths(paths, settings)``: the ``tracker extract PATH... | -`` contract, one dict per input.
- ``extract_store(store, settings, reprocess)``: extract pending stored articles, each saved atomically.

Long texts are cut into chunks at paragraph/sentence boundaries (spaCy's max_length and memory), parsed in
groups bounded in characters (peak memory does not grow with the input), and offsets are shifted back so
they always index the original text. What one article yields is capped (MAX_CLAIMS_PER_ARTICLE,
MAX_MENTIONS_PER_ARTICLE) and the cap recorded; input over MAX_EXTRACT_CHARS is cut and marked ``truncated``.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator

from tqdm import tqdm

from tracker import defaults as D
from tracker import stop
from tracker.errors import InputError, Interrupted
from tracker.faults import checkpoint
from tracker.store.articles import article_text
from tracker.textio import decode, read_capped
from tracker.timeutil import iso, parse_iso

_BREAK = re.compile(r"\n\s*\n|(?<=[.!?])\s+")


def chunk_text(text: str, max_chars: int | None = None) -> list[tuple[int, str]]:
    """Split into (offset, chunk) pieces of at most ``max_chars`` (MAX_CHUNK_CHARS), preferring paragraph, then
    sentence breaks, then any white space in the second half of each window; text with none of them is cut at
    ``max_chars``."""
    max_chars = max_chars or D.MAX_CHUNK_CHARS
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
                for m in _BREAK.finditer(window, max_chars // 2):
                    pass
                cut = m.end() if m else max(window.rfind(" "), window.rfind("\n")) + 1  # after the space
                if cut <= max_chars // 2:
                    cut = max_chars
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
        """The extract contract for each text: companies, tickers, sectors, claims, ``truncated`` (the text was
        longer than MAX_EXTRACT_CHARS and only its start was read) and ``capped`` ({} unless a per-article cap
        was hit: how many claims/mentions were found, and ``stopped_at``, the offset where reading stopped once
        both caps were full).

        ``dates``: each text's publication date (a date, datetime, ISO string or None), aligned with ``texts``; it
        decides names that changed hands. Unknown dates mean today.

        Texts are cut into chunks of at most MAX_CHUNK_CHARS and the chunks are parsed in groups of at most
        ``batch_size`` chunks and EXTRACT_BATCH_CHARS characters, so memory stays bounded whatever the input."""
        texts = [t or "" for t in texts]
        days = [as_date(d) for d in dates] if dates is not None else [None] * len(texts)
        if len(days) != len(texts):
            raise ValueError(f"extract: {len(texts)} texts but {len(days)} dates; give one date (or None) per text")
        results = [_Collected(len(t) > D.MAX_EXTRACT_CHARS) for t in texts]
        pieces = ((i, off, chunk) for i, t in enumerate(texts)
                  for off, chunk in chunk_text(mask_markup(t[: D.MAX_EXTRACT_CHARS])))
        for group in _groups(pieces, batch_size, D.EXTRACT_BATCH_CHARS, results):
            docs = self.nlp.pipe([self._doc(c, days[i]) for i, _, c in group], batch_size=len(group))
            for (i, off, _), doc in zip(group, docs):
                results[i].add(doc, off)
        for r in results:
            yield r.result()

    def _doc(self, text: str, day: date | None):
        doc = self.nlp.make_doc(text)
        doc._.date = day
        return doc


def _groups(pieces, max_docs: int, max_chars: int, results: list["_Collected"]) -> Iterator[list]:
    """Groups of pieces bounded in number and in characters; pieces of a text whose caps are full (``stopped``)
    are dropped. Lazy: a group is formed after the previous one was processed."""
    group, size = [], 0
    for piece in pieces:
        r = results[piece[0]]
        if r.full():
            r.stop(piece[1])
            continue
        if group and (len(group) >= max_docs or size + len(piece[2]) > max_chars):
            yield group
            group, size = [], 0
            if r.full():  # the group just processed may have filled this text's caps
                r.stop(piece[1])
                continue
        group.append(piece)
        size += len(piece[2])
    if group:
        yield group


class _Collected:
    """One text's results over its chunks, with the per-article caps applied in text order."""

    def __init__(self, truncated: bool):
        self.truncated = truncated
        self.companies: list[dict] = []
        self.tickers: list[str] = []
        self.claims: list[dict] = []
        self.found = {"claims": 0, "mentions": 0}
        self.sectors: dict[str, float] = {}
        self.stopped_at: int | None = None

    def add(self, doc, offset: int) -> None:
        companies, claims = list(doc._.companies or []), list(doc._.claims or [])
        room = max(0, D.MAX_MENTIONS_PER_ARTICLE - len(self.companies))
        self.companies += _shift(companies[:room], offset)
        self.tickers += list(doc._.tickers or [])[: max(0, D.MAX_MENTIONS_PER_ARTICLE - len(self.tickers))]
        self.claims += _shift(claims[: max(0, D.MAX_CLAIMS_PER_ARTICLE - len(self.claims))], offset)
        self.found["mentions"] += len(companies)
        self.found["claims"] += len(claims)
        for s in doc._.sectors or []:
            self.sectors[s["sector"]] = max(self.sectors.get(s["sector"], 0.0), s["confidence"])

    def full(self) -> bool:
        return (self.found["claims"] >= D.MAX_CLAIMS_PER_ARTICLE
                and self.found["mentions"] >= D.MAX_MENTIONS_PER_ARTICLE)

    def stop(self, offset: int) -> None:
        if self.stopped_at is None:
            self.stopped_at = offset

    def result(self) -> dict:
        capped = {k: n for k, n in self.found.items()
                  if n > (D.MAX_CLAIMS_PER_ARTICLE if k == "claims" else D.MAX_MENTIONS_PER_ARTICLE)}
        if self.stopped_at is not None:
            capped = {**self.found, "stopped_at": self.stopped_at}
        sectors = [{"sector": k, "confidence": round(v, 3)} for k, v in sorted(self.sectors.items(), key=lambda kv: -kv[1])]
        return {"companies": self.companies, "tickers": self.tickers, "sectors": sectors, "claims": self.claims,
                "truncated": self.truncated, "capped": capped}



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


def _read_input(path: str) -> tuple[str, bool]:
    """(text, cut) of a file or stdin ('-'): at most MAX_EXTRACT_CHARS characters are read (``cut`` when there
    was more); InputError when it is not text."""
    max_bytes = 4 * D.MAX_EXTRACT_CHARS  # UTF-8 needs at most 4 bytes per character
    raw, cut = read_capped(sys.stdin.buffer if path == "-" else Path(path), max_bytes)
    what = "stdin" if path == "-" else path
    text = decode(raw, cut=cut, what=what)
    return text[: D.MAX_EXTRACT_CHARS], cut or len(text) > D.MAX_EXTRACT_CHARS


def _input_error(path: str, message: str) -> dict:
    return {"source": path, "error": message, "companies": [], "tickers": [], "sectors": [], "claims": [],
            "truncated": False, "capped": {}}


def extract_paths(paths: list[str], settings=None, progress: bool = True, on: date | None = None) -> Iterator[dict]:
    """One contract dict per input path ('-' = stdin): source, companies, tickers, sectors, claims, truncated,
    capped. An unreadable input, or one that is not text (binary, undecodable), yields an object with an
    ``error`` and empty lists. ``on``: the texts' publication date (None: today)."""
    store = _store_if_any(settings)
    try:
        ex = get_extractor(settings, store)
    finally:
        if store is not None:
            store.close()
    for p in tqdm(paths, desc="extract", unit="file", disable=not progress or len(paths) < 2, file=sys.stderr):
        try:
            if p != "-" and Path(p).is_dir():
                raise InputError(f"{p} is a folder: give the files inside it (e.g. {p}/*.txt)")
            text, cut = _read_input(p)
        except OSError as e:
            yield _input_error(p, f"cannot read {p}: {e.strerror or e}")
            continue
        except (InputError, ValueError) as e:  # ValueError: a path with a NUL character
            yield _input_error(p, e.message if isinstance(e, InputError) else f"cannot read {p!r}: {e}")
            continue
        r = next(ex.extract([text], dates=[on]))
        yield {"source": p, **r, "truncated": r["truncated"] or cut}


def _store_if_any(settings):
    """The configured store, read-only, when its database already exists (for its securities master), else None."""
    if settings is None or not settings.db_path.is_file():
        return None
    from tracker.store import open_store

    return open_store(settings.db_path, mode="read")


def publication_date(article: dict) -> date | None:
    """The date a stored article's horizons resolve against: published, else fetched."""
    dt = parse_iso(article.get("published_at") or article.get("fetched_at"))
    return dt.date() if dt else None


def extract_store(store, settings=None, *, reprocess: bool = False, progress: bool = True, batch: int = 32,
                  limit: int | None = None) -> dict:
    """Extract the pending articles (new, or changed since their extraction), at most ``limit`` of them (the rest
    stay pending for the next pass); each article's results are committed atomically on their own.

    Holds the store's extract lock: a second concurrent extract on the same database fails at once.
    Ctrl-C raises Interrupted, which says how many articles were saved and how many are left."""
    with store.exclusive("extract"):
        return _extract_store(store, settings, reprocess=reprocess, progress=progress, batch=batch, limit=limit)


def _extract_store(store, settings, *, reprocess: bool, progress: bool, batch: int, limit: int | None) -> dict:
    from tracker.nlp import article_vectors
    from tracker.store import extractions as xq

    todo = xq.pending_ids(store, reprocess=reprocess)
    if not todo:
        filled = article_vectors.backfill(store)
        return {"extracted": 0, "failed": 0, "vectors": filled, "summary": "extract: nothing to do" + (
            f"; {filled} article vectors added" if filled else "")}
    queued = max(0, len(todo) - limit) if limit else 0
    todo = todo[:limit] if limit else todo
    done = failed = truncated = capped = vectors = 0
    started = iso()
    try:
        ex = get_extractor(settings, store)
        bar = tqdm(total=len(todo), desc="extract", unit="article", disable=not progress, file=sys.stderr)
        for i in range(0, len(todo), batch):
            if stop.requested():
                queued += len(todo) - i  # asked to stop: the rest stays pending for the next pass
                break
            group = xq.articles_by_id(store, todo[i : i + batch])
            for a, r in zip(group, _extract_group(ex, group)):
                err = r.get("error")
                xq.save_extraction(store, a["id"], r if not err else {}, ex.models, error=err,
                                   truncated=r.get("truncated", False), content_hash=a["content_hash"],
                                   capped=r.get("capped"), published=publication_date(a))
                checkpoint("extract.saved")
                failed += bool(err)
                done += not err
                truncated += bool(r.get("truncated"))
                capped += bool(r.get("capped"))
            vectors += article_vectors.embed_ids(store, [a["id"] for a in group])  # one batched encode
            bar.update(len(group))
        bar.close()
    except KeyboardInterrupt:
        store.abandon()  # what the interruption left half-done is not saved; count what was, from the store
        saved, failed = xq.extracted_since(store, started)
        raise Interrupted(f"extract stopped early: {saved - failed} articles extracted and saved ({failed} failed); "
                          f"{len(todo) - saved} still pending: run 'tracker extract' again to finish") from None
    if not stop.requested():
        vectors += article_vectors.backfill(store)
    limits = [f"{n} {what}" for n, what in ((truncated, "truncated at MAX_EXTRACT_CHARS"),
                                             (capped, "capped at MAX_CLAIMS/MENTIONS_PER_ARTICLE")) if n]
    return {"extracted": done, "failed": failed, "truncated": truncated, "capped": capped, "vectors": vectors,
            "queued": queued,
            "summary": f"extract: {done} articles extracted" + (f", {failed} failed (see the board)" if failed else "")
            + (f" ({', '.join(limits)})" if limits else "") + f"; {vectors} article vectors"
            + (f"; {queued} more queued for the next pass" if queued else "")}


def _extract_group(ex: Extractor, group: list[dict]) -> list[dict]:
    try:
        return list(ex.extract([article_text(a) for a in group], dates=[publication_date(a) for a in group]))
    except Exception:  # one bad article must not stop the run: retry one by one
        results = []
        for a in group:
            try:
                results.append(next(ex.extract([article_text(a)], dates=[publication_date(a)])))
            except Exception as e1:  # noqa: BLE001 - recorded, shown on the board
                results.append({"error": f"{type(e1).__name__}: {e1}"})
        return results
