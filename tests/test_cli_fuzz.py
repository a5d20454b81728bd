"""CLI fuzz (issue #13): every command, walked from the command tree (so commands added later are covered
without editing this file), gets odd values in each of its value parameters; no run may end in a traceback.

A run passes when it exits 0, 1 (a handled error: one line) or 2 (a usage error), prints no "Traceback", and
raised nothing but SystemExit. Each command also runs once with plain values. Flags (``--json``, ``--all``...)
take no value and are left off.

SKIP lists the only commands not run, each because it would block the test: add a reason when adding one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from tracker.cli import app

SKIP = {
    "board": "serves Streamlit until stopped (replaces the process with os.execve)",
}
# Flags always given to a command, each because without it the command would block the test.
ALWAYS = {
    "run": ["--once"],  # the schedule would wait for its next pass: one pass is fuzzed
}

ODD = {
    "huge": "99999999999999999999",
    "negative": "-1",
    "zero": "0",
    "empty": "",
    "folder": "{folder}",
    "missing": "{missing}",
    "unicode": "Ünïcødé 株式 🚀 $TSM \u202e",
    "nul": "a\x00b",
    "option-like": "--",
}


def leaf_commands(cmd, path: tuple[str, ...] = ()):
    """(path, command) for every command that runs (groups recurse)."""
    subs = getattr(cmd, "commands", None)
    if subs:
        for name, sub in sorted(subs.items()):
            yield from leaf_commands(sub, (*path, name))
    else:
        yield path, cmd


ROOT = typer.main.get_command(app)
COMMANDS = [(p, c) for p, c in leaf_commands(ROOT) if " ".join(p) not in SKIP]
GLOBALS = [p for p in ROOT.params if p.param_type_name == "option"]


def value_params(cmd) -> list:
    """The parameters that take a value (typer's own click: arguments, and options that are not flags)."""
    return [p for p in cmd.params if not getattr(p, "is_flag", False) and p.name != "help"]


def plain_value(param, env: dict) -> str:
    """A sensible value for a required parameter (a readable text file for paths)."""
    annotation = param.type_descriptor.annotation
    if Path in (annotation, *getattr(annotation, "__args__", ())) or "path" in param.name:
        return env["file"]
    return "3" if annotation is int else "Sony"


def argv(cmd, env: dict, odd_param=None, odd_value: str | None = None) -> list[str]:
    out: list[str] = []
    for p in value_params(cmd):
        if p is odd_param:
            value = odd_value
        elif p.required:
            value = plain_value(p, env)
        else:
            continue
        out += [value] if p.param_type_name == "argument" else [p.opts[0], value]
    return out


def cases():
    for path, cmd in COMMANDS:
        name = " ".join(path)
        yield pytest.param(path, cmd, None, None, id=f"{name}:plain")
        for p in value_params(cmd):
            for label, value in ODD.items():
                yield pytest.param(path, cmd, p, value, id=f"{name}:{p.name}={label}")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "tracker.toml").write_text("[collect]\nper_host_delay_s = 0\nfetch_full_text = false\n")
    (root / "folder").mkdir()
    (root / "note.txt").write_text("Sony (6758 JP) rose 3% on Tuesday.\n")
    db = root / "t.db"
    assert CliRunner().invoke(app, ["--config", str(root / "tracker.toml"), "--db", str(db), "init"]).exit_code == 0
    return {"root": root, "config": str(root / "tracker.toml"), "db": str(db), "file": str(root / "note.txt"),
            "folder": str(root / "folder"), "missing": str(root / "missing.txt")}


def check(result) -> None:
    output = result.output
    assert result.exit_code in (0, 1, 2), output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def invoke(env, args, monkeypatch):
    monkeypatch.chdir(env["root"])
    value = [a.format(**env) if isinstance(a, str) else a for a in args]
    return CliRunner().invoke(app, value, input="")


@pytest.mark.models
@pytest.mark.parametrize("path, cmd, param, value", list(cases()))
def test_odd_values_never_give_a_traceback(env, monkeypatch, path, cmd, param, value):
    args = argv(cmd, {**env, "file": "{file}"}, param, value) + ALWAYS.get(" ".join(path), [])
    check(invoke(env, ["--config", "{config}", "--db", "{db}", *path, *args], monkeypatch))


@pytest.mark.parametrize("option", GLOBALS, ids=[o.name for o in GLOBALS])
@pytest.mark.parametrize("label", list(ODD))
def test_odd_global_options_never_give_a_traceback(env, monkeypatch, option, label):
    other = {"--config": ["--db", "{db}"], "--db": ["--config", "{config}"]}[option.opts[0]]
    for command in (["feeds", "list"], ["collect", "-q"], ["init"]):
        check(invoke(env, [*other, option.opts[0], ODD[label], *command], monkeypatch))


def test_every_command_is_fuzzed_or_skipped_with_a_reason():
    names = {" ".join(p) for p, _ in leaf_commands(ROOT)}
    assert set(SKIP) <= names, "SKIP names a command that does not exist"
    assert {"init", "search", "collect", "extract", "feeds add", "securities lookup"} <= {" ".join(p) for p, _ in COMMANDS}
