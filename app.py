"""The board: `streamlit run app.py` (what `make run` starts). Pages in tracker/ui/pages; the thesis board first."""

import streamlit as st

from tracker.ui import PAGES
from tracker.ui.components import favicon

# A local image as the tab icon: a Material or emoji page_icon makes the browser fetch it from a CDN.
st.set_page_config(page_title="thesis tracker", page_icon=favicon(), layout="wide")
pages = [st.Page(path, title=title, url_path=url, icon=icon, default=(i == 0),
                 visibility="visible" if shown else "hidden")
         for i, (path, title, url, icon, shown) in enumerate(PAGES)]
st.navigation(pages).run()
