"""Articles: search by keyword or company (name, alias, ticker), filter by source and date, open one."""

import streamlit as st

from tracker.ui import components as ui
from tracker.ui.data import load

db = ui.open_board("Articles")

search_col, source_col, from_col, to_col = st.columns([3, 2, 1, 1])
query = search_col.text_input("Search", key="q", placeholder="keyword, company, alias or ticker (e.g. TSMC, 6758.T)")
sources = source_col.multiselect("Source", load(db, "source_names"), key="sources")
date_from = from_col.date_input("Published from", value=None, key="date_from")
date_to = to_col.date_input("Published to", value=None, key="date_to")

stories = load(db, "search_stories", query, sources=tuple(sources), date_from=ui.date_str(date_from),
               date_to=ui.date_str(date_to))
if not stories:
    st.info("No stories match: try another word, a company name or ticker, or clear the filters.")
else:
    st.subheader(f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'}")
    ui.story_list(stories)

titles = {s["article_id"]: s["title"] or "(untitled)" for s in stories}
chosen = st.selectbox("Open an article", list(titles), format_func=titles.get, index=None, key="open",
                      placeholder="choose a story above")
if chosen is None and "article" in st.query_params:
    chosen = int(st.query_params["article"]) if st.query_params["article"].isdigit() else None

if chosen is not None:
    article = load(db, "article_detail", chosen)
    if article is None:
        st.warning(f"No article with id {chosen}.")
        st.stop()
    st.divider()
    st.header(article["title"] or "(untitled)")
    carried = ", ".join(ui.link(s["source_name"] or "unknown source", s["url"]) for s in article["sources"])
    st.markdown(f"{ui.when(article['published_at'] or article['fetched_at'])} · {ui.md(article['author'] or '')} "
                f"· carried by {carried}")
    companies_col, sectors_col = st.columns([3, 2])
    companies_col.subheader("Companies")
    if article["companies"]:
        companies_col.dataframe(article["companies"], hide_index=True,
                                column_order=["company", "ticker", "mentions", "written_as", "confidence"])
    else:
        companies_col.caption("No companies found in this article.")
    sectors_col.subheader("Sectors")
    if article["sectors"]:
        sectors_col.dataframe(article["sectors"], hide_index=True,
                              column_config={"confidence": st.column_config.ProgressColumn(min_value=0, max_value=1)})
    else:
        sectors_col.caption("No sectors tagged.")
    st.subheader("Claims")
    if article["claims"]:
        for claim in article["claims"]:
            facts = " · ".join(ui.md(str(v)) for v in (claim["metric"], claim["direction"], claim["magnitude"],
                                                        claim["horizon"]) if v)
            st.markdown(f"> {ui.md(claim['sentence'])}  \n> **{ui.md(claim['subject'] or '?')}** {facts} "
                        f"· status: {claim['status']}")
    else:
        st.caption("No claims extracted from this article.")
    with st.expander("Text"):
        st.markdown(ui.md(article["text"] or article["summary"] or ""))
