"""People are not companies: the check set in tests/fixtures/companies/people.txt (financial-news sentences with
PERSON / ORG / GPE spans and the companies they name). A company mention must land on an organisation, never on a
person: floors of 95% of company spans on an ORG span and none on a PERSON span, and the companies named found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.models

PEOPLE = Path(__file__).parent / "fixtures" / "companies" / "people.txt"
_SPAN = re.compile(r"\[([^\]]+)\]\((PERSON|ORG|GPE)\)")


def parse_line(line: str) -> dict:
    """'[Ford](ORG) shares rose. || Ford Motor | F' -> text, spans [(start, end, label)], companies [(name, ticker)]."""
    marked, _, tail = line.partition(" || ")
    marked = marked.removesuffix(" ||")
    text, spans, pos = "", [], 0
    for m in _SPAN.finditer(marked):
        text += marked[pos:m.start()]
        spans.append((len(text), len(text) + len(m.group(1)), m.group(2)))
        text += m.group(1)
        pos = m.end()
    text += marked[pos:]
    companies = []
    for item in filter(None, (x.strip() for x in tail.split(" ; "))):
        name, ticker = (x.strip() for x in item.split(" | "))
        companies.append((name, None if ticker == "-" else ticker))
    return {"text": text, "spans": spans, "companies": companies}


def load_people() -> list[dict]:
    return [parse_line(x) for x in PEOPLE.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")]


def measure(nlp, rows: list[dict]) -> dict:
    """Company spans on ORG / PERSON / elsewhere, and company recall/precision by ticker."""
    on = {"ORG": 0, "PERSON": 0, "GPE": 0, None: 0}
    tp = fp = fn = 0
    misses = []
    for r in rows:
        doc = nlp(r["text"])
        for c in doc._.companies:
            label = next((lab for a, b, lab in r["spans"] if a < c["end"] and c["start"] < b), None)
            on[label] += 1
            if label != "ORG":
                misses.append(("on " + str(label), c["name"], r["text"]))
        pred = {c["ticker"] for c in doc._.companies}
        gold = {t for _, t in r["companies"]}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
        misses += [("missed", t, r["text"]) for t in gold - pred] + [("false", t, r["text"]) for t in pred - gold]
    spans = sum(on.values())
    return {"spans": spans, "on_org": on["ORG"] / spans if spans else 1.0, "on_person": on["PERSON"],
            "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
            "misses": misses}


def test_fixture_parses_into_spans_that_index_the_text():
    rows = load_people()
    assert len(rows) >= 90
    for r in rows:
        assert r["spans"] and "[" not in r["text"]
    r = parse_line("[Doug Ford](PERSON) said [Ford](ORG)'s plant grew. || Ford Motor | F ; Unlisted Co | -")
    assert r["text"] == "Doug Ford said Ford's plant grew." and r["companies"] == [("Ford Motor", "F"), ("Unlisted Co", None)]
    assert [r["text"][a:b] for a, b, _ in r["spans"]] == ["Doug Ford", "Ford"]
    labels = [lab for r in rows for *_, lab in r["spans"]]
    assert labels.count("PERSON") >= 60 and labels.count("ORG") >= 40


def test_people_check_set_floors():
    """Company spans land on organisations (>= 95%), never on people, and the companies named are found."""
    from tracker.nlp.pipeline import build_pipeline
    from tracker.securities import load_master

    s = measure(build_pipeline(load_master(None)), load_people())
    print(f"\n[people] company spans {s['spans']}: on ORG {s['on_org']:.3f}, on PERSON {s['on_person']}; "
          f"companies P={s['precision']:.3f} R={s['recall']:.3f}")
    for m in s["misses"]:
        print("   ", m)
    assert s["on_person"] == 0 and s["on_org"] >= 0.95
    assert s["precision"] >= 0.95 and s["recall"] >= 0.9
