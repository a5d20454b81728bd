"""`tracker evaluate`, `tracker theses --json`, `tracker claims --json` and `tracker link`: the CLI contracts."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests import _series as S
from tracker.cli import app
from tracker.store import extractions as xq
from tracker.store import open_store
from tracker.timeutil import iso

CLAIM_KEYS = {"id", "article_id", "sentence", "subject", "subject_ticker", "metric", "direction", "magnitude",
              "horizon", "benchmark", "status", "baseline_value", "baseline_date", "latest_value", "latest_date",
              "provider", "as_stated", "link"}


@pytest.fixture
def env(tmp_path, monkeypatch):
    data = tmp_path / "series"
    S.write(data, "RISE", S.path(lambda i: 0.005, seed=1, end=S.TODAY))
    S.write(data, "FALL", S.path(lambda i: -0.005, seed=2, end=S.TODAY))
    S.write(data, "^GSPC", S.path(lambda i: 0.0, seed=3, end=S.TODAY))
    cfg = tmp_path / "tracker.toml"
    db = tmp_path / "t.db"
    cfg.write_text(f'[store]\npath = "{db}"\n[metrics]\nproviders = ["csv"]\n[metrics.csv]\ndir = "{data}"\n'
                   '[evaluate]\nstale_days_daily = 100000\n')
    store = open_store(db)
    with store.transaction() as d:
        story = d.execute("INSERT INTO stories (title, created_at) VALUES ('t', ?)", [iso()]).lastrowid
        a = d.execute("INSERT INTO articles (story_id, title, text, content_hash, fetched_at, published_at, url) VALUES "
                      "(?, 'Rise and fall', 'x', 'h', ?, '2025-12-01T08:00:00Z', 'https://news.example/a')",
                      [story, iso()]).lastrowid
    claims = [{"sentence": s, "start": 0, "end": len(s), "subject": t, "subject_norm": t.lower(), "subject_ticker": t,
               "metric": "price_return", "direction": "up", "magnitude": None, "horizon": None, "confidence": 0.8}
              for s, t in (("RISE will keep rising.", "RISE"), ("FALL will rise.", "FALL"))]
    claims.append({"sentence": "OpenAI revenue will double.", "start": 0, "end": 27, "subject": "OpenAI",
                   "subject_norm": "openai", "subject_ticker": None, "metric": "revenue_growth", "direction": "up",
                   "confidence": 0.7})
    xq.save_extraction(store, a, {"claims": claims}, {"t": "1"})
    store.close()
    return ["--config", str(cfg)]


def invoke(args):
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    return r.output


def test_evaluate_then_claims_and_theses_json(env):
    out = invoke([*env, "evaluate", "--quiet"])
    assert "link: 2 claims linked" in out and "evaluate: 3 claims (1 holding, 0 weakening, 1 broken, 1 unknown)" in out
    claims = json.loads(invoke([*env, "claims", "--json"]))
    assert all(CLAIM_KEYS <= set(c) for c in claims)
    by = {c["subject"]: c for c in claims}
    assert by["RISE"]["status"] == "holding" and by["FALL"]["status"] == "broken"
    assert by["RISE"]["link"] == {"symbols": ["RISE"], "recipe": "close", "benchmark": None,
                                  "explanation": "close of RISE since 2025-12-01", "proxy": False,
                                  "proxy_label": None, "source": "auto"}
    assert by["RISE"]["provider"] == "csv" and by["RISE"]["baseline_date"] == "2025-12-01"
    assert by["OpenAI"]["link"] is None and "no listing is known" in by["OpenAI"]["unlinked_reason"]
    assert [c["subject"] for c in json.loads(invoke([*env, "claims", "--status", "broken", "--json"]))] == ["FALL"]
    assert [c["subject"] for c in json.loads(invoke([*env, "claims", "--ticker", "rise", "--json"]))] == ["RISE"]
    theses = json.loads(invoke([*env, "theses", "--json"]))
    assert [(t["title"], t["status"], len(t["claims"])) for t in theses] == [("Rise and fall", "weakening", 3)]
    assert theses[0]["counts"] == {"holding": 1, "weakening": 0, "broken": 1, "unknown": 1}
    assert "weakening  Rise and fall" in invoke([*env, "theses"])


def test_link_override_then_auto(env):
    invoke([*env, "evaluate", "--quiet"])
    fall = next(c for c in json.loads(invoke([*env, "claims", "--json"])) if c["subject"] == "FALL")
    out = invoke([*env, "link", str(fall["id"]), "--symbols", "RISE"])
    assert "close of RISE since 2025-12-01 (set by the user)" in out
    invoke([*env, "evaluate", "--quiet"])
    again = next(c for c in json.loads(invoke([*env, "claims", "--json"])) if c["id"] == fall["id"])
    assert (again["status"], again["link"]["source"]) == ("holding", "user")
    assert "linked automatically again" in invoke([*env, "link", str(fall["id"]), "--auto"])


@pytest.mark.parametrize("args, message", [
    (["claims", "--status", "sideways"], "--status 'sideways' is not one of holding, weakening, broken, unknown"),
    (["link", "999", "--symbols", "X"], "no claim 999"),
    (["link", "1"], "give --symbols"),
])
def test_cli_errors_are_one_line(env, args, message):
    r = CliRunner().invoke(app, [*env, *args])
    assert r.exit_code == 1 and message in r.output and "Traceback" not in r.output
