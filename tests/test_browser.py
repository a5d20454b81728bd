"""The board in a real browser: `streamlit run app.py` on a free loopback port, driven by Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests import _seed
from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 20_000

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}: {server.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not answer on {url} within {seconds} s")


@pytest.fixture
def board_url(tmp_path):
    db = _seed.seed(tmp_path / "board.db")
    port = free_port()
    env = {**os.environ, "TRACKER_DB": str(db)}  # PYTHONPATH (tests/conftest.py): this checkout, network guard
    env.pop("TRACKER_CONFIG", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture
def page():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium; "
                    "`make test` does this when run as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.set_default_timeout(TIMEOUT_MS)
        yield page
        browser.close()


def latest_claim() -> dict:
    """The claim the Claims page details first (its article is the newest with claims)."""
    with_claims = [a for a in _seed.ARTICLES if a["claims"] and a["published"]]
    article = max(with_claims, key=lambda a: a["published"])
    return {"title": article["title"], "sentence": article["claims"][0][0]}


def settle(page) -> None:
    """Wait until Streamlit has finished the run (status widget gone) and the grids have painted."""
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    page.wait_for_timeout(1000)


def test_search_then_sources_in_a_real_browser(page, board_url, tmp_path):
    claim = latest_claim()
    page.goto(board_url)
    page.get_by_role("heading", name="Articles").wait_for()
    page.get_by_text(_seed.SONY_TITLE).wait_for()
    settle(page)

    search = page.get_by_label("Search")
    search.fill(_seed.ALIAS_ONLY)
    search.press("Enter")
    page.get_by_role("heading", name="1 story").wait_for()
    settle(page)
    assert page.get_by_role("link", name=_seed.TSMC_TITLE).is_visible()
    assert page.get_by_text(_seed.SONY_TITLE).count() == 0
    page.screenshot(path=tmp_path / "articles.png", full_page=True)

    page.get_by_role("link", name="Claims").click()
    page.get_by_role("heading", name="Claims").wait_for()
    settle(page)
    mark = page.locator("mark").first
    assert mark.is_visible() and mark.inner_text() == claim["sentence"]
    page.screenshot(path=tmp_path / "claims.png", full_page=True)

    page.get_by_role("link", name=f"Open the article: {claim['title']}").click()
    page.get_by_role("heading", name=claim["title"]).wait_for()
    settle(page)
    assert page.get_by_text(claim["sentence"]).first.is_visible()
    page.screenshot(path=tmp_path / "article.png", full_page=True)

    page.get_by_role("link", name="Sources").click()
    error = page.get_by_text(_seed.FAILING_ERROR).first
    error.wait_for()
    settle(page)
    assert error.is_visible()
    assert page.get_by_text("3 consecutive failures").is_visible()
    page.screenshot(path=tmp_path / "sources.png", full_page=True)
