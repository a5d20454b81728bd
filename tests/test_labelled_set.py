"""Invariants of the labelled set in models/labelled/ (the files other branches train and score on)."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

LABELLED = Path(__file__).resolve().parent.parent / "models" / "labelled"
SPLITS = ("train", "dev", "test")

_spec = importlib.util.spec_from_file_location("labelled_build", LABELLED / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

# Yahoo-form symbols: US plain (BRK-B), or CODE.SUFFIX for the home exchanges used in the set.
TICKER = re.compile(r"^[A-Z0-9&-]{1,12}(\.(T|KS|KQ|TW|TWO|HK|SS|SZ|NS|BO|AS|DE|PA|SW|L|CO|MC|MI|ST|HE|AX|SI|JK|KL|BK))?$")
NOT_COMPANIES = {"s&p 500", "nikkei 225", "topix", "kospi", "kosdaq", "hang seng", "hang seng index", "nifty 50",
                 "sensex", "taiex", "stoxx 600", "dax", "cac 40", "fed", "federal reserve", "sec", "bank of japan",
                 "bank of korea", "reserve bank of india", "european central bank", "jerome powell", "jensen huang",
                 "apple the fruit", "nasdaq", "msci china", "csi 300", "vix"}


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _split(name: str) -> tuple[list[dict], list[dict]]:
    return _read(LABELLED / f"{name}.passages.jsonl"), _read(LABELLED / f"{name}.gold.jsonl")


ALL = {s: _split(s) for s in SPLITS if (LABELLED / f"{s}.passages.jsonl").exists()}


def test_train_and_dev_exist():
    assert {"train", "dev"} <= set(ALL)


def test_files_are_built_from_the_sources():
    items = build.load_all()
    for split, (passages, golds) in ALL.items():
        assert passages == [p for m, p, _ in items if m["split"] == split]
        assert golds == [g for m, _, g in items if m["split"] == split]


def test_sources_validate():
    errs = [e for m, p, g in build.load_all() for e in build.validate(m, p, g)]
    assert errs == []


def test_ids_unique_and_aligned():
    seen = Counter()
    for passages, golds in ALL.values():
        assert [p["id"] for p in passages] == [g["id"] for g in golds]
        seen.update(p["id"] for p in passages)
    assert [k for k, n in seen.items() if n > 1] == []


@pytest.mark.parametrize("split", sorted(ALL))
def test_gold_is_consistent_with_text(split):
    passages, golds = ALL[split]
    for p, g in zip(passages, golds):
        text = p["text"]
        assert 40 <= len(text.split()) <= 250, p["id"]
        assert set(g) >= {"id", "companies", "explicit_tickers", "sectors", "claims"}
        for t in g["explicit_tickers"]:
            assert t in text, (p["id"], t)
        names = [c["name"].casefold() for c in g["companies"]]
        assert len(names) == len(set(names)), p["id"]
        for c in g["companies"]:
            assert c["ticker"] is None or TICKER.match(c["ticker"]), (p["id"], c)
            assert c["name"].casefold() not in NOT_COMPANIES, (p["id"], c)
        assert set(g["sectors"]) <= set(build.SECTORS), p["id"]
        for c in g["claims"]:
            assert text[c["start"]:c["end"]] == c["sentence"], (p["id"], c["sentence"])
            assert c["metric"] in build.METRICS and c["direction"] in build.DIRECTIONS, (p["id"], c)
            assert c["subject"], (p["id"], c)
            for key in ("magnitude", "horizon"):
                assert c[key] is None or c[key] in c["sentence"], (p["id"], key, c[key])


@pytest.mark.parametrize("split", sorted(ALL))
def test_every_split_covers_every_region_and_style(split):
    _, golds = ALL[split]
    team = [g for g in golds if g["origin"] == "team"]
    assert {g["region"] for g in team} == set(build.REGIONS)
    assert {g["style"] for g in team} == set(build.STYLES) - {"filing"}   # filings came with the paraphrased set


@pytest.mark.parametrize("split", sorted(ALL))
def test_every_split_has_hard_negatives(split):
    passages, golds = ALL[split]
    negs = Counter(n for g in golds for n in g["hard_negatives"])
    assert set(build.NEGATIVES) <= set(negs) <= set(build.NEGATIVES + build.COMPANY_TRAPS)
    assert any(not g["companies"] for g in golds)  # passages about no company at all
    sentences = {c["sentence"] for g in golds for c in g["claims"]}
    # disclaimers, questions and quote rows exist in the text but are never claim sentences
    texts = " ".join(p["text"] for p in passages)
    assert "?" in texts
    assert not any(s.endswith("?") for s in sentences)


def test_minimum_sizes():
    sizes = {s: len(ALL[s][0]) for s in ALL}
    assert sizes["train"] >= 45 and sizes["dev"] >= 18
    if "test" in sizes:
        assert sizes["test"] >= 18
        assert sum(sizes.values()) >= 90
        claims = [c for _, golds in ALL.values() for g in golds for c in g["claims"]]
        assert len(claims) >= 450


def test_metrics_are_balanced():
    claims = [c for _, golds in ALL.values() for g in golds for c in g["claims"]]
    per_metric = Counter(c["metric"] for c in claims)
    assert set(per_metric) == set(build.METRICS)
    assert min(per_metric.values()) >= 10
    assert per_metric["price_return"] / len(claims) <= 0.15
    assert set(Counter(c["direction"] for c in claims)) == set(build.DIRECTIONS)


def test_relative_claims_name_a_benchmark():
    for _, golds in ALL.values():
        for g in golds:
            for c in g["claims"]:
                if c["direction"] in ("outperform", "underperform"):
                    assert c["benchmark"], (g["id"], c["sentence"])


@pytest.mark.parametrize("split", sorted(ALL))
def test_every_split_has_unlisted_companies(split):
    _, golds = ALL[split]
    assert any(c["ticker"] is None for g in golds for c in g["companies"])   # private companies: ticker null


# ------------------------------------------------------------------------- origins, error kinds, company traps
PARAPHRASE = {s: [g for g in golds if g["origin"] == "paraphrase"] for s, (_, golds) in ALL.items()}
PARA_SPLITS = sorted(s for s, golds in PARAPHRASE.items() if golds)


def test_origins():
    """The team's 100 passages keep origin 'team'; every other passage is paraphrased commentary ('o-' ids)."""
    golds = [g for _, gs in ALL.values() for g in gs]
    assert {g["origin"] for g in golds} <= set(build.ORIGINS)
    team = [g for g in golds if g["origin"] == "team"]
    assert len(team) == 100 and not any(g["id"].startswith("o-") for g in team)
    assert all(g["id"].startswith("o-") for g in golds if g["origin"] == "paraphrase")


def test_kinds_are_consistent_with_the_labels():
    for _, golds in ALL.values():
        for g in golds:
            subjects = {}
            for c in g["claims"]:
                subjects.setdefault(c["start"], set()).add(c["subject"].casefold())
            for c in g["claims"]:
                where = (g["id"], c["sentence"][:50])
                kinds = c.get("kinds", [])
                assert "kinds" not in c or kinds == [k for k in build.CLAIM_KINDS if k in kinds] != [], where
                assert ("relative" in kinds) >= (c["direction"] in ("outperform", "underperform")), where
                assert ("relative" in kinds) <= bool(c["benchmark"]), where
                assert ("level" in kinds) <= (c["direction"] in ("high", "low", "stable")), where
                assert ("multi_claim" in kinds) == (len(subjects[c["start"]]) > 1), where


def test_unlisted_organisations_have_null_tickers():
    for _, golds in ALL.values():
        for g in golds:
            if "unlisted_org" in g["hard_negatives"]:
                assert any(c["ticker"] is None for c in g["companies"]), g["id"]
