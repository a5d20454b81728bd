"""The small learned part of claim extraction: linear heads on frozen MiniLM sentence embeddings.

Input per sentence: its 384-d MiniLM vector (tracker.nlp.embed, cached per Doc) and a few rule features
(claim_rules.rule_features), standardised. Three heads: is_claim (sigmoid), metric and direction
(softmax). Weights live in models/claims/claim_heads.npz with claim_heads.json (labels, seed, training-data
hash, the npz's sha256); both are rebuilt by ``python models/claims/train.py``.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tracker.errors import ModelError
from tracker.paths import models_dir

ARTEFACT = "claim_heads.npz"
METADATA = "claim_heads.json"
_KEYS = ("feat_mean", "feat_std", "claim_w", "claim_b", "metric_w", "metric_b", "direction_w", "direction_b")
FIX = "rebuild it with 'python models/claims/train.py' (or restore it with 'git checkout -- models/claims')"


def artefact_dir() -> Path:
    return models_dir() / "claims"


@dataclass
class ClaimHeads:
    arrays: dict[str, np.ndarray]
    metrics: tuple[str, ...]
    directions: tuple[str, ...]
    meta: dict

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(p_claim (n,), metric probabilities (n, M), direction probabilities (n, D))."""
        a = self.arrays
        z = (np.asarray(x, dtype=np.float32) - a["feat_mean"]) / a["feat_std"]
        p = 1.0 / (1.0 + np.exp(-(z @ a["claim_w"] + a["claim_b"])))
        return p.reshape(-1), _softmax(z @ a["metric_w"] + a["metric_b"]), _softmax(z @ a["direction_w"] + a["direction_b"])


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.lru_cache(maxsize=4)
def load_heads(folder: str | None = None) -> ClaimHeads:
    """Load and check the artefact; anything missing, unreadable or inconsistent raises ModelError."""
    d = Path(folder) if folder else artefact_dir()
    npz, meta_p = d / ARTEFACT, d / METADATA
    if not npz.exists() or not meta_p.exists():
        raise ModelError(f"claim classifier artefact missing ({npz if not npz.exists() else meta_p}): {FIX}")
    try:
        meta = json.loads(meta_p.read_text(encoding="utf-8"))
        if meta.get("sha256") != file_sha256(npz):
            raise ValueError("weights do not match the sha256 recorded in " + METADATA)
        with np.load(npz, allow_pickle=False) as z:
            arrays = {k: np.asarray(z[k], dtype=np.float32) for k in _KEYS}
        metrics, directions = tuple(meta["metrics"]), tuple(meta["directions"])
        dim = arrays["feat_mean"].shape[0]
        if arrays["claim_w"].shape != (dim,) or arrays["metric_w"].shape != (dim, len(metrics)) or \
                arrays["direction_w"].shape != (dim, len(directions)) or dim != meta["feature_dim"]:
            raise ValueError("weight shapes do not match the metadata")
        if not all(np.isfinite(v).all() for v in arrays.values()):
            raise ValueError("weights hold NaN or infinite values")
    except ModelError:
        raise
    except Exception as e:  # zip/JSON/key/shape errors: all mean a corrupt artefact
        raise ModelError(f"claim classifier artefact {npz} is corrupt ({type(e).__name__}: {str(e)[:160]}): {FIX}") from None
    return ClaimHeads(arrays=arrays, metrics=metrics, directions=directions, meta=meta)


def sentence_features(doc, sents) -> np.ndarray:
    """MiniLM vector + rule features per sentence (rows in the order of ``sents``)."""
    from tracker.nlp.claim_rules import rule_features
    from tracker.nlp.embed import embed_spans

    if not sents:
        return np.zeros((0, 0), dtype=np.float32)
    vecs = embed_spans(doc, sents)
    rules = np.asarray([rule_features(s) for s in sents], dtype=np.float32)
    return np.concatenate([vecs.astype(np.float32), rules], axis=1)
