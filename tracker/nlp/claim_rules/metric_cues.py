"""Metric words of the fourth labelled batch (commentary by others), kept apart from lexicon.METRIC_KEYWORDS so
that the classifier's keyword feature is unchanged: each group is placed before a group of the main table, and
_metric_of reads the merged table. Also: which prices are of a commodity or property (price_return) rather than of a
product (other), and units that are no metric ("¥30 per share")."""

from __future__ import annotations

import re

from tracker.nlp.claim_rules.lexicon import METRIC_KEYWORDS

# (metric, words, the metric of the main-table group they go before; None: before the whole table)
_ADDITIONS: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    # a proportion of something is no move of that thing ("China's share of sales fell to 36%"); an exchange's or a
    # railway's turnover is an activity figure, not sales; a freight index is a price of shipping, not an equity
    # index; a tariff is a price of a service or a trade duty
    ("other", ("share of", "daily turnover", "transport turnover", "freight index", "tariff", "tariffs"), None),
    # sales measures named by their initials or as a "volume" of goods sold (before "volume" is read as demand)
    ("revenue_growth", ("gross merchandise volume", "gross gaming revenue", "ggr", "ttv", "rev"), "demand"),
    # quantities sold or used, not money: volumes, cars delivered, riders, visitors, loans paid out
    ("demand", ("sales volume", "sales volumes", "volume", "volume growth", "cars", "ridership", "visitation",
                "arrivals", "transactions", "disbursements", "depletions"), "demand"),
    # an equity index named with the words "stock", "share" or a sector (before "stock"/"share" read as a share price)
    ("index_level", ("stock index", "share index", "share average", "sub-index", "subindex", "reit index",
                     "financials index", "sector index"), "price_return"),
)


def _merged() -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = [(m, kws) for m, kws, before in _ADDITIONS if before is None]
    placed = {i for i, (_, _, before) in enumerate(_ADDITIONS) if before is None}
    for metric, kws in METRIC_KEYWORDS:
        for i, (m, words, before) in enumerate(_ADDITIONS):
            if i not in placed and before == metric:
                out.append((m, words))
                placed.add(i)
        out.append((metric, kws))
    return tuple(out)


METRIC_TABLE = _merged()

# prices of these are price_return (labelling README: "the price of a share, commodity or property"); the bare
# "prices"/"price" of anything else are a product's prices ("other")
COMMODITY_WORDS = frozenset(
    "coal rebar coil hot-rolled petcoke fuel diesel gasoline manganese cobalt metal metals ore steel iron "
    "corn cotton crude oil gas lithium copper nickel zinc aluminium aluminum gold silver palladium platinum "
    "home homes house housing residential property apartment apartments office".split())

PRICE_WORDS = frozenset(("prices", "price", "pricing"))

# a unit that is no share price: "a dividend of ¥30 per share", "Rs 10 a share"
_PER_SHARE = re.compile(r" (?:per|a|each) share ")


def without_units(text: str) -> str:
    """``text`` (lower-case words between spaces) without per-share units."""
    return _PER_SHARE.sub(" ", text)


def commodity_price(text: str) -> bool:
    """Whether a phrase about a price names a commodity or property ("hot-rolled coil prices", "the average
    selling price of coal", "residential prices")."""
    return any(w in COMMODITY_WORDS for w in text.split())


# objects of a price move that are no thing of their own ("added 2.6%", "pared gains", "lost ground")
_MOVE_OBJECTS = frozenset("% percent pct gains gain losses loss ground value points point cent".split())


def company_default(pred, default: str | None, subject_toks) -> str | None:
    """The metric of a company's move when no metric word is written, where the verb says it is no share price:
    a company that "grows" grows its business ("Ferrari is still growing at 12%"), and one that "added 272 stores" or
    "kept its buyback at $3bn" moved a thing of its own (its object), which names no metric."""
    if default != "price_return" or pred.pos_ != "VERB":
        return default
    named = any(t.pos_ == "PROPN" or t.ent_type_ == "ORG" for t in subject_toks)  # a company, not "capacity"
    if named and pred.lemma_.lower() in ("grow", "expand") and not any(c.dep_ == "dobj" for c in pred.children):
        return "revenue_growth"
    for c in pred.children:
        if c.dep_ == "dobj" and c.pos_ == "NOUN" and c.lower_ not in _MOVE_OBJECTS and not any(
                x.ent_type_ in ("PERCENT", "MONEY", "ORG") or x.pos_ == "PROPN"
                for x in c.subtree):  # "ASML gained 2.4% and defence group Rheinmetall 3.1%": a second stock
            return "other"
    return default
