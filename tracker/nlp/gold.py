"""Read and validate labelled-set JSONL files for ``tracker score`` (EvalError, one line naming the fix, on bad
input): ``load_passages``, ``load_gold``, ``load_pair``. The gold format is described in models/labelled/README.md."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tracker.errors import EvalError
from tracker.vocab import CLAIM_KINDS, DIRECTIONS, METRICS, SECTORS


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


def passage_dates(path: Path) -> dict[str, str | None]:
    """Each passage's optional publication ``date`` ("YYYY-MM-DD"): it decides names that changed hands
    ("GMO Internet"). Passages without one are read as published today."""
    out = {}
    for n, row in _read_jsonl(path, "passages"):
        d = row.get("date")
        if d is not None:
            try:
                date.fromisoformat(str(d)[:10])
            except ValueError:
                raise EvalError(f"{path} line {n}: passage {row['id']!r} has date {d!r}; write it as YYYY-MM-DD.") from None
        out[row["id"]] = d
    return out


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
        kinds = claim.get("kinds", [])
        if not isinstance(kinds, list) or any(k not in CLAIM_KINDS for k in kinds):
            raise EvalError(f"{where}: claim \"kinds\" must be a list of: {', '.join(CLAIM_KINDS)} (got {kinds!r}).")
    for key in ("origin",):
        if key in row and not (isinstance(row[key], str) and row[key]):
            raise EvalError(f"{where}: \"{key}\" must be a non-empty string such as \"team\" or \"paraphrase\".")
    if not isinstance(row.get("hard_negatives", []), list):
        raise EvalError(f"{where}: \"hard_negatives\" must be a list of tags.")


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
