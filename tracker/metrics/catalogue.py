"""The metric catalogue (models/metrics.toml) and the benchmark table (models/benchmarks.toml), loaded once.

Look-ups: ``find_index("the Hang Seng")`` (longest alias, whole words), ``default_benchmark("7203.T")`` (the home
market's index), ``find_group("Asia ex-Japan small caps")``, ``find_macro("10-year yields")``, ``countries_in`` and
``sectors_in`` (words of a subject mapped to the securities master's countries and our sectors), ``recipe_for``.
A malformed file is a ModelError naming the file and the fix.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field

from tracker.errors import ModelError
from tracker.paths import models_dir
from tracker.vocab import METRICS, SECTORS

SUBJECT_KINDS = ("company", "index", "group", "macro")
RECIPES = ("close", "relative", "group", "statement_growth", "statement_ratio", "statement_level", "valuation",
           "volatility", "macro")


@dataclass(frozen=True)
class Index:
    symbol: str
    name: str
    aliases: tuple[str, ...]
    markets: tuple[str, ...] = ()
    proxy: bool = False


@dataclass(frozen=True)
class Group:
    patterns: tuple[re.Pattern, ...]
    label: str
    symbol: str | None = None
    benchmark: str | None = None


@dataclass(frozen=True)
class Macro:
    patterns: tuple[re.Pattern, ...]
    series: str
    kind: str  # rate | level | yoy
    label: str
    invert: bool = False


@dataclass(frozen=True)
class Catalogue:
    indices: tuple[Index, ...]
    groups: tuple[Group, ...]
    macros: tuple[Macro, ...]
    countries: dict[str, tuple[str, ...]]
    sectors: dict[str, tuple[str, ...]]
    recipes: dict[str, dict[str, dict]]
    country_index: dict[str, str] = field(default_factory=dict)
    _alias_re: re.Pattern = field(repr=False, default=None)
    _by_alias: dict = field(repr=False, default_factory=dict)
    _by_market: dict = field(repr=False, default_factory=dict)


def _load_toml(name: str) -> dict:
    p = models_dir() / name
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ModelError(f"{p} missing or unreadable ({type(e).__name__}: {e}): restore it with "
                         f"'git checkout -- models/{name}'") from None


@functools.lru_cache(maxsize=1)
def load() -> Catalogue:
    bench, metrics = _load_toml("benchmarks.toml"), _load_toml("metrics.toml")
    try:
        indices = tuple(Index(i["symbol"], i["name"], tuple(a.lower() for a in i["aliases"]),
                              tuple(i.get("markets", ())), bool(i.get("proxy"))) for i in bench["index"])
        groups = tuple(Group(tuple(re.compile(p, re.I) for p in g["patterns"]), g["label"], g.get("symbol"),
                             g.get("benchmark")) for g in bench.get("group", []))
        macros = tuple(Macro(tuple(re.compile(p, re.I) for p in m["patterns"]), m["series"], m["kind"], m["label"],
                             bool(m.get("invert"))) for m in bench.get("macro", []))
        countries = {k: tuple(v) for k, v in bench.get("countries", {}).items()}
        sectors = {k: tuple(v) for k, v in bench.get("sectors", {}).items()}
    except (KeyError, TypeError, re.error) as e:
        raise ModelError(f"models/benchmarks.toml is malformed ({type(e).__name__}: {e}): fix the entry") from None
    bad = [s for s in sectors if s not in SECTORS] + [m for m in metrics if m not in METRICS]
    bad += [f"{m}.{k}" for m, kinds in metrics.items() for k, r in kinds.items()
            if k not in SUBJECT_KINDS or r.get("recipe") not in RECIPES]
    bad += [m.kind for m in macros if m.kind not in ("rate", "level", "yoy")]
    if bad:
        raise ModelError(f"models/metrics.toml or benchmarks.toml names unknown entries {bad}: use the vocabulary "
                         "of tracker/vocab.py and the recipes listed in models/metrics.toml")
    by_alias = {a: ix for ix in indices for a in ix.aliases}
    alias_re = re.compile(r"(?<![\w&])(" + "|".join(re.escape(a) for a in sorted(by_alias, key=len, reverse=True))
                          + r")(?![\w&])", re.I)
    by_market = {m: ix for ix in indices for m in ix.markets}
    return Catalogue(indices, groups, macros, countries, sectors, metrics, dict(bench.get("country_index", {})),
                     alias_re, by_alias, by_market)


def find_index(text: str | None) -> Index | None:
    """The index named in ``text`` (its longest alias), or None."""
    if not text:
        return None
    cat = load()
    best = None
    for m in cat._alias_re.finditer(text):
        if best is None or len(m.group(1)) > len(best):
            best = m.group(1)
    return cat._by_alias[best.lower()] if best else None


def by_symbol(symbol: str) -> Index | None:
    return next((ix for ix in load().indices if ix.symbol == symbol), None)


def market_of(symbol: str) -> str:
    """'T' for 7203.T, 'HK' for 0700.HK, 'US' for AAPL (index and currency symbols: '')."""
    if symbol.startswith("^") or "=" in symbol:
        return ""
    return symbol.rsplit(".", 1)[1].upper() if "." in symbol else "US"


def default_benchmark(symbol: str) -> Index | None:
    return load()._by_market.get(market_of(symbol))


_MARKET_WORDS = re.compile(r"\b(shares|stocks|equities|markets?|bourses?|indices)\b", re.I)


def country_market(text: str | None) -> Index | None:
    """A country's market named as a whole ("Hong Kong-listed shares", "Indian equities"): its main index."""
    if not text or not _MARKET_WORDS.search(text) or sectors_in(text):
        return None
    found = countries_in(text)
    symbol = load().country_index.get(found[0]) if len(found) == 1 else None
    return by_symbol(symbol) if symbol else None


def find_group(text: str | None) -> Group | None:
    if not text:
        return None
    return next((g for g in load().groups if all(p.search(text) for p in g.patterns)), None)


def find_macro(text: str | None) -> Macro | None:
    if not text:
        return None
    return next((m for m in load().macros if any(p.search(text) for p in m.patterns)), None)


def _words_in(text: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    low = f" {text.lower()} "  # whole words; a hyphen may follow ("Hong Kong-listed", "chip-making")
    return [k for k, words in table.items() if any(re.search(rf"(?<![\w-]){re.escape(w)}(?!\w)", low) for w in words)]


def countries_in(text: str | None) -> list[str]:
    return _words_in(text or "", load().countries)


def sectors_in(text: str | None) -> list[str]:
    return _words_in(text or "", load().sectors)


def recipe_for(metric: str, kind: str) -> dict | None:
    return load().recipes.get(metric, {}).get(kind)
