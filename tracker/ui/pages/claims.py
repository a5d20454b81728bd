"""Claims: every active claim with its status, filtered by metric, direction, sector and status; open one."""

import streamlit as st

from tracker.ui import CLAIM
from tracker.ui import components as ui
from tracker.ui.data import load

db = ui.open_board("Claims")

facets = load(db, "claim_facets")
chosen = {}
for col, facet in zip(st.columns(4), ("status", "metric", "direction", "sector")):
    chosen[facet] = col.selectbox(facet.capitalize(), [None, *facets[facet]], key=facet,
                                  format_func=lambda v: "all" if v is None else v)

claims = load(db, "claims", **chosen)
if not claims:
    st.info("No claims match these filters." if any(chosen.values())
            else "No claims extracted yet: run `tracker extract` (or `make run`).")
    st.stop()

for c in claims:
    c["article_url"] = ui.web_url(c["article_url"])  # only http(s) links in the table
st.caption(f"{len(claims)} claims, newest articles first.")
st.dataframe(
    claims, hide_index=True,
    column_order=["id", "status", "subject", "ticker", "metric", "direction", "magnitude", "horizon", "confidence",
                  "reason", "article_title", "article_url"],
    column_config={
        "confidence": st.column_config.NumberColumn(format="%.2f"),
        "article_title": st.column_config.TextColumn("article"),
        "article_url": st.column_config.LinkColumn("source", display_text="open ↗"),
    },
)

labels = {c["id"]: f"{c['id']} · {c['subject'] or '?'}: {c['metric']} {c['direction']} ({c['status']})"
          for c in claims}
picked = st.selectbox("Open a claim", list(labels), format_func=labels.get, index=None, key="claim",
                      placeholder="choose a claim to see its evidence")
if picked is not None:
    st.switch_page(CLAIM, query_params={"id": str(picked)})
