"""Search: by company (a name, alias or ticker, with suggestions from the securities master: every article that
mentions it, through the extracted mentions), by words (full text, as `tracker search`), or by similar meaning
(MiniLM vectors of the articles, searched with numpy). Filters: date, source, sector."""

import streamlit as st

from tracker.ui import components as ui
from tracker.ui import views
from tracker.ui.data import load, similar

db = ui.open_board("Search")

MODES = ("Company", "Words", "Similar meaning")
mode = st.segmented_control("Search by", MODES, default=MODES[0], key="mode") or MODES[0]
query_col, *filter_cols = st.columns([3, 2, 1.5, 1.2, 1.2])
placeholders = {"Company": "company name, alias or ticker (e.g. Hynix, 2330.TW, TSM)",
                "Words": "words or \"a phrase\" (full text), or a company", "Similar meaning":
                "describe what you look for, e.g. memory chip prices recover"}
text = query_col.text_input(mode, key=f"q_{mode}", placeholder=placeholders[mode])
source_col, sector_col, from_col, to_col = filter_cols
filters = {"sources": tuple(source_col.multiselect("Source", load(db, "source_names"), key="sources",
                                                   placeholder="all sources")),
           "sector": sector_col.selectbox("Sector or theme", [None, *load(db, "board_search.sectors")], key="sector",
                                          format_func=lambda v: "all" if v is None else v),
           "date_from": ui.date_str(from_col.date_input("Published from", value=None, key="date_from")),
           "date_to": ui.date_str(to_col.date_input("Published to", value=None, key="date_to"))}


def heading(n: int, one: str, many: str) -> None:
    st.subheader(f"{n} {one if n == 1 else many}", anchor=False)


if mode == "Company":
    if not text.strip():
        st.caption("Type a company: suggestions come from the securities master (names, aliases, every listing).")
        st.stop()
    found = load(db, "board_search.company_suggestions", text)
    if not found:
        st.info("No company in the securities master has this name, alias or ticker: try another spelling, or "
                "search by words.")
        st.stop()
    labels = {f["company_key"]: f"{f['name']} ({f['ticker']}) · {f['articles']} articles" for f in found}
    key = st.selectbox("Company", list(labels), format_func=labels.get, key="company")
    results = load(db, "board_search.company_mentions", key, **filters)
    heading(len(results), "article", "articles")
    if not results:
        st.info("No article mentions this company (with these filters).")
    for s in results:
        views.story(s, mention=s["mention"])
elif mode == "Words":
    stories = load(db, "search_stories", text, **filters)
    heading(len(stories), "story", "stories")
    if not stories:
        st.info("No stories match: try another word, a company name or ticker, or clear the filters.")
    for s in stories:
        views.story(s)
else:
    if not text.strip():
        st.caption("Describe what you look for: articles are ranked by the meaning of their title and opening.")
        st.stop()
    stories = load(db, "board_search.similar_stories", similar(db, text), **filters)
    heading(len(stories), "story", "stories")
    if not stories:
        st.info("No article vectors yet (run `tracker extract`), or none passes the filters.")
    for s in stories:
        views.story(s)
