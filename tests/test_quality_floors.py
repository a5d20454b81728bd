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
        ("companies", "f1"): 0.92,  # README: 0.942
        ("explicit_tickers", "f1"): 0.95,  # 0.976
        ("tickers", "accuracy"): 0.96,  # 0.981
        ("sectors", "f1"): 0.75,  # 0.772 (0.721 before the sector precision work)
        ("claims", "f1"): 0.84,  # 0.861
        ("claims", "metric_direction_accuracy"): 0.80,  # 0.822
        ("claims", "subject_ticker_accuracy"): 0.78,  # 0.802
        ("per_origin", "team", "companies", "f1"): 0.92,  # 0.973
        ("per_origin", "team", "claims", "f1"): 0.81,  # 0.858
        ("per_origin", "team", "claims", "metric_direction_accuracy"): 0.75,  # 0.787 (0.777 before issue #12)
        ("per_origin", "paraphrase", "companies", "f1"): 0.88,  # 0.931
        ("per_origin", "paraphrase", "claims", "f1"): 0.81,  # 0.862
        ("per_origin", "paraphrase", "claims", "metric_direction_accuracy"): 0.80,  # 0.836: issue #12's target is the floor
        **{("claims", "per_kind", kind, "metric_direction_accuracy"): floor for kind, floor in (
            ("relative", 0.70), ("level", 0.55), ("direction_flip", 0.64), ("price_vs_other", 0.81),
            ("revenue_vs_earnings", 0.85), ("demand_vs_revenue_capex", 0.67), ("multi_claim", 0.77))},
        **{("per_trap", trap, "companies", "f1"): floor for trap, floor in (
            ("person_surname", 0.64), ("unlisted_org", 0.69), ("absent_from_master", 0.80))},
    },
    "dev": {  # tuned on: a floor here guards against regressions, not a fair estimate. Dev grew from 86 to 114
        # passages with batch 4 of paraphrases by others (harder than the first three), so its figures dropped then.
        ("companies", "f1"): 0.97,  # 0.992
        ("sectors", "f1"): 0.76,  # 0.782
        ("claims", "f1"): 0.86,  # 0.880
        ("claims", "metric_direction_accuracy"): 0.84,  # 0.865
        ("per_origin", "paraphrase", "claims", "metric_direction_accuracy"): 0.82,  # 0.849
        ("per_origin", "team", "claims", "metric_direction_accuracy"): 0.89,  # 0.925
        ("claims", "subject_ticker_accuracy"): 0.77,  # 0.796
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
