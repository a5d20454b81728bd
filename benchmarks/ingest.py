"""Ingest benchmark: parse+store N feed items served from a loopback HTTP server, next to bare
``feedparser.parse`` on the same bytes in the same run.

    python benchmarks/ingest.py            # 3,000 items in 10 feeds
    python benchmarks/ingest.py --items 10000 --feeds 20

Prints items/s for both and the ratio (bare parse / full collect). Not a test.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's tracker package

import feedparser  # noqa: E402

from tracker.collect import collect  # noqa: E402
from tracker.config import Settings  # noqa: E402
from tracker.store import feeds as feeds_q  # noqa: E402
from tracker.store import open_store  # noqa: E402

WORDS = ("shares memory margin guidance revenue growth demand capex yen dollar exports quarter analysts forecast "
         "profit orders cloud chips banks deposits index small caps valuation buyback dividend earnings outlook "
         "supply prices contract rally slump tariff rates bond yield inflation central bank lending credit loans "
         "retail consumer spending factory output smartphone sensors games advertising subscribers network "
         "refining petrochemical spreads debt coverage interest cash flow investment packaging foundry wafer "
         "node battery hybrid vehicle deliveries plant utilisation inventory backlog bookings cycle recovery "
         "luxury tourism cognac fashion obesity drug prescriptions launch pipeline trial approval insurance "
         "premium claims reserves mining copper iron ore steel shipping freight rail airline travel hotel").split()


def feed_bytes(feed_no: int, n_items: int) -> bytes:
    """An RSS 2.0 feed of distinct items (random prose from WORDS, seeded: the same bytes every run)."""
    rng = random.Random(feed_no)
    items = []
    for i in range(n_items):
        words = " ".join(rng.choices(WORDS, k=80))
        items.append(f"<item><title>Feed {feed_no} item {i}: {' '.join(rng.choices(WORDS, k=6))}</title>"
                     f"<link>http://bench.test/{feed_no}/{i}?utm_source=rss</link>"
                     f"<guid isPermaLink=\"false\">{feed_no}-{i}</guid>"
                     f"<pubDate>Tue, 01 Dec 2026 10:{i % 60:02d}:00 GMT</pubDate>"
                     f"<description>{words}.</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench {feed_no}</title>'
            + "".join(items) + "</channel></rss>").encode()


def serve(bodies: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = bodies[self.path]
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=3000, help="items in total (default 3000)")
    ap.add_argument("--feeds", type=int, default=10, help="feeds they are spread over (default 10)")
    args = ap.parse_args()
    per_feed = max(1, args.items // args.feeds)
    bodies = {f"/feed{k}.xml": feed_bytes(k, per_feed) for k in range(args.feeds)}
    total = per_feed * args.feeds
    server = serve(bodies)
    base = f"http://127.0.0.1:{server.server_address[1]}"

    t0 = time.perf_counter()
    parsed = sum(len(feedparser.parse(io.BytesIO(b)).entries) for b in bodies.values())
    bare_s = time.perf_counter() - t0
    assert parsed == total

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings()
        settings.store.path = str(Path(tmp) / "bench.db")
        settings.collect.per_host_delay_s = 0
        settings.collect.fetch_full_text = False
        store = open_store(settings.store.path)
        for path in bodies:
            feeds_q.add_feed(store, base + path)
        t0 = time.perf_counter()
        report = collect(store, settings, all_feeds=True, progress=False)
        full_s = time.perf_counter() - t0
        stored = store.db["articles"].count
        store.close()
    server.shutdown()
    assert stored == total == report.new_articles + report.duplicates, (stored, total, report)

    bare_rate, full_rate = total / bare_s, total / full_s
    print(f"items: {total} in {args.feeds} feeds ({sum(map(len, bodies.values())) / 1e6:.1f} MB of RSS)")
    print(f"bare feedparser.parse:           {bare_rate:8.0f} items/s  ({bare_s:.2f} s)")
    print(f"collect (HTTP+parse+dedupe+store): {full_rate:6.0f} items/s  ({full_s:.2f} s)")
    print(f"ratio (bare / collect):          {bare_rate / full_rate:8.2f}x")


if __name__ == "__main__":
    main()
