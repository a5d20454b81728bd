"""Alerts: every alert with its delivery status per channel; acknowledge one, mute its claim; channel health
(channel URLs always masked: they hold secrets) and the active mutes."""

import streamlit as st

from tracker import defaults as D
from tracker.alerts.channels import Channel
from tracker.config import load_settings
from tracker.errors import TrackerError
from tracker.timeutil import iso
from tracker.ui import CLAIM
from tracker.ui import actions
from tracker.ui import components as ui
from tracker.ui import views
from tracker.ui.data import load

db = ui.open_board("Alerts", needs_articles=False)
actions.flash("alerts")


def act(action, *args, success: str) -> None:
    actions.perform(action, *args, success=success, page="alerts")


alerts = load(db, "alerts.list_alerts", limit=D.BOARD_MAX_ALERTS)
deliveries = [d for a in alerts for d in a["deliveries"]]
total, open_, pending, failed = st.columns(4)
total.metric("Alerts", len(alerts))
open_.metric("Not acknowledged", sum(1 for a in alerts if not a["acked_at"]))
pending.metric("Deliveries pending", sum(d["status"] == "pending" for d in deliveries))
failed.metric("Deliveries failed", sum(d["status"] == "failed" for d in deliveries))

if not alerts:
    st.info("No alerts yet: an alert comes when a claim's metric reverses (`tracker evaluate` checks).")
else:
    rows = [{"id": a["id"], "created": a["created_at"], "kind": a["kind"], "title": a["title"],
             "claim": a["claim_id"], "data of": a["as_of"],
             "state": "acknowledged" if a["acked_at"] else (a["suppressed"] or "open"),
             "deliveries": "; ".join(f"{d['channel']}: {d['status']}" + (f" ({d['attempts']} attempts)"
                                                                          if d["attempts"] > 1 else "")
                                     for d in a["deliveries"]) or "none (muted or no channel)"} for a in alerts]
    st.dataframe(rows, hide_index=True)

    labels = {a["id"]: f"{a['id']} · {a['title']} ({'acknowledged' if a['acked_at'] else 'open'})" for a in alerts}
    chosen = st.selectbox("Alert", list(labels), format_func=labels.get, key="alert")
    alert = next(a for a in alerts if a["id"] == chosen)
    with st.container(border=True):
        st.markdown(f"**{ui.md(alert['title'])}**")
        st.code(alert["message"], language=None, wrap_lines=True)
        for d in alert["deliveries"]:
            st.caption(views.delivery_text(d))
        ack_col, days_col, mute_col, open_col = st.columns([1.2, 1, 1.2, 1.5], vertical_alignment="bottom")
        if not alert["acked_at"] and ack_col.button("Acknowledge", key="ack"):
            act(actions.ack, db, alert["id"], success=f"Alert {alert['id']} acknowledged: its retries stop.")
        if alert["claim_id"] is not None:
            days = days_col.selectbox("Mute for", D.BOARD_MUTE_DAYS, key="mute_days",
                                      format_func=lambda d: f"{d} day{'s' if d > 1 else ''}")
            if mute_col.button("Mute the claim", key="mute"):
                act(actions.mute, db, "claim", alert["claim_id"], days,
                    success=f"Claim {alert['claim_id']} muted for {days} day(s).")
            open_col.page_link(CLAIM, label="Open the claim", query_params={"id": str(alert["claim_id"])},
                               icon=":material/open_in_new:")

st.subheader("Channels", anchor=False)
health = {h["channel"]: h for h in load(db, "alerts.channel_health")}
try:
    configured = load_settings().alerts.channels
except TrackerError:
    configured = []
labels = [Channel.of(url).label for url in configured]
rows = [{"channel": label, "configured": label in labels, **{k: (health.get(label) or {}).get(k) or 0 for k in
                                                             ("sent", "pending", "failed")},
         "last sent": (health.get(label) or {}).get("last_sent_at"),
         "last error": (health.get(label) or {}).get("last_error")}
        for label in dict.fromkeys(labels + list(health))]
if rows:
    st.dataframe(rows, hide_index=True)
else:
    st.caption("No channels: add Apprise URLs to [alerts] channels in tracker.toml (`tracker alerts test` checks one).")

st.subheader("Active mutes", anchor=False)
mutes = load(db, "alerts.active_mutes", iso()[:16] + ":00Z")  # to the minute: cached like the rest
if not mutes:
    st.caption("No active mutes.")
for m in mutes:
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.markdown(f"{m['scope']} **{ui.md(m['target'])}** until {ui.when(m['until'])}")
    if right.button("Unmute", key=f"unmute_{m['id']}"):
        act(actions.unmute, db, m["scope"], m["target"], success=f"Unmuted {m['scope']} {ui.md(m['target'])}.")
