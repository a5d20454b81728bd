"""Collect stage: feeds (httpx + feedparser), article pages (trafilatura), local files, de-duplication.

Entry point: ``collect(store, settings, ...) -> CollectReport``. A broken feed or file never stops
the pass: it is recorded on its feed row (last_outcome 'error' or 'partial', a readable last_error)
and in the ``fetches`` log, and the feed is retried later with exponential backoff.
"""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from tqdm import tqdm

from tracker import defaults as D
from tracker import stop
from tracker.collect import dedupe, local
from tracker.collect.feeds import Entry, parse_feed
from tracker.collect.http import fetch, make_client
from tracker.collect.page_queue import PageReport, fetch_pages
from tracker.collect.pages import html_to_text
from tracker.errors import FetchError, InputError, Interrupted
from tracker.faults import checkpoint
from tracker.net import HostGate, backoff_s, host_of, retry_after_seconds
from tracker.store import articles as articles_q
from tracker.store import feeds as feeds_q
from tracker.timeutil import in_seconds, iso, now


@dataclass
class CollectReport:
    feeds_fetched: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    feeds_skipped: int = 0  # host asked us to wait (Retry-After)
    files_read: int = 0
    new_articles: int = 0
    updated_articles: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)
    pages: PageReport | None = None  # the page queue's work in this pass

    @property
    def reachable(self) -> bool:
        """True when at least one feed answered (200 or 304)."""
        return (self.feeds_fetched + self.feeds_not_modified) > 0

    def summary(self) -> str:
        text = (f"collected {self.new_articles} new articles ({self.duplicates} duplicates merged"
                + (f", {self.updated_articles} updated" if self.updated_articles else "") + "); "
                f"feeds: {self.feeds_fetched} fetched, {self.feeds_not_modified} unchanged, {self.feeds_failed} failed")
        if self.feeds_skipped:
            text += f", {self.feeds_skipped} waiting (Retry-After)"
        if self.files_read:
            text += f"; {self.files_read} local files read"
        if self.pages is not None and (self.pages.fetched or self.pages.queued or self.pages.failed
                                       or self.pages.hosts_down):
            text += f"; {self.pages.summary()}"
        return text


class _Pass:
    """The state of one collect pass: settings, HTTP client, host gate, near-duplicate index."""

    def __init__(self, store, settings, report: CollectReport):
        self.store, self.cfg, self.report = store, settings.collect, report
        self.client = None
        self.gate = HostGate(self.cfg.per_host_delay_s)
        self.near = None

    def http(self):
        if self.client is None:
            self.client = make_client(self.cfg)
        return self.client

    def near_index(self) -> dedupe.NearDupIndex:
        if self.near is None:
            self.near = dedupe.NearDupIndex(self.cfg.near_dup_threshold)
            since = iso(now() - timedelta(days=self.cfg.near_dup_window_days))
            for article_id, blob in articles_q.recent_signatures(self.store, since):
                self.near.add(article_id, dedupe.from_blob(blob))
        return self.near

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


# ---------------------------------------------------------------------------------------- one entry
def _text_for(entry: Entry, *, from_file: bool) -> tuple[str | None, str]:
    """The article text and where it came from: the file, the feed's content, or its summary. A summary-only
    entry's page is fetched later from the queue (tracker.collect.page_queue)."""
    feed_text = html_to_text(entry.content)
    if from_file:
        return feed_text, "file"
    summary = html_to_text(entry.summary)
    best = feed_text if feed_text and len(feed_text) >= len(summary or "") else summary
    return best, ("feed" if best is not None and best is feed_text else "summary")


def ingest_entry(p: _Pass, feed_id: int, source_name: str, entry: Entry, *, from_file: bool = False,
                 notes: list[str]) -> str:
    """Store one entry, de-duplicated. Returns 'new', 'duplicate', 'updated' or 'seen' (nothing written)."""
    store = p.store
    known = articles_q.by_guid(store, feed_id, entry.guid) if entry.guid else None
    if known and not from_file:
        return "seen"
    canon = dedupe.canonical_url(entry.url)
    same_url = articles_q.by_canonical_url(store, canon, feed_id) if canon and not known else None
    if same_url and same_url["feed_id"] == feed_id:
        return "seen"
    # Another source carried the same URL: this is a copy, no need to fetch the page again.
    text, source = _text_for(entry, from_file=from_file)
    # a summary-only entry of a new story: its page is queued (another source's copy needs none)
    wants_page = (not from_file and not same_url and p.cfg.fetch_full_text and len(text or "") < p.cfg.full_text_min_chars
                  and bool(entry.url) and entry.url.startswith(("http://", "https://")))
    truncated = int(entry.truncated)
    chash = dedupe.content_hash(entry.title, text)
    if known:  # a local file read again: a new text replaces the old one and is extracted again
        if known["content_hash"] == chash:
            return "seen"
        sig = dedupe.minhash(text)
        articles_q.update(store, known["id"], {"title": entry.title, "text": text, "content_hash": chash,
                                               "minhash": dedupe.to_blob(sig), "published_at": entry.published_at,
                                               "fetched_at": iso(), "truncated": truncated})
        p.near_index().add(known["id"], sig)
        return "updated"
    story_id = same_url["story_id"] if same_url else None
    if story_id is None:
        same_hash = articles_q.by_content_hash(store, chash, feed_id)
        if same_hash and same_hash["feed_id"] == feed_id:
            return "seen"
        story_id = same_hash["story_id"] if same_hash else None
    sig = dedupe.minhash(text)
    if story_id is None:
        match = p.near_index().best_match(sig)
        story_id = articles_q.story_of(store, match) if match else None
    article = {"feed_id": feed_id, "source_name": source_name, "guid": entry.guid, "url": entry.url,
               "canonical_url": canon, "title": entry.title, "author": entry.author,
               "published_at": entry.published_at, "fetched_at": iso(), "summary": html_to_text(entry.summary),
               "text": text, "text_source": source, "content_hash": chash, "minhash": dedupe.to_blob(sig),
               "language": entry.language, "truncated": truncated, "page_status": "wanted" if wants_page else None}
    article_id, _ = articles_q.insert(store, article, story_id)
    p.near_index().add(article_id, sig)
    return "new" if story_id is None else "duplicate"


def _ingest_all(p: _Pass, feed_id: int, source_name: str, entries, *, from_file=False) -> tuple[int, list[str]]:
    """Ingest entries one by one (each atomic); a failing entry is noted and skipped. Returns (new, notes)."""
    notes: list[str] = []
    new = 0
    for entry in entries:
        try:
            outcome = ingest_entry(p, feed_id, source_name, entry, from_file=from_file, notes=notes)
        except sqlite3.Error as e:
            notes.append(f"an entry could not be stored ({type(e).__name__}: {e})")
            continue
        if outcome in ("new", "duplicate"):
            new += 1
            checkpoint("collect.stored")
        p.report.new_articles += outcome == "new"
        p.report.duplicates += outcome == "duplicate"
        p.report.updated_articles += outcome == "updated"
    return new, notes


def _summarise(notes: list[str]) -> str | None:
    if not notes:
        return None
    uniq = list(dict.fromkeys(notes))
    more = f" (+{len(uniq) - 3} more)" if len(uniq) > 3 else ""
    return "; ".join(uniq[:3]) + more


# ----------------------------------------------------------------------------------------- one feed
def collect_feed(p: _Pass, feed: dict) -> str:
    """Fetch, parse and store one feed; record the fetch and the feed's status. Returns the outcome."""
    cfg, started = p.cfg, now()
    conditional = {"Accept": D.FEED_ACCEPT}
    if feed.get("etag"):
        conditional["If-None-Match"] = feed["etag"]
    if feed.get("last_modified"):
        conditional["If-Modified-Since"] = feed["last_modified"]
    log = {"url": feed["url"], "started_at": iso(started), "status": None, "bytes": None}
    upd = {"last_fetched_at": iso(started)}
    retry_s = None
    try:
        with p.gate.turn(host_of(feed["url"])):
            got = fetch(p.http(), feed["url"], max_bytes=cfg.max_feed_bytes, total_timeout_s=cfg.total_timeout_s,
                        headers=conditional)
    except FetchError as e:
        outcome, error = "error", str(e)
    else:
        log.update(status=got.status, bytes=len(got.content))
        upd["last_status"] = got.status
        if got.status == 304:
            outcome, error = "not_modified", None
            upd.update({k: got.headers[h] for k, h in (("etag", "etag"), ("last_modified", "last-modified"))
                        if got.headers.get(h)})  # a 304 may refresh the validators
        elif not got.ok:
            outcome, error = "error", f"HTTP {got.status} from {feed['url']}"
            if got.status in (429, 503):
                retry_s = retry_after_seconds(got.headers.get("retry-after"))
                if retry_s is not None:
                    error += f" (server asked to retry after {retry_s:.0f} s)"
        else:
            try:
                outcome, error = _store_feed_body(p, feed, got, log, upd)
            except Exception as e:  # a bug must not stop the pass: record it on the feed and go on
                outcome, error = "error", f"unexpected error while reading {feed['url']}: {type(e).__name__}: {e}"
    upd.update(last_outcome=outcome, last_error=error)
    if outcome == "error":
        upd["error_count"] = feed.get("error_count", 0) + 1
        wait = backoff_s(cfg.backoff_base_s, cfg.backoff_cap_s, upd["error_count"])
        if retry_s is not None:
            until = in_seconds(retry_s)
            upd["retry_after_until"] = until
            p.gate.close(host_of(feed["url"]), until)
            wait = max(wait, retry_s)
        upd["next_poll_at"] = in_seconds(wait)
        p.report.feeds_failed += 1
        p.report.errors.append(f"{feed.get('name') or feed['url']}: {error}")
    else:
        upd.update(error_count=0, next_poll_at=in_seconds(cfg.poll_interval_s), last_success_at=iso(),
                   retry_after_until=None)
        if outcome == "not_modified":
            p.report.feeds_not_modified += 1
        else:
            p.report.feeds_fetched += 1
    log.update(outcome=outcome, error=error, duration_ms=int((now() - started).total_seconds() * 1000))
    feeds_q.record_fetch(p.store, feed["id"], log, upd)
    return outcome


def _store_feed_body(p: _Pass, feed: dict, got, log: dict, upd: dict) -> tuple[str, str | None]:
    """Parse a 200 body and store its entries. Returns (outcome, error)."""
    headers = dict(got.headers)
    headers.setdefault("content-location", got.url)  # the base for relative links
    parsed = parse_feed(got.content, headers, max_entries=p.cfg.max_entries_per_feed)
    if parsed.error:
        return "error", f"{parsed.error} ({got.url})"
    upd.update(etag=got.headers.get("etag"), last_modified=got.headers.get("last-modified"))
    if parsed.title and not feed.get("name"):
        upd["name"] = parsed.title[:200]
    new, notes = _ingest_all(p, feed["id"], feed.get("name") or parsed.title or feed["url"], parsed.entries)
    log.update(entries_seen=len(parsed.entries), entries_new=new)
    problems = parsed.warnings + notes
    return ("partial" if problems else "ok"), _summarise(problems)


# ---------------------------------------------------------------------------------------- local files
def collect_local(p: _Pass, root: Path, *, name: str | None = None, url: str | None = None) -> str:
    """Read every file of a local source (file or directory) as articles; mark those whose file is gone.

    Problems (unreadable, empty or binary files, symlink loops) are recorded on the source's feed row and
    reported as warnings (``report.errors``)."""
    started = now()
    url = url or root.resolve().as_uri()
    name = name or str(root)
    feed_id = feeds_q.local_feed(p.store, url, name)
    entries, notes = [], []
    paths = local.files_under(root, notes)
    for path in paths:
        try:
            entry = local.read_entry(path, root)
        except (FetchError, InputError) as e:
            notes.append(e.message)
            continue
        entry.url = entry.url or (f"{url}/{entry.guid}" if url.startswith("package:") else path.resolve().as_uri())
        if entry.truncated:
            notes.append(f"{path}: too large, only its start was stored (the article is marked truncated)")
        entries.append(entry)
    p.report.files_read += len(entries)
    new, ingest_notes = _ingest_all(p, feed_id, name, entries, from_file=True)
    notes += ingest_notes
    present = [path.name if root.is_file() else path.relative_to(root).as_posix() for path in paths]
    gone = articles_q.mark_gone(p.store, feed_id, present)
    if gone:
        notes.append(f"{gone} article(s) marked gone: their files no longer exist")
    _record_local(p, feed_id, name, url, started, notes, seen=len(entries), new=new)
    return "partial" if notes else "ok"


def _record_local(p: _Pass, feed_id: int, name: str, url: str, started, notes: list[str], *, seen: int,
                  new: int) -> None:
    outcome = "partial" if notes else "ok"
    error = _summarise(notes)
    p.report.errors += [n if n.startswith(name) else f"{name}: {n}" for n in dict.fromkeys(notes)]
    log = {"url": url, "started_at": iso(started), "outcome": outcome, "error": error,
           "entries_seen": seen, "entries_new": new, "duration_ms": int((now() - started).total_seconds() * 1000)}
    feeds_q.record_fetch(p.store, feed_id, log, {"last_outcome": outcome, "last_error": error,
                                                 "last_fetched_at": iso(started), "last_success_at": iso()})


def missing_local(p: _Pass, root: Path) -> None:
    """A configured source that no longer exists: its articles are marked gone and a warning is reported."""
    note = f"{root} does not exist (fix [collect] sources if it moved)"
    known = feeds_q.feed_by_url(p.store, root.resolve().as_uri())
    if known is None:
        p.report.errors.append(f"local source {note}")
        return
    gone = articles_q.mark_gone(p.store, known["id"], [])
    _record_local(p, known["id"], known["name"] or str(root), known["url"], now(),
                  [note + (f"; {gone} article(s) marked gone" if gone else "")], seen=0, new=0)


# ---------------------------------------------------------------------------------------- entry point
def _interleave_hosts(feeds: list[dict]) -> list[dict]:
    """Round-robin over hosts so the per-host delay overlaps with other hosts' requests."""
    by_host: dict[str, list[dict]] = {}
    for f in feeds:
        by_host.setdefault(host_of(f["url"]), []).append(f)
    queues = list(by_host.values())
    out = []
    while queues:
        out += [q.pop(0) for q in queues]
        queues = [q for q in queues if q]
    return out


def local_sources(settings, paths=()) -> tuple[list[Path], list[Path]]:
    """(existing roots, missing configured roots): ``[collect] sources`` plus extra paths. A missing extra path
    (``--path``) is a FetchError naming it; a missing configured source is returned for ``missing_local``."""
    configured = [Path(s).expanduser() for s in settings.collect.sources]
    extra = [Path(x) for x in paths]
    for r in extra:
        if not r.exists():
            raise FetchError(f"local source {r} does not exist: fix the path (--path or [collect] sources)")
    return [r for r in configured if r.exists()] + extra, [r for r in configured if not r.exists()]


def collect(store, settings, *, all_feeds: bool = False, sample: bool = False, paths=(),
            progress: bool = True) -> CollectReport:
    """One pass: due feeds (every feed with ``all_feeds``), local sources, and the sample corpus if asked.

    Holds the store's collect lock: a second concurrent collect on the same database fails at once (StageBusy).
    Ctrl-C raises Interrupted, which says what was stored before it (every entry is stored atomically)."""
    report = CollectReport()
    with store.exclusive("collect"):
        try:
            return _collect(store, settings, report, all_feeds=all_feeds, sample=sample, paths=paths,
                            progress=progress)
        except KeyboardInterrupt:
            store.abandon()
            raise Interrupted(f"collect stopped early; before that it {report.summary()} (all of that is saved). "
                              "Feeds and files not reached yet are read by the next 'tracker collect'") from None


def _collect(store, settings, report: CollectReport, *, all_feeds: bool, sample: bool, paths,
             progress: bool) -> CollectReport:
    roots, missing = local_sources(settings, paths)
    feeds = _interleave_hosts(feeds_q.due_feeds(store, all_feeds=all_feeds))
    p = _Pass(store, settings, report)
    for f in feeds_q.waiting_feeds(store):
        p.gate.close(host_of(f["url"]), f["retry_after_until"])
    bar = tqdm(total=len(feeds) + len(roots) + int(sample), desc="collect", unit="source", file=sys.stderr,
               disable=not progress, leave=False)
    try:
        for feed in feeds:
            bar.set_postfix_str(host_of(feed["url"]), refresh=False)
            if p.gate.is_closed(host_of(feed["url"]), iso()):
                report.feeds_skipped += 1
            else:
                collect_feed(p, feed)
            bar.update()
        if not stop.requested():
            pages = fetch_pages(p, report.errors)
            report.pages = pages
        for root in roots:
            collect_local(p, root)
            bar.update()
        for root in missing:
            missing_local(p, root)
        if sample:
            with local.sample_root() as root:
                collect_local(p, Path(root), name=D.SAMPLE_SOURCE_NAME, url=local.SAMPLE_URL)
            bar.update()
    finally:
        bar.close()
        p.close()
    return report
