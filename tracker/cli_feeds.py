"""``tracker feeds ...``: add, list and remove the feeds to collect from (those in tracker.toml are kept there)."""

from __future__ import annotations

import json
from typing import Optional

import typer

feeds_app = typer.Typer(help="Manage the feeds to collect from. Example: tracker feeds add https://example.com/rss --name Example",
                        no_args_is_help=True)


@feeds_app.command("add")
def feeds_add(url: str = typer.Argument(..., help="Feed URL (RSS, Atom or JSON Feed)."),
              name: Optional[str] = typer.Option(None, "--name", help="Display name.")) -> None:
    """Add a feed. Example: tracker feeds add https://example.com/markets.rss --name 'Example markets'"""
    from tracker.cli import fail, settings, store_for
    from tracker.config import FeedConfig
    from tracker.store import feeds as feeds_q

    try:
        FeedConfig(url=url, name=name)
    except Exception:
        fail(f"'{url}' is not a valid http(s) URL: give the feed's full address, e.g. https://example.com/rss")
    s = settings()
    with store_for(s) as store:
        created = feeds_q.add_feed(store, url, name)
    typer.echo(("added " if created else "already present: ") + url)


@feeds_app.command("list")
def feeds_list(as_json: bool = typer.Option(False, "--json", help="Print a JSON array.")) -> None:
    """List feeds with their last status, error and next poll time. Example: tracker feeds list --json"""
    from tracker.cli import settings, store_for
    from tracker.store import feeds as feeds_q

    s = settings()
    with store_for(s, "read") as store:
        rows = feeds_q.list_feeds(store)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    if not rows:
        typer.echo("no feeds: add one with 'tracker feeds add URL' or list them under [[feeds]] in tracker.toml")
        return
    for r in rows:
        status = r.get("last_outcome") or "never fetched"
        err = f"  error: {r['last_error']}" if r.get("last_error") else ""
        when = "local source" if r.get("kind") == "local" else f"next {r.get('next_poll_at') or 'now'}"
        typer.echo(f"{r['id']:>4}  {r.get('name') or '-':<28} {status:<13} {when}  {r['url']}{err}")


@feeds_app.command("remove")
def feeds_remove(url_or_id: str = typer.Argument(..., help="Feed URL or numeric id (see 'tracker feeds list').")) -> None:
    """Remove a feed (its articles stay). Example: tracker feeds remove 3"""
    from tracker.cli import fail, settings, store_for
    from tracker.store import feeds as feeds_q

    s = settings()
    if any(f.url == url_or_id for f in s.feeds):
        fail(f"{url_or_id} is listed in {s.source}: remove its [[feeds]] entry there")
    if not s.db_path.exists():  # nothing to remove from: never create a database for it
        fail(f"no database at {s.db_path}: check --db (or [store] path, $TRACKER_DB), "
             "or create one with 'tracker init'")
    with store_for(s) as store:
        if not feeds_q.remove_feed(store, url_or_id):
            fail(f"no feed '{url_or_id}': see 'tracker feeds list' for URLs and ids")
    typer.echo(f"removed {url_or_id}")


