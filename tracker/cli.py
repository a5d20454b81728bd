"""Command line: one command per verb. Thin: parse, call a stage, print. Errors exit 1 with one line.

Every command has help text with an example; long-running ones show a progress bar (``--quiet`` hides it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from tracker import defaults as D
from tracker.errors import Interrupted, TrackerError

INTERRUPTED_RC = 130  # the shell's code for a command stopped by SIGINT (128 + 2)


class _Tracker(TyperGroup):
    """The root command: every TrackerError becomes one ``error:`` line and exit 1, Ctrl-C one line and exit 130,
    whichever command raised it (so no command can end in a traceback for a known failure)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Interrupted as e:
            typer.echo(f"\ninterrupted: {e}", err=True)
            raise typer.Exit(INTERRUPTED_RC) from None
        except KeyboardInterrupt:
            typer.echo("\ninterrupted: the command stopped before it finished; what it had saved is kept (every "
                       "step commits atomically, nothing is half-written): run it again to finish", err=True)
            raise typer.Exit(INTERRUPTED_RC) from None
        except TrackerError as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Tracker,
    help="thesis tracker: collect market commentary, extract checkable claims, track whether they hold.\n\n"
    "Example: tracker --db my.db collect --all",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class _State:
    config: Optional[str] = None
    db: Optional[str] = None


STATE = _State()


@app.callback()
def _global(
    config: Optional[str] = typer.Option(None, "--config", help="TOML config file (default ./tracker.toml or $TRACKER_CONFIG)."),
    db: Optional[str] = typer.Option(None, "--db", help="SQLite database file (default: store.path in the config, or $TRACKER_DB)."),
) -> None:
    STATE.config = config
    STATE.db = db


def settings():
    from tracker.config import load_settings

    return load_settings(STATE.config, STATE.db)


def store_for(s, mode: str = "write"):
    """The configured store: ``mode="read"`` for commands that only read (never creates or migrates)."""
    from tracker.store import open_store

    return open_store(s.db_path, mode=mode)


def fail(msg: str) -> None:
    typer.echo(f"error: {msg}", err=True)
    raise typer.Exit(1)


def date_option(value: Optional[str]):
    """A --date option as a datetime.date (None when not given); a bad value fails with the format to use."""
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--date {value!r} is not a date: write it as YYYY-MM-DD, e.g. --date 2025-03-31")


# ----------------------------------------------------------------------------------------------- init
@app.command()
def init() -> None:
    """Create (or migrate) the database and register the configured feeds.

    Writes the default tracker.toml first when no config file exists.

    Example: tracker --db tracker.db init
    """
    from tracker.store import feeds as feeds_q

    from tracker.config import write_default_config

    from tracker.errors import ConfigError

    try:
        written = write_default_config(STATE.config)
    except ConfigError as e:
        typer.echo(f"warning: {e}; going on with the built-in defaults", err=True)
        written = None
    if written:
        typer.echo(f"wrote the default config to {written} (real public market-commentary feeds; edit it freely)")
    s = settings()
    with store_for(s) as store:
        added = feeds_q.sync_config_feeds(store, s.feeds)
        typer.echo(f"database {s.db_path} ready (schema v{store.schema_version()}); "
                   f"{len(s.feeds)} configured feeds, {added} newly registered")


# -------------------------------------------------------------------------------------------- collect
@app.command()
def collect(
    all_feeds: bool = typer.Option(False, "--all", help="Fetch every feed, not only those due."),
    sample: bool = typer.Option(False, "--sample", help="Ingest the bundled sample corpus (offline)."),
    path: list[str] = typer.Option([], "--path", help="Also ingest a local file or directory (.html/.md/.txt)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """One collection pass over due feeds (and local sources). Example: tracker collect --all

    Feeds listed in the config are registered first.

    A failing feed is reported on stderr, recorded (see 'tracker feeds list') and retried later.
    """
    from tracker.collect import collect as run_collect
    from tracker.store import feeds as feeds_q

    if any(not p.strip() for p in path):
        fail("--path was given an empty path: name a file or folder (use --path . for this folder)")
    s = settings()
    with store_for(s) as store:
        feeds_q.sync_config_feeds(store, s.feeds)
        report = run_collect(store, s, all_feeds=all_feeds, sample=sample, paths=[Path(p) for p in path],
                             progress=not quiet)
    for line in report.errors:
        typer.echo(f"warning: {line}", err=True)
    typer.echo(report.summary())


# --------------------------------------------------------------------------------------------- search
@app.command()
def search(
    query: str = typer.Argument(..., help="Words, a phrase in quotes, a company name or a ticker."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=D.SEARCH_MAX_LIMIT,
                              help=f"Most results to show (1 to {D.SEARCH_MAX_LIMIT})."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of results."),
) -> None:
    """Search articles (one result per story, with every source that carried it).

    Example: tracker search "TSMC" --json
    """
    from tracker.store import articles as articles_q

    s = settings()
    with store_for(s, "read") as store:
        results = articles_q.search(store, query, limit=limit)
    if as_json:
        typer.echo(json.dumps(results, indent=2, ensure_ascii=False, default=str))
        return
    if not results:
        typer.echo(f"no articles match {query!r}")
        return
    for r in results:  # the story, then every source that carried it, then the matching passage
        typer.echo(f"{(r.get('published_at') or '')[:10]:<10}  {r.get('title') or '(untitled)'}")
        for x in r.get("sources", []):
            flags = "".join([f"  [gone since {x['gone_at'][:10]}: the source file was removed]" if x.get("gone_at")
                             else "", "  [truncated: only the start was stored]" if x.get("truncated") else ""])
            typer.echo(f"{'':<12}{x.get('source_name') or '?'}  {x.get('url') or ''}{flags}")
        typer.echo(f"{'':<12}{' '.join((r.get('snippet') or '').split())}")


# -------------------------------------------------------------------------------------------- extract
@app.command()
def extract(
    paths: list[str] = typer.Argument(None, help="Plain-text files, or '-' for stdin. None: extract the store's articles."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per input (always on for files)."),
    reprocess: bool = typer.Option(False, "--reprocess", help="Re-extract every stored article (after a model change)."),
    on: Optional[str] = typer.Option(None, "--date", help="Publication date of the files (YYYY-MM-DD; default today): "
                                     "decides names that changed hands. Stored articles use their own dates."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Extract companies, tickers, sectors and claims.

    Examples: tracker extract --json note.txt other.txt   |   cat note.txt | tracker extract --date 2019-06-30 -   |
    tracker extract --reprocess
    """
    from tracker.nlp import extract as ex

    s = settings()
    day = date_option(on)
    if paths:
        for obj in ex.extract_paths(paths, s, progress=not quiet, on=day):
            typer.echo(json.dumps(obj, ensure_ascii=False))
        return
    with store_for(s) as store:
        report = ex.extract_store(store, s, reprocess=reprocess, progress=not quiet)
    typer.echo(json.dumps(report, default=str) if as_json else report.get("summary", str(report)))


# ---------------------------------------------------------------------------------------------- score
@app.command("score")
def score_cmd(
    passages: Path = typer.Argument(..., help="JSONL of {id, text}."),
    gold: Path = typer.Argument(..., help="JSONL of gold labels {id, companies, explicit_tickers, sectors, claims}."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Score extraction against a labelled set.

    Example: tracker score models/labelled/test.passages.jsonl models/labelled/test.gold.jsonl
    """
    from tracker.errors import EvalError
    from tracker.nlp import scoring

    s = settings()
    try:
        scores = scoring.evaluate_files(passages, gold, s, progress=not quiet)
    except EvalError as e:
        fail(str(e))
    typer.echo(json.dumps(scores, indent=2) if as_json else scoring.format_table(scores))


# ------------------------------------------------------------------------------------------------ run
@app.command()
def run(
    once: bool = typer.Option(False, "--once", help="One pass, then exit."),
    every: str = typer.Option(D.RUN_EVERY, "--every", help="Time between passes: 90s, 15m, 2h, 1d."),
    sample: bool = typer.Option(False, "--sample", help="Use the bundled sample commentary and SAMPLE metric data."),
    sample_if_offline: bool = typer.Option(False, "--sample-if-offline",
                                           help="Fall back to the sample when no feed can be reached."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars (one line per stage is printed)."),
) -> None:
    """Run the pipeline: collect -> extract -> metrics -> evaluate -> alerts, every 15 minutes until stopped.

    Ctrl-C (or SIGTERM) finishes the current item and stops; a second Ctrl-C stops at once.

    Example: tracker run --once --sample
    """
    from tracker import pipeline, stop

    try:
        every_s = pipeline.parse_every(every)
    except ValueError as e:
        fail(str(e))
    s = settings()
    progress = not quiet and sys.stderr.isatty()  # no carriage-return bars in logs
    previous = stop.install(notify=lambda m: typer.echo(m, err=True))
    try:
        with store_for(s) as store:
            pipeline.run(store, s, once=once, every_s=every_s, sample=sample, sample_if_offline=sample_if_offline,
                         progress=progress, emit=lambda line: typer.echo(line))
    except TrackerError as e:
        fail(str(e))
    finally:
        stop.restore(previous)


# ---------------------------------------------------------------------------------------------- board
@app.command()
def board() -> None:
    """Serve the Streamlit board (read-only) on board.host:board.port. Example: tracker --db tracker.db board"""
    import os

    from tracker.paths import REPO_ROOT

    s = settings()
    _check_listen(s.board.host, s.board.port)
    env = dict(os.environ, TRACKER_DB=str(s.db_path.resolve()))
    if STATE.config:
        env["TRACKER_CONFIG"] = str(Path(STATE.config).resolve())
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "app.py"),
           "--server.address", s.board.host, "--server.port", str(s.board.port), "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer"]
    typer.echo(f"board on http://{s.board.host}:{s.board.port} (Ctrl-C stops it)")
    sys.stdout.flush()
    os.execve(sys.executable, cmd, env)  # the board replaces this process: signals reach Streamlit directly


def _check_listen(host: str, port: int) -> None:
    """Fail with one line, before Streamlit starts, when board.host does not resolve or host:port cannot be bound."""
    import socket

    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as e:
        fail(f"board.host {host!r} cannot be resolved ({e}): set [board] host to an address of this machine, "
             "e.g. 127.0.0.1")
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(addr)
        except OSError as e:
            fail(f"the board cannot listen on {host}:{port} ({e.strerror or e}): choose another [board] port, "
                 "or a host that is an address of this machine")


# Commands defined in their own modules (each imports the helpers above).
from tracker.cli_alerts import alerts_app  # noqa: E402
from tracker.cli_claims import claims_app  # noqa: E402
from tracker.cli_feeds import feeds_app  # noqa: E402
from tracker.cli_metrics import metrics_app  # noqa: E402
from tracker.cli_securities import securities_app  # noqa: E402

app.registered_commands += claims_app.registered_commands
app.add_typer(feeds_app, name="feeds")
app.add_typer(securities_app, name="securities")
app.add_typer(alerts_app, name="alerts")
app.add_typer(metrics_app, name="metrics")


def main() -> None:
    app()  # errors and Ctrl-C are handled by _Tracker.invoke


if __name__ == "__main__":
    main()
