"""Claim subjects: which company a claim is about, and the referent of pronouns and generic nouns."""

from __future__ import annotations

import pytest

from tests.test_claims import company as mention
from tracker.nlp.subjects import referent, resolve


TEXT = ("Novo Nordisk cut its outlook. Novo Nordisk said sales would slow. Eli Lilly gained share. "
        "XSENTENCEX")
COMPANIES = [mention(TEXT, "Novo Nordisk", "NOVO-B.CO"), mention(TEXT, "Novo Nordisk", "NOVO-B.CO", 1),
             mention(TEXT, "Eli Lilly", "LLY")]
S0 = TEXT.index("XSENTENCEX")


def at(subject: str | None, metric: str = "price_return", named: bool = False, offset: int = 0):
    span = (S0 + offset, S0 + offset + len(subject)) if subject else None
    return resolve(COMPANIES, S0, len(TEXT), subject, span, metric, named)


@pytest.mark.parametrize("subject, metric, expected", [
    ("The shares", "price_return", ("Novo Nordisk", "NOVO-B.CO")),   # the company most named, not the last
    ("it", "margin", ("Novo Nordisk", "NOVO-B.CO")),
    ("Its EV unit", "earnings_growth", ("Novo Nordisk EV unit", "NOVO-B.CO")),
    ("its shares", "price_return", ("Novo Nordisk", "NOVO-B.CO")),
    ("Revenue", "revenue_growth", ("Revenue", "NOVO-B.CO")),           # a company figure keeps its wording
    ("Deliveries", "demand", ("Deliveries", "NOVO-B.CO")),
    ("memory maker", "capex", ("memory maker", "NOVO-B.CO")),
    ("We", "earnings_growth", (None, "NOVO-B.CO")),                   # the writer is never the subject
    ("iron ore prices", "other", ("iron ore prices", None)),          # not a company figure: no ticker
    ("demand", "demand", ("demand", None)),
])
def test_referents_and_company_figures(subject, metric, expected):
    assert at(subject, metric) == expected


def test_a_named_subject_that_is_not_a_linked_company_gets_no_ticker():
    assert at("Singapore interest rates", "rate", named=True) == ("Singapore interest rates", None)
    assert at("Google Cloud revenue", "revenue_growth", named=True) == ("Google Cloud revenue", None)


def test_company_inside_the_subject_wins():
    text = "Shares of Toyota fell 3% while Honda rose."
    cos = [mention(text, "Toyota", "7203.T"), mention(text, "Honda", "7267.T")]
    assert resolve(cos, 0, len(text), "Shares of Toyota", (0, 16), "price_return", True) == ("Shares of Toyota", "7203.T")


def test_pronoun_takes_the_company_named_earlier_in_its_own_sentence():
    text = "Memory maker Micron gained 5.1%; its gross margin is expected to top 50%."
    cos = [mention(text, "Micron", "MU")]
    a = text.index("its gross")
    assert resolve(cos, 0, len(text), "its gross margin", (a, a + 16), "margin", False) == ("Micron gross margin", "MU")


def test_no_subject_takes_the_sentence_company_else_the_referent():
    text = "• Costco (NASDAQ: COST) comparable sales rose 6.4%."
    cos = [mention(text, "Costco", "COST")]
    assert resolve(cos, 0, len(text), None, None, "revenue_growth", False) == (None, "COST")
    assert at(None) == (None, "NOVO-B.CO")


def test_nothing_named_before_means_no_referent():
    assert referent([], 10, 0) is None
    assert resolve([], 0, 20, "The shares", (0, 10), "price_return", False) == ("The shares", None)


def test_referent_ties_go_to_the_latest():
    text = "Sony rose. Nintendo fell. The stock"
    cos = [mention(text, "Sony", "6758.T"), mention(text, "Nintendo", "7974.T")]
    assert referent(cos, text.index("The stock"), text.index("The stock"))["ticker"] == "7974.T"


def test_description_followed_by_the_name():
    text = "On the high street, clothing retailer Next raised its profit forecast; BP fell."
    cos = [mention(text, "Next", "NXT.L"), mention(text, "BP", "BP.L")]
    a = text.index("clothing")
    assert resolve(cos, 0, len(text), "clothing retailer", (a, a + 17), "earnings_growth", False) == \
        ("clothing retailer", "NXT.L")


@pytest.mark.parametrize("subject, metric", [
    ("Both companies", "capex"),            # several companies at once
    ("S&P 500", "valuation"),               # an index is not a company's figure
    ("central bank", "rate"),               # a central bank is not the bank named before
])
def test_no_company_ticker_for_groups_indices_and_central_banks(subject, metric):
    assert at(subject, metric) == (subject, None)
