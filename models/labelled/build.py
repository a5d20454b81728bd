"""Build the labelled set's JSONL files from the hand-written sources in ``src/``.

Usage:  python models/labelled/build.py          # writes {train,dev,test}.{passages,gold}.jsonl
        python models/labelled/build.py --check  # only validates and prints counts

Source format (one or more ``src/*.txt`` files; see README.md for the labelling rules)::

    ### id=o-us-wrap-01 split=train region=US style=news_wrap neg=index_name,disclaimer origin=paraphrase
    companies: Apple | AAPL ; Tencent Holdings | 0700.HK | Tencent
    tickers: $AAPL, HK:0700
    sectors: internet, software
    ---
    First sentence of the passage, one sentence per line.
    + Apple | price_return | up | 3% | on Tuesday
    Second sentence, joined to the first with a space.
    / A line starting with "/ " starts a new line (bullets, headlines, widgets).

    A blank line starts a new paragraph.

A ``+`` line is a claim whose sentence is the text line above it:
``subject | metric | direction | magnitude | horizon [| options]`` with ``-`` for null;
options (``;``-separated): ``bench=...``, ``hedged``, ``negated``, ``ticker=...``, ``kind=k1,k2`` (error kinds
from ``tracker.vocab.CLAIM_KINDS``; build.py adds ``relative`` to every out/underperform claim, ``level`` to every
high/low claim and ``multi_claim`` to every claim whose sentence also carries a claim about another subject).
A header's ``origin=`` is ``team`` (written by the team; the default) or ``paraphrase`` (paraphrased real commentary).
The subject ticker is filled from the companies line when the subject is, or starts with, a company's
name or alias ("Tencent advertising" -> 0700.HK); ``ticker=-`` overrides it.
A companies entry is ``name | ticker-or-null [| alias, alias]``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tracker.vocab import (  # noqa: E402  (the one vocabulary: tracker/vocab.py)
    CLAIM_KINDS, COMPANY_TRAPS, DIRECTIONS, LEVEL_DIRECTIONS, METRICS, RELATIVE_DIRECTIONS, SECTORS)

SPLITS = ("train", "dev", "test")

REGIONS = ("US", "Japan", "Korea", "Taiwan", "China/HK", "India", "Europe", "Australia/ASEAN")
STYLES = ("news_wrap", "analyst_note", "blog", "headline", "newsletter", "earnings_call", "fund_letter", "social",
          "filing")
NEGATIVES = ("opinion", "disclaimer", "question", "boilerplate", "quote_widget", "allcaps", "common_word",
             "person_place_agency", "index_name", "no_company")
ORIGINS = ("team", "paraphrase")
DERIVED_KINDS = ("multi_claim",)  # added by build.py only


class SourceError(ValueError):
    pass


def _null(v: str):
    v = v.strip()
    return None if v in ("-", "", "null") else v


def _parse_header(line: str, where: str) -> dict:
    meta = {}
    for part in line[3:].split():
        if "=" not in part:
            raise SourceError(f"{where}: header field {part!r} is not key=value")
        k, v = part.split("=", 1)
        meta[k] = v
    for k in ("id", "split", "region", "style"):
        if k not in meta:
            raise SourceError(f"{where}: header lacks {k}=")
    meta["neg"] = [n for n in meta.get("neg", "").split(",") if n]
    meta.setdefault("origin", "team")
    meta["region"] = meta["region"].replace("_", " ")
    return meta


def _parse_block(meta: dict, head: list[str], body: list[str], where: str) -> tuple[dict, dict]:
    companies, aliases, tickers, sectors = [], {}, [], []
    for line in head:
        key, _, val = line.partition(":")
        key, val = key.strip(), val.strip()
        if key == "companies":
            for entry in filter(None, (e.strip() for e in val.split(";"))):
                parts = [p.strip() for p in entry.split("|")]
                name, ticker = parts[0], _null(parts[1]) if len(parts) > 1 else None
                companies.append({"name": name, "ticker": ticker})
                for a in [name] + ([x.strip() for x in parts[2].split(",")] if len(parts) > 2 else []):
                    aliases[a.casefold()] = ticker
        elif key == "tickers":
            tickers = [t.strip() for t in val.split(",") if t.strip()]
        elif key == "sectors":
            sectors = [s.strip() for s in val.split(",") if s.strip()]
        else:
            raise SourceError(f"{where}: unknown header line {line!r}")

    text, claims, last = "", [], None  # last = (start, sentence) of the previous text line
    pending_break = ""
    for line in body:
        if not line.strip():
            if text:
                pending_break = "\n\n"
            continue
        if line.startswith("+ "):
            if last is None:
                raise SourceError(f"{where}: claim before any sentence: {line!r}")
            claims.append(_parse_claim(line[2:], last, aliases, where))
            continue
        sep = " "
        if line.startswith("/ "):
            line, sep = line[2:], "\n"
        if pending_break:
            sep, pending_break = pending_break, ""
        if text:
            text += sep
        last = (len(text), line.strip())
        text += line.strip()

    _derive_kinds(claims)
    passage = {"id": meta["id"], "text": text}
    gold = {"id": meta["id"], "companies": companies, "explicit_tickers": tickers, "sectors": sectors,
            "claims": claims, "region": meta["region"], "style": meta["style"], "hard_negatives": meta["neg"],
            "origin": meta["origin"]}
    return passage, gold


def _derive_kinds(claims: list[dict]) -> None:
    """Add the kinds that follow from the labels: 'relative' (out/underperform), 'level' (high/low), 'multi_claim'
    (the sentence has claims about two or more subjects). ``kinds`` is set only where there are any, in vocabulary
    order."""
    subjects: dict[int, set] = {}
    for c in claims:
        subjects.setdefault(c["start"], set()).add(c["subject"].casefold())
    for c in claims:
        kinds = set(c.pop("kinds", ()))
        if c["direction"] in RELATIVE_DIRECTIONS:
            kinds.add("relative")
        if c["direction"] in ("high", "low"):
            kinds.add("level")
        if len(subjects[c["start"]]) > 1:
            kinds.add("multi_claim")
        if kinds:
            c["kinds"] = [k for k in CLAIM_KINDS if k in kinds] + sorted(kinds - set(CLAIM_KINDS))


def _parse_claim(spec: str, last: tuple[int, str], aliases: dict, where: str) -> dict:
    parts = [p.strip() for p in spec.split("|")]
    if len(parts) < 5:
        raise SourceError(f"{where}: claim needs subject|metric|direction|magnitude|horizon: {spec!r}")
    subject, metric, direction, magnitude, horizon = parts[:5]
    start, sentence = last
    claim = {"sentence": sentence, "start": start, "end": start + len(sentence), "subject": subject,
             "subject_ticker": _subject_ticker(subject, aliases), "metric": metric, "direction": direction,
             "magnitude": _null(magnitude), "horizon": _null(horizon), "benchmark": None,
             "hedged": False, "negated": False}
    for opt in (o.strip() for o in (parts[5] if len(parts) > 5 else "").split(";")):
        if not opt:
            continue
        if opt.startswith("bench="):
            claim["benchmark"] = opt[6:].strip()
        elif opt.startswith("ticker="):
            claim["subject_ticker"] = _null(opt[7:])
        elif opt in ("hedged", "negated"):
            claim[opt] = True
        elif opt.startswith("kind="):
            for kind in filter(None, (k.strip() for k in opt[5:].split(","))):
                if kind in DERIVED_KINDS:
                    raise SourceError(f"{where}: kind {kind!r} is added by build.py; do not write it: {spec!r}")
                claim.setdefault("kinds", []).append(kind)
        else:
            raise SourceError(f"{where}: unknown claim option {opt!r}")
    return claim


def _subject_ticker(subject: str, aliases: dict):
    """The ticker of the company the subject names or starts with ("Netflix advertising" -> NFLX)."""
    folded = subject.casefold()
    for alias in sorted(aliases, key=len, reverse=True):
        if folded == alias or folded.startswith(alias + " "):
            return aliases[alias]
    return None


def parse_source(path: Path) -> list[tuple[dict, dict, dict]]:
    """(meta, passage, gold) for every block in one source file."""
    out, meta, head, body, in_body = [], None, [], [], False
    lines = path.read_text(encoding="utf-8").splitlines()

    def flush():
        if meta is not None:
            passage, gold = _parse_block(meta, head, body, f"{path.name}:{meta['id']}")
            out.append((meta, passage, gold))

    for n, line in enumerate(lines, 1):
        if line.startswith("### "):
            flush()
            meta, head, body, in_body = _parse_header(line, f"{path.name}:{n}"), [], [], False
        elif meta is None:
            continue  # preamble comments
        elif not in_body and line.strip() == "---":
            in_body = True
        elif not in_body:
            if line.strip():
                head.append(line)
        else:
            body.append(line.rstrip())
    flush()
    return out


def validate(meta: dict, passage: dict, gold: dict) -> list[str]:
    """Problems with one labelled passage (empty list when it is consistent)."""
    pid, text, errs = passage["id"], passage["text"], []
    if meta["split"] not in SPLITS:
        errs.append(f"{pid}: split {meta['split']!r}")
    if gold["region"] not in REGIONS:
        errs.append(f"{pid}: region {gold['region']!r}")
    if gold["style"] not in STYLES:
        errs.append(f"{pid}: style {gold['style']!r}")
    if gold["origin"] not in ORIGINS:
        errs.append(f"{pid}: origin {gold['origin']!r} (want one of {', '.join(ORIGINS)})")
    errs += [f"{pid}: hard negative {n!r}" for n in gold["hard_negatives"] if n not in NEGATIVES + COMPANY_TRAPS]
    if "unlisted_org" in gold["hard_negatives"] and not any(c["ticker"] is None for c in gold["companies"]):
        errs.append(f"{pid}: neg=unlisted_org but no company has a null ticker")
    words = len(text.split())
    if not 40 <= words <= 250:
        errs.append(f"{pid}: {words} words (want 40-250)")
    errs += [f"{pid}: sector {s!r}" for s in gold["sectors"] if s not in SECTORS]
    errs += [f"{pid}: explicit ticker {t!r} not in text" for t in gold["explicit_tickers"] if t not in text]
    keys = Counter(c["name"].casefold() for c in gold["companies"])
    errs += [f"{pid}: company {k!r} listed twice" for k, n in keys.items() if n > 1]
    tick = Counter(c["ticker"] for c in gold["companies"] if c["ticker"])
    errs += [f"{pid}: ticker {k!r} listed twice" for k, n in tick.items() if n > 1]
    for c in gold["claims"]:
        if text[c["start"]:c["end"]] != c["sentence"]:
            errs.append(f"{pid}: claim sentence offsets wrong: {c['sentence'][:40]!r}")
        if c["metric"] not in METRICS:
            errs.append(f"{pid}: metric {c['metric']!r}")
        if c["direction"] not in DIRECTIONS:
            errs.append(f"{pid}: direction {c['direction']!r}")
        if c["metric"] == "relative_return" and c["direction"] not in ("outperform", "underperform"):
            errs.append(f"{pid}: relative_return needs outperform/underperform: {c['sentence'][:40]!r}")
        if c["direction"] in ("outperform", "underperform") and not c["benchmark"]:
            errs.append(f"{pid}: relative claim without bench=: {c['sentence'][:40]!r}")
        if c["magnitude"] and c["magnitude"] not in c["sentence"]:
            errs.append(f"{pid}: magnitude {c['magnitude']!r} not in sentence")
        if c["horizon"] and c["horizon"] not in c["sentence"]:
            errs.append(f"{pid}: horizon {c['horizon']!r} not in sentence")
        kinds = c.get("kinds", [])
        errs += [f"{pid}: kind {k!r} (want one of {', '.join(CLAIM_KINDS)})" for k in kinds if k not in CLAIM_KINDS]
        if "relative" in kinds and not c["benchmark"]:
            errs.append(f"{pid}: kind=relative without bench=: {c['sentence'][:40]!r}")
        if "level" in kinds and c["direction"] not in LEVEL_DIRECTIONS:
            errs.append(f"{pid}: kind=level needs a level direction (high/low/stable): {c['sentence'][:40]!r}")
    return errs


def load_all(src_dir: Path = HERE / "src") -> list[tuple[dict, dict, dict]]:
    items = []
    for path in sorted(src_dir.glob("*.txt")):
        items += parse_source(path)
    return items


def _counts(label: str, values) -> str:
    return f"  {label + ':':10s}" + ", ".join(f"{k} {v}" for k, v in sorted(Counter(values).items()))


def report(items) -> str:
    claims = [c for _, _, g in items for c in g["claims"]]
    lines = [f"all: {len(items)} passages, {sum(len(g['companies']) for _, _, g in items)} companies, {len(claims)} claims "
             f"({sum(c['hedged'] for c in claims)} hedged, {sum(c['negated'] for c in claims)} negated)",
             "  metrics:  " + ", ".join(f"{k} {v}" for k, v in Counter(c["metric"] for c in claims).most_common()),
             _counts("origins", (g["origin"] for _, _, g in items)),
             _counts("kinds", (k for c in claims for k in c.get("kinds", ())))]
    for split in SPLITS:
        sel = [(m, p, g) for m, p, g in items if m["split"] == split]
        claims = [c for _, _, g in sel for c in g["claims"]]
        lines.append(f"{split}: {len(sel)} passages, {sum(len(g['companies']) for _, _, g in sel)} companies, "
                     f"{sum(len(g['explicit_tickers']) for _, _, g in sel)} explicit tickers, {len(claims)} claims")
        lines.append(_counts("origins", (g["origin"] for _, _, g in sel)))
        lines.append(_counts("regions", (g["region"] for _, _, g in sel)))
        lines.append(_counts("styles", (g["style"] for _, _, g in sel)))
        lines.append(_counts("metrics", (c["metric"] for c in claims)))
        lines.append(_counts("dirs", (c["direction"] for c in claims)))
        lines.append(_counts("kinds", (k for c in claims for k in c.get("kinds", ()))))
        lines.append(_counts("negatives", (n for _, _, g in sel for n in g["hard_negatives"])))
    for split in SPLITS:
        sel = [g for m, _, g in items if m["split"] == split and g["origin"] == "paraphrase"]
        claims = [c for g in sel for c in g["claims"]]
        lines.append(f"{split} paraphrase: {len(sel)} passages, {sum(len(g['companies']) for g in sel)} companies, "
                     f"{len(claims)} claims")
        lines.append(_counts("regions", (g["region"] for g in sel)))
        lines.append(_counts("styles", (g["style"] for g in sel)))
        lines.append(_counts("kinds", (k for c in claims for k in c.get("kinds", ()))))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    items = load_all()
    ids = Counter(p["id"] for _, p, _ in items)
    errs = [f"duplicate id {k}" for k, n in ids.items() if n > 1]
    for m, p, g in items:
        errs += validate(m, p, g)
    if errs:
        print("\n".join(errs), file=sys.stderr)
        return 1
    if "--check" not in argv:
        for split in SPLITS:
            sel = [(p, g) for m, p, g in items if m["split"] == split]
            if not sel:
                continue
            with open(HERE / f"{split}.passages.jsonl", "w", encoding="utf-8") as fp:
                fp.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p, _ in sel)
            with open(HERE / f"{split}.gold.jsonl", "w", encoding="utf-8") as fg:
                fg.writelines(json.dumps(g, ensure_ascii=False) + "\n" for _, g in sel)
    print(report(items))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
