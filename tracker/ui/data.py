"""Cached access to the store for the board.

- ``load(db_path, "board_theses.thesis_cards", statuses=("broken",))`` runs a read-only query of
  ``tracker.store.board`` (the default module), ``board_theses``, ``board_search`` or ``alerts`` on a ``mode=ro``
  connection and keeps the result for BOARD_CACHE_TTL_S per db path and arguments (``st.cache_data``).
- ``encoder()``: the MiniLM sentence encoder, loaded once per board process (``st.cache_resource``).
- ``similar(db_path, text, k)``: the ``k`` articles nearest in meaning to ``text``: the article vectors are held
  as one numpy matrix per database (``st.cache_resource``), reloaded when their count or newest vector changes.
"""

from __future__ import annotations

import threading

import streamlit as st

from tracker import defaults as D
from tracker.store import alerts, board, board_search, board_theses
from tracker.store import vectors as vq

QUERY_MODULES = {"board": board, "board_theses": board_theses, "board_search": board_search, "alerts": alerts}


@st.cache_data(ttl=D.BOARD_CACHE_TTL_S, show_spinner=False)
def load(db_path: str, query: str, *args, **kwargs):
    module, _, name = query.rpartition(".")
    func = getattr(QUERY_MODULES[module or "board"], name)
    with board.reader(db_path) as conn:
        return func(conn, *args, **kwargs)


@st.cache_resource(show_spinner="Loading the sentence model (once)…")
def encoder():
    from tracker.nlp.article_vectors import query_encoder

    return query_encoder()


@st.cache_resource(show_spinner=False)
def _indexes() -> tuple[dict, threading.Lock]:
    return {}, threading.Lock()


def vector_index(db_path: str):
    """The article vectors of ``db_path`` as a ``VectorIndex``, reloaded only when the stored vectors changed."""
    from tracker.nlp.article_vectors import VectorIndex

    held, lock = _indexes()
    with board.reader(db_path) as conn:
        stamp = vq.stamp(conn)
        with lock:
            index = held.get(db_path)
            if index is None or index.stamp != stamp:
                index = held[db_path] = VectorIndex.load(conn)
    return index


def similar(db_path: str, text: str, k: int = D.BOARD_SIMILAR_CANDIDATES) -> list[tuple[int, float]]:
    """[(article_id, cosine similarity)] of the ``k`` articles nearest in meaning to ``text``, best first."""
    from tracker.nlp.article_vectors import encode

    encoder()  # loaded under st.cache_resource (with its spinner) before the first query
    return vector_index(db_path).search(encode([text])[0], k)


def similar_to_article(db_path: str, article_id: int, k: int = 5) -> list[tuple[int, float]]:
    """The ``k`` articles nearest in meaning to a stored article (its own vector: no model needed)."""
    import numpy as np

    index = vector_index(db_path)
    row = int(np.searchsorted(index.ids, article_id))
    if row >= len(index.ids) or index.ids[row] != article_id:
        return []
    return [(a, s) for a, s in index.search(index.matrix[row], k + 1) if a != article_id][:k]
