"""``tracker alerts ...``: the alert outbox (list, deliver, ack), channels (test, health) and mutes."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Optional

import typer

from tracker.cli import fail, settings, store_for
from tracker.defaults import MAX_ID
from tracker.errors import TrackerError

alerts_app = typer.Typer(help="Alerts when a claim's metric reverses. Example: tracker alerts list --json",
                         no_args_is_help=True)


@alerts_app.command("list")
def alerts_list(as_json: bool = typer.Option(False, "--json", help="Print a JSON array of alerts."),
                limit: int = typer.Option(100, "--limit", "-n", min=1, max=100_000, help="Most alerts to show.")) -> None:
    """List alerts, newest first, each with its key, claim, kind, time, message and per-channel delivery status.

    Example: tracker alerts list --json
    """
    from tracker.store import alerts as aq

    s = settings()
    with store_for(s, mode="read") as store:
        rows = aq.list_alerts(store.conn, limit=limit)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    if not rows:
        typer.echo("no alerts yet: they come when a claim's metric reverses ('tracker evaluate' checks)")
    for a in rows:
        state = "acked" if a["acked_at"] else (a["suppressed"] or "")
        typer.echo(f"{a['id']:>5}  {a['created_at']}  {a['kind']:<9} {a['title']}  {state}")
        typer.echo(f"{'':>7}key {a['dedup_key']}")
        for d in a["deliveries"]:
            err = f"  last error: {d['last_error']}" if d["last_error"] else ""
            typer.echo(f"{'':>7}{d['status']:<9} after {d['attempts']} attempt(s)  {d['channel']}{err}")


@alerts_app.command("deliver")
def alerts_deliver(now: bool = typer.Option(False, "--now", help="Ignore the retry backoff: attempt every pending delivery.")) -> None:
    """Attempt the pending deliveries (failed ones are retried with capped exponential backoff across runs).

    Example: tracker alerts deliver --now
    """
    from tracker.alerts import deliver

    s = settings()
    try:
        with store_for(s) as store:
            with store.exclusive("alerts"):
                report = deliver(store, s, ignore_backoff=now)
    except TrackerError as e:
        fail(str(e))
    for line in report.errors:
        typer.echo(f"warning: {line}", err=True)
    typer.echo(report.summary())


@alerts_app.command("test")
def alerts_test(channel: Optional[str] = typer.Argument(None, help="A channel's number (see 'tracker alerts channels') "
                                                          "or an Apprise URL; default: every configured channel.")) -> None:
    """Send a test message to your alert channels now and say, per channel, whether it arrived.

    Example: tracker alerts test 2
    """
    from tracker.alerts import channels as ch

    s = settings()
    urls = list(s.alerts.channels)
    if channel is not None:
        if channel.isdigit():
            if not 1 <= int(channel) <= len(urls):
                fail(f"no channel {channel}: there are {len(urls)} in [alerts] channels")
            urls = [urls[int(channel) - 1]]
        else:
            urls = [channel]
    if not urls:
        fail("no alert channels: add Apprise URLs to [alerts] channels in the config (mailto://, ntfy://, json://...)")
    failed = 0
    for url in urls:
        c = ch.Channel.of(url)
        ok, _, error = ch.send(c, "thesis tracker test", "If you read this, alerts reach this channel.", "test")
        failed += not ok
        typer.echo(f"{'ok    ' if ok else 'FAILED'}  {c.label}" + (f"  {error}" if error else ""))
    if failed:
        raise typer.Exit(1)


@alerts_app.command("channels")
def alerts_channels() -> None:
    """The configured channels (secrets masked) with their delivery health.

    Example: tracker alerts channels
    """
    from tracker.alerts import channels as ch
    from tracker.store import alerts as aq

    s = settings()
    with store_for(s, mode="read") as store:
        health = {h["channel"]: h for h in aq.channel_health(store.conn)}
    if not s.alerts.channels:
        typer.echo("no alert channels: add Apprise URLs to [alerts] channels in the config")
    for i, url in enumerate(s.alerts.channels, 1):
        c = ch.Channel.of(url)
        h = health.get(c.label, {})
        typer.echo(f"{i:>3}  {c.label}  sent {h.get('sent') or 0}, pending {h.get('pending') or 0}, failed "
                   f"{h.get('failed') or 0}" + (f"; last error: {h['last_error']}" if h.get("last_error") else ""))


@alerts_app.command("ack")
def alerts_ack(alert_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The alert's id (see 'tracker alerts list').")) -> None:
    """Acknowledge an alert (its unsent deliveries stop retrying).

    Example: tracker alerts ack 12
    """
    from tracker.store import alerts as aq

    s = settings()
    with store_for(s) as store:
        if not aq.ack(store, alert_id):
            fail(f"no alert {alert_id}: see 'tracker alerts list'")
    typer.echo(f"alert {alert_id} acknowledged")


_DURATION = re.compile(r"^(\d+)\s*([mhdw])$")


def parse_duration(text: str) -> timedelta:
    m = _DURATION.match(text.strip().lower())
    if not m or int(m.group(1)) <= 0:
        raise ValueError(f"--for {text!r} is not a duration such as 90m, 12h, 7d or 2w")
    n = int(m.group(1))
    return {"m": timedelta(minutes=n), "h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[m.group(2)]


@alerts_app.command("mute")
def alerts_mute(
    claim: Optional[int] = typer.Option(None, "--claim", min=1, max=MAX_ID, help="Mute one claim (its id)."),
    ticker: Optional[str] = typer.Option(None, "--ticker", help="Mute every claim about this ticker."),
    thesis: Optional[str] = typer.Option(None, "--thesis", help="Mute every claim of a thesis (its id or title)."),
    for_: str = typer.Option("7d", "--for", help="How long: 90m, 12h, 7d, 2w."),
    until: Optional[str] = typer.Option(None, "--until", help="Until this date (YYYY-MM-DD, UTC) instead of --for."),
    unmute: bool = typer.Option(False, "--remove", help="Remove the mutes of this claim, ticker or thesis."),
    show: bool = typer.Option(False, "--list", help="List the active mutes."),
) -> None:
    """Mute alerts of a claim, a ticker or a thesis until an expiry (alerts are kept, marked muted, not sent).

    Example: tracker alerts mute --ticker 2330.TW --for 7d
    """
    from tracker.store import alerts as aq
    from tracker.timeutil import iso, now

    s = settings()
    with store_for(s) as store:
        if show:
            rows = aq.active_mutes(store.conn, iso())
            for m in rows:
                typer.echo(f"{m['scope']:<7} {m['target']:<30} until {m['until']}")
            if not rows:
                typer.echo("no active mutes")
            return
        targets = [(k, v) for k, v in (("claim", claim), ("ticker", ticker), ("thesis", thesis)) if v is not None]
        if len(targets) != 1:
            fail("name exactly one of --claim ID, --ticker SYMBOL or --thesis ID|TITLE")
        scope, target = targets[0]
        target = str(target).strip()
        if not target:
            fail(f"--{scope} needs a value")
        if scope == "thesis" and not target.isdigit():
            row = store.conn.execute("SELECT id FROM theses WHERE title = ? AND retired_at IS NULL", [target]).fetchone()
            if row is None:
                fail(f"no thesis titled {target!r}: see 'tracker theses'")
            target = str(row[0])
        if unmute:
            n = aq.remove_mutes(store, scope, target)
            typer.echo(f"removed {n} mute(s) of {scope} {target}")
            return
        try:
            if until:
                end = datetime.fromisoformat(until).replace(tzinfo=timezone.utc)
            else:
                end = now() + parse_duration(for_)
        except (ValueError, OverflowError) as e:
            fail(f"{e}" if "duration" in str(e) else f"--until {until!r} is not a date (YYYY-MM-DD)")
        if end <= now():
            fail("the mute would already have expired: give a time in the future")
        aq.add_mute(store, scope, target, iso(end))
    typer.echo(f"muted {scope} {target} until {iso(end)}")
