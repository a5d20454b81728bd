"""``tracker evaluate``, ``tracker theses``, ``tracker claims``, ``tracker link``: claim status on live metrics."""

from __future__ import annotations

import json
from typing import Optional

import typer

from tracker.cli import STATE, fail, settings, store_for  # noqa: F401
from tracker.defaults import MAX_ID
from tracker.errors import TrackerError

claims_app = typer.Typer()  # its commands are mounted at the top level of tracker.cli.app


# ------------------------------------------------------------------------------------------- evaluate
@claims_app.command()
def evaluate(
    no_refresh: bool = typer.Option(False, "--no-refresh", help="Judge on the cached series only (no provider calls)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Link claims to series, refresh the series, judge every claim and thesis.

    Example: tracker evaluate --quiet
    """
    from tracker.evaluate import evaluate as run_evaluate

    s = settings()
    try:
        with store_for(s) as store:
            report = run_evaluate(store, s, refresh=not no_refresh, progress=not quiet)
    except TrackerError as e:
        fail(str(e))
    for line in report.errors:
        typer.echo(f"warning: {line}", err=True)
    for line in report.lines:
        typer.echo(line)
    typer.echo(report.summary())


STATUS_HELP = "holding, weakening, broken or unknown."


@claims_app.command()
def theses(
    status: Optional[str] = typer.Option(None, "--status", help="Only theses with this status: " + STATUS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of theses {title, status, claims: [...]}."),
) -> None:
    """List theses with their status and claim counts (latest changes first).

    Example: tracker theses --status broken --json
    """
    from tracker.store import reports

    s = settings()
    _check_status(status)
    with store_for(s, mode="read") as store:
        rows = reports.theses(store.conn, status=status, with_claims=as_json)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    if not rows:
        typer.echo("no theses yet: run 'tracker evaluate' (theses come from articles' claims and [[theses]] in the config)")
    for t in rows:
        c = t["counts"]
        typer.echo(f"{t['status']:<10} {t['title'][:70]:<70}  {c['holding']} holding, {c['weakening']} weakening, "
                   f"{c['broken']} broken, {c['unknown']} unknown")


@claims_app.command()
def claims(
    ticker: Optional[str] = typer.Option(None, "--ticker", help="Only claims about this ticker (e.g. 7203.T)."),
    status: Optional[str] = typer.Option(None, "--status", help="Only claims with this status: " + STATUS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of claims."),
) -> None:
    """List claims with their status, evidence and link.

    Example: tracker claims --ticker 2330.TW --json
    """
    from tracker.store import reports

    s = settings()
    _check_status(status)
    with store_for(s, mode="read") as store:
        rows = reports.claims(store.conn, ticker=ticker, status=status)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    if not rows:
        typer.echo("no claims match" if (ticker or status) else "no claims yet: run 'tracker extract'")
    for c in rows:
        link = c["link"]["explanation"] if c["link"] else f"unlinked: {c['unlinked_reason']}"
        typer.echo(f"{c['id']:>6}  {c['status']:<10} {(c['subject'] or '?')[:30]:<30} {c['metric']} {c['direction']}"
                   f"  | {c.get('reason') or ''}\n{'':>8}{link}")


def _check_status(status: str | None) -> None:
    from tracker.vocab import STATUSES

    if status is not None and status not in STATUSES:
        fail(f"--status {status!r} is not one of {', '.join(STATUSES)}")


@claims_app.command()
def link(
    claim_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The claim's id (see 'tracker claims')."),
    symbols: Optional[str] = typer.Option(None, "--symbols", help="Comma-separated Yahoo symbols measuring the claim."),
    benchmark: Optional[str] = typer.Option(None, "--benchmark", help="Benchmark symbol: the claim is judged relative to it."),
    recipe: Optional[str] = typer.Option(None, "--recipe", help="close, relative, group or volatility (default: from the options)."),
    auto: bool = typer.Option(False, "--auto", help="Drop your link and let the tracker link the claim again."),
) -> None:
    """Fix a claim's link: the series that measure it. Kept over automatic linking.

    Example: tracker link 42 --symbols 002284.SZ --benchmark 000300.SS
    """
    from tracker.metrics.linking import link_claims, user_link
    from tracker.store import links as lq

    s = settings()
    try:
        with store_for(s) as store:
            if auto:
                removed = lq.reset_user_link(store, claim_id)
                link_claims(store, s, claim_ids=[claim_id], relink=True)
                typer.echo(f"claim {claim_id}: " + ("your link was dropped; linked automatically again" if removed
                                                   else "had no link of yours; linked automatically"))
                return
            if not symbols:
                fail("give --symbols (or --auto to go back to automatic linking)")
            made = user_link(store, s, claim_id, symbols.split(","), benchmark=benchmark, recipe=recipe)
    except TrackerError as e:
        fail(str(e))
    typer.echo(f"claim {claim_id}: {made.explanation}; run 'tracker evaluate' to judge it on these series")
