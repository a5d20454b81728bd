"""Theses (the first page): one card per thesis, recently changed first, with filters. Answers "which of my
theses are breaking?" at a glance: the counts per status on top, broken and weakening ones said in words."""

import streamlit as st

from tracker.ui import ARTICLE
from tracker.ui import components as ui
from tracker.ui import views
from tracker.ui.data import load
from tracker.vocab import STATUSES

if ui.query_id("article") is not None:  # the old /?article=ID links (alerts, bookmarks) open the article page
    st.switch_page(ARTICLE, query_params={"id": str(ui.query_id("article"))})

db = ui.open_board("Theses", needs_articles=False)

facets = load(db, "board_theses.board_facets")
status_col, ticker_col, sector_col, source_col, from_col, to_col = st.columns([2, 1.3, 1.5, 2, 1.2, 1.2])
statuses = status_col.multiselect("Status", STATUSES, key="status", placeholder="all statuses")
ticker = ticker_col.selectbox("Ticker", [None, *facets["ticker"]], key="ticker",
                              format_func=lambda v: "all" if v is None else v)
sector = sector_col.selectbox("Sector or theme", [None, *facets["sector"]], key="sector",
                              format_func=lambda v: "all" if v is None else v)
sources = source_col.multiselect("Source", facets["source"], key="sources", placeholder="all sources")
date_from = from_col.date_input("Published from", value=None, key="date_from")
date_to = to_col.date_input("Published to", value=None, key="date_to")

data = load(db, "board_theses.thesis_cards", statuses=tuple(statuses), ticker=ticker, sector=sector,
            sources=tuple(sources), date_from=ui.date_str(date_from), date_to=ui.date_str(date_to))
counts = data["counts"]
for col, status in zip(st.columns(len(STATUSES)), ("broken", "weakening", "holding", "unknown")):
    col.metric(f"{ui.status_md(status)}", counts.get(status, 0), border=True)

breaking = counts.get("broken", 0) + counts.get("weakening", 0)
if not sum(counts.values()):
    st.info("No theses yet: theses come from the claims of articles (run `tracker run` then `tracker evaluate`) "
            "and from [[theses]] in tracker.toml.")
    st.stop()
if breaking:
    st.error(f"**{counts.get('broken', 0)} broken** and **{counts.get('weakening', 0)} weakening** of "
             f"{sum(counts.values())} theses: their cards carry a red or orange badge (filter with Status).",
             icon=":material/warning:")
else:
    st.success(f"None of {sum(counts.values())} theses is weakening or broken.", icon=":material/check_circle:")

cards = data["cards"]
if not cards:
    st.info("No thesis matches these filters.")
    st.stop()
shown = f"{len(cards)} of {data['total']}" if data["total"] > len(cards) else f"{len(cards)}"
st.caption(f"{shown} theses, recently changed first" + (": narrow them with the filters" if data["total"] >
                                                           len(cards) else ""))
for i in range(0, len(cards), 2):
    for col, card in zip(st.columns(2), cards[i:i + 2]):
        with col:
            views.thesis_card(card)
