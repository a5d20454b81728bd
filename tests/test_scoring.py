"""tracker score's scorer: hand-made predictions with known scores, input validation, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.errors import EvalError
from tracker.nlp import scoring
from tracker.nlp.scoring import jaccard, norm_company, norm_ticker, score, sentences_match

LABELLED = Path(__file__).resolve().parent.parent / "models" / "labelled"

S1 = "Nvidia rose 4.1% while the S&P 500 slipped 0.1%."
S2 = "Toyota's operating margin narrowed to 9.5% in the quarter."


def gold_row(companies=(), tickers=(), sectors=(), claims=()):
    return {"companies": list(companies), "explicit_tickers": list(tickers), "sectors": list(sectors),
            "claims": list(claims)}


def claim(sentence, metric, direction, subject="x"):
    return {"sentence": sentence, "subject": subject, "metric": metric, "direction": direction,
            "magnitude": None, "horizon": None}


def company(canonical, ticker, name=None, confidence=0.9):
    return {"name": name or canonical, "canonical": canonical, "ticker": ticker, "start": 0, "end": 1,
            "confidence": confidence}


def pred_row(companies=(), tickers=(), sectors=(), claims=()):
    return {"companies": list(companies), "tickers": list(tickers),
            "sectors": [{"sector": s, "confidence": 0.5} for s in sectors], "claims": list(claims)}


# ------------------------------------------------------------------------------------------ normalising
@pytest.mark.parametrize("a, b", [
    ("Tencent Holdings Ltd.", "Tencent"),
    ("Nestlé S.A.", "Nestle"),
    ("Larsen & Toubro", "Larsen and Toubro"),
    ("Toyota Motor Corp", "toyota motor"),
    ("Samsung Electronics Co., Ltd", "Samsung Electronics"),
    ("SAP SE", "SAP"),
    ("Mitsubishi UFJ Financial Group, Inc.", "Mitsubishi UFJ Financial"),
])
def test_company_names_normalise_equal(a, b):
    assert norm_company(a) == norm_company(b)


def test_company_normalising_keeps_meaningful_words():
    assert norm_company("Group") == "group"
    assert norm_company("Bank of America") == "bank of america"
    assert norm_company("SK Hynix") != norm_company("SK Telecom")


def test_ticker_normalising():
    assert norm_ticker("nasdaq:msft") == norm_ticker("NASDAQ:  MSFT") == "NASDAQ:MSFT"
    assert norm_ticker(" 6758  JP ") == "6758 JP"
    assert norm_ticker(None) is None


def test_sentence_matching_rules():
    assert sentences_match(S1, "nvidia ROSE 4.1% while the S&P 500 slipped 0.1%")   # case, punctuation
    assert sentences_match(S1, "Nvidia rose 4.1%")                                    # contained, 3+ words
    assert not sentences_match(S1, "Nvidia rose")                                     # contained, too short
    # words: nvidia rose 4.1 while the s p 500 0.1 shared (9); slipped, fell, today not (12 in all)
    other = "Nvidia rose 4.1% while the S&P 500 fell 0.1% today."
    assert jaccard(S1, other) == pytest.approx(9 / 12)
    assert jaccard("Sales rose 4.1%.", "Sales rose 4.2%.") == pytest.approx(2 / 4)
    assert sentences_match(S1, other)
    assert jaccard(S1, S2) < 0.6 and not sentences_match(S1, S2)
    assert not sentences_match("", S1)


# ------------------------------------------------------------------------------------------------ score
def _gold():
    return {
        "a": gold_row(companies=[{"name": "NVIDIA", "ticker": "NVDA"}, {"name": "Toyota Motor", "ticker": "7203.T"},
                                 {"name": "Private Startup", "ticker": None}],
                      tickers=["$NVDA", "7203.T"], sectors=["semiconductors", "automotive"],
                      claims=[claim(S1, "price_return", "up", "Nvidia"), claim(S1, "index_level", "down", "S&P 500"),
                              claim(S2, "margin", "down", "Toyota")]),
        "b": gold_row(),
    }


def _as_predictions(gold):
    return {pid: pred_row(companies=[company(c["name"], c["ticker"]) for c in g["companies"]],
                          tickers=g["explicit_tickers"], sectors=g["sectors"],
                          claims=[dict(c) for c in g["claims"]])
            for pid, g in gold.items()}


def test_perfect_predictions_score_one():
    s = score(_as_predictions(_gold()), _gold())
    assert s["passages"] == 2
    for key in ("companies", "explicit_tickers", "sectors", "claims"):
        assert (s[key]["precision"], s[key]["recall"], s[key]["f1"]) == (1.0, 1.0, 1.0), key
        assert s[key]["fp"] == s[key]["fn"] == 0
    assert s["tickers"] == {"accuracy": 1.0, "correct": 3, "matched": 3}
    assert s["claims"]["metric_direction_accuracy"] == s["claims"]["metric_accuracy"] == 1.0
    assert s["claims"]["per_metric"]["margin"] == {"gold": 1, "predicted": 1, "matched": 1, "metric_correct": 1}


def test_empty_predictions():
    s = score({}, _gold())
    assert s["companies"] == {"precision": None, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 3}
    assert s["explicit_tickers"]["fn"] == 2 and s["sectors"]["fn"] == 2 and s["claims"]["fn"] == 3
    assert s["tickers"]["accuracy"] is None
    assert s["claims"]["metric_direction_accuracy"] is None


def test_nothing_to_find_and_nothing_found_is_undefined_not_zero():
    s = score({"b": pred_row()}, {"b": gold_row()})
    assert s["companies"] == {"precision": None, "recall": None, "f1": None, "tp": 0, "fp": 0, "fn": 0}


def test_partial_companies_and_tickers():
    preds = {"a": pred_row(companies=[
        company("Nvidia Corporation", "NVDA"),        # name match (suffix stripped), ticker right
        company("Toyota Motor North America", "7203.T"),  # ticker match only, ticker right
        company("Private Startup Inc", "PRIV"),       # name match, ticker wrong (gold null)
        company("Apple", "AAPL"),                     # false positive
    ])}
    s = score(preds, {"a": _gold()["a"]})
    assert (s["companies"]["tp"], s["companies"]["fp"], s["companies"]["fn"]) == (3, 1, 0)
    assert s["companies"]["precision"] == 0.75 and s["companies"]["recall"] == 1.0
    assert s["companies"]["f1"] == pytest.approx(6 / 7)
    assert s["tickers"] == {"accuracy": pytest.approx(2 / 3), "correct": 2, "matched": 3}


def test_null_ticker_equals_null():
    gold = {"a": gold_row(companies=[{"name": "Private Startup", "ticker": None}])}
    assert score({"a": pred_row(companies=[company("Private Startup", None)])}, gold)["tickers"]["accuracy"] == 1.0
    assert score({"a": pred_row(companies=[company("Private Startup", "XYZ")])}, gold)["tickers"]["accuracy"] == 0.0


def test_duplicate_company_predictions_count_once():
    preds = {"a": pred_row(companies=[
        company("NVIDIA", "NVDA", name="Nvidia", confidence=0.9),
        company("NVIDIA Corp", "NVDA", name="NVDA", confidence=0.8),   # same canonical and ticker
        company("Nvidia Graphics", "NVDA", confidence=0.7),            # same ticker, other name
        company("Toyota Motor", None, confidence=0.6),
        company("Toyota Motor", "TM", confidence=0.95),                # same name: the surer one is kept
    ])}
    s = score(preds, {"a": _gold()["a"]})
    assert (s["companies"]["tp"], s["companies"]["fp"], s["companies"]["fn"]) == (2, 0, 1)
    assert s["tickers"] == {"accuracy": 0.5, "correct": 1, "matched": 2}   # TM is an ADR, not 7203.T


def test_explicit_tickers_and_sectors():
    preds = {"a": pred_row(tickers=["$nvda", "7203.T", "AI"], sectors=["semiconductors", "ai"])}
    s = score(preds, {"a": _gold()["a"]})
    assert (s["explicit_tickers"]["tp"], s["explicit_tickers"]["fp"], s["explicit_tickers"]["fn"]) == (2, 1, 0)
    assert (s["sectors"]["tp"], s["sectors"]["fp"], s["sectors"]["fn"]) == (1, 1, 1)
    assert s["sectors"]["f1"] == 0.5
    # plain-string sectors are accepted too
    assert score({"a": {"sectors": ["automotive"]}}, {"a": _gold()["a"]})["sectors"]["tp"] == 1


def test_multi_claim_sentence_matches_by_metric_one_to_one():
    gold = {"a": gold_row(claims=_gold()["a"]["claims"])}
    # predicted in the other order, sentence lightly different: still paired by metric
    preds = {"a": pred_row(claims=[claim("Nvidia rose 4.1% while the S&P 500 slipped 0.1%", "index_level", "down"),
                                   claim(S1, "price_return", "up")])}
    s = score(preds, gold)["claims"]
    assert (s["tp"], s["fp"], s["fn"]) == (2, 0, 1)
    assert s["metric_direction_accuracy"] == 1.0


def test_one_prediction_cannot_match_two_gold_claims():
    gold = {"a": gold_row(claims=_gold()["a"]["claims"])}
    s = score({"a": pred_row(claims=[claim(S1, "index_level", "up")])}, gold)["claims"]
    assert (s["tp"], s["fp"], s["fn"]) == (1, 0, 2)
    assert s["metric_accuracy"] == 1.0 and s["direction_accuracy"] == 0.0
    assert s["metric_direction_accuracy"] == 0.0
    assert s["per_metric"]["index_level"]["matched"] == 1 and s["per_metric"]["price_return"]["matched"] == 0


def test_extra_claims_are_false_positives_and_wrong_metrics_count():
    gold = {"a": gold_row(claims=[claim(S2, "margin", "down")])}
    preds = {"a": pred_row(claims=[claim(S2, "earnings_growth", "down"), claim(S2, "margin", "down"),
                                   claim("We like the management team a lot.", "other", "high")])}
    s = score(preds, gold)["claims"]
    assert (s["tp"], s["fp"], s["fn"]) == (1, 2, 0)
    assert s["precision"] == pytest.approx(1 / 3)
    assert s["metric_direction_accuracy"] == 1.0   # the margin prediction is the one paired
    assert s["per_metric"]["earnings_growth"] == {"gold": 0, "predicted": 1, "matched": 0, "metric_correct": 0}


def test_subject_ticker_accuracy_only_where_the_gold_labels_it():
    gold = {"a": gold_row(claims=[{**claim(S1, "price_return", "up"), "subject_ticker": "NVDA"},
                                  {**claim(S1, "index_level", "down"), "subject_ticker": None},
                                  claim(S2, "margin", "down")])}  # no subject_ticker key: not scored
    preds = {"a": pred_row(claims=[{**claim(S1, "price_return", "up"), "subject_ticker": "nvda"},
                                   {**claim(S1, "index_level", "down"), "subject_ticker": "NVDA"},
                                   {**claim(S2, "margin", "down"), "subject_ticker": "7203.T"}])}
    s = score(preds, gold)["claims"]
    assert (s["subject_ticker_correct"], s["subject_ticker_scored"]) == (1, 2)  # null gold wants null
    assert s["subject_ticker_accuracy"] == 0.5
    assert "subject ticker accuracy on matched     0.500  (1/2)" in scoring.format_table(score(preds, gold))


def test_gold_files_score_perfectly_against_themselves():
    passages, gold = scoring.load_pair(LABELLED / "dev.passages.jsonl", LABELLED / "dev.gold.jsonl")
    s = score(_as_predictions(gold), gold)
    assert s["companies"]["f1"] == s["claims"]["f1"] == s["sectors"]["f1"] == 1.0
    assert s["claims"]["metric_direction_accuracy"] == 1.0
    assert s["claims"]["tp"] == sum(len(g["claims"]) for g in gold.values())


def test_format_table_lists_every_figure():
    table = scoring.format_table(score(_as_predictions(_gold()), _gold()))
    lines = table.splitlines()
    assert lines[0] == "passages: 2"
    assert lines[1].split() == ["precision", "recall", "F1", "tp", "fp", "fn"]
    assert lines[2].split() == ["companies", "1.000", "1.000", "1.000", "3", "0", "0"]
    assert lines[5].split() == ["claims", "(sentence)", "1.000", "1.000", "1.000", "3", "0", "0"]
    assert len({len(line) for line in lines[1:6]}) == 1   # aligned columns
    assert "ticker accuracy on matched companies   1.000  (3/3)" in table
    assert "—" in scoring.format_table(score({}, _gold()))


# --------------------------------------------------------------------------------------------- reading
def _write(path: Path, rows) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def _files(tmp_path, gold_rows=None, passage_rows=None):
    p = _write(tmp_path / "p.jsonl", passage_rows or [{"id": "a", "text": S1}, {"id": "b", "text": S2}])
    g = _write(tmp_path / "g.jsonl", gold_rows or [{"id": "a", **_gold()["a"]}, {"id": "b", **gold_row()}])
    return p, g


def test_load_pair_reads_valid_files(tmp_path):
    passages, gold = scoring.load_pair(*_files(tmp_path))
    assert passages == {"a": S1, "b": S2} and list(gold) == ["a", "b"]


@pytest.mark.parametrize("gold_rows, message", [
    (['{"id": "a", "companies": []', {"id": "b", **gold_row()}], "line 1: not valid JSON"),
    ([{"id": "a", **gold_row()}, {"id": "zz", **gold_row()}], "have no passage"),
    ([{"id": "a", **gold_row()}], "no gold line"),
    ([{"id": "a", **gold_row(claims=[claim(S1, "price", "up")])}, {"id": "b", **gold_row()}], "unknown metric 'price'"),
    ([{"id": "a", **gold_row(claims=[claim(S1, "margin", "sideways")])}, {"id": "b", **gold_row()}],
     "unknown direction 'sideways'"),
    ([{"id": "a", **gold_row(sectors=["chips"])}, {"id": "b", **gold_row()}], "unknown sector 'chips'"),
    ([{"id": "a", "companies": []}, {"id": "b", **gold_row()}], '"explicit_tickers" must be a list'),
    ([{"id": "a", **gold_row()}, {"id": "a", **gold_row()}], "appears twice"),
    ([{"id": "a", **gold_row()}, {"text": "no id"}], 'line 2: expected a JSON object with a string "id"'),
    ([{"id": "a", **gold_row(companies=[{"ticker": "NVDA"}])}, {"id": "b", **gold_row()}],
     'each company needs a string "name"'),
])
def test_bad_gold_raises_eval_error(tmp_path, gold_rows, message):
    with pytest.raises(EvalError, match=re.escape(message)):
        scoring.load_pair(*_files(tmp_path, gold_rows=gold_rows))


def test_unmatched_ids_are_named(tmp_path):
    gold = [{"id": "a", **gold_row()}, {"id": "b", **gold_row()}] + [{"id": f"x{i}", **gold_row()} for i in range(12)]
    with pytest.raises(EvalError, match="12 gold id\\(s\\) have no passage in .*: x0, x1, .*, x9 and 2 more\\. Pass"):
        scoring.load_pair(*_files(tmp_path, gold_rows=gold))


def test_passage_without_text_raises(tmp_path):
    with pytest.raises(EvalError, match='line 2: passage \'b\' has no string "text"'):
        scoring.load_pair(*_files(tmp_path, passage_rows=[{"id": "a", "text": S1}, {"id": "b"}]))


def test_missing_file_raises(tmp_path):
    with pytest.raises(EvalError, match="passages file not found"):
        scoring.load_pair(tmp_path / "nope.jsonl", tmp_path / "g.jsonl")


# ----------------------------------------------------------------------------------- running and the CLI
class FakeExtractor:
    def __init__(self, predictions):
        self.predictions, self.calls, self.dates = predictions, [], []

    def extract(self, texts, dates=None):
        texts = list(texts)
        self.calls.append(texts)
        self.dates.append(dates)
        for t in texts:
            yield self.predictions[t]


@pytest.fixture
def fake(monkeypatch):
    ex = FakeExtractor({S1: _as_predictions(_gold())["a"], S2: pred_row()})
    monkeypatch.setattr("tracker.nlp.extract.get_extractor", lambda *a, **k: ex)
    return ex


def test_evaluate_files_runs_the_extractor_once(tmp_path, fake):
    s = scoring.evaluate_files(*_files(tmp_path), settings=None, progress=False)
    assert fake.calls == [[S1, S2]]
    assert s["companies"]["f1"] == 1.0 and s["claims"]["tp"] == 3
    assert fake.dates == [[None, None]]  # no dates in the passages: the extractor reads them as today


def test_passage_dates_reach_the_extractor(tmp_path, fake):
    """A passage's optional "date" decides names that changed hands ("GMO Internet"), so it is passed on."""
    rows = [{"id": "a", "text": S1, "date": "2019-06-03"}, {"id": "b", "text": S2}]
    scoring.evaluate_files(*_files(tmp_path, passage_rows=rows), settings=None, progress=False)
    assert fake.dates == [["2019-06-03", None]]
    rows[0]["date"] = "3 June 2019"
    with pytest.raises(EvalError, match=r"passage 'a' has date '3 June 2019'; write it as YYYY-MM-DD"):
        scoring.evaluate_files(*_files(tmp_path, passage_rows=rows), settings=None, progress=False)


def test_cli_eval_json_and_table(tmp_path, fake, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "t.db"))
    p, g = _files(tmp_path)
    out = CliRunner().invoke(app, ["score", "--quiet", "--json", str(p), str(g)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["claims"]["f1"] == 1.0
    out = CliRunner().invoke(app, ["score", "-q", str(p), str(g)])
    assert out.exit_code == 0 and out.stdout.startswith("passages: 2\n")


@pytest.mark.parametrize("case, message", [
    ("missing", "gold file not found"),
    ("malformed", "line 2: not valid JSON"),
    ("unknown_id", "have no passage"),
])
def test_cli_eval_errors_exit_1_with_one_line(tmp_path, fake, monkeypatch, case, message):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "t.db"))
    p, g = _files(tmp_path)
    if case == "missing":
        g = tmp_path / "absent.jsonl"
    elif case == "malformed":
        _write(g, [{"id": "a", **gold_row()}, "{not json"])
    else:
        _write(g, [{"id": "a", **gold_row()}, {"id": "b", **gold_row()}, {"id": "c", **gold_row()}])
    out = CliRunner().invoke(app, ["score", "-q", str(p), str(g)])
    assert out.exit_code == 1
    assert message in out.stderr and out.stderr.startswith("error: [T040]")
    assert fake.calls == []


# ------------------------------------------------------------------------------ per error kind, origin, trap
def kclaim(sentence, metric, direction, subject="x", kinds=()):
    return {**claim(sentence, metric, direction, subject), **({"kinds": list(kinds)} if kinds else {})}


S3 = "Boeing posted a $1.1bn loss against a $3.1bn profit a year earlier."
S4 = "Comparable sales rose 5.8%, well ahead of the industry's 1% gain."
S5 = "Orders rose 14% while sales fell 3%."


def _kind_gold():
    return {
        "team-1": {**gold_row(companies=[{"name": "Boeing", "ticker": "BA"}],
                              claims=[kclaim(S3, "earnings_growth", "down", "Boeing", ["direction_flip"]),
                                      kclaim(S4, "revenue_growth", "high", "Texas Roadhouse", ["relative", "level"])]),
                   "origin": "team", "hard_negatives": []},
        "para-1": {**gold_row(companies=[{"name": "Fanuc", "ticker": "6954.T"}, {"name": "Vanguard", "ticker": None}],
                              claims=[kclaim(S5, "demand", "up", "Fanuc orders", ["demand_vs_revenue_capex", "multi_claim"]),
                                      kclaim(S5, "revenue_growth", "down", "Fanuc sales", ["multi_claim"]),
                                      kclaim(S1, "price_return", "up", "Nvidia")]),
                   "origin": "paraphrase", "hard_negatives": ["unlisted_org", "opinion"]},
    }


def _kind_predictions():
    return {
        # direction flipped (read 'profit' as up), relative claim read as a plain rise: both matched, both wrong
        "team-1": pred_row(companies=[company("Boeing", "BA")],
                           claims=[claim(S3, "earnings_growth", "up"), claim(S4, "revenue_growth", "up")]),
        # the orders claim right, the sales claim missed, Vanguard missed, the Nvidia claim right
        "para-1": pred_row(companies=[company("Fanuc", "6954.T")],
                           claims=[claim(S5, "demand", "up"), claim(S1, "price_return", "up")]),
    }


def test_per_kind_recall_and_metric_direction_accuracy():
    s = score(_kind_predictions(), _kind_gold())["claims"]["per_kind"]
    assert set(s) == set(scoring.CLAIM_KINDS)
    assert s["direction_flip"] == {"gold": 1, "matched": 1, "recall": 1.0, "metric_direction_correct": 0,
                                   "metric_direction_accuracy": 0.0}
    assert s["relative"]["metric_direction_accuracy"] == 0.0 and s["level"]["gold"] == 1
    assert s["multi_claim"] == {"gold": 2, "matched": 1, "recall": 0.5, "metric_direction_correct": 1,
                                "metric_direction_accuracy": 1.0}
    assert s["demand_vs_revenue_capex"]["metric_direction_accuracy"] == 1.0
    assert s["price_vs_other"] == {"gold": 0, "matched": 0, "recall": None, "metric_direction_correct": 0,
                                   "metric_direction_accuracy": None}


def test_per_origin_and_per_trap_scores():
    s = score(_kind_predictions(), _kind_gold())
    team, para = s["per_origin"]["team"], s["per_origin"]["paraphrase"]
    assert (team["passages"], para["passages"]) == (1, 1)
    assert team["claims"]["recall"] == 1.0 and team["claims"]["metric_direction_accuracy"] == 0.0
    assert para["claims"]["recall"] == pytest.approx(2 / 3) and para["claims"]["metric_direction_accuracy"] == 1.0
    assert para["companies"]["recall"] == 0.5 and team["companies"]["f1"] == 1.0
    # the totals are the sum of the origins
    assert s["claims"]["tp"] == team["claims"]["tp"] + para["claims"]["tp"] == 4
    assert s["claims"]["metric_direction_accuracy"] == 0.5
    # only the company traps are scored per trap ('opinion' is not one), and only where a passage names them
    assert list(s["per_trap"]) == ["unlisted_org"]
    assert s["per_trap"]["unlisted_org"]["companies"] == para["companies"]


def test_gold_without_origin_or_kinds_scores_as_before():
    s = score(_as_predictions(_gold()), _gold())
    assert s["per_origin"] == {} and s["per_trap"] == {}
    assert all(n["gold"] == 0 for n in s["claims"]["per_kind"].values())


def test_format_table_lists_kinds_origins_and_traps():
    table = scoring.format_table(score(_kind_predictions(), _kind_gold()))
    rows = {line.split()[0] + (" " + line.split()[1] if line.startswith(("origin", "trap")) else ""): line.split()
            for line in table.splitlines() if line.strip()}
    assert rows["direction_flip"] == ["direction_flip", "1", "1", "1.000", "0", "0.000"]
    assert rows["multi_claim"] == ["multi_claim", "2", "1", "0.500", "1", "1.000"]
    assert "price_vs_other" not in rows   # no gold claim of that kind: no row
    assert rows["origin paraphrase"] == ["origin", "paraphrase", "1", "0.667", "1.000", "1.000", "0.667", "0.800",
                                         "1.000"]
    assert rows["trap unlisted_org"][2] == "1"


def test_company_pairs_prefer_equal_name_and_ticker():
    """Regression: 'GMO Internet' (4784.T) and 'GMO Internet Group' (9449.T) normalise to one name once 'Group' is
    dropped; each prediction must pair with the gold company that has its ticker, whatever the order."""
    gold = {"a": gold_row(companies=[{"name": "GMO Internet", "ticker": "4784.T"},
                                     {"name": "GMO Internet Group", "ticker": "9449.T"}])}
    preds = {"a": pred_row(companies=[company("GMO Internet Group", "9449.T", confidence=0.9),
                                      company("GMO Internet", "4784.T", confidence=0.8)])}
    s = score(preds, gold)
    assert s["companies"]["tp"] == 2 and s["tickers"] == {"accuracy": 1.0, "correct": 2, "matched": 2}
    # a wrong ticker is still a name match, and scored as a wrong ticker
    wrong = {"a": pred_row(companies=[company("GMO Internet", "9449.T")])}
    assert score(wrong, {"a": gold_row(companies=[{"name": "GMO Internet", "ticker": "4784.T"}])})["tickers"][
        "accuracy"] == 0.0


@pytest.mark.parametrize("extra, message", [
    ({"claims": [kclaim(S1, "price_return", "up", kinds=["sideways"])]}, 'claim "kinds" must be a list of: relative'),
    ({"claims": [{**claim(S1, "price_return", "up"), "kinds": "relative"}]}, 'claim "kinds" must be a list'),
    ({"origin": ""}, '"origin" must be a non-empty string'),
    ({"hard_negatives": "opinion"}, '"hard_negatives" must be a list'),
])
def test_bad_kinds_origin_or_tags_raise_eval_error(tmp_path, extra, message):
    rows = [{"id": "a", **gold_row(), **extra}, {"id": "b", **gold_row()}]
    with pytest.raises(EvalError, match=re.escape(message)):
        scoring.load_pair(*_files(tmp_path, gold_rows=rows))
