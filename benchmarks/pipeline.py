"""End-to-end pass: `tracker run --once` over a loopback feed server, stage by stage.

    python benchmarks/pipeline.py [--articles 1000] [--feeds 10] [--seed 7]

Serves ``--articles`` generated articles (benchmarks/extract.py's generator: companies, tickers, index and macro
sentences) as full-content RSS from ``--feeds`` feeds on a ThreadingHTTPServer on 127.0.0.1, with a CSV metric
directory holding a daily close series for every curated security and benchmark index (so links find data without
the network). Then one pass of the real pipeline (tracker.pipeline.run_pass: collect, extract, metrics, evaluate,
alerts) runs in this process. Prints each stage's seconds and articles per second, the end-to-end rate, and the
process's peak RSS (aim below 1.5 GB). Also prints bare feedparser over the same feeds as a same-run baseline for
the collect stage.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.extract import make_articles  # noqa: E402


def rss(items, title):
    out = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/'
           f'modules/content/"><channel><title>{title}</title>']
    for it in items:
        out.append(f"<item><title><![CDATA[{it['title']}]]></title><link>{it['link']}</link>"
                   f"<guid isPermaLink=\"false\">{it['guid']}</guid><pubDate>{it['date']}</pubDate>"
                   f"<content:encoded><![CDATA[{it['text']}]]></content:encoded></item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


def serve(feeds: dict[str, bytes]) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = feeds.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def write_metrics(folder: Path, seed: int) -> int:
    from tracker.metrics import catalogue
    from tracker.securities.sources import curated_rows  # noqa: F401  (the package layout after the split)

    return _write(folder, seed, [r["symbol"] for r in curated_rows()] + [ix.symbol for ix in catalogue.load().indices])


def _write(folder: Path, seed: int, symbols: list[str]) -> int:
    rnd = random.Random(seed)
    days, d = [], date.today() - timedelta(days=500)
    while d <= date.today():
        if d.weekday() < 5:
            days.append(d.isoformat())
        d += timedelta(days=1)
    folder.mkdir(parents=True, exist_ok=True)
    for sym in symbols:
        v, rows = 100.0, []
        for day in days:
            v *= 1 + rnd.gauss(0.0003, 0.015)
            rows.append(f"{day},{v:.4f}")
        (folder / f"{sym}.csv").write_text("date,close\n" + "\n".join(rows) + "\n")
    return len(symbols)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--feeds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    import feedparser

    from tracker.config import Settings
    from tracker.pipeline import run_pass
    from tracker.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    texts = make_articles(args.articles, args.seed)
    now = date.today()
    per = (len(texts) + args.feeds - 1) // args.feeds
    feeds: dict[str, bytes] = {}
    server, base = serve(feeds)
    for f in range(args.feeds):
        items = [{"title": t.split(".")[0][:90], "link": f"{base}/a/{f}/{i}", "guid": f"g{f}-{i}", "text": t,
                  "date": format_datetime(time_of(now, i))} for i, t in enumerate(texts[f * per:(f + 1) * per])]
        feeds[f"/feed/{f}.xml"] = rss(items, f"Bench feed {f}")
    try:
        n_series = write_metrics(tmp / "csv", args.seed)
    except ImportError:  # before the securities package split
        from tracker.metrics import catalogue
        from tracker.securities.sources import curated_rows

        n_series = _write(tmp / "csv", args.seed,
                          [r["symbol"] for r in curated_rows()] + [ix.symbol for ix in catalogue.load().indices])

    t = time.perf_counter()
    parsed = sum(len(feedparser.parse(body).entries) for body in feeds.values())
    bare_s = time.perf_counter() - t

    s = Settings.model_validate({
        "store": {"path": str(tmp / "bench.db")},
        "collect": {"per_host_delay_s": 0, "fetch_full_text": False},
        "metrics": {"providers": ["csv"], "csv": {"dir": str(tmp / "csv")}, "max_series_per_pass": 5000},
        "feeds": [{"url": f"{base}/feed/{f}.xml", "name": f"Bench feed {f}"} for f in range(args.feeds)]})
    with open_store(s.db_path) as store:
        t = time.perf_counter()
        report = run_pass(store, s, emit=lambda line: None)
        total = time.perf_counter() - t
        articles = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        claims = store.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    server.shutdown()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.articles} articles in {args.feeds} loopback feeds; {n_series} CSV close series; "
          f"{articles} stored, {claims} claims")
    print(f"bare feedparser over the same feeds: {parsed / bare_s:,.0f} items/s (same-run baseline for collect)")
    print(f"{'stage':<10}{'seconds':>9}{'articles/s':>12}  summary")
    for st in report.stages:
        rate = articles / st.seconds if st.seconds else float("inf")
        print(f"{st.name:<10}{st.seconds:>9.1f}{rate:>12.1f}  {st.summary[:110]}")
    print(f"{'pass':<10}{total:>9.1f}{articles / total:>12.1f}  end to end ({report.outcome})")
    print(f"peak RSS: {peak:.0f} MB (aim < 1500 MB)")


def time_of(day: date, i: int):
    from datetime import datetime, timezone

    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc) - timedelta(minutes=7 * i + 60)


if __name__ == "__main__":
    main()
