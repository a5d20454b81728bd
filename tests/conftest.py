"""Test setup: no network beyond loopback; fresh store and settings per test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

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
