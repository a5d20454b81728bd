"""Settings: one TOML file validated with pydantic. Defaults live in tracker.defaults.

Resolution order for the config file: ``--config FILE`` > ``$TRACKER_CONFIG`` > ``./tracker.toml``
(absent file = all defaults). The database path: ``--db`` > ``$TRACKER_DB`` > ``[store] path``.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from pathlib import Path
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator, model_validator

from tracker import defaults as D
from tracker.errors import ConfigError
from tracker.vocab import DIRECTIONS, METRICS, SECTORS

Metric = Literal[METRICS]  # type: ignore[valid-type]
Direction = Literal[DIRECTIONS]  # type: ignore[valid-type]
Sector = Literal[SECTORS]  # type: ignore[valid-type]


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

    @field_validator("path")
    @classmethod
    def _path(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("the database path is empty; give a file name such as 'tracker.db'")
        if "\0" in v:
            raise ValueError("the database path contains a NUL character")
        return v


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
    max_pages_per_pass: int = Field(D.MAX_PAGES_PER_PASS, ge=0)
    max_pages_per_host: int = Field(D.MAX_PAGES_PER_HOST, ge=1)
    page_workers: int = Field(D.PAGE_WORKERS, ge=1, le=64)
    page_budget_s: float = Field(D.PAGE_BUDGET_S, gt=0)
    near_dup_threshold: float = Field(D.NEAR_DUP_THRESHOLD, gt=0, le=1)
    near_dup_window_days: int = Field(D.NEAR_DUP_WINDOW_DAYS, ge=0)
    sources: list[str] = Field(default_factory=list, description="local files/directories to ingest")


class NlpConfig(_Section):
    company_min_confidence: float = Field(D.COMPANY_MIN_CONFIDENCE, ge=0, le=1)
    claim_min_confidence: float = Field(D.CLAIM_MIN_CONFIDENCE, ge=0, le=1)
    sector_min_confidence: float = Field(D.SECTOR_MIN_CONFIDENCE, ge=0, le=1)
    max_articles_per_pass: int = Field(D.EXTRACT_MAX_ARTICLES_PER_PASS, gt=0)


class CsvMetricsConfig(_Section):
    dir: str | None = Field(None, description="directory of <SYMBOL>.csv files (date,close)")


class YahooConfig(_Section):
    min_interval_s: float = Field(D.YAHOO_MIN_INTERVAL_S, ge=0)
    batch_size: int = Field(D.YAHOO_BATCH_SIZE, gt=0, le=500)
    timeout_s: float = Field(D.YAHOO_TIMEOUT_S, gt=0)


class FredConfig(_Section):
    api_url: str = D.FRED_API_URL
    csv_url: str = D.FRED_CSV_URL
    api_key_env: str = D.FRED_API_KEY_ENV
    min_interval_s: float = Field(D.FRED_MIN_INTERVAL_S, ge=0)
    timeout_s: float = Field(D.FRED_TIMEOUT_S, gt=0)

    @field_validator("api_url", "csv_url")
    @classmethod
    def _url(cls, v: str) -> str:
        HttpUrl(v)
        return v


ProviderName = Literal["csv", "yahoo", "fred", "sample"]


class MetricsConfig(_Section):
    providers: list[ProviderName] = Field(default_factory=lambda: list(D.METRIC_PROVIDERS))
    sample: bool = False
    refresh_interval_s: int = Field(D.METRICS_REFRESH_INTERVAL_S, ge=0)
    max_series_per_pass: int = Field(D.METRICS_MAX_SERIES_PER_PASS, gt=0)
    history_days: int = Field(D.METRICS_HISTORY_DAYS, ge=0)
    csv: CsvMetricsConfig = Field(default_factory=CsvMetricsConfig)
    yahoo: YahooConfig = Field(default_factory=YahooConfig)
    fred: FredConfig = Field(default_factory=FredConfig)


class EvaluateConfig(_Section):
    weakening_sigma: float = Field(D.WEAKENING_SIGMA, gt=0)
    broken_sigma: float = Field(D.BROKEN_SIGMA, gt=0)
    trend_sessions: int = Field(D.TREND_SESSIONS, ge=2)
    trend_sigma: float = Field(D.TREND_SIGMA, gt=0)
    vol_lookback: int = Field(D.VOL_LOOKBACK, ge=5)
    vol_floor_price: float = Field(D.VOL_FLOOR_PRICE, gt=0)
    vol_floor_rate: float = Field(D.VOL_FLOOR_RATE, gt=0)
    level_tolerance: float = Field(D.LEVEL_TOLERANCE, gt=0, lt=1)
    growth_tolerance_pp: float = Field(D.GROWTH_TOLERANCE_PP, gt=0)
    stale_days_daily: int = Field(D.STALE_DAYS_DAILY, gt=0)
    stale_days_monthly: int = Field(D.STALE_DAYS_MONTHLY, gt=0)
    stale_days_quarterly: int = Field(D.STALE_DAYS_QUARTERLY, gt=0)
    as_stated_tolerance_pp: float = Field(D.AS_STATED_TOLERANCE_PP, ge=0)
    as_stated_tolerance_rel: float = Field(D.AS_STATED_TOLERANCE_REL, ge=0)
    thesis_broken_share: float = Field(D.THESIS_BROKEN_SHARE, gt=0, le=1)
    thesis_weakening_share: float = Field(D.THESIS_WEAKENING_SHARE, gt=0, le=1)

    @model_validator(mode="after")
    def _bands(self):
        if self.broken_sigma <= self.weakening_sigma:
            raise ValueError(f"broken_sigma ({self.broken_sigma}) must be larger than weakening_sigma "
                             f"({self.weakening_sigma})")
        return self


class ThesisClaimConfig(_Section):
    subject: str | None = None
    ticker: str | None = None
    metric: Metric
    direction: Direction
    benchmark: str | None = None
    level: float | None = None
    since: date | None = None

    @model_validator(mode="after")
    def _named(self):
        if not (self.subject or self.ticker):
            raise ValueError("a thesis claim needs a subject or a ticker")
        return self


class ThesisConfig(_Section):
    title: str = Field(min_length=1, max_length=300)
    since: date | None = None
    tickers: list[str] = Field(default_factory=list)
    themes: list[Sector] = Field(default_factory=list)
    articles: list[int] = Field(default_factory=list)
    claims: list[ThesisClaimConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self):
        if not (self.tickers or self.themes or self.articles or self.claims):
            raise ValueError(f"thesis {self.title!r} selects nothing: add [[theses.claims]] or tickers/themes/articles")
        return self


class AlertOverride(_Section):
    claim: int | None = None
    ticker: str | None = None
    thesis: str | None = None
    entry_sigma: float | None = Field(None, gt=0)
    exit_sigma: float | None = Field(None, ge=0)
    persistence: int | None = Field(None, ge=1)
    cooldown_hours: float | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _one_target(self):
        if sum(x is not None for x in (self.claim, self.ticker, self.thesis)) != 1:
            raise ValueError("an alert override names exactly one of claim, ticker or thesis")
        return self


class AlertsConfig(_Section):
    channels: list[str] = Field(default_factory=list)
    entry_sigma: float = Field(D.ALERT_ENTRY_SIGMA, gt=0)
    exit_sigma: float = Field(D.ALERT_EXIT_SIGMA, ge=0)
    persistence: int = Field(D.ALERT_PERSISTENCE, ge=1)
    cooldown_hours: float = Field(D.ALERT_COOLDOWN_HOURS, ge=0)
    notify_recovered: bool = False
    nodata_days: int = Field(D.ALERT_NODATA_DAYS, ge=0)
    digest: bool = False
    max_attempts: int = Field(D.ALERT_MAX_ATTEMPTS, ge=1)
    retry_base_s: int = Field(D.ALERT_RETRY_BASE_S, ge=0)
    retry_cap_s: int = Field(D.ALERT_RETRY_CAP_S, ge=0)
    board_url: str | None = None
    overrides: list[AlertOverride] = Field(default_factory=list)

    @field_validator("channels")
    @classmethod
    def _channels(cls, v: list[str]) -> list[str]:
        for i, url in enumerate(v, 1):
            if "://" not in url:  # never echo the value: channel URLs carry secrets
                raise ValueError(f"channel {i} is not a URL: give an Apprise URL such as mailto://..., ntfy://... "
                                 "or json://...")
        return v

    @model_validator(mode="after")
    def _bands(self):
        if self.exit_sigma >= self.entry_sigma:
            raise ValueError(f"exit_sigma ({self.exit_sigma}) must be smaller than entry_sigma ({self.entry_sigma}): "
                             "the gap between them is the hysteresis")
        return self


_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def check_host(v: str) -> str:
    """An IPv4/IPv6 address or a DNS host name (RFC 1123 labels); anything else is a ValueError."""
    try:
        return str(ipaddress.ip_address(v.strip("[]")))
    except ValueError:
        pass
    name = v[:-1] if v.endswith(".") else v
    if not name or len(name) > 253 or not all(_HOST_LABEL.fullmatch(x) for x in name.split(".")):
        raise ValueError("not an IP address or host name; use e.g. 127.0.0.1, ::1, 0.0.0.0 or localhost")
    return v




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

    @field_validator("host")
    @classmethod
    def _host(cls, v: str) -> str:
        return check_host(v)


class Settings(_Section):
    store: StoreConfig = Field(default_factory=StoreConfig)
    collect: CollectConfig = Field(default_factory=CollectConfig)
    nlp: NlpConfig = Field(default_factory=NlpConfig)
    securities: SecuritiesConfig = Field(default_factory=SecuritiesConfig)
    board: BoardConfig = Field(default_factory=BoardConfig)
    metrics: MetricsConfig = Field(default_factory=MetricsConfig)
    evaluate: EvaluateConfig = Field(default_factory=EvaluateConfig)
    theses: list[ThesisConfig] = Field(default_factory=list)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
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
        elif loc.startswith("alerts.channels"):  # channel URLs carry secrets: never echo them
            parts.append(f"bad value for '{loc}': {e['msg']}")
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
    if db is not None and not db.strip():
        raise ConfigError("--db was given an empty path: give the database file, e.g. --db tracker.db")
    db = db or os.environ.get(D.DB_ENV, "").strip() or None  # an empty $TRACKER_DB counts as unset
    if db:
        if "\0" in db:
            raise ConfigError("the database path contains a NUL character: give a plain file name")
        settings.store.path = db
    return settings


DEFAULT_CONFIG_RESOURCE = "tracker.default.toml"


def default_config_text() -> str:
    from importlib.resources import files

    return files("tracker.data").joinpath(DEFAULT_CONFIG_RESOURCE).read_text(encoding="utf-8")


def write_default_config(config: str | os.PathLike | None = None) -> Path | None:
    """Write the shipped default config to ./tracker.toml when no config is given or found. Returns the path written.

    Raises ConfigError (one line) when the file cannot be written, e.g. in a read-only folder."""
    if config or os.environ.get(D.CONFIG_ENV) or Path(D.CONFIG_FILE).exists():
        return None
    p = Path(D.CONFIG_FILE)
    try:
        p.write_text(default_config_text(), encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"cannot write the default config to {p.resolve()} ({e.strerror or e}): run 'tracker init' "
                          "from a writable folder, or pass --config FILE") from None
    return p
