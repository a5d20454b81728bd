"""The claim classifier artefact: loading, corruption errors, and reproducible training."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tracker.errors import ModelError
from tracker.nlp.claim_model import ARTEFACT, METADATA, artefact_dir, load_heads

REPO = Path(__file__).resolve().parent.parent
FIX = "python models/claims/train.py"


def _train_module():
    spec = importlib.util.spec_from_file_location("claims_train", REPO / "models" / "claims" / "train.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def artefact_copy(tmp_path) -> Path:
    for name in (ARTEFACT, METADATA):
        shutil.copy(artefact_dir() / name, tmp_path / name)
    load_heads.cache_clear()
    yield tmp_path
    load_heads.cache_clear()


def test_committed_artefact_is_small_and_consistent():
    heads = load_heads()
    npz = artefact_dir() / ARTEFACT
    assert npz.stat().st_size < 2_000_000
    meta = json.loads((artefact_dir() / METADATA).read_text())
    for key in ("seed", "train_data_sha256", "sha256", "weights_hash", "metrics", "directions", "split"):
        assert key in meta
    assert meta["split"] == "train"
    p, pm, pd = heads.predict(np.zeros((2, meta["feature_dim"]), dtype=np.float32))
    assert p.shape == (2,) and pm.shape == (2, len(heads.metrics)) and pd.shape == (2, len(heads.directions))
    assert np.allclose(pm.sum(axis=1), 1) and np.allclose(pd.sum(axis=1), 1)


def test_missing_artefact_names_the_fix(tmp_path):
    with pytest.raises(ModelError, match="missing.*" + FIX.replace(".", r"\.")):
        load_heads(str(tmp_path))


@pytest.mark.parametrize("damage", ["garbage", "truncate", "tamper_meta", "bad_json", "shape"])
def test_corrupt_artefact_names_the_fix(artefact_copy, damage):
    npz, meta_p = artefact_copy / ARTEFACT, artefact_copy / METADATA
    if damage == "garbage":
        npz.write_bytes(b"not a zip file at all")
    elif damage == "truncate":
        npz.write_bytes(npz.read_bytes()[:500])
    elif damage == "tamper_meta":
        meta = json.loads(meta_p.read_text())
        meta["sha256"] = "0" * 64
        meta_p.write_text(json.dumps(meta))
    elif damage == "bad_json":
        meta_p.write_text("{not json")
    elif damage == "shape":
        meta = json.loads(meta_p.read_text())
        meta["metrics"] = meta["metrics"][:3]
        meta_p.write_text(json.dumps(meta))
    with pytest.raises(ModelError) as err:
        load_heads(str(artefact_copy))
    assert FIX in str(err.value) and "[T020]" in str(err.value)


@pytest.mark.models
def test_pipeline_without_artefact_raises_model_error(tmp_path, monkeypatch):
    from tracker.nlp.pipeline import build_pipeline

    shutil.copy(REPO / "models" / "sectors.toml", tmp_path / "sectors.toml")
    shutil.copytree(REPO / "models" / "securities", tmp_path / "securities")  # the company linker needs it
    monkeypatch.setenv("TRACKER_MODELS_DIR", str(tmp_path))
    load_heads.cache_clear()
    try:
        nlp = build_pipeline(None)
        with pytest.raises(ModelError, match=FIX.replace(".", r"\.")):
            nlp("Revenue rose 12% in the quarter.")
    finally:
        load_heads.cache_clear()


TINY = [
    ({"id": "a", "text": "Revenue rose 12% in the quarter. We like the management team a lot.\n"
                        "Shares fell 3% on Tuesday. Margins narrowed to 20%."},
     {"id": "a", "sectors": [], "claims": [
         {"sentence": "Revenue rose 12% in the quarter.", "metric": "revenue_growth", "direction": "up"},
         {"sentence": "Shares fell 3% on Tuesday.", "metric": "price_return", "direction": "down"},
         {"sentence": "Margins narrowed to 20%.", "metric": "margin", "direction": "down"}]}),
    ({"id": "b", "text": "Past performance is no guide. Demand for chips will keep rising in 2026. "
                        "The stock trades at 30x earnings. Is this the top?"},
     {"id": "b", "sectors": [], "claims": [
         {"sentence": "Demand for chips will keep rising in 2026.", "metric": "demand", "direction": "up"},
         {"sentence": "The stock trades at 30x earnings.", "metric": "valuation", "direction": "high"}]}),
]


@pytest.mark.models
def test_training_is_reproducible_on_a_tiny_set(tmp_path):
    from tracker.nlp.models import load_spacy

    train = _train_module()
    X, y, Ym, Yd, texts = train.build_rows(load_spacy(), TINY)
    assert len(texts) == len(y) and y.sum() == 5
    first = train.train_heads(X, y, Ym, Yd, seed=3, epochs=60)
    second = train.train_heads(X, y, Ym, Yd, seed=3, epochs=60)
    other = train.train_heads(X, y, Ym, Yd, seed=4, epochs=60)
    assert train.weights_hash(first) == train.weights_hash(second)
    assert train.weights_hash(first) != train.weights_hash(other)
    meta = {"metrics": list(train.METRICS), "directions": list(train.DIRECTIONS), "feature_dim": int(X.shape[1])}
    train.save(first, meta, tmp_path / "one")
    train.save(second, meta, tmp_path / "two")
    assert (tmp_path / "one" / ARTEFACT).read_bytes() == (tmp_path / "two" / ARTEFACT).read_bytes()
    heads = load_heads(str(tmp_path / "one"))
    p, _, _ = heads.predict(X)
    assert p[y == 1].mean() > p[y == 0].mean()  # it learnt its own training rows


def test_training_refuses_the_test_split():
    with pytest.raises(SystemExit, match="test split"):
        _train_module().main(["--split", "test"])


@pytest.mark.models
def test_trained_heads_separate_claims_from_opinions():
    from tracker.nlp.claim_model import sentence_features
    from tracker.nlp.models import load_spacy

    doc = load_spacy()("Operating profit rose 14% in the third quarter. We really like this management team.")
    sents = list(doc.sents)
    heads = load_heads()
    p, pm, _ = heads.predict(sentence_features(doc, sents))
    assert p[0] > p[1]
    assert heads.metrics[int(pm[0].argmax())] == "earnings_growth"
