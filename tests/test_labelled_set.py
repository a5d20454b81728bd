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
TICKER = re.compile(r"^[A-Z0-9&-]{1,12}(\.(T|KS|KQ|TW|TWO|HK|SS|SZ|NS|BO|AS|DE|PA|SW|L|CO|MC|MI|ST|HE|BR|OL|IR|LS|AX|NZ|SI|JK|KL|BK|VN|PS))?$")
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
    # Price moves are the easiest claims and the commonest in commentary: they must not crowd out the others. The cap
    # was 15% until the fourth batch of paraphrases (written for price-versus-other confusions) took it to 15.4%.
    assert per_metric["price_return"] / len(claims) <= 0.16
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
                assert ("level" in kinds) >= (c["direction"] in ("high", "low")), where
                assert ("multi_claim" in kinds) == (len(subjects[c["start"]]) > 1), where


def test_unlisted_organisations_have_null_tickers():
    for _, golds in ALL.values():
        for g in golds:
            if "unlisted_org" in g["hard_negatives"]:
                assert any(c["ticker"] is None for c in g["companies"]), g["id"]


def test_paraphrased_set_sizes():
    """At least 300 paraphrased passages, about 55-60% train / 20-22% dev / 19-25% test, and at least 75 held out.

    The held-out test split (81 passages) was written once and is never added to after its figures were reported, so
    later batches written to learn from (train and dev) make its share smaller: 26% of the first 313, 19% of 417."""
    sizes = {s: len(PARAPHRASE[s]) for s in ALL}
    assert sizes["train"] >= 150 and sizes["dev"] >= 55
    total = sum(sizes.values())
    assert total >= 300 and sizes["test"] >= 75
    for split, low, high in (("train", 0.50, 0.62), ("dev", 0.18, 0.25), ("test", 0.18, 0.30)):
        assert low <= sizes[split] / total <= high, (split, sizes)


@pytest.mark.parametrize("split", PARA_SPLITS)
def test_paraphrased_split_covers_regions_styles_kinds_and_traps(split):
    golds = PARAPHRASE[split]
    assert {g["region"] for g in golds} == set(build.REGIONS)
    assert {g["style"] for g in golds} == set(build.STYLES)
    assert {k for g in golds for c in g["claims"] for k in c.get("kinds", ())} == set(build.CLAIM_KINDS)
    assert {n for g in golds for n in g["hard_negatives"]} >= set(build.COMPANY_TRAPS)
    # regions roughly balanced: no region has more than twice the passages of another
    per_region = Counter(g["region"] for g in golds)
    assert max(per_region.values()) <= 2 * min(per_region.values())


@pytest.mark.parametrize("name, ticker", [("GMO Internet", "4784.T"), ("GMO Internet Group", "9449.T"),
                                          ("Zhejiang Asia-Pacific Mechanical & Electronic", "002284.SZ")])
def test_named_companies_in_train_and_dev_with_their_tickers(name, ticker):
    """Issue #12's named misses: GMO Internet is 4784.T in commentary from 2025 on (the renamed GMO AD Partners;
    GMO Internet Group, 9449.T, carried the name until 2021); Zhejiang Asia-Pacific is written by its full name."""
    found = {s: [c for g in PARAPHRASE[s] for c in g["companies"] if c["name"] == name] for s in ("train", "dev")}
    assert all(found.values()), found
    assert {c["ticker"] for cs in found.values() for c in cs} == {ticker}


def test_team_claims_are_tagged_too():
    """Kinds were added to the team's passages as labelling metadata (their labels are unchanged)."""
    team = [c for _, golds in ALL.values() for g in golds if g["origin"] == "team" for c in g["claims"]]
    tagged = Counter(k for c in team for k in c.get("kinds", ()))
    assert set(tagged) == set(build.CLAIM_KINDS)
