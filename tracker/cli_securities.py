"""``tracker securities ...``: rebuild the securities master, look up what a name or ticker resolves to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from tracker.errors import TrackerError

securities_app = typer.Typer(help="Manage the securities master. Example: tracker securities update --from equities.bz2",
                             no_args_is_help=True)


@securities_app.command("update")
def securities_update(
    from_file: Optional[Path] = typer.Option(None, "--from", help="Local FinanceDatabase equities file (.csv or .bz2)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Rebuild the securities master: curated list + pytickersymbols + FinanceDatabase.

    Example: tracker securities update --from ../shared/data/financedatabase/equities.bz2
    """
    from tracker import securities
    from tracker.cli import fail, settings, store_for

    s = settings()
    with store_for(s) as store:
        try:
            report = securities.update(store, from_file=from_file, progress=not quiet)
        except TrackerError as e:
            fail(f"{e} (the previous securities master was kept)")
    typer.echo(report.summary())


@securities_app.command("lookup")
def securities_lookup(name: str = typer.Argument(..., help="Company name, alias or ticker."),
                      on: Optional[str] = typer.Option(None, "--date", help="As of this date (YYYY-MM-DD; default "
                                                       "today), for names that changed hands."),
                      as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show the listings a name or ticker resolves to. Example: tracker securities lookup "GMO Internet" --date 2020-06-30"""
    from tracker import securities
    from tracker.cli import date_option, settings, store_for

    s = settings()
    day = date_option(on)
    with store_for(s, "read") as store:
        rows = securities.lookup(store, name, on=day)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        typer.echo(f"nothing matches {name!r}")
    for r in rows:
        typer.echo(f"{r['symbol'] or '-':<12} {'home' if r.get('is_primary') else r.get('listing_kind', ''):<9} {r['name']} ({r.get('country') or '?'})")


