"""Cached access to the board's queries: ``load(db_path, "claims", metric="capex")`` runs
``tracker.store.board.claims`` on a read-only connection and caches the result per db path and arguments."""

from __future__ import annotations

import streamlit as st

from tracker import defaults as D
from tracker.store import board


@st.cache_data(ttl=D.BOARD_CACHE_TTL_S, show_spinner=False)
def load(db_path: str, query: str, *args, **kwargs):
    with board.reader(db_path) as conn:
        return getattr(board, query)(conn, *args, **kwargs)
