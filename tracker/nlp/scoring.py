"""Score extraction against a labelled set (``tracker score``).

- ``load_passages(path)`` / ``load_gold(path)``: read and validate the JSONL files (EvalError on bad input).
- ``score(predictions_by_id, gold_by_id)``: pure function from extractor output to scores; no models.
- ``evaluate_files(passages, gold, settings)``: runs the extractor once over all passages, then ``score``.
- ``format_table(scores)``: the aligned table the CLI prints.

Matching rules (per passage, one-to-one):
- companies: a prediction matches a gold company when their normalised names are equal (casefold,
  accents and punctuation dropped, legal suffixes such as Inc/Corp/Ltd/Holdings/Group/plc/AG stripped
  from the end) or their tickers are equal. Predictions are deduplicated per passage by name and ticker
  first, highest confidence kept. Ticker accuracy is over matched companies; null == null is right.
- explicit tickers and sectors: sets per passage (tickers compared case- and whitespace-insensitively).
- claims: a predicted claim can match a gold claim when their sentences match: equal after
  normalisation, one contains the other (the shorter having at least 3 words), or word-set Jaccard
  >= 0.6. Among candidate pairs, those with the same metric go first, then the same subject, then the
  same direction, then the more similar sentence. Metric and direction accuracy are over matched pairs;
  subject-ticker accuracy over the matched pairs whose gold claim has a ``subject_ticker`` key (null ==
  null is right).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable

from tracker.errors import EvalError
from tracker.vocab import DIRECTIONS, METRICS, SECTORS  # noqa: F401  (re-exported for callers of the scorer)

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
    out, seen_names, seen_tickers = [], set(), set()
    for p in sorted(preds, key=lambda p: -(p.get("confidence") or 0.0)):
        name = norm_company(p.get("canonical") or p.get("name"))
        ticker = norm_ticker(p.get("ticker"))
        if (name and name in seen_names) or (ticker and ticker in seen_tickers):
            continue
        seen_names.add(name)
        if ticker:
            seen_tickers.add(ticker)
        out.append(p)
    return out


def match_companies(preds: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    """(prediction, gold) pairs, one-to-one: name matches first, then ticker matches."""
    pairs, free_p, free_g = [], list(range(len(preds))), list(range(len(gold)))
    keys = [
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


def score(predictions_by_id: dict[str, dict], gold_by_id: dict[str, dict]) -> dict:
    """Scores over the gold ids; a gold id without predictions counts as predicting nothing."""
    c = Counter()
    per_metric = {m: Counter() for m in METRICS}
    for pid, gold in gold_by_id.items():
        pred = predictions_by_id.get(pid) or {}

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
        for g in gold["claims"]:
            per_metric[g["metric"]]["gold"] += 1
        for p in claims:
            if p.get("metric") in per_metric:
                per_metric[p["metric"]]["predicted"] += 1

    matched = c["cl_tp"]
    return {
        "passages": len(gold_by_id),
        "companies": prf(c["co_tp"], c["co_fp"], c["co_fn"]),
        "tickers": {"accuracy": _ratio(c["tick_ok"], c["co_tp"]), "correct": c["tick_ok"], "matched": c["co_tp"]},
        "explicit_tickers": prf(c["xt_tp"], c["xt_fp"], c["xt_fn"]),
        "sectors": prf(c["se_tp"], c["se_fp"], c["se_fn"]),
        "claims": {**prf(c["cl_tp"], c["cl_fp"], c["cl_fn"]),
                   "metric_direction_accuracy": _ratio(c["cl_both"], matched),
                   "metric_accuracy": _ratio(c["cl_metric"], matched),
                   "direction_accuracy": _ratio(c["cl_dir"], matched),
                   "subject_ticker_accuracy": _ratio(c["cl_subj_ok"], c["cl_subj_n"]),
                   "subject_ticker_correct": c["cl_subj_ok"], "subject_ticker_scored": c["cl_subj_n"],
                   "per_metric": {m: {k: n[k] for k in ("gold", "predicted", "matched", "metric_correct")}
                                  for m, n in per_metric.items()}},
    }


# ------------------------------------------------------------------------------------------------ reading
def _read_jsonl(path: Path, what: str) -> list[tuple[int, dict]]:
    path = Path(path)
    if not path.is_file():
        raise EvalError(f"{what} file not found: {path}. Pass the path of a JSONL file, e.g. "
                        f"models/labelled/test.{what}.jsonl.")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise EvalError(f"{path} line {n}: not valid JSON ({e.msg}). Each line must be one JSON object.") from None
            if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row["id"]:
                raise EvalError(f"{path} line {n}: expected a JSON object with a string \"id\".")
            rows.append((n, row))
    return rows


def _unique(rows: list[tuple[int, dict]], path: Path) -> dict[str, dict]:
    out = {}
    for n, row in rows:
        if row["id"] in out:
            raise EvalError(f"{path} line {n}: id {row['id']!r} appears twice; ids must be unique.")
        out[row["id"]] = row
    return out


def load_passages(path: Path) -> dict[str, str]:
    rows = _read_jsonl(path, "passages")
    for n, row in rows:
        if not isinstance(row.get("text"), str):
            raise EvalError(f"{path} line {n}: passage {row['id']!r} has no string \"text\".")
    return {pid: row["text"] for pid, row in _unique(rows, path).items()}


def _check_gold(row: dict, where: str) -> None:
    for key in ("companies", "explicit_tickers", "sectors", "claims"):
        if not isinstance(row.get(key), list):
            raise EvalError(f"{where}: \"{key}\" must be a list (use [] when there is none).")
    for comp in row["companies"]:
        if not isinstance(comp, dict) or not isinstance(comp.get("name"), str) or \
                not (comp.get("ticker") is None or isinstance(comp.get("ticker"), str)):
            raise EvalError(f"{where}: each company needs a string \"name\" and a string or null \"ticker\": {comp!r}.")
    bad = [s for s in row["sectors"] if s not in SECTORS]
    if bad:
        raise EvalError(f"{where}: unknown sector {bad[0]!r}; use one of: {', '.join(SECTORS)}.")
    for claim in row["claims"]:
        if not isinstance(claim, dict) or not isinstance(claim.get("sentence"), str):
            raise EvalError(f"{where}: each claim needs a string \"sentence\": {claim!r}.")
        for key, vocab in (("metric", METRICS), ("direction", DIRECTIONS)):
            if claim.get(key) not in vocab:
                raise EvalError(f"{where}: unknown {key} {claim.get(key)!r}; use one of: {', '.join(vocab)}.")


def load_gold(path: Path) -> dict[str, dict]:
    rows = _read_jsonl(path, "gold")
    for n, row in rows:
        _check_gold(row, f"{path} line {n} (id {row['id']!r})")
    return _unique(rows, path)


def load_pair(passages_path: Path, gold_path: Path) -> tuple[dict[str, str], dict[str, dict]]:
    passages, gold = load_passages(passages_path), load_gold(gold_path)
    missing = [pid for pid in gold if pid not in passages]
    if missing:
        raise EvalError(f"{len(missing)} gold id(s) have no passage in {passages_path}: {_some(missing)}. "
                        "Pass the passages file that matches the gold file.")
    unlabelled = [pid for pid in passages if pid not in gold]
    if unlabelled:
        raise EvalError(f"{len(unlabelled)} passage(s) have no gold line in {gold_path}: {_some(unlabelled)}. "
                        "Pass the gold file that matches the passages file.")
    return passages, gold


def _some(ids: list[str], n: int = 10) -> str:
    return ", ".join(ids[:n]) + (f" and {len(ids) - n} more" if len(ids) > n else "")


# ------------------------------------------------------------------------------------------------ running
def evaluate_files(passages_path: Path, gold_path: Path, settings=None, progress: bool = True) -> dict:
    """Validate both files, run the extractor once over every passage, and score it."""
    from tqdm import tqdm

    from tracker.nlp.extract import _store_if_any, get_extractor

    passages, gold = load_pair(passages_path, gold_path)
    ids = list(gold)
    extractor = get_extractor(settings, _store_if_any(settings))
    results = extractor.extract([passages[pid] for pid in ids])
    bar = tqdm(results, total=len(ids), desc="score", unit="passage", disable=not progress, file=sys.stderr)
    predictions = dict(zip(ids, bar))
    return score(predictions, gold)


def _fmt(x) -> str:
    return "—" if x is None else f"{x:.3f}"


def format_table(scores: dict) -> str:
    rows = [("", "precision", "recall", "F1", "tp", "fp", "fn")]
    for key, label in (("companies", "companies"), ("explicit_tickers", "explicit tickers"),
                       ("sectors", "sectors"), ("claims", "claims (sentence)")):
        s = scores[key]
        rows.append((label, _fmt(s["precision"]), _fmt(s["recall"]), _fmt(s["f1"]),
                     str(s["tp"]), str(s["fp"]), str(s["fn"])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [f"passages: {scores['passages']}"]
    lines += ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
              for r in rows]
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
        head = ("metric", "gold", "predicted", "matched", "metric ok")
        body = [(m, str(n["gold"]), str(n["predicted"]), str(n["matched"]), str(n["metric_correct"])) for m, n in per]
        w = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
        for r in [head, *body]:
            lines.append("  ".join(c.ljust(x) if i == 0 else c.rjust(x) for i, (c, x) in enumerate(zip(r, w))))
    return "\n".join(lines)
