"""Companies: every company mentioned, how often, and its latest stories."""

import streamlit as st

from tracker.ui import components as ui
from tracker.ui.data import load

db = ui.open_board("Companies")

companies = load(db, "companies")
if not companies:
    st.info("No companies extracted yet: run `tracker extract` (or `make run`).")
    st.stop()

st.caption(f"{len(companies)} companies mentioned; syndicated copies of one story count once.")
st.dataframe(companies, hide_index=True, column_order=["company", "ticker", "stories", "mentions", "latest"],
             column_config={"stories": st.column_config.NumberColumn(help="distinct stories mentioning it"),
                            "mentions": st.column_config.NumberColumn(help="mentions across all articles")})

names = {c["company_key"]: f"{c['company']} ({c['ticker']})" if c["ticker"] else c["company"] for c in companies}
key = st.selectbox("Latest articles for", list(names), format_func=names.get, key="company")
st.subheader(f"Latest on {names[key]}")
ui.story_list(load(db, "company_articles", key))
