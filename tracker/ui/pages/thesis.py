"""One thesis (``/thesis?id=ID``): status with its history, source articles, every claim with its status."""

import streamlit as st

from tracker import defaults as D
from tracker.ui import ARTICLE, BOARD
from tracker.ui import actions
from tracker.ui import components as ui
from tracker.ui import views
from tracker.ui.data import load

db = ui.open_board(None, needs_articles=False)
thesis_id = ui.query_id()
thesis = load(db, "board_theses.thesis_detail", thesis_id) if thesis_id is not None else None
if thesis is None:
    st.warning("No thesis with this id." if thesis_id is not None else "Open a thesis from the Theses page.")
    st.page_link(BOARD, label="All theses", icon=":material/monitoring:")
    st.stop()

st.header(ui.md(thesis["title"]), anchor=False)
actions.flash("thesis")
ui.status_badge(thesis["status"])
change = f"status since {ui.when(thesis['changed_at'])}" if thesis["changed_at"] else "not evaluated yet"
if thesis["previous_status"]:
    change += f" (before: {thesis['previous_status']})"
kind = {"article": "the claims of one article", "user": "your thesis (tracker.toml)"}.get(thesis["kind"], thesis["kind"])
st.markdown(f"{ui.counts_md(thesis['counts'])} · {change} · {kind}")
if thesis["retired_at"]:
    st.warning(f"Retired {ui.when(thesis['retired_at'])}: it is no longer in the config or its article.")

if thesis["sources"]:
    st.subheader("Source articles", anchor=False)
    for s in thesis["sources"]:
        left, right = st.columns([4, 2])
        left.page_link(ARTICLE, label=ui.md(s["title"] or "(untitled)"), query_params={"id": str(s["id"])},
                       icon=":material/article:")
        right.markdown(f"{ui.when(s['published_at'])[:10]} · {ui.link(s['source_name'] or 'source', s['url'])}")

st.subheader(f"Claims ({len(thesis['claims'])})", anchor=False)
if not thesis["claims"]:
    st.caption("No active claim: its article's claims were retracted or the config selects none.")
for c in thesis["claims"]:
    with st.container(border=True):
        views.claim_line(c)
        why = c.get("reason") or c.get("unlinked_reason") or ""
        measured = f"measured by {ui.md(c['link']['explanation'])}" if c.get("link") else ""
        if c.get("link") and c["link"]["proxy"]:
            measured += " :orange-badge[proxy]"
        st.caption(" · ".join(p for p in (ui.md(why), measured) if p))

if thesis["history"]:
    with st.expander(f"Status history ({len(thesis['history'])} evaluations)"):
        st.dataframe(thesis["history"], hide_index=True, column_order=["as_of", "status", "score", "counts"])

with st.expander("Mute this thesis's alerts"):
    days = st.selectbox("For", D.BOARD_MUTE_DAYS, format_func=lambda d: f"{d} day{'s' if d > 1 else ''}",
                        key="mute_days")
    if st.button("Mute the thesis", key="mute"):
        actions.perform(actions.mute, db, "thesis", thesis["id"], days, page="thesis",
                        success=lambda until: f"Alerts of this thesis's claims are muted until {ui.when(until)} (UTC).")
