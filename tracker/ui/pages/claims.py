"""Claims: every extracted claim with filters; one claim's sentence highlighted in its article."""

import streamlit as st

from tracker.ui import components as ui
from tracker.ui.data import load

db = ui.open_board("Claims")

facets = load(db, "claim_facets")
columns = st.columns(3)
chosen = {}
for col, facet in zip(columns, ("metric", "direction", "sector")):
    chosen[facet] = col.selectbox(facet.capitalize(), [None, *facets[facet]], key=facet,
                                  format_func=lambda v: "all" if v is None else v)

claims = load(db, "claims", **chosen)
if not claims:
    st.info("No claims match these filters." if any(chosen.values())
            else "No claims extracted yet: run `tracker extract` (or `make run`).")
    st.stop()

st.caption(f"{len(claims)} claims. Status stays 'unknown' until claim evaluation is added.")
st.dataframe(
    claims, hide_index=True,
    column_order=["subject", "ticker", "metric", "direction", "magnitude", "horizon", "confidence", "status",
                  "article_title", "article_url"],
    column_config={
        "confidence": st.column_config.NumberColumn(format="%.2f"),
        "article_title": st.column_config.TextColumn("article"),
        "article_url": st.column_config.LinkColumn("link", display_text="open ↗"),
    },
)

labels = {c["id"]: f"{c['subject'] or '?'}: {c['metric']} {c['direction']} ({c['article_title']})" for c in claims}
claim_id = st.selectbox("Claim detail", list(labels), format_func=labels.get, key="claim")
claim = load(db, "claim_detail", claim_id)
st.subheader(f"{claim['subject'] or '?'} · {claim['metric']} {claim['direction']}")
facts = {"magnitude": claim["magnitude"], "horizon": claim["horizon"], "benchmark": claim["benchmark"],
         "confidence": f"{claim['confidence']:.2f}", "hedged": "yes" if claim["hedged"] else "no",
         "negated": "yes" if claim["negated"] else "no", "sectors": ", ".join(claim["sectors"]),
         "status": claim["status"]}
st.markdown(" · ".join(f"**{k}**: {ui.md(str(v))}" for k, v in facts.items() if v))
if claim["context"]:
    st.markdown(ui.highlighted(claim["context"]), unsafe_allow_html=True)
else:
    st.warning("The claim's sentence is no longer in its article's text (the article changed after extraction):")
    st.markdown(f"> {ui.md(claim['sentence'])}")
article = claim["article"]
st.page_link("tracker/ui/pages/articles.py", label=f"Open the article: {article['title']}",
             query_params={"article": article["id"]}, icon=":material/article:")
