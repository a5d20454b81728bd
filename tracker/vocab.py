"""The shared vocabulary: metrics, directions, sectors/themes and statuses. The one copy everything imports
(extraction, scoring, linking, evaluation, alerts, the board and the training scripts)."""

from __future__ import annotations

METRICS = ("price_return", "relative_return", "revenue_growth", "earnings_growth", "margin", "valuation",
           "interest_coverage", "free_cash_flow", "demand", "capex", "volatility", "index_level", "rate", "other")

DIRECTIONS = ("up", "down", "outperform", "underperform", "high", "low", "stable")
MOVE_DIRECTIONS = frozenset(("up", "down"))  # a change from the baseline
RELATIVE_DIRECTIONS = frozenset(("outperform", "underperform"))  # a change against a benchmark
LEVEL_DIRECTIONS = frozenset(("high", "low", "stable"))  # a level, judged against a stated value or a norm

SECTORS = ("semiconductors", "ai", "automotive", "auto_components", "internet", "software", "banks", "insurance",
           "energy", "oil_gas", "utilities", "materials", "mining", "industrials", "consumer", "retail",
           "healthcare", "pharma", "telecom", "real_estate", "small_caps", "emerging_markets", "macro_rates",
           "currency", "commodities", "crypto", "other")

# Error kinds a labelled claim can be tagged with (models/labelled/README.md): what makes it easy to read wrongly.
CLAIM_KINDS = ("relative", "level", "direction_flip", "price_vs_other", "revenue_vs_earnings",
               "demand_vs_revenue_capex", "multi_claim")

# Company traps a labelled passage may name (its ``hard_negatives``): a person sharing a company's name, an unlisted
# organisation the text treats as a company (null ticker), a listed company absent from the built-in securities master.
COMPANY_TRAPS = ("person_surname", "unlisted_org", "absent_from_master")

# Claim and thesis status, best first. "unknown" (unlinked, no data, stale, provider down) never counts as broken.
STATUSES = ("holding", "weakening", "broken", "unknown")

# "As stated at publication": the claim's own figure checked against the data of its window.
AS_STATED = ("confirmed", "contradicted", "uncheckable")


def sign_of(direction: str) -> int:
    """+1 when the claim wants its series to rise, -1 when to fall, 0 for levels and 'stable'."""
    return {"up": 1, "outperform": 1, "high": 1, "down": -1, "underperform": -1, "low": -1}.get(direction, 0)
