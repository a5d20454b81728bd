"""Metric providers, registered in one explicit table. ``[metrics] providers`` sets the order of preference;
``[metrics] sample = true`` (or ``tracker run --sample``) uses the bundled sample data set and nothing else, so that
its synthetic series are never mixed with live data (a series it lacks stays without data)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Callable

from tracker.metrics.providers.base import FetchResult, Observation, Provider, ProviderError, Query  # noqa: F401
from tracker.metrics.providers.csv import CsvProvider

SAMPLE_PROVIDER = "sample"


def sample_dir() -> Path:
    """The bundled sample data set (a CSV directory): clearly labelled as sample data wherever it is shown."""
    return Path(str(files("tracker.data").joinpath("sample_metrics")))


def _csv(settings) -> Provider | None:
    d = settings.metrics.csv.dir
    return CsvProvider(d) if d else None


def _sample(settings) -> Provider:
    return CsvProvider(sample_dir(), name=SAMPLE_PROVIDER)


def _yahoo(settings) -> Provider:
    from tracker.metrics.providers.yahoo import YahooProvider

    return YahooProvider(settings.metrics.yahoo)


def _fred(settings) -> Provider:
    from tracker.metrics.providers.fred import FredProvider

    return FredProvider(settings.metrics.fred, user_agent=settings.collect.user_agent)


REGISTRY: dict[str, Callable] = {"csv": _csv, "sample": _sample, "yahoo": _yahoo, "fred": _fred}


def build(settings) -> list[Provider]:
    """The configured providers in order of preference (a CSV provider with no directory is left out)."""
    names = list(dict.fromkeys(settings.metrics.providers))
    if settings.metrics.sample:  # the sample alone: its synthetic series are never mixed with live data
        names = [SAMPLE_PROVIDER]
    out = []
    for n in names:
        p = REGISTRY[n](settings)
        if p is not None:
            out.append(p)
    return out
