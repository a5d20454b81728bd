"""Every CLI command documents itself with an example; every setting is documented in README.md."""

from __future__ import annotations

import re

import pytest
import typer.main
from pydantic import BaseModel
from typer.testing import CliRunner

from tests.conftest import REPO
from tracker.cli import app
from tracker.config import Settings


def commands(cmd, path: tuple[str, ...] = ()):
    """(path, command) for the root and every command and subcommand below it (groups have ``.commands``)."""
    yield path, cmd
    for name, sub in sorted((getattr(cmd, "commands", None) or {}).items()):
        yield from commands(sub, (*path, name))


COMMANDS = list(commands(typer.main.get_command(app)))


def test_the_command_tree_is_walked():
    paths = {" ".join(p) for p, _ in COMMANDS}
    assert {"", "init", "collect", "search", "feeds", "feeds add", "feeds list", "feeds remove"} <= paths


@pytest.mark.parametrize("path, cmd", COMMANDS, ids=[" ".join(p) or "tracker" for p, _ in COMMANDS])
def test_every_command_has_help_with_an_example(path, cmd):
    assert "Example" in (cmd.help or ""), f"'tracker {' '.join(path)}' needs help text with an Example"
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def setting_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Dotted keys of every TOML setting: sections recurse, ``[[feeds]]`` tables give feeds.url, feeds.name."""
    keys = []
    for name, field in model.model_fields.items():
        if field.exclude:
            continue  # not a TOML key (e.g. where the settings came from)
        key = prefix + name
        annotation = field.annotation
        inner = (getattr(annotation, "__args__", None) or [None])[0] if getattr(annotation, "__origin__", None) is list else None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys += setting_keys(annotation, key + ".")
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            keys += [key, *setting_keys(inner, key + ".")]
        else:
            keys.append(key)
    return keys


def configuration_section(readme: str) -> str:
    """README's configuration section: from a heading containing 'Configuration' to the next heading of its level."""
    match = re.search(r"^(#+)[^\n]*configuration[^\n]*$", readme, re.IGNORECASE | re.MULTILINE)
    assert match, "README.md needs a heading containing 'Configuration' that documents every setting"
    level = len(match.group(1))
    end = re.compile(rf"^#{{1,{level}}}\s", re.MULTILINE).search(readme, match.end())
    return readme[match.end():end.start() if end else len(readme)]


def test_setting_keys_are_found():
    keys = setting_keys(Settings)
    assert {"store.path", "collect.user_agent", "board.port", "feeds", "feeds.url", "feeds.name"} <= set(keys)
    assert "source" not in keys


def test_every_setting_is_documented_in_readme():
    readme = REPO / "README.md"
    if not readme.exists():
        pytest.skip("README.md is not written yet: its configuration section must name every setting key")
    section = configuration_section(readme.read_text(encoding="utf-8"))
    missing = [k for k in setting_keys(Settings) if k not in section]
    assert not missing, f"README.md's configuration section does not mention: {', '.join(missing)}"


def test_readme_thesis_example_is_a_valid_config(tmp_path):
    """The walkthrough's `[[theses]]` example loads as written: its metrics and directions are in the vocabulary."""
    from tracker.config import load_settings

    block = re.search(r"```toml\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    assert block, "README.md has no TOML example"
    (tmp_path / "tracker.toml").write_text(block.group(1), encoding="utf-8")
    settings = load_settings(tmp_path / "tracker.toml", db=str(tmp_path / "t.db"))
    (thesis,) = settings.theses
    assert thesis.tickers == ["000660.KS"] and [c.metric for c in thesis.claims] == ["relative_return", "margin"]
    assert [c.direction for c in thesis.claims] == ["outperform", "high"] and thesis.claims[1].level == 11.5
