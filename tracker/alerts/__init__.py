"""Alert stage: detect claim reversals (tracker.alerts.detect), commit them to the outbox, then deliver.

Entry points: ``run(store, settings, now=None)`` (detect + deliver; called by every evaluation) and
``deliver(store, settings, now=None, ignore_backoff=False)`` (``tracker alerts deliver [--now]``).

Exactly once rests on two things: delivery is at least once (an alert is committed with its pending deliveries
before any is attempted; a crash between sending and recording means it is sent again), and every alert carries
a key unique to its episode (``claim:ID:reversed:EPISODE``), sent with the message, that receivers de-duplicate on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tracker import stop
from tracker.alerts import channels as ch
from tracker.faults import checkpoint
from tracker.alerts.detect import dedup_key, params_for, step
from tracker.alerts.message import compose
from tracker.net import backoff_s
from tracker.store import alerts as aq
from tracker.store import reports
from tracker.timeutil import iso, now as utcnow


@dataclass
class AlertReport:
    created: int = 0
    suppressed: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    pending: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"alerts: {self.created} new" + (f" ({self.suppressed} muted)" if self.suppressed else "")
        text += f"; deliveries: {self.sent} sent, {self.retrying} to retry, {self.failed} failed"
        if self.pending:
            text += f", {self.pending} waiting"
        return text


def _thesis_of(conn) -> dict[int, list[tuple[int, str]]]:
    out: dict[int, list] = {}
    for cid, tid, title in conn.execute("SELECT tc.claim_id, t.id, t.title FROM thesis_claims tc JOIN theses t "
                                        "ON t.id = tc.thesis_id WHERE t.retired_at IS NULL"):
        out.setdefault(cid, []).append((tid, title))
    return out


def _muted(claim: dict, theses: list[tuple[int, str]], mutes: list[dict]) -> str | None:
    for m in mutes:
        hit = (m["scope"] == "claim" and m["target"] == str(claim["id"])) or \
              (m["scope"] == "ticker" and m["target"].upper() == (claim.get("subject_ticker") or "").upper()) or \
              (m["scope"] == "thesis" and m["target"] in {str(t) for t, _ in theses})
        if hit:
            return f"muted ({m['scope']} {m['target']}) until {m['until']}"
    return None


def detect(store, settings, now: datetime, report: AlertReport) -> None:
    """Feed every evaluated claim to its state machine; store the events as alerts (one transaction)."""
    cfg = settings.alerts
    conn = store.conn
    claims = [c for c in reports.claims(conn) if c.get("evaluated_at")]
    states = aq.states(conn)
    theses = _thesis_of(conn)
    mutes = aq.active_mutes(conn, iso(now))
    chans = [ch.Channel.of(u) for u in cfg.channels]
    with store.transaction():
        for claim in claims:
            mine = theses.get(claim["id"], [])
            p = params_for(claim, [t for _, t in mine], cfg)
            before = states.get(claim["id"])
            st, events = step(before, claim, now, p, cfg.nodata_days, cfg.notify_recovered)
            if before is None or any(st.get(k) != before.get(k) for k in st):
                aq.save_state(conn, claim["id"], st)
            for kind in events:
                key = dedup_key(claim["id"], kind, st)
                msg = compose(kind, claim, key, settings)
                suppressed = _muted(claim, mine, mutes)
                made = aq.insert_alert(conn, {"dedup_key": key, "claim_id": claim["id"], "kind": kind,
                                              "as_of": claim.get("latest_date"), "created_at": iso(now),
                                              "suppressed": suppressed, **msg},
                                       [(c.id, c.label) for c in chans])
                if made is not None:
                    report.created += 1
                    report.suppressed += bool(suppressed)


def deliver(store, settings, now: datetime | None = None, *, ignore_backoff: bool = False,
            report: AlertReport | None = None) -> AlertReport:
    """Attempt the due deliveries (each channel on its own: one failing channel never blocks another)."""
    from tracker import defaults as D

    now = now or utcnow()
    report = report or AlertReport()
    cfg = settings.alerts
    known = {c.id: c for c in (ch.Channel.of(u) for u in cfg.channels)}
    due = aq.due_deliveries(store.conn, iso(now), ignore_backoff=ignore_backoff, limit=D.ALERT_MAX_DELIVERIES_PER_PASS)
    groups: dict[str, list[dict]] = {}
    for d in due:
        groups.setdefault(d["channel"], []).append(d)
    for channel_id, items in groups.items():
        channel = known.get(channel_id)
        if channel is None:
            aq.record_attempt(store, [d["id"] for d in items], ok=False, give_up=True, next_attempt_at=None,
                              error="the channel was removed from [alerts] channels")
            report.failed += len(items)
            continue
        batches = [items] if cfg.digest and len(items) > 1 else [[d] for d in items]
        for batch in batches:
            if stop.requested():
                break  # still pending: the next pass delivers them
            if len(batch) == 1:
                d = batch[0]
                title, body, key = d["title"], d["message"], d["dedup_key"]
            else:
                title = f"thesis tracker: {len(batch)} claim transitions"
                body = "\n\n".join(f"{i}. {d['title']}\n{d['message']}" for i, d in enumerate(batch, 1))
                key = ",".join(d["dedup_key"] for d in batch)
            ok, permanent, error = ch.send(channel, title, body, key)
            checkpoint("alerts.sent")
            attempts = max(d["attempts"] for d in batch) + 1
            give_up = not ok and (permanent or attempts >= cfg.max_attempts)
            wait = backoff_s(cfg.retry_base_s, cfg.retry_cap_s, attempts)
            aq.record_attempt(store, [d["id"] for d in batch], ok=ok, error=error, give_up=give_up,
                              next_attempt_at=iso(datetime.fromtimestamp(now.timestamp() + wait, now.tzinfo)))
            if ok:
                report.sent += len(batch)
            elif give_up:
                report.failed += len(batch)
                report.errors.append(f"{channel.label}: {error} (gave up{' : permanent' if permanent else ''})")
            else:
                report.retrying += len(batch)
                report.errors.append(f"{channel.label}: {error} (retry {attempts}/{cfg.max_attempts})")
    report.pending = aq.pending_count(store.conn) - report.retrying
    return report


def run(store, settings, now: datetime | None = None) -> AlertReport:
    """Detect then deliver (inside every evaluation)."""
    now = now or utcnow()
    report = AlertReport()
    with store.exclusive("alerts"):
        detect(store, settings, now, report)
        checkpoint("alerts.committed")
        deliver(store, settings, now, report=report)
    return report
