"""One claim (``/claim?id=ID``: where alerts point): its sentence highlighted in the article, the structured
fields, the linked series and its explanation, the "as stated at publication" check, the chart since its
baseline, the values at publication and now; fix its link, mute it, acknowledge its alerts."""

import streamlit as st

from tracker import defaults as D
from tracker.ui import ARTICLE, BOARD, THESIS
from tracker.ui import actions
from tracker.ui import components as ui
from tracker.ui import views
from tracker.ui.charts import claim_chart
from tracker.ui.data import load

db = ui.open_board(None, needs_articles=False)
claim_id = ui.query_id()
c = load(db, "board_theses.claim_page", claim_id) if claim_id is not None else None
if c is None:
    st.warning(f"No claim with id {claim_id}." if claim_id is not None else "Open a claim from a thesis.")
    st.page_link(BOARD, label="All theses", icon=":material/monitoring:")
    st.stop()


def act(action, *args, success: str) -> None:
    actions.perform(action, *args, success=success, page="claim")


st.header(f"{ui.md(c.get('subject') or '?')} · {ui.md(c['metric'].replace('_', ' '))} {ui.md(c['direction'])}",
          anchor=False)
actions.flash("claim")
ui.status_badge(c["status"])
if c.get("retracted_at"):
    st.warning(f"Retracted {ui.when(c['retracted_at'])}: a later extraction no longer finds this claim in its article.")
final = " · final: its horizon has passed" if c.get("final") else ""
st.markdown(f"{ui.md(c.get('reason') or 'not evaluated yet')}{final}")
if c.get("sample_data"):
    st.warning(f"**{ui.SAMPLE_DATA}**: judged on the bundled sample data set, not on live market data.",
               icon=":material/science:")

article = c.get("article")
st.subheader("As written", anchor=False)
if article is None:
    st.markdown(f"> {ui.md(c['sentence'])}  \nYour own claim (from tracker.toml).")
else:
    st.page_link(ARTICLE, label=ui.md(article["title"] or "(untitled)"), query_params={"id": str(article["id"])},
                 icon=":material/article:")
    byline = [ui.when(article["published_at"]), ui.md(article["author"] or ""),
              ui.link(article["source_name"] or "source", article["url"])]
    st.caption(" · ".join(p for p in byline if p))
    if article["context"]:
        st.markdown(ui.highlighted(article["context"]), unsafe_allow_html=True)
        with st.expander("The whole article, the claim highlighted"):
            st.markdown(ui.highlighted(article["full"]), unsafe_allow_html=True)
    else:
        st.warning("The sentence is no longer in the article's text (the article changed after extraction):")
        st.markdown(f"> {ui.md(c['sentence'])}")

views.claim_evidence(c)

st.subheader("Since the claim", anchor=False)
if c["chart"]:
    claim_chart(c["chart"])
else:
    st.caption("No chart: the claim has no linked series.")

if c["theses"]:
    st.caption("In theses:")
    for t in c["theses"]:
        st.page_link(THESIS, label=f"{ui.md(t['title'])} ({t['status']})", query_params={"id": str(t["id"])},
                     icon=":material/lightbulb:")

st.subheader("Alerts", anchor=False)
if not c["alerts"]:
    st.caption("No alert for this claim yet.")
for al in c["alerts"]:
    if views.alert_box(al):
        act(actions.ack, db, al["id"], success=f"Alert {al['id']} acknowledged.")

with st.expander("Fix the link (the series this claim is judged on)"):
    with st.form("fix_link"):
        symbols = st.text_input("Symbols", placeholder="e.g. 7203.T or 005930.KS, 000660.KS", key="symbols")
        benchmark = st.text_input("Benchmark (optional: judge relative to it)", placeholder="e.g. ^N225",
                                  key="benchmark")
        recipe = st.selectbox("Recipe", [None, *actions.RECIPES], key="recipe",
                              format_func=lambda r: "from the symbols" if r is None else r)
        if st.form_submit_button("Save my link"):
            act(actions.fix_link, db, c["id"], symbols, benchmark, recipe,
                success="Your link is saved; the next `tracker evaluate` judges the claim on it.")
    if c.get("link") and c["link"].get("source") == "user" and st.button("Back to automatic linking",
                                                                         key="auto_link"):
        act(actions.auto_link, db, c["id"], success="Linked automatically again.")

with st.expander("Mute this claim's alerts" + (" (muted)" if c["mutes"] else "")):
    for m in c["mutes"]:
        st.caption(f"Muted ({m['scope']} {ui.md(m['target'])}) until {ui.when(m['until'])}")
    days = st.selectbox("For", D.BOARD_MUTE_DAYS, format_func=lambda d: f"{d} day{'s' if d > 1 else ''}",
                        key="mute_days")
    if st.button("Mute", key="mute"):
        act(actions.mute, db, "claim", c["id"], days, success=f"Claim {c['id']} muted for {days} day(s).")

if c["history"]:
    with st.expander(f"Status history ({len(c['history'])} evaluations)"):
        st.dataframe(c["history"], hide_index=True)
