"""Series identities, independent of the provider that serves them.

- ``close:SYMBOL``: daily (adjusted) close of an equity, ETF, index, currency pair or future, Yahoo symbol form
  (``2330.TW``, ``^HSI``, ``JPY=X``, ``CL=F``);
- ``stmt:SYMBOL:FIELD``: a quarterly statement line (``stmt:7203.T:TotalRevenue``), dated by period end;
- ``macro:CODE``: a macro series (FRED code: ``macro:DGS10``).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("close", "statement", "macro")
_PREFIX = {"close": "close", "statement": "stmt", "macro": "macro"}

# Statement lines the linker uses (yfinance / Yahoo fundamentals names, without the period prefix).
STATEMENT_FIELDS = ("TotalRevenue", "OperatingIncome", "EBIT", "InterestExpense", "NetIncome", "DilutedEPS",
                    "OperatingCashFlow", "CapitalExpenditure", "FreeCashFlow", "TotalDebt")


@dataclass(frozen=True)
class SeriesKey:
    kind: str  # close | statement | macro
    symbol: str
    field: str | None = None

    @property
    def id(self) -> str:
        parts = [_PREFIX[self.kind], self.symbol] + ([self.field] if self.field else [])
        return ":".join(parts)


def close_id(symbol: str) -> str:
    return SeriesKey("close", symbol).id


def statement_id(symbol: str, field: str) -> str:
    return SeriesKey("statement", symbol, field).id


def macro_id(code: str) -> str:
    return SeriesKey("macro", code).id


def parse(series_id: str) -> SeriesKey:
    """``parse("stmt:7203.T:TotalRevenue") == SeriesKey("statement", "7203.T", "TotalRevenue")``."""
    prefix, _, rest = series_id.partition(":")
    if prefix == "close" and rest:
        return SeriesKey("close", rest)
    if prefix == "macro" and rest:
        return SeriesKey("macro", rest)
    if prefix == "stmt" and rest.count(":") >= 1:
        symbol, _, field = rest.rpartition(":")
        return SeriesKey("statement", symbol, field)
    raise ValueError(f"not a series id: {series_id!r} (close:SYMBOL, stmt:SYMBOL:FIELD or macro:CODE)")
