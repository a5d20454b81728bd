"""Test setup: no network beyond loopback; fresh store and settings per test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# yfinance must run on `requests` (not curl_cffi) so that `responses` can serve recorded Yahoo payloads: this has to
# be set before yfinance is first imported.
os.environ["YF_DISABLE_CURL_CFFI"] = "1"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.pop("TRACKER_CONFIG", None)
os.environ.pop("TRACKER_DB", None)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


# The loopback-only network guard, on this process and (through PYTHONPATH and tests/_netguard/sitecustomize.py)
# on every Python subprocess the tests start; PYTHONPATH also puts this checkout's tracker package first there.
GUARD_DIR = Path(__file__).resolve().parent / "_netguard"
sys.path.insert(0, str(GUARD_DIR))
import tracker_netguard  # noqa: E402  (the same module object sitecustomize may have loaded)

sys.path.remove(str(GUARD_DIR))
NetworkBlocked = tracker_netguard.NetworkBlocked
tracker_netguard.install()
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(GUARD_DIR), str(REPO), *[p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]])


# Files a command writes into its working folder when a test forgets --config/--db: they would then change what
# later tests (and the developer's own `tracker` runs) read, so a test that leaves one behind fails.
_WORKDIR_FILES = ("tracker.toml", "tracker.db", "tracker-run.log")


@pytest.fixture(autouse=True)
def _leaves_no_files_in_the_working_folder():
    cwd = Path.cwd()
    before = {name for name in _WORKDIR_FILES if (cwd / name).exists()}
    yield
    left = [name for name in _WORKDIR_FILES if name not in before and (cwd / name).exists()]
    for name in left:
        (cwd / name).unlink()
    assert not left, f"this test wrote {', '.join(left)} into {cwd}: give the command --config/--db under tmp_path"


@pytest.fixture
def tmp_db(tmp_path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def store(tmp_db):
    from tracker.store import open_store

    s = open_store(tmp_db)
    yield s
    s.close()


@pytest.fixture
def settings(tmp_db):
    from tracker.config import Settings

    s = Settings()
    s.store.path = str(tmp_db)
    s.collect.per_host_delay_s = 0
    return s


@pytest.fixture(scope="session")
def yf_cache_dir(tmp_path_factory) -> Path:
    """yfinance's caches (time zones, cookies, ISINs) in a temporary folder, set before yfinance first uses them."""
    import yfinance as yf

    d = tmp_path_factory.mktemp("yfinance-cache")
    yf.set_tz_cache_location(str(d))
    return d


@pytest.fixture
def yahoo(yf_cache_dir):
    """Yahoo Finance answered from tests/fixtures/metrics (see tests/_yahoo.py); any other Yahoo URL fails."""
    import responses

    from tests._yahoo import YahooStub

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield YahooStub(mock)


@pytest.fixture
def shared_equities() -> Path:
    p = SHARED / "data" / "financedatabase" / "equities.bz2"
    if not p.exists():
        pytest.skip("../shared/data/financedatabase/equities.bz2 not present")
    return p


@pytest.fixture
def encoded(monkeypatch) -> list[str]:
    """Every text sent to the sentence encoder while the test runs (the real encoder still answers)."""
    import tracker.nlp.embed as embed

    seen: list[str] = []
    real = embed.encode_texts

    def spy(texts):
        seen.extend(texts)
        return real(texts)

    monkeypatch.setattr(embed, "encode_texts", spy)
    return seen
