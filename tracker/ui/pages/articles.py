"""Articles: search by keyword or company (name, alias, ticker), filter by source and date, open one."""

import streamlit as st

from tracker.ui import components as ui
from tracker.ui.data import load

db = ui.open_board("Articles")

search_col, source_col, from_col, to_col = st.columns([3, 2, 1.3, 1.3])
query = search_col.text_input("Search", key="q", placeholder="keyword, company, alias or ticker (e.g. TSMC, 6758.T)")
sources = source_col.multiselect("Source", load(db, "source_names"), key="sources")
date_from = from_col.date_input("Published from", value=None, key="date_from")
date_to = to_col.date_input("Published to", value=None, key="date_to")

stories = load(db, "search_stories", query, sources=tuple(sources), date_from=ui.date_str(date_from),
               date_to=ui.date_str(date_to))
titles = {s["article_id"]: s["title"] or "(untitled)" for s in stories}
linked = st.query_params.get("article", "")  # ?article=ID, as the Claims page links here
linked = int(linked) if linked.isdigit() else None
chosen = st.selectbox("Open an article", list(titles), format_func=titles.get, key="open",
                      index=list(titles).index(linked) if linked in titles else None,
                      placeholder="choose one of the stories below")
if chosen is None:
    chosen = linked

article = load(db, "article_detail", chosen) if chosen is not None else None
if chosen is not None and article is None:
    st.warning(f"No article with id {chosen}.")
if article is not None:
    ui.show_article(article)
    st.divider()

if not stories:
    st.info("No stories match: try another word, a company name or ticker, or clear the filters.")
else:
    st.subheader(f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'}")
    ui.story_list(stories)
