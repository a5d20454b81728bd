"""Companies: every company mentioned, how often, and its latest stories."""

import streamlit as st

from tracker import defaults as D
from tracker.ui import components as ui
from tracker.ui import views
from tracker.ui.data import load

db = ui.open_board("Companies")

text = st.text_input("Filter", key="filter", placeholder="part of a company name or ticker")
companies = load(db, "companies", text)
if not companies:
    st.info(f"No company name or ticker contains {ui.md(repr(text))}." if text.strip()
            else "No companies extracted yet: run `tracker extract` (or `make run`).")
    st.stop()

more = " (the most covered first)" if len(companies) == D.BOARD_MAX_COMPANIES else ""
st.caption(f"{len(companies)} companies{more}; syndicated copies of one story count once.")
st.dataframe(companies, hide_index=True, column_order=["company", "ticker", "stories", "mentions", "latest"],
             column_config={"stories": st.column_config.NumberColumn(help="distinct stories mentioning it"),
                            "mentions": st.column_config.NumberColumn(help="mentions across all articles")})

names = {c["company_key"]: f"{c['company']} ({c['ticker']})" if c["ticker"] else c["company"] for c in companies}
key = st.selectbox("Latest articles for", list(names), format_func=names.get, key="company")
st.subheader(f"Latest on {ui.md(names[key])}", anchor=False)
for story in load(db, "company_articles", key):
    views.story(story)
