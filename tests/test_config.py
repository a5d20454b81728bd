import pytest

from tracker.config import load_settings
from tracker.errors import ConfigError


def write(tmp_path, text):
    p = tmp_path / "t.toml"
    p.write_text(text)
    return p


def test_defaults_when_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    assert s.store.path == "tracker.db" and s.feeds == [] and s.source == "(defaults)"


def test_feeds_and_store_path(tmp_path):
    p = write(tmp_path, '[store]\npath = "x.db"\n[[feeds]]\nurl = "https://example.com/rss"\nname = "Ex"\n')
    s = load_settings(p)
    assert s.store.path == "x.db"
    assert [(f.url, f.name) for f in s.feeds] == [("https://example.com/rss", "Ex")]


def test_db_override_order(tmp_path, monkeypatch):
    p = write(tmp_path, '[store]\npath = "x.db"\n')
    monkeypatch.setenv("TRACKER_DB", "env.db")
    assert load_settings(p).store.path == "env.db"
    assert load_settings(p, db="flag.db").store.path == "flag.db"


def test_tracker_config_env(tmp_path, monkeypatch):
    p = write(tmp_path, '[store]\npath = "fromenv.db"\n')
    monkeypatch.setenv("TRACKER_CONFIG", str(p))
    assert load_settings().store.path == "fromenv.db"


@pytest.mark.parametrize(
    "text, needle",
    [
        ('[store]\npaht = "x.db"\n', "unknown key 'store.paht'"),
        ('[colect]\n', "unknown key 'colect'"),
        ('[[feeds]]\nname = "no url"\n', "missing key 'feeds.0.url'"),
        ('[[feeds]]\nurl = "not a url"\n', "bad value for 'feeds.0.url'"),
        ('[collect]\nconnect_timeout_s = -1\n', "bad value for 'collect.connect_timeout_s'"),
        ('[store\npath = 1', "not valid TOML"),
    ],
)
def test_bad_config_names_key_and_fix(tmp_path, text, needle):
    with pytest.raises(ConfigError) as e:
        load_settings(write(tmp_path, text))
    assert needle in str(e.value)
    assert "Traceback" not in str(e.value)


def test_missing_config_file_is_clear(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")


def test_shipped_default_config_is_valid(tmp_path, monkeypatch):
    from tracker.config import write_default_config

    monkeypatch.chdir(tmp_path)
    assert write_default_config() == tmp_path.joinpath("tracker.toml").relative_to(tmp_path)
    s = load_settings()
    assert len(s.feeds) >= 5 and all(f.url.startswith("https://") for f in s.feeds)
    assert write_default_config() is None  # never overwrites
