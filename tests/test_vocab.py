"""One vocabulary: every module that names metrics, directions, sectors or statuses uses tracker.vocab's copy."""

from __future__ import annotations

import re
from pathlib import Path

from tracker import vocab

REPO = Path(__file__).resolve().parent.parent


def test_vocabulary_matches_the_design():
    assert len(vocab.METRICS) == 14 and vocab.METRICS[0] == "price_return" and vocab.METRICS[-1] == "other"
    assert set(vocab.DIRECTIONS) == vocab.MOVE_DIRECTIONS | vocab.RELATIVE_DIRECTIONS | vocab.LEVEL_DIRECTIONS
    assert vocab.STATUSES == ("holding", "weakening", "broken", "unknown")
    assert "auto_components" in vocab.SECTORS and vocab.SECTORS[-1] == "other"


def test_no_second_copy_of_the_vocabulary():
    """A tuple literal that starts like one of the vocabularies anywhere but tracker/vocab.py is a copy."""
    starts = [r'\(\s*"price_return",\s*"relative_return"', r'\(\s*"up",\s*"down",\s*"outperform"',
              r'\(\s*"semiconductors",\s*"ai"', r'\(\s*"holding",\s*"weakening"',
              r'\(\s*"revenue_growth",\s*"earnings_growth",\s*"margin"']  # the last: COMPANY_METRICS
    offenders = []
    for folder in ("tracker", "models", "benchmarks", "app.py"):
        root = REPO / folder
        for p in ([root] if root.is_file() else root.rglob("*.py")):
            if p.name == "vocab.py":
                continue
            text = p.read_text(encoding="utf-8")
            offenders += [f"{p.relative_to(REPO)}: {s}" for s in starts if re.search(s, text)]
    assert offenders == []


def test_sign_of_directions():
    assert [vocab.sign_of(d) for d in ("up", "outperform", "high", "down", "underperform", "low", "stable")] == \
        [1, 1, 1, -1, -1, -1, 0]
