"""Every extraction-quality figure README reports has a floor here, so a drop turns CI red.

The figures come from ``tracker score`` on the labelled splits (models/labelled); each floor is the figure README
reports less a small margin (0.02 on totals, 0.05 on the smaller per-origin and per-kind groups, whose few claims
move more per mistake). When a change raises a figure, raise README and the floor together; never lower a floor
to let a change through without saying so in README.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.nlp import scoring

pytestmark = pytest.mark.models

LABELLED = Path(__file__).resolve().parent.parent / "models" / "labelled"

# split -> path in the score dict -> floor
FLOORS = {
    "test": {
        ("companies", "f1"): 0.92,
        ("explicit_tickers", "f1"): 0.95,
        ("tickers", "accuracy"): 0.95,
        ("sectors", "f1"): 0.70,
        ("claims", "f1"): 0.85,
        ("claims", "metric_direction_accuracy"): 0.69,
        ("claims", "subject_ticker_accuracy"): 0.77,
        ("per_origin", "team", "claims", "metric_direction_accuracy"): 0.72,
        ("per_origin", "paraphrase", "claims", "metric_direction_accuracy"): 0.63,
        ("per_origin", "paraphrase", "companies", "f1"): 0.90,
        ("per_origin", "paraphrase", "claims", "f1"): 0.83,
    },
    "dev": {
        ("companies", "f1"): 0.97,
        ("sectors", "f1"): 0.72,
        ("claims", "f1"): 0.86,
        ("claims", "metric_direction_accuracy"): 0.73,
    },
}


@pytest.fixture(scope="module")
def scores() -> dict:
    return {split: scoring.evaluate_files(LABELLED / f"{split}.passages.jsonl", LABELLED / f"{split}.gold.jsonl",
                                          settings=None, progress=False) for split in FLOORS}


def _get(d: dict, path: tuple):
    for key in path:
        d = d[key]
    return d


@pytest.mark.parametrize("split, path", [(s, p) for s, floors in FLOORS.items() for p in floors],
                         ids=lambda x: x if isinstance(x, str) else ".".join(x))
def test_quality_figure_holds_its_floor(scores, split, path):
    value = _get(scores[split], path)
    assert value is not None and value >= FLOORS[split][path], \
        f"{split} {'.'.join(path)} = {value} fell below its floor {FLOORS[split][path]} (README's figure less a margin)"
