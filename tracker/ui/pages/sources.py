"""Sources: every feed's last status and error, failure count, next poll, and the recent fetch log; add or
remove a feed, and collect now (a background `tracker collect`: the board never waits on the network)."""

import streamlit as st

from tracker import defaults as D
from tracker.ui import actions
from tracker.ui import components as ui
from tracker.ui.data import load

db = ui.open_board("Sources", needs_articles=False)
actions.flash("sources")


def act(action, *args, success) -> None:
    actions.perform(action, *args, success=success, page="sources")


@st.fragment(run_every=D.BOARD_COLLECT_POLL_S if (r := actions.collect_run(db)) and r.returncode is None else None)
def collect_panel() -> None:
    """"Collect now" and the state of the run it started; looks again every BOARD_COLLECT_POLL_S while it runs."""
    run = actions.collect_run(db)
    left, right = st.columns([1, 4], vertical_alignment="center")
    running = run is not None and run.returncode is None
    if left.button("Collect now", key="collect", disabled=running, help="Run `tracker collect` in the background"):
        run = actions.start_collect(db)
        running = True
    if run is None:
        right.caption("Fetch every due feed now (`tracker collect`); the board keeps working meanwhile.")
        return
    if running:
        right.info(f"Collecting: `tracker collect` runs in the background (pid {run.pid}, started "
                   f"{ui.relative(run.started_at)}).", icon=":material/sync:")
    elif not run.shown_done:  # it just ended: read the store again (new articles, feed statuses), stop polling
        run.shown_done = True
        actions.done()
        st.rerun()
    else:
        ok = run.returncode == 0
        (right.success if ok else right.error)(
            f"The collect started {ui.relative(run.started_at)} finished" + ("." if ok else
                                                                            f" with exit code {run.returncode}."))
    tail = run.tail(D.BOARD_COLLECT_LOG_LINES)
    if tail:
        st.code(tail, language=None)


collect_panel()

feeds = load(db, "feeds")
with st.expander("Add a feed", expanded=not feeds):
    with st.form("add_feed", clear_on_submit=True):
        url = st.text_input("Feed URL", placeholder="https://example.com/markets.rss", key="feed_url")
        name = st.text_input("Name (optional)", key="feed_name")
        if st.form_submit_button("Add the feed"):
            act(actions.add_feed, db, url, name,
                success=lambda created: f"Added {ui.md(url)}: the next collect fetches it." if created
                else f"{ui.md(url)} was already registered.")

if not feeds:
    st.info("No feeds registered: add one above, list them under [[feeds]] in tracker.toml, or "
            "`tracker feeds add URL`.")
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

queued, given_up = sum(f["pages_queued"] for f in feeds), sum(f["pages_failed"] for f in feeds)
if queued or given_up:
    st.info(f"Full text: {queued} article pages queued for the next collect passes (`collect.max_pages_per_pass` "
            f"at a time), {given_up} given up after failing; until then those articles keep their feed's summary.",
            icon=":material/schedule:")

for f in feeds:
    f["next_poll"] = ui.relative(f["next_poll_at"])
    f["link"] = ui.web_url(f["url"])
st.subheader("Feeds", anchor=False)
st.dataframe(
    feeds, hide_index=True,
    column_order=["name", "last_outcome", "last_status", "last_error", "error_count", "last_fetched_at",
                  "last_success_at", "next_poll_at", "next_poll", "articles", "pages_queued", "pages_failed", "link"],
    column_config={"last_outcome": "last outcome", "last_status": "HTTP", "last_error": "last error",
                   "error_count": st.column_config.NumberColumn("errors", help="consecutive failures"),
                   "next_poll_at": "next poll", "next_poll": "due", "link": st.column_config.LinkColumn("url"),
                   "pages_queued": st.column_config.NumberColumn("pages queued", help="full text still to fetch"),
                   "pages_failed": st.column_config.NumberColumn("pages given up", help="the summary was kept")},
)

with st.expander("Remove a feed"):
    names = {f["id"]: f"{f['name']} ({f['url']})" for f in feeds}
    gone = st.selectbox("Feed", list(names), format_func=names.get, index=None, key="remove_feed",
                        placeholder="choose the feed to remove (its articles stay)")
    if st.button("Remove the feed", key="remove", disabled=gone is None):
        act(actions.remove_feed, db, gone, success=lambda removed: f"Removed {ui.md(removed)}; its articles stay.")

st.subheader("Recent fetches", anchor=False)
names = {f["id"]: f["name"] for f in feeds}
feed_id = st.selectbox("Feed", [None, *names], format_func=lambda i: "all feeds" if i is None else names[i],
                       key="log_feed")
st.dataframe(load(db, "fetch_log", feed_id=feed_id), hide_index=True,
             column_order=["started_at", "feed", "status", "outcome", "error", "duration_ms", "bytes",
                           "entries_seen", "entries_new"])
