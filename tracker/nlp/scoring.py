"""Score extraction against a labelled set (``tracker score``).

- ``load_passages(path)`` / ``load_gold(path)`` / ``load_pair``: read and validate the JSONL files (EvalError on bad
  input; they live in ``tracker.nlp.gold``).
- ``score(predictions_by_id, gold_by_id)``: pure function from extractor output to scores; no models.
- ``evaluate_files(passages, gold, settings)``: runs the extractor once over all passages, then ``score``.
- ``format_table(scores)``: the aligned table the CLI prints.

Matching rules (per passage, one-to-one):
- companies: a prediction matches a gold company when their normalised names are equal (casefold,
  accents and punctuation dropped, legal suffixes such as Inc/Corp/Ltd/Holdings/Group/plc/AG stripped
  from the end) or their tickers are equal; pairs equal in both go first. Predictions are deduplicated
  per passage first, highest confidence kept: the same ticker, or the same name without a conflicting
  ticker. Ticker accuracy is over matched companies; null == null is right.
- explicit tickers and sectors: sets per passage (tickers compared case- and whitespace-insensitively).
- claims: a predicted claim can match a gold claim when their sentences match: equal after
  normalisation, one contains the other (the shorter having at least 3 words), or word-set Jaccard
  >= 0.6. Among candidate pairs, those with the same metric go first, then the same subject, then the
  same direction, then the more similar sentence. Metric and direction accuracy are over matched pairs;
  subject-ticker accuracy over the matched pairs whose gold claim has a ``subject_ticker`` key (null ==
  null is right).

Breakdowns: ``claims.per_metric``; ``claims.per_kind`` (recall and metric+direction accuracy over the gold
claims tagged with each error kind, ``kinds`` in the gold); ``per_origin`` (every total over the passages of
each gold ``origin``: the team's own writing vs paraphrased commentary by others); ``per_trap`` (the same over
the passages whose ``hard_negatives`` name a company trap: person_surname, unlisted_org, absent_from_master).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable

from tracker.nlp.gold import load_gold, load_pair, load_passages, passage_dates  # noqa: F401  (re-exported: the scorer's API)
from tracker.vocab import CLAIM_KINDS, COMPANY_TRAPS, DIRECTIONS, METRICS, SECTORS  # noqa: F401  (re-exported)

JACCARD_MIN = 0.6
CONTAIN_MIN_WORDS = 3
LEGAL_SUFFIXES = frozenset("""inc incorporated corp corporation co company ltd limited llc lp plc ag sa se nv bv
    spa kk kgaa asa ab oyj holdings holding group the""".split())

_WORD = re.compile(r"\d+(?:[.,]\d+)*|\w+")  # "4.1%" is one word, "S&P" two


# --------------------------------------------------------------------------------------------- normalising
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def norm_company(name: str | None) -> str:
    """'Tencent Holdings Ltd.' -> 'tencent'; 'Nestlé S.A.' -> 'nestle'; '&' reads as 'and'."""
    words = _WORD.findall(_fold(name or "").replace("&", " and ").replace("s.a.", "sa").replace("n.v.", "nv"))
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def norm_ticker(ticker: str | None) -> str | None:
    """Case and whitespace (also around ':') do not matter: 'NASDAQ:  msft' == 'NASDAQ: MSFT'."""
    if ticker is None:
        return None
    t = re.sub(r"\s*:\s*", ":", " ".join(str(ticker).split()))
    return t.upper() or None


def norm_sentence(sentence: str | None) -> str:
    return " ".join(_WORD.findall(_fold(sentence or "")))


def sentences_match(a: str, b: str) -> bool:
    na, nb = norm_sentence(a), norm_sentence(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    short, long_ = sorted((na, nb), key=len)
    if len(short.split()) >= CONTAIN_MIN_WORDS and f" {short} " in f" {long_} ":
        return True
    return jaccard(na, nb) >= JACCARD_MIN


def jaccard(a: str, b: str) -> float:
    sa, sb = set(norm_sentence(a).split()), set(norm_sentence(b).split())
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


# ---------------------------------------------------------------------------------------------- counting
def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall, F1 (None where undefined: nothing predicted / nothing to find)."""
    return {"precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn) if tp + fn else None,
            "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None,
            "tp": tp, "fp": fp, "fn": fn}


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _dedupe_companies(preds: Iterable[dict]) -> list[dict]:
    """Highest confidence first; a later prediction with a kept one's ticker, or with its name and no conflicting
    ticker, is a duplicate (two different tickers are two companies: 'GMO Internet' 4784.T, 'GMO Internet Group')."""
    out, seen = [], []
    for p in sorted(preds, key=lambda p: -(p.get("confidence") or 0.0)):
        name = norm_company(p.get("canonical") or p.get("name"))
        ticker = norm_ticker(p.get("ticker"))
        if any((ticker and ticker == t) or (name and name == n and (not ticker or not t)) for n, t in seen):
            continue
        seen.append((name, ticker))
        out.append(p)
    return out


def match_companies(preds: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    """(prediction, gold) pairs, one-to-one: name-and-ticker matches first, then name, then ticker matches
    (so 'GMO Internet' 4784.T and 'GMO Internet Group' 9449.T, equal once 'Group' is dropped, pair by ticker)."""
    pairs, free_p, free_g = [], list(range(len(preds))), list(range(len(gold)))
    keys = [
        lambda p, g: (n := norm_company(p.get("canonical") or p.get("name"))) != "" and n == norm_company(g.get("name"))
        and norm_ticker(p.get("ticker")) == norm_ticker(g.get("ticker")),
        lambda p, g: (n := norm_company(p.get("canonical") or p.get("name"))) != "" and n == norm_company(g.get("name")),
        lambda p, g: (t := norm_ticker(p.get("ticker"))) is not None and t == norm_ticker(g.get("ticker")),
    ]
    for same in keys:
        for gi in list(free_g):
            for pi in free_p:
                if same(preds[pi], gold[gi]):
                    pairs.append((preds[pi], gold[gi]))
                    free_p.remove(pi)
                    free_g.remove(gi)
                    break
    return pairs


def _subjects_match(a: str | None, b: str | None) -> bool:
    na, nb = norm_sentence(a), norm_sentence(b)
    return bool(na and nb) and (f" {na} " in f" {nb} " or f" {nb} " in f" {na} ")


def match_claims(preds: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    """(prediction, gold) pairs, one-to-one over sentence-matching candidates, best-agreeing pairs first."""
    candidates = []
    for pi, p in enumerate(preds):
        for gi, g in enumerate(gold):
            if sentences_match(p.get("sentence", ""), g["sentence"]):
                rank = (p.get("metric") == g["metric"], _subjects_match(p.get("subject"), g.get("subject")),
                        p.get("direction") == g["direction"], jaccard(p.get("sentence", ""), g["sentence"]))
                candidates.append((rank, -gi, -pi, pi, gi))
    candidates.sort(reverse=True)
    pairs, used_p, used_g = [], set(), set()
    for *_, pi, gi in candidates:
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
            pairs.append((preds[pi], gold[gi]))
    return pairs


def _sector_names(sectors: Iterable) -> set[str]:
    return {s["sector"] if isinstance(s, dict) else s for s in sectors or []}


def _count_passage(pred: dict, gold: dict, c: Counter, per_metric: dict, per_kind: dict) -> None:
    """Add one passage's matches to the running counts."""
    companies = _dedupe_companies(pred.get("companies") or [])
    pairs = match_companies(companies, gold["companies"])
    c["co_tp"] += len(pairs)
    c["co_fp"] += len(companies) - len(pairs)
    c["co_fn"] += len(gold["companies"]) - len(pairs)
    c["tick_ok"] += sum(norm_ticker(p.get("ticker")) == norm_ticker(g.get("ticker")) for p, g in pairs)

    pt = {norm_ticker(t) for t in pred.get("tickers") or []} - {None}
    gt = {norm_ticker(t) for t in gold["explicit_tickers"]} - {None}
    c["xt_tp"] += len(pt & gt)
    c["xt_fp"] += len(pt - gt)
    c["xt_fn"] += len(gt - pt)

    ps, gs = _sector_names(pred.get("sectors")), _sector_names(gold["sectors"])
    c["se_tp"] += len(ps & gs)
    c["se_fp"] += len(ps - gs)
    c["se_fn"] += len(gs - ps)

    claims = list(pred.get("claims") or [])
    cpairs = match_claims(claims, gold["claims"])
    c["cl_tp"] += len(cpairs)
    c["cl_fp"] += len(claims) - len(cpairs)
    c["cl_fn"] += len(gold["claims"]) - len(cpairs)
    for p, g in cpairs:
        metric_ok, dir_ok = p.get("metric") == g["metric"], p.get("direction") == g["direction"]
        c["cl_metric"] += metric_ok
        c["cl_dir"] += dir_ok
        c["cl_both"] += metric_ok and dir_ok
        if "subject_ticker" in g:  # optional in the gold: scored only where labelled
            c["cl_subj_n"] += 1
            c["cl_subj_ok"] += norm_ticker(p.get("subject_ticker")) == norm_ticker(g["subject_ticker"])
        per_metric[g["metric"]]["matched"] += 1
        per_metric[g["metric"]]["metric_correct"] += metric_ok
        for kind in g.get("kinds") or ():
            per_kind[kind]["matched"] += 1
            per_kind[kind]["metric_direction_correct"] += metric_ok and dir_ok
    for g in gold["claims"]:
        per_metric[g["metric"]]["gold"] += 1
        for kind in g.get("kinds") or ():
            per_kind[kind]["gold"] += 1
    for p in claims:
        if p.get("metric") in per_metric:
            per_metric[p["metric"]]["predicted"] += 1


def _summary(c: Counter, passages: int) -> dict:
    matched = c["cl_tp"]
    return {
        "passages": passages,
        "companies": prf(c["co_tp"], c["co_fp"], c["co_fn"]),
        "tickers": {"accuracy": _ratio(c["tick_ok"], c["co_tp"]), "correct": c["tick_ok"], "matched": c["co_tp"]},
        "explicit_tickers": prf(c["xt_tp"], c["xt_fp"], c["xt_fn"]),
        "sectors": prf(c["se_tp"], c["se_fp"], c["se_fn"]),
        "claims": {**prf(c["cl_tp"], c["cl_fp"], c["cl_fn"]),
                   "metric_direction_accuracy": _ratio(c["cl_both"], matched),
                   "metric_accuracy": _ratio(c["cl_metric"], matched),
                   "direction_accuracy": _ratio(c["cl_dir"], matched),
                   "subject_ticker_accuracy": _ratio(c["cl_subj_ok"], c["cl_subj_n"]),
                   "subject_ticker_correct": c["cl_subj_ok"], "subject_ticker_scored": c["cl_subj_n"]},
    }


def _kind_scores(n: Counter) -> dict:
    return {"gold": n["gold"], "matched": n["matched"], "recall": _ratio(n["matched"], n["gold"]),
            "metric_direction_correct": n["metric_direction_correct"],
            "metric_direction_accuracy": _ratio(n["metric_direction_correct"], n["matched"])}


def score(predictions_by_id: dict[str, dict], gold_by_id: dict[str, dict]) -> dict:
    """Scores over the gold ids; a gold id without predictions counts as predicting nothing.

    Besides the totals: ``claims.per_metric``; ``claims.per_kind`` (claim recall and metric+direction accuracy
    over the gold claims tagged with each error kind); ``per_origin`` (the totals over the passages of each gold
    ``origin``, e.g. team-written vs paraphrased commentary); ``per_trap`` (the same over the passages whose
    ``hard_negatives`` name each company trap). Origins and traps appear only where the gold has them.
    """
    total, per_origin, per_trap = Counter(), {}, {}
    per_metric = {m: Counter() for m in METRICS}
    per_kind = {k: Counter() for k in CLAIM_KINDS}
    n_origin, n_trap = Counter(), Counter()
    for pid, gold in gold_by_id.items():
        c = Counter()
        _count_passage(predictions_by_id.get(pid) or {}, gold, c, per_metric, per_kind)
        total.update(c)
        if gold.get("origin"):
            per_origin.setdefault(gold["origin"], Counter()).update(c)
            n_origin[gold["origin"]] += 1
        for trap in set(gold.get("hard_negatives") or ()) & set(COMPANY_TRAPS):
            per_trap.setdefault(trap, Counter()).update(c)
            n_trap[trap] += 1

    out = _summary(total, len(gold_by_id))
    out["claims"]["per_metric"] = {m: {k: n[k] for k in ("gold", "predicted", "matched", "metric_correct")}
                                   for m, n in per_metric.items()}
    out["claims"]["per_kind"] = {k: _kind_scores(n) for k, n in per_kind.items()}
    out["per_origin"] = {o: _summary(c, n_origin[o]) for o, c in sorted(per_origin.items())}
    out["per_trap"] = {t: _summary(per_trap[t], n_trap[t]) for t in COMPANY_TRAPS if t in per_trap}
    return out


# ------------------------------------------------------------------------------------------------ running
def evaluate_files(passages_path: Path, gold_path: Path, settings=None, progress: bool = True) -> dict:
    """Validate both files, run the extractor once over every passage, and score it."""
    from tqdm import tqdm

    from tracker.nlp.extract import _store_if_any, get_extractor

    passages, gold = load_pair(passages_path, gold_path)
    ids = list(gold)
    extractor = get_extractor(settings, _store_if_any(settings))
    dates = passage_dates(passages_path)
    results = extractor.extract([passages[pid] for pid in ids], dates=[dates.get(pid) for pid in ids])
    bar = tqdm(results, total=len(ids), desc="score", unit="passage", disable=not progress, file=sys.stderr)
    predictions = dict(zip(ids, bar))
    return score(predictions, gold)


def _fmt(x) -> str:
    return "—" if x is None else f"{x:.3f}"


def _table(head: tuple, body: list[tuple]) -> list[str]:
    """Aligned rows: first column left, the rest right."""
    w = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    return ["  ".join(c.ljust(x) if i == 0 else c.rjust(x) for i, (c, x) in enumerate(zip(r, w))).rstrip()
            for r in [head, *body]]


def format_table(scores: dict) -> str:
    rows = [("", "precision", "recall", "F1", "tp", "fp", "fn")]
    for key, label in (("companies", "companies"), ("explicit_tickers", "explicit tickers"),
                       ("sectors", "sectors"), ("claims", "claims (sentence)")):
        s = scores[key]
        rows.append((label, _fmt(s["precision"]), _fmt(s["recall"]), _fmt(s["f1"]),
                     str(s["tp"]), str(s["fp"]), str(s["fn"])))
    lines = [f"passages: {scores['passages']}", *_table(rows[0], rows[1:])]
    t, cl = scores["tickers"], scores["claims"]
    lines.append("")
    lines.append(f"ticker accuracy on matched companies   {_fmt(t['accuracy'])}  ({t['correct']}/{t['matched']})")
    lines.append(f"metric+direction accuracy on matched   {_fmt(cl['metric_direction_accuracy'])}")
    lines.append(f"metric accuracy on matched claims      {_fmt(cl['metric_accuracy'])}")
    lines.append(f"direction accuracy on matched claims   {_fmt(cl['direction_accuracy'])}")
    lines.append(f"subject ticker accuracy on matched     {_fmt(cl['subject_ticker_accuracy'])}"
                 f"  ({cl['subject_ticker_correct']}/{cl['subject_ticker_scored']})")
    per = [(m, n) for m, n in cl["per_metric"].items() if n["gold"] or n["predicted"]]
    if per:
        lines.append("")
        lines += _table(("metric", "gold", "predicted", "matched", "metric ok"),
                        [(m, str(n["gold"]), str(n["predicted"]), str(n["matched"]), str(n["metric_correct"]))
                         for m, n in per])
    kinds = [(k, n) for k, n in cl.get("per_kind", {}).items() if n["gold"]]
    if kinds:
        lines.append("")
        lines += _table(("error kind", "gold", "matched", "recall", "m+d ok", "m+d acc"),
                        [(k, str(n["gold"]), str(n["matched"]), _fmt(n["recall"]), str(n["metric_direction_correct"]),
                          _fmt(n["metric_direction_accuracy"])) for k, n in kinds])
    groups = [("origin", o, s) for o, s in scores.get("per_origin", {}).items()]
    groups += [("trap", t, s) for t, s in scores.get("per_trap", {}).items()]
    if groups:
        lines.append("")
        lines += _table(("passages by", "n", "company F1", "ticker acc", "claim P", "claim R", "claim F1", "m+d acc"),
                        [(f"{what} {name}", str(s["passages"]), _fmt(s["companies"]["f1"]), _fmt(s["tickers"]["accuracy"]),
                          _fmt(s["claims"]["precision"]), _fmt(s["claims"]["recall"]), _fmt(s["claims"]["f1"]),
                          _fmt(s["claims"]["metric_direction_accuracy"])) for what, name, s in groups])
    return "\n".join(lines)
