"""One article (``/article?id=ID``, also reached by the old ``/?article=ID``): sources, companies, sectors,
claims with their statuses, the text, and the articles nearest in meaning."""

import streamlit as st

from tracker.ui import SEARCH
from tracker.ui import components as ui
from tracker.ui import views
from tracker.ui.data import load, similar_to_article

db = ui.open_board(None)
article_id = ui.query_id() if ui.query_id() is not None else ui.query_id("article")
article = load(db, "article_detail", article_id) if article_id is not None else None
if article is None:
    st.warning(f"No article with id {article_id}." if article_id is not None else "Open an article from Search.")
    st.page_link(SEARCH, label="Search articles", icon=":material/search:")
    st.stop()

views.show_article(article)
if ui.web_url(article["url"]):
    st.link_button("Open the source ↗", ui.web_url(article["url"]))

neighbours = similar_to_article(db, article["id"])
if neighbours:
    st.subheader("Similar in meaning", anchor=False)
    for s in load(db, "board_search.similar_stories", neighbours, limit=5):
        views.story(s)
