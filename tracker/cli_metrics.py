"""``tracker metrics ...``: refresh the metric series from the providers, show what the store holds for one."""

from __future__ import annotations

import json

import typer

from tracker.errors import TrackerError

metrics_app = typer.Typer(help="Metric series from the providers (Yahoo Finance, FRED, CSV). "
                          "Example: tracker metrics refresh", no_args_is_help=True)


@metrics_app.command("refresh")
def metrics_refresh(quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar.")) -> None:
    """Fetch the due metric series into the store (one bounded pass, only what is missing).

    Providers are asked in the order of [metrics] providers; one that fails (outage, rate limit) is reported on
    stderr and its series fall to the next one. Cached data is kept.

    Example: tracker metrics refresh --quiet
    """
    from tracker.cli import fail, settings, store_for
    from tracker.metrics.refresh import refresh

    try:
        s = settings()
        with store_for(s) as store:
            report = refresh(store, s, progress=not quiet)
    except TrackerError as e:
        fail(str(e))
    for line in report.errors:
        typer.echo(f"warning: {line}", err=True)
    typer.echo(report.summary())


@metrics_app.command("show")
def metrics_show(series_id: str = typer.Argument(..., help="close:SYMBOL, stmt:SYMBOL:FIELD or macro:CODE."),
                 as_json: bool = typer.Option(False, "--json", help="Print the series and its observations as JSON.")
                 ) -> None:
    """Show a series' cached observations with their provider and fetch time.

    Example: tracker metrics show close:7203.T --json
    """
    from tracker.cli import fail, settings, store_for
    from tracker.metrics.series import parse
    from tracker.store import metrics as mq

    try:
        parse(series_id)
    except ValueError as e:
        fail(str(e))
    s = settings()
    with store_for(s, mode="read") as store:
        row = mq.series_rows(store.conn, [series_id]).get(series_id)
        obs = mq.observations(store.conn, series_id)
    if row is None:
        fail(f"no series {series_id} in {s.db_path}: a series is tracked once a claim links to it; "
             "'tracker metrics refresh' then fetches it")
    if as_json:
        typer.echo(json.dumps({"series": row, "observations": obs}, indent=2, default=str))
        return
    span = f"{row['first_date']} .. {row['last_date']}" if row.get("first_date") else "no data yet"
    typer.echo(f"{series_id}  unit {row.get('unit') or '?'}  provider {row.get('provider') or '-'}  {span}  "
               f"fetched {row.get('last_fetched_at') or 'never'}  next {row.get('next_fetch_at') or 'now'}")
    if row.get("last_error"):
        typer.echo(f"last error: {row['last_error']}")
    for o in obs:
        typer.echo(f"{o['date']}  {o['value']:>20}  {o['provider']:<8} {o['fetched_at']}")
