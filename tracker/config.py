"""Settings: one TOML file validated with pydantic. Defaults live in tracker.defaults.

Resolution order for the config file: ``--config FILE`` > ``$TRACKER_CONFIG`` > ``./tracker.toml``
(absent file = all defaults). The database path: ``--db`` > ``$TRACKER_DB`` > ``[store] path``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from tracker import defaults as D
from tracker.errors import ConfigError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FeedConfig(_Section):
    url: str
    name: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        HttpUrl(v)  # raises a ValueError with a readable message
        return v


class StoreConfig(_Section):
    path: str = D.DB_PATH


class CollectConfig(_Section):
    user_agent: str = D.USER_AGENT
    connect_timeout_s: float = Field(D.CONNECT_TIMEOUT_S, gt=0)
    read_timeout_s: float = Field(D.READ_TIMEOUT_S, gt=0)
    total_timeout_s: float = Field(D.TOTAL_TIMEOUT_S, gt=0)
    max_redirects: int = Field(D.MAX_REDIRECTS, ge=0, le=20)
    max_feed_bytes: int = Field(D.MAX_FEED_BYTES, gt=0)
    max_page_bytes: int = Field(D.MAX_PAGE_BYTES, gt=0)
    max_entries_per_feed: int = Field(D.MAX_ENTRIES_PER_FEED, gt=0)
    poll_interval_s: int = Field(D.POLL_INTERVAL_S, ge=0)
    backoff_base_s: int = Field(D.BACKOFF_BASE_S, ge=0)
    backoff_cap_s: int = Field(D.BACKOFF_CAP_S, ge=0)
    per_host_delay_s: float = Field(D.PER_HOST_DELAY_S, ge=0)
    fetch_full_text: bool = D.FETCH_FULL_TEXT
    full_text_min_chars: int = Field(D.FULL_TEXT_MIN_CHARS, ge=0)
    near_dup_threshold: float = Field(D.NEAR_DUP_THRESHOLD, gt=0, le=1)
    near_dup_window_days: int = Field(D.NEAR_DUP_WINDOW_DAYS, ge=0)
    sources: list[str] = Field(default_factory=list, description="local files/directories to ingest")


class NlpConfig(_Section):
    company_min_confidence: float = Field(D.COMPANY_MIN_CONFIDENCE, ge=0, le=1)
    claim_min_confidence: float = Field(D.CLAIM_MIN_CONFIDENCE, ge=0, le=1)
    sector_min_confidence: float = Field(D.SECTOR_MIN_CONFIDENCE, ge=0, le=1)


class SecuritiesConfig(_Section):
    auto_update: bool = D.MASTER_AUTO_UPDATE
    refresh_days: int = Field(D.MASTER_REFRESH_DAYS, ge=1)
    financedatabase_url: str | None = D.FINANCEDATABASE_URL

    @field_validator("financedatabase_url")
    @classmethod
    def _base_url(cls, v: str | None) -> str | None:
        if v is not None:
            HttpUrl(v)
            if not v.endswith("/"):
                v += "/"  # the package appends file names to it
        return v


class BoardConfig(_Section):
    host: str = D.BOARD_HOST
    port: int = Field(D.BOARD_PORT, gt=0, lt=65536)


class Settings(_Section):
    store: StoreConfig = Field(default_factory=StoreConfig)
    collect: CollectConfig = Field(default_factory=CollectConfig)
    nlp: NlpConfig = Field(default_factory=NlpConfig)
    securities: SecuritiesConfig = Field(default_factory=SecuritiesConfig)
    board: BoardConfig = Field(default_factory=BoardConfig)
    feeds: list[FeedConfig] = Field(default_factory=list)
    # Where the settings came from (not a TOML key).
    source: str | None = Field(default=None, exclude=True)

    @property
    def db_path(self) -> Path:
        return Path(self.store.path)


def _format_validation_error(err: ValidationError, source: str) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"])
        if e["type"] == "extra_forbidden":
            parts.append(f"unknown key '{loc}' (remove it or check its spelling)")
        elif e["type"] == "missing":
            parts.append(f"missing key '{loc}' (add it)")
        else:
            parts.append(f"bad value for '{loc}': {e['msg']} (got {e.get('input')!r})")
    return f"invalid config {source}: " + "; ".join(parts)


def resolve_config_path(config: str | os.PathLike | None = None) -> Path | None:
    """The config file to read, or None when only defaults apply."""
    if config:
        p = Path(config)
        if not p.exists():
            raise ConfigError(f"config file {p} does not exist: create it or drop --config/{D.CONFIG_ENV}")
        return p
    env = os.environ.get(D.CONFIG_ENV)
    if env:
        p = Path(env)
        if not p.exists():
            raise ConfigError(f"config file {p} (from ${D.CONFIG_ENV}) does not exist: create it or unset {D.CONFIG_ENV}")
        return p
    p = Path(D.CONFIG_FILE)
    return p if p.exists() else None


def load_settings(config: str | os.PathLike | None = None, db: str | None = None) -> Settings:
    """Load and validate settings. Raises ConfigError with one readable line."""
    path = resolve_config_path(config)
    data: dict = {}
    source = "(defaults)"
    if path is not None:
        source = str(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"config {path} is not valid TOML: {e} (fix the syntax at that line)") from None
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"config {path} cannot be read: {e}") from None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as e:
        raise ConfigError(_format_validation_error(e, source)) from None
    settings.source = source
    db = db or os.environ.get(D.DB_ENV)
    if db:
        settings.store.path = db
    return settings


DEFAULT_CONFIG_RESOURCE = "tracker.default.toml"


def default_config_text() -> str:
    from importlib.resources import files

    return files("tracker.data").joinpath(DEFAULT_CONFIG_RESOURCE).read_text(encoding="utf-8")


def write_default_config(config: str | os.PathLike | None = None) -> Path | None:
    """Write the shipped default config to ./tracker.toml when no config is given or found. Returns the path written."""
    if config or os.environ.get(D.CONFIG_ENV) or Path(D.CONFIG_FILE).exists():
        return None
    p = Path(D.CONFIG_FILE)
    p.write_text(default_config_text(), encoding="utf-8")
    return p
