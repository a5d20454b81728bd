"""Dev check of company extraction on our own passages (tests/fixtures/companies/dev.jsonl).

Scores like `tracker score` does for companies: per passage, predicted companies are deduplicated by
company; precision/recall/F1 over companies, and ticker accuracy on the matched ones. Run with -s to
see the figures and every miss. The same passages run against the built-in master and, when
../shared is present, the full master built from the FinanceDatabase file (more names, more traps).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.models

DEV = Path(__file__).parent / "fixtures" / "companies" / "dev.jsonl"


def score(nlp, master, passages):
    tp = fp = fn = ticker_ok = 0
    misses = []
    for p in passages:
        doc = nlp(p["text"])
        pred = {}
        for c in doc._.companies:
            pred.setdefault(c["company_key"], c)
        gold = {}
        for g in p["companies"]:
            if g.get("ticker"):
                key = master.symbols.get(g["ticker"].upper())
            else:  # an unlisted company: by its name
                key = next(iter(master.resolve_text(g["name"])), None)
            gold[key or g["name"]] = g
        for k, g in gold.items():
            if k in pred:
                tp += 1
                ticker_ok += pred[k]["ticker"] == g["ticker"]  # None == None is right
                if pred[k]["ticker"] != g["ticker"]:
                    misses.append((p["id"], "ticker", g["name"], pred[k]["ticker"]))
            else:
                fn += 1
                misses.append((p["id"], "missed", g["name"], None))
        for k, c in pred.items():
            if k not in gold:
                fp += 1
                misses.append((p["id"], "false", c["name"], c["ticker"]))
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1, "ticker_accuracy": ticker_ok / tp if tp else 1.0,
            "tp": tp, "fp": fp, "fn": fn, "misses": misses}


@pytest.fixture(scope="module")
def passages():
    return [json.loads(line) for line in DEV.read_text().splitlines() if line.strip()]


def _report(name, s):
    print(f"\n[{name}] P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} "
          f"ticker acc={s['ticker_accuracy']:.3f} (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})")
    for m in s["misses"]:
        print("   ", m)


def test_dev_check_builtin_master(passages):
    from tracker.nlp.pipeline import build_pipeline
    from tracker.securities import load_master

    master = load_master(None)
    s = score(build_pipeline(master), master, passages)
    _report("builtin master", s)
    assert s["f1"] >= 0.9 and s["precision"] >= 0.9 and s["ticker_accuracy"] >= 0.95


def test_dev_check_full_master(passages, tmp_path_factory):
    from tests.test_securities import shared_equities_file
    from tracker import securities as S
    from tracker.nlp.pipeline import build_pipeline
    from tracker.store import open_store

    p = shared_equities_file()
    if p is None:
        pytest.skip("../shared/data/financedatabase/equities.bz2 not present")
    st = open_store(tmp_path_factory.mktemp("dev") / "m.db")
    S.update(st, from_file=p, progress=False)
    master = S.load_master(st)
    s = score(build_pipeline(master), master, passages)
    _report("full master", s)
    st.close()
    assert s["f1"] >= 0.9 and s["precision"] >= 0.9 and s["ticker_accuracy"] >= 0.95
