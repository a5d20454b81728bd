"""Fixtures of the board's tests (import them into a test module): the evaluated fixture store of
tests/_board_seed.py, built once per session and copied for each test, and AppTest helpers."""

from __future__ import annotations

import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests import _board_seed
from tests.conftest import REPO

APP = REPO / "app.py"


@pytest.fixture(scope="session")
def board_template(tmp_path_factory):
    work = tmp_path_factory.mktemp("board-seed")
    return _board_seed.build(work / "board.db", work)


@pytest.fixture
def board_db(board_template, tmp_path, monkeypatch):
    """A fresh copy of the evaluated fixture store, chosen by $TRACKER_DB; the working directory has no config."""
    db = tmp_path / "board.db"
    shutil.copyfile(board_template, db)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACKER_DB", str(db))
    st.cache_data.clear()  # queries are cached per db path: a new copy must be read afresh
    return db


def run_page(page: str | None = None, query_params: dict | None = None) -> AppTest:
    """Run the app on ``page`` (a file under tracker/ui/pages, or the first page) with query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(query_params or {})
    at.run()
    if page is not None:
        at.switch_page(f"tracker/ui/pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def page_links(at: AppTest) -> list[tuple[str, str, str]]:
    """(label, target page's URL path, query string) of every page link."""
    return [(p.value, p.proto.page, p.proto.query_string) for p in at.page_link]


def chart_layers(at: AppTest, index: int = 0) -> list[tuple[str, dict, list[dict]]]:
    """(mark type, encoding, rows) of each layer of the ``index``-th Altair chart on the page."""
    import json

    import pyarrow as pa

    chart = at.get("vega_lite_chart")[index].proto
    data = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in chart.datasets}
    spec = json.loads(chart.spec)
    return [(layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"], layer["encoding"],
             data.get(layer["data"]["name"], [])) for layer in spec["layer"]]
