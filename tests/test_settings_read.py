"""Every documented setting is read by the code, and the NLP thresholds reach the spaCy components."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO
from tests.test_cli_docs import setting_keys
from tracker.config import Settings


def _code() -> str:
    files = [p for p in (REPO / "tracker").rglob("*.py") if p.name not in ("config.py", "defaults.py")]
    return "\n".join(p.read_text(encoding="utf-8") for p in files + [REPO / "app.py"])


def test_every_setting_key_is_read_somewhere():
    """A key in Settings that no module reads is a documented promise nothing keeps (nlp.claim_min_confidence
    and nlp.sector_min_confidence were such keys)."""
    code = _code()
    unread = [k for k in setting_keys(Settings)
              if not re.search(rf"\.{re.escape(k.split('.')[-1])}\b|\"{re.escape(k.split('.')[-1])}\"", code)]
    assert unread == []


def test_component_config_carries_the_nlp_thresholds():
    from tracker.nlp.pipeline import component_config

    s = Settings.model_validate({"nlp": {"claim_min_confidence": 0.9, "sector_min_confidence": 0.6}})
    assert component_config(s) == {"claim_extractor": {"min_confidence": 0.9}, "sector_tagger": {"min_confidence": 0.6}}


@pytest.mark.models
def test_claim_and_sector_thresholds_change_what_is_extracted():
    from tracker.nlp.extract import get_extractor

    text = ("Toyota shares rose 5% on Tuesday after the carmaker raised its profit forecast. "
            "Analysts expect margins to improve next year as the yen weakens.")
    loose = Settings.model_validate({"nlp": {"claim_min_confidence": 0.0, "sector_min_confidence": 0.0}})
    strict = Settings.model_validate({"nlp": {"claim_min_confidence": 0.99, "sector_min_confidence": 0.99}})
    a = next(get_extractor(loose).extract([text]))
    b = next(get_extractor(strict).extract([text]))
    assert len(a["claims"]) >= 2 and b["claims"] == []
    assert len(a["sectors"]) > len(b["sectors"]) and all(s["confidence"] >= 0.99 for s in b["sectors"])
    get_extractor(Settings())  # leave the process-wide pipeline on the defaults for other tests
