"""Peak memory and time of the tracker on oversized input, each case in its own `python -m tracker` process.

    python benchmarks/limits.py [--cases line,file,store] [--root CHECKOUT] [--timeout 600]

Cases (inputs generated offline from benchmarks/extract.py's commentary templates, written to a temporary folder):

- ``line``:  a 2 MB single line with no sentence breaks (full stops and newlines removed) on
  ``tracker extract --json -``;
- ``plain``: a 2 MB single line of everyday prose without companies or claims, so that no per-article cap
  stops the reading early: the whole input is parsed (the memory bound without the caps' help);
- ``file``:  a 5 MB commentary file (normal paragraphs) on ``tracker extract --json FILE``;
- ``store``: a 50 MB commentary file collected with ``tracker collect --path`` and then extracted from the
  store with ``tracker extract``.

For each process it prints wall seconds, peak RSS (the process's own maximum, from wait4) and what the
output says about truncation and caps. ``--root`` runs another checkout's ``tracker`` package (e.g. the
main checkout, for a before/after comparison on the same machine).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def commentary(size: int, seed: int = 11) -> str:
    """About ``size`` characters of commentary paragraphs (a generated block repeated)."""
    from extract import make_articles  # benchmarks/extract.py

    block = "\n\n".join(make_articles(200, seed))
    return (block + "\n\n") * (size // (len(block) + 2)) + block[: size % (len(block) + 2)]


def _hwm_mb(pid: int) -> float:
    """The process's own peak RSS so far (VmHWM of its address space), 0 when it cannot be read."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def run(cmd: list[str], *, stdin=None, env, timeout: float, cwd=None) -> dict:
    """Run one process; wall time, its own peak RSS and its output. ``cwd``: run there (``python -m``
    puts its working folder first on sys.path, so it must not be a checkout other than the one measured).

    The peak is the child's VmHWM, polled while it runs: wait4's ru_maxrss also counts the parent's memory at
    the moment of exec (Linux keeps the old address space's high-water mark), which is wrong from a big parent
    such as a long pytest session."""
    t = time.perf_counter()
    peak = 0.0
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=err, env=env, cwd=cwd or tempfile.gettempdir())
        deadline = time.monotonic() + timeout
        while True:
            peak = max(peak, _hwm_mb(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"rc": proc.returncode, "seconds": time.perf_counter() - t, "rss_mb": peak or usage.ru_maxrss / 1024,
                "stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace"),
                "timed_out": time.monotonic() > deadline}


def describe(name: str, r: dict) -> None:
    note = " (killed: timeout)" if r["timed_out"] else ""
    print(f"{name:<34} rc={r['rc']:<4} {r['seconds']:>7.1f} s  peak RSS {r['rss_mb']:>6.0f} MB{note}")
    for line in r["stdout"].splitlines()[:3]:
        try:
            obj = json.loads(line)
        except ValueError:
            print(f"{'':<36}{line[:160]}")
            continue
        if isinstance(obj, dict) and "claims" in obj:
            print(f"{'':<36}companies {len(obj['companies'])}, claims {len(obj['claims'])}, "
                  f"truncated {obj.get('truncated', '(no flag)')}, capped {obj.get('capped', '(no flag)')}")
        else:
            print(f"{'':<36}{line[:160]}")
    err = [x for x in r["stderr"].splitlines() if x.strip() and "it/s" not in x and "%|" not in x]
    for line in err[-3:]:
        print(f"{'':<36}stderr: {line[:200]}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default="line,plain,file,store")
    ap.add_argument("--root", default=str(ROOT), help="checkout whose tracker package runs (default: this one)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds before a process is killed")
    args = ap.parse_args(argv)
    cases = args.cases.split(",")
    env = {**os.environ, "PYTHONPATH": str(Path(args.root).resolve()), "HF_HUB_OFFLINE": "1"}
    py = [sys.executable, "-m", "tracker"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "tracker.toml").write_text("")  # defaults, no feeds
        base = [*py, "--config", str(tmp / "tracker.toml")]
        print(f"tracker package from {args.root}")
        if "line" in cases:
            text = commentary(2_000_000).replace(".", " ").replace("\n", " ")
            (tmp / "line.txt").write_text(text)
            with open(tmp / "line.txt", "rb") as fh:
                describe("2 MB single line, extract -", run([*base, "--db", str(tmp / "none.db"), "extract", "--json",
                                                              "-q", "-"], stdin=fh, env=env, timeout=args.timeout))
        if "plain" in cases:
            prose = "the committee discussed the schedule of the regional football league and the weather " * 25_000
            (tmp / "plain.txt").write_text(prose[:2_000_000])
            with open(tmp / "plain.txt", "rb") as fh:
                describe("2 MB plain line, extract -", run([*base, "--db", str(tmp / "none.db"), "extract", "--json",
                                                            "-q", "-"], stdin=fh, env=env, timeout=args.timeout))
        if "file" in cases:
            (tmp / "file.txt").write_text(commentary(5_000_000))
            describe("5 MB file, extract FILE", run([*base, "--db", str(tmp / "none.db"), "extract", "--json", "-q",
                                                     str(tmp / "file.txt")], env=env, timeout=args.timeout))
        if "store" in cases:
            (tmp / "big").mkdir()
            (tmp / "big" / "big.txt").write_text(commentary(50_000_000))
            db = str(tmp / "big.db")
            describe("50 MB file, collect --path", run([*base, "--db", db, "collect", "-q", "--path", str(tmp / "big")],
                                                       env=env, timeout=args.timeout))
            describe("50 MB file, extract (store)", run([*base, "--db", db, "extract", "-q", "--json"], env=env,
                                                        timeout=args.timeout))
            import sqlite3

            conn = sqlite3.connect(db)
            cols = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
            row = conn.execute("SELECT length(text)" + (", truncated" if "truncated" in cols else "")
                               + " FROM articles").fetchone()
            counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("mentions", "claims")]
            xcols = {r[1] for r in conn.execute("PRAGMA table_info(extractions)")}
            ext = conn.execute("SELECT truncated" + (", capped" if "capped" in xcols else "")
                               + " FROM extractions").fetchone()
            conn.close()
            print(f"{'':<36}stored text {row[0]} chars, article truncated flag "
                  f"{row[1] if len(row) > 1 else '(no column)'}; mentions {counts[0]}, claims {counts[1]}; "
                  f"extraction truncated {ext[0] if ext else None}, capped {ext[1] if ext and len(ext) > 1 else '(no column)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
