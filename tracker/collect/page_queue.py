"""Article pages from a queue: a summary-only entry is stored at once from the feed's own text (``page_status =
'wanted'``) and upgraded to the page's full text here, after the feeds of the pass.

Bounded: at most ``max_pages_per_pass`` pages per pass and ``max_pages_per_host`` from one host, nothing new
started after ``page_budget_s``; the rest stay queued for the next pass (said in the report). Concurrent across
hosts (``page_workers`` threads, one host per thread, so per-host spacing and Retry-After hold); a host that does
not resolve or refuses the connection is skipped for the rest of the pass. Workers only fetch: every write happens
on the calling thread. A page that fails is retried on later passes (doubling wait) up to PAGE_MAX_ATTEMPTS; a 4xx
answer or a page with no article text is given up at once. The feed's text stays whenever the page is not better.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tracker import defaults as D
from tracker import stop
from tracker.collect import dedupe
from tracker.collect.http import make_client
from tracker.collect.pages import page_text
from tracker.errors import FetchError
from tracker.net import HostGate, backoff_s, host_of
from tracker.store import articles as articles_q
from tracker.timeutil import in_seconds, iso


_allow_private = threading.local()  # per worker: may this page reach private addresses (its feed is local)?


def non_global(host: str) -> bool:
    """Whether ``host`` (an IP literal or a name) is or resolves to an address that is not on the public internet:
    loopback, private, link-local, reserved. A name that does not resolve is not (the fetch then fails by itself)."""
    host = host.strip("[]")
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    except Exception:  # noqa: BLE001 - a resolver that refuses in another way (the tests' network guard)
        return False
    return any(not ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in infos)


def _guard(request) -> None:
    """httpx request hook of the page client, on every hop (redirects too): a feed on the internet may not make
    the tracker fetch addresses inside the user's network. Pages of a feed that is itself local are allowed."""
    if not getattr(_allow_private, "value", False) and non_global(request.url.host):
        raise FetchError(f"{request.url}: points into a private network ({request.url.host}) while its feed is on the "
                         "internet: not fetched (the feed's text was kept)", permanent=True)


def _endpoint(url: str) -> str:
    """host:port of a URL: what 'unreachable' is said of (a refused port says nothing of the host's others)."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


@dataclass
class PageReport:
    fetched: int = 0
    failed: int = 0  # given up for good
    retrying: int = 0
    queued: int = 0  # still wanted after this pass
    hosts_down: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"pages: {self.fetched} full texts fetched"
        if self.failed or self.retrying:
            text += f", {self.failed} given up, {self.retrying} to retry"
        if self.queued:
            text += f"; {self.queued} queued for the next pass"
        if self.hosts_down:
            text += f"; unreachable, skipped this pass: {', '.join(sorted(self.hosts_down)[:5])}" + (
                f" (+{len(self.hosts_down) - 5} more)" if len(self.hosts_down) > 5 else "")
        return text


def _fetch_host(client, cfg, host: str, items: list[dict], deadline: float, down: set[str]):
    """Fetch one host's pages in turn (its own politeness gate). Returns [(article, text, source, error)]."""
    gate = HostGate(cfg.per_host_delay_s)
    out = []
    for a in items:
        if time.monotonic() > deadline or stop.requested():
            break
        if _endpoint(a["url"]) in down:
            continue
        _allow_private.value = bool(a.get("feed_local"))
        try:
            with gate.turn(host):
                text, source = page_text(client, a["url"], cfg)
            out.append((a, text, source, None))
        except FetchError as e:
            out.append((a, None, None, e))
            if e.unreachable:
                down.add(_endpoint(a["url"]))
        except Exception as e:  # noqa: BLE001 - a worker never dies; the page is retried, the host skipped
            out.append((a, None, None, FetchError(f"{a['url']}: {type(e).__name__}: {e}", unreachable=True)))
            down.add(_endpoint(a["url"]))
    return out


def fetch_pages(p, report_errors: list[str]) -> PageReport:
    """Work the page queue for one collect pass (``p``: the collect pass, for its store, settings and client)."""
    cfg, store = p.cfg, p.store
    rep = PageReport()
    if not cfg.fetch_full_text or cfg.max_pages_per_pass <= 0:
        rep.queued = articles_q.pages_wanted_count(store)
        return rep
    rows = articles_q.pages_due(store, iso(), cfg.max_pages_per_pass * 4)
    by_host: dict[str, list[dict]] = defaultdict(list)
    picked = 0
    for a in rows:
        host = host_of(a["url"] or "")
        if picked >= cfg.max_pages_per_pass or len(by_host[host]) >= cfg.max_pages_per_host:
            continue
        if p.gate.is_closed(host, iso()):  # the host asked us to wait (Retry-After)
            continue
        by_host[host].append(a)
        picked += 1
    deadline = time.monotonic() + cfg.page_budget_s
    down: set[str] = set()
    local_feeds: dict[str, bool] = {}
    for a in (a for items in by_host.values() for a in items):
        feed_host = urlsplit(a.get("feed_url") or "").hostname or ""
        if feed_host not in local_feeds:
            local_feeds[feed_host] = non_global(feed_host) if feed_host else False
        a["feed_local"] = local_feeds[feed_host]
    client = make_client(cfg)  # the pages' own client: its hook guards every hop, redirects included
    client.event_hooks["request"] = [_guard]
    with client, ThreadPoolExecutor(max_workers=min(cfg.page_workers, max(1, len(by_host)))) as pool:
        futures = {pool.submit(_fetch_host, client, cfg, host, items, deadline, down): host
                   for host, items in by_host.items()}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                for a, text, source, err in f.result():
                    _record(store, a, text, source, err, rep, report_errors)
    rep.hosts_down = sorted(down)
    rep.queued = articles_q.pages_wanted_count(store)
    return rep


def _record(store, a: dict, text, source, err, rep: PageReport, errors: list[str]) -> None:
    if err is None:
        if len(text or "") > len(a["text"] or ""):
            cut = text[: D.MAX_FIELD_CHARS]
            if len(text) > D.MAX_FIELD_CHARS:
                errors.append(f"page text of {a['url']} cut to its first {D.MAX_FIELD_CHARS} characters")
            chash = dedupe.content_hash(a["title"], cut)
            articles_q.page_done(store, a["id"], {"text": cut, "text_source": source, "content_hash": chash,
                                                  "minhash": dedupe.to_blob(dedupe.minhash(cut)),
                                                  "truncated": int(len(text) > D.MAX_FIELD_CHARS)})
        else:
            articles_q.page_done(store, a["id"], None)  # the feed's text was as long: keep it
        rep.fetched += 1
        return
    attempts = (a["page_attempts"] or 0) + 1
    give_up = err.permanent or attempts >= D.PAGE_MAX_ATTEMPTS
    errors.append(f"full text not fetched ({err}); the feed's text was kept" +
                  ("" if give_up else f", retried on a later pass (attempt {attempts} of {D.PAGE_MAX_ATTEMPTS})"))
    articles_q.page_failed(store, a["id"], str(err)[:300], attempts, None if give_up else
                           in_seconds(backoff_s(D.PAGE_RETRY_S, 8 * D.PAGE_RETRY_S, max(attempts, 1))), give_up)
    rep.failed += give_up
    rep.retrying += not give_up
