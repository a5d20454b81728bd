"""Listings: Yahoo symbols, their markets, and which line is a company's home listing.

``split_symbol("2330.TW") == ("2330", "TW")``; ``home_rank`` ranks a symbol as the home listing of a
company from a country (None: not a home-market line); ``listing_kind`` classifies a line as primary,
secondary, adr or otc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUFFIX_MARKET = {
    "": "United States", "TW": "Taiwan", "TWO": "Taiwan", "T": "Japan", "HK": "Hong Kong", "KS": "South Korea",
    "KQ": "South Korea", "SS": "China", "SZ": "China", "NS": "India", "BO": "India", "L": "United Kingdom",
    "IL": "United Kingdom", "DE": "Germany", "F": "Germany", "BE": "Germany", "MU": "Germany", "SG": "Germany",
    "DU": "Germany", "HM": "Germany", "HA": "Germany", "PA": "France", "AS": "Netherlands", "SW": "Switzerland",
    "VX": "Switzerland", "MI": "Italy", "MC": "Spain", "ST": "Sweden", "CO": "Denmark", "HE": "Finland",
    "OL": "Norway", "BR": "Belgium", "IR": "Ireland", "LS": "Portugal", "VI": "Austria", "AX": "Australia",
    "TO": "Canada", "V": "Canada", "CN": "Canada", "NE": "Canada", "SI": "Singapore", "SA": "Brazil",
    "SR": "Saudi Arabia", "MX": "Mexico", "BA": "Argentina", "JK": "Indonesia", "KL": "Malaysia",
    "BK": "Thailand", "NZ": "New Zealand", "TA": "Israel", "JO": "South Africa", "IS": "Turkey", "WA": "Poland",
    "PR": "Czech Republic", "BD": "Hungary", "AT": "Greece", "SN": "Chile", "ME": "Russia", "QA": "Qatar",
    "CA": "Egypt", "AQ": "United Kingdom", "NX": "France", "IC": "Iceland", "TL": "Estonia", "RG": "Latvia",
    "VS": "Lithuania", "CM": "Sri Lanka", "CR": "Venezuela", "TI": "Italy", "S": "Switzerland",
}
# Markets that count as "home" for a company's country, with a preference rank (lower is better).
HOME_RANK = {
    "China": {"SS": 0, "SZ": 0, "HK": 1},
    "Hong Kong": {"HK": 0},
    "India": {"NS": 0, "BO": 1},
    "Germany": {"DE": 0},
    "Taiwan": {"TW": 0, "TWO": 0},
    "South Korea": {"KS": 0, "KQ": 0},
    "Canada": {"TO": 0, "V": 1, "NE": 2, "CN": 2},
    "Switzerland": {"SW": 0, "VX": 0},
    "United Kingdom": {"L": 0, "AQ": 2},
}
_SYMBOL = re.compile(r"^(?P<base>[A-Z0-9&][A-Z0-9&\-]*?)(?:\.(?P<suf>[A-Z]{1,3}))?$")


def split_symbol(symbol: str) -> tuple[str, str]:
    """('2330', 'TW') for '2330.TW', ('BRK-B', '') for 'BRK-B'."""
    m = _SYMBOL.match(symbol.upper())
    if not m:
        return symbol.upper(), ""
    return m.group("base"), m.group("suf") or ""


def market_of(symbol: str) -> str | None:
    return SUFFIX_MARKET.get(split_symbol(symbol)[1])


def home_rank(symbol: str, country: str | None) -> int | None:
    """Rank of ``symbol`` as a home listing of a company from ``country`` (None: not a home-market line)."""
    base, suf = split_symbol(symbol)
    if not country:
        return None
    ranks = HOME_RANK.get(country)
    if ranks is not None:
        r = ranks.get(suf)
    else:
        r = 0 if SUFFIX_MARKET.get(suf) == country else None
    if r is not None and suf == "" and re.fullmatch(r"[A-Z]{4}[FY]", base):
        return None  # OTC foreign ordinary (…F) or unsponsored ADR (…Y)
    if r is not None and suf == "L" and base[:1].isdigit():
        return None  # LSE international order-book lines (0XXX.L)
    return r


def listing_kind(symbol: str, country: str | None, name: str = "") -> str:
    """primary | secondary | adr | otc, from the symbol's market and the company's country."""
    base, suf = split_symbol(symbol)
    if home_rank(symbol, country) is not None:
        return "primary"
    low = name.lower()
    if suf == "IL" or "depositary" in low or re.search(r"\bad[rs]\b", low):
        return "adr"
    if suf == "":
        if re.fullmatch(r"[A-Z]{4}[FY]", base):
            return "otc"
        return "adr" if country and country != "United States" else "otc"
    return "secondary"


# ------------------------------------------------------------------------------------- source rows
@dataclass
class Listing:
    symbol: str
    name: str
    company_key: str
    exchange: str | None = None
    country: str | None = None
    currency: str | None = None
    sector: str | None = None
    industry: str | None = None
    market_cap: str | None = None
    isin: str | None = None
    description: str | None = None
    source: str = "curated"
    is_primary: int = 0
    listing_kind: str = "primary"

