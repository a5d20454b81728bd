"""Sources: every feed's last status and error, failure count, next poll, and the recent fetch log."""

import streamlit as st

from tracker.ui import components as ui
from tracker.ui.data import load

db = ui.open_board("Sources", needs_articles=False)

feeds = load(db, "feeds")
if not feeds:
    st.info("No feeds registered: add `[[feeds]]` to tracker.toml and run `tracker init`, "
            "or `tracker feeds add URL`.")
    st.stop()

failing = [f for f in feeds if f["last_error"]]
total, bad, arts, errs = st.columns(4)
total.metric("Feeds", len(feeds))
bad.metric("Failing now", len(failing))
arts.metric("Articles from feeds", sum(f["articles"] for f in feeds))
errs.metric("Failed fetches", sum(f["failed_fetches"] for f in feeds))

for f in failing:
    st.error(f"**{ui.md(f['name'])}** ({ui.md(f['url'])}): {ui.md(f['last_error'])}  \n"
             f"{f['error_count']} consecutive failures · last tried {ui.when(f['last_fetched_at'])} · "
             f"last success {ui.when(f['last_success_at']) or 'never'} · "
             f"next try {ui.relative(f['next_poll_at'])}", icon=":material/error:")

for f in feeds:
    f["next_poll"] = ui.relative(f["next_poll_at"])
st.subheader("Feeds")
st.dataframe(
    feeds, hide_index=True,
    column_order=["name", "last_outcome", "last_status", "last_error", "error_count", "last_fetched_at",
                  "last_success_at", "next_poll_at", "next_poll", "articles", "url"],
    column_config={"last_outcome": "last outcome", "last_status": "HTTP", "last_error": "last error",
                   "error_count": st.column_config.NumberColumn("errors", help="consecutive failures"),
                   "next_poll_at": "next poll", "next_poll": "due", "url": st.column_config.LinkColumn("url")},
)

st.subheader("Recent fetches")
names = {f["id"]: f["name"] for f in feeds}
feed_id = st.selectbox("Feed", [None, *names], format_func=lambda i: "all feeds" if i is None else names[i],
                       key="log_feed")
st.dataframe(load(db, "fetch_log", feed_id=feed_id), hide_index=True,
             column_order=["started_at", "feed", "status", "outcome", "error", "duration_ms", "bytes",
                           "entries_seen", "entries_new"])
