"""The master's sources, read into plain rows: the curated list (models/securities), pytickersymbols
(offline index constituents) and FinanceDatabase (a local equities file, or the package online).

Every reader returns dicts with symbol, name, country and whatever else the source knows; a bad file
raises SecuritiesError naming the fix.
"""

from __future__ import annotations

import bz2
import csv
import functools
import gzip
import re
import sys
from datetime import date
from pathlib import Path

from tracker.errors import SecuritiesError
from tracker.paths import models_dir
from tracker.securities.listings import SUFFIX_MARKET, home_rank, market_of, split_symbol


def curated_path() -> Path:
    return models_dir() / "securities" / "curated.csv"


CURATED_COLUMNS = ("symbol", "name", "aliases", "country", "sector", "other_listings", "flags")


@functools.lru_cache(maxsize=4)
def _read_curated(path: str) -> tuple[dict, ...]:
    p = Path(path)
    try:
        with p.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise SecuritiesError(f"cannot read the curated securities list {p}: {e.strerror or e}; restore it from git") from None
    if not rows or tuple(rows[0].keys()) != CURATED_COLUMNS:
        raise SecuritiesError(f"{p} must have the columns {', '.join(CURATED_COLUMNS)}; restore it from git")
    return tuple(rows)


def curated_rows() -> tuple[dict, ...]:
    return _read_curated(str(curated_path()))


@functools.lru_cache(maxsize=4)
def _read_descriptions(path: str) -> dict[str, str]:
    p = Path(path)
    if not p.exists():
        return {}
    with p.open(encoding="utf-8", newline="") as f:
        return {r["symbol"]: (r["description"], r.get("other_sense") or "") for r in csv.DictReader(f)}


def curated_descriptions() -> dict[str, str]:
    """symbol -> business description, for curated companies whose name is a common word."""
    return {k: v[0] for k, v in _read_descriptions(str(models_dir() / "securities" / "descriptions.csv")).items()}


def curated_other_senses() -> dict[str, str]:
    """symbol -> the common-word meaning of the company's name ("a target: a goal, a price target ...")."""
    return {k: v[1] for k, v in _read_descriptions(str(models_dir() / "securities" / "descriptions.csv")).items()
            if v[1]}


@functools.lru_cache(maxsize=4)
def _read_private(path: str) -> tuple[dict, ...]:
    p = Path(path)
    if not p.exists():
        return ()
    with p.open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


NAMES_COLUMNS = ("symbol", "name", "valid_from", "valid_to")


@functools.lru_cache(maxsize=4)
def _read_names(path: str) -> tuple[dict, ...]:
    p = Path(path)
    if not p.exists():
        return ()
    with p.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != NAMES_COLUMNS:
            raise SecuritiesError(f"{p} must have the columns {', '.join(NAMES_COLUMNS)}; restore it from git")
        out = []
        for r in reader:
            try:
                span = tuple(date.fromisoformat(r[k]) if r[k] else None for k in ("valid_from", "valid_to"))
            except ValueError:
                raise SecuritiesError(f"{p} line {reader.line_num}: dates must be YYYY-MM-DD or empty "
                                      f"(got {r['valid_from']!r}, {r['valid_to']!r})") from None
            if not r["symbol"] or not r["name"] or (span[0] and span[1] and span[0] > span[1]):
                raise SecuritiesError(f"{p} line {reader.line_num}: needs a symbol, a name and valid_from <= valid_to")
            out.append({"symbol": r["symbol"].upper(), "name": r["name"], "valid_from": span[0], "valid_to": span[1]})
    return tuple(out)


def name_rows() -> tuple[dict, ...]:
    """Names with validity dates (models/securities/names.csv): former and later names of curated companies,
    e.g. 'GMO Internet' is 9449.T until 2021-08-31 and 4784.T from 2025-01-01. Dates are ``date`` or None."""
    return _read_names(str(models_dir() / "securities" / "names.csv"))


def private_rows() -> tuple[dict, ...]:
    """Well-known unlisted companies (OpenAI, ByteDance...): linked with ticker None, never stored as securities."""
    return _read_private(str(models_dir() / "securities" / "private.csv"))


def curated_flags() -> dict[str, set[str]]:
    """company_key (= curated home symbol) -> flags such as {'word'} (name is a common English word)."""
    return {r["symbol"]: {f for f in r["flags"].split("|") if f} for r in curated_rows()}



def pytickersymbols_rows() -> list[dict]:
    """Index constituents shipped with pytickersymbols (offline)."""
    from pytickersymbols import PyTickerSymbols

    out = []
    known = set(SUFFIX_MARKET.values())
    for s in PyTickerSymbols().get_all_stocks():
        country = s.get("country")
        listed = (s.get("symbol") or "").upper()
        yahoo = [x["yahoo"].upper() for x in s.get("symbols", []) if x.get("yahoo")]
        # a bare number is no US symbol: the row lost its suffix (Trend Micro "4704", listed "4704.T", country
        # "United States"); the listed code with its market's suffix and that market's country stand instead
        if any(y.isdigit() for y in yahoo) and "." in listed and split_symbol(listed)[1] in SUFFIX_MARKET:
            yahoo = [y for y in yahoo if not y.isdigit()] + [listed]
            country = SUFFIX_MARKET[split_symbol(listed)[1]]
        if not yahoo:
            continue
        if country not in known:  # a few rows give a city ("Miami, Florida"): US index members are American
            country = "United States" if (s.get("symbol") or "").upper() in yahoo and "." not in s["symbol"] else None
        # The home line: a yahoo symbol on a home market, else the listed code with the home suffix.
        home = next((y for y in yahoo if home_rank(y, country) is not None), None)
        if home is None and "." in listed and home_rank(listed, country) is not None:
            home = listed
        if home is None and country == "Germany":  # Frankfurt and XETRA share the code
            home = next((split_symbol(y)[0] + ".DE" for y in yahoo if split_symbol(y)[1] == "F"), None)
        first = home or yahoo[0]
        out.append({"symbol": first, "name": s["name"], "country": country,
                    "industry": "; ".join(s.get("industries") or []) or None,
                    "isins": [i for i in (s.get("isins") or []) if i], "isin": (s.get("isins") or [None])[0],
                    "symbols": [y for y in yahoo if y != first]})
    return out


FD_REQUIRED = ("symbol", "name", "country", "exchange")
_FD_JUNK = re.compile(r"%|\bwarrants?\b|\brights?\b|\bunits?\b|\bnotes? due\b|\bbonds?\b", re.I)


def _clean(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, float):
        return None if v != v else str(v)
    v = str(v).strip()
    return v or None


def _fd_row(r: dict) -> dict | None:
    sym = _clean(r.get("symbol"))
    name = _clean(r.get("name"))
    if not sym or not name or "^" in sym or " " in sym:
        return None
    if str(r.get("delisted", "")).strip().lower() in ("true", "1"):
        return None
    if _FD_JUNK.search(name):
        return None
    country = _clean(r.get("country"))
    if country is None:
        country = market_of(sym)
    return {"symbol": sym.upper(), "name": name, "country": country, "exchange": _clean(r.get("exchange")),
            "currency": _clean(r.get("currency")), "sector": _clean(r.get("sector")),
            "industry": _clean(r.get("industry")), "market_cap": _clean(r.get("market_cap")),
            "isin": _clean(r.get("isin")), "description": _clean(r.get("summary"))}


def read_financedatabase_file(path: str | Path, progress: bool = False) -> list[dict]:
    """Rows of a local FinanceDatabase equities file (.csv, .csv.bz2/.bz2, .gz). Raises SecuritiesError."""
    p = Path(path)
    if not p.exists():
        raise SecuritiesError(f"{p} does not exist: give the path of a FinanceDatabase equities file (.csv or .bz2)")
    if not p.is_file():
        raise SecuritiesError(f"{p} is not a file: give the path of a FinanceDatabase equities file (.csv or .bz2)")
    opener = bz2.open if p.suffix == ".bz2" else gzip.open if p.suffix == ".gz" else open
    rows = []
    try:
        with opener(p, "rt", encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            cols = reader.fieldnames or []
            missing = [c for c in FD_REQUIRED if c not in cols]
            if missing:
                raise SecuritiesError(
                    f"{p} is not a FinanceDatabase equities file: missing column(s) {', '.join(missing)} "
                    f"(found {', '.join(cols[:8]) or 'none'}); download equities.csv from FinanceDatabase")
            from tqdm import tqdm

            for r in tqdm(reader, desc="financedatabase", unit=" rows", disable=not progress, file=sys.stderr,
                          mininterval=0.5):
                if None in r:  # more fields than the header: a broken line
                    raise SecuritiesError(f"{p} line {reader.line_num}: more fields than the header; the file is corrupt")
                row = _fd_row(r)
                if row:
                    rows.append(row)
    except SecuritiesError:
        raise
    except (OSError, EOFError, UnicodeDecodeError, csv.Error, ValueError) as e:
        raise SecuritiesError(
            f"cannot read {p} ({type(e).__name__}: {e}): the file is truncated or corrupt; download it again") from None
    if not rows:
        raise SecuritiesError(f"{p} has no usable equity rows; download a complete FinanceDatabase equities file")
    return rows


def fetch_financedatabase(base_url: str | None = None) -> list[dict]:
    """Equities from the ``financedatabase`` package, which downloads its data (needs the network) from
    ``base_url`` (default: the package's own address) into its cache. Raises whatever the package raises."""
    import financedatabase as fd

    equities = fd.Equities(base_url=base_url) if base_url else fd.Equities()
    df = equities.select().reset_index()
    return [r for r in (_fd_row(x) for x in df.to_dict("records")) if r]

