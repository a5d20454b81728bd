"""sector_tagger: vocabulary file, securities-master adapter, and tags on written examples."""

from __future__ import annotations

import re

import pytest

from tracker import defaults as D
from tracker.errors import ModelError
from tracker.nlp.sectors import company_sector, load_spec, master_record
from tracker.vocab import SECTORS


class DictMaster:
    """Stand-in for tracker.securities.Master: records by symbol via ``company_of_symbol``."""

    def __init__(self, rows: dict[str, dict]):
        self.rows = rows

    def company_of_symbol(self, ticker):
        return self.rows.get(ticker)


def test_sectors_file_covers_the_vocabulary():
    spec = load_spec()
    assert spec.names == SECTORS
    for name, desc in zip(spec.names, spec.descriptions):
        assert len(desc) > 20, name
        if name != "other":
            assert spec.keywords[name], name
    # every master label maps to exactly one sector of ours
    assert spec.master["semiconductors & semiconductor equipment"] == "semiconductors"
    assert spec.master["banks"] == "banks"


def test_unreadable_or_foreign_sectors_file(tmp_path):
    bad = tmp_path / "sectors.toml"
    bad.write_text("[sectors.semiconductors\ndescription = 'x'")
    with pytest.raises(ModelError, match="sectors.toml"):
        load_spec(str(bad))
    bad.write_text("[sectors.spaceships]\ndescription = 'rockets'\n")
    with pytest.raises(ModelError, match="spaceships"):
        load_spec(str(bad))


@pytest.mark.parametrize("text, names", [
    ("[sectors]\nsemiconductors = 'chips'\n", "[sectors.semiconductors] is not a table"),
    ("[sectors.semiconductors]\nkeywords = 'chip'\n", "keywords in [sectors.semiconductors] is not a list of strings"),
    ("[sectors.semiconductors]\nmaster = [1, 2]\n", "master in [sectors.semiconductors] is not a list of strings"),
    ("ignore = ['retail investors']\n[sectors.semiconductors]\n", "[ignore] is not a table"),
    ("[sectors.semiconductors]\n[commodity_prices]\nwords = 'iron'\n",
     "words in [commodity_prices] is not a list of strings"),
])
def test_malformed_sectors_file_is_a_model_error_naming_the_section(tmp_path, text, names):
    """Regression: a section of the wrong shape (the [ignore] and [commodity_prices] tables added for the sector
    precision work, or a sector's lists) raised AttributeError or was read one character at a time."""
    bad = tmp_path / "sectors.toml"
    bad.write_text(text)
    with pytest.raises(ModelError, match=re.escape(names)):
        load_spec(str(bad))


def test_master_adapter_prefers_the_most_specific_label():
    spec = load_spec()
    master = DictMaster({
        "2330.TW": {"sector": "Information Technology", "industry_group": "Semiconductors & Semiconductor Equipment",
                    "industry": "Semiconductors & Semiconductor Equipment"},
        "XOM": {"sector": "Energy", "industry": "Oil, Gas & Consumable Fuels"},
        "ODD": {"sector": "Something Else"},
    })
    assert company_sector(master, {"ticker": "2330.TW"}, spec) == "semiconductors"
    assert company_sector(master, {"ticker": "XOM"}, spec) == "oil_gas"  # industry before sector ("Energy")
    assert company_sector(master, {"ticker": "ODD"}, spec) is None
    assert company_sector(master, {"ticker": "NOPE"}, spec) is None
    assert company_sector(master, {"ticker": None}, spec) is None
    assert company_sector(None, {"ticker": "XOM"}, spec) is None
    assert master_record(master, {"ticker": "0000.XX"}) is None
    # a company dict that carries its own sector fields needs no master
    assert company_sector(None, {"ticker": "X", "industry": "Insurance"}, spec) == "insurance"


@pytest.mark.models
def test_real_master_gives_linked_companies_their_sector():
    """Regression: the tagger once looked the master up under names it does not have, so no company
    ever contributed its sector. The real Master is found by company_key, also when the ticker is null."""
    from tracker.securities import load_master

    spec = load_spec()
    master = load_master(None)
    assert company_sector(master, {"ticker": "2330.TW", "company_key": "2330.TW"}, spec) == "semiconductors"
    assert company_sector(master, {"ticker": None, "company_key": "7203.T"}, spec) == "automotive"
    assert company_sector(master, {"ticker": "NOPE.XX", "company_key": None}, spec) is None




@pytest.fixture(scope="module")
def nlp():
    from tracker.nlp.pipeline import build_pipeline

    return build_pipeline(None)


def doc_before(nlp, text, stop, companies=None):
    """The Doc after the components before ``stop`` (companies, if given, replace the linker's)."""
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name == stop:
            break
        doc = proc(doc)
        if name == "company_linker" and companies is not None:
            doc._.companies = companies
    return doc


def tag(nlp, text, companies=None, master=None):
    tagger = nlp.get_pipe("sector_tagger")
    tagger.bind(master=master)
    try:
        return doc_before(nlp, text, "claim_extractor", companies)._.sectors
    finally:
        tagger.bind(master=None)


@pytest.mark.models
def test_text_evidence(nlp):
    tags = tag(nlp, "Bank shares slid as bond yields jumped after the central bank signalled more rate hikes; "
                    "lenders' net interest margins are expected to widen.")
    names = [t["sector"] for t in tags]
    assert "banks" in names and "macro_rates" in names
    assert all(t["confidence"] >= D.SECTOR_MIN_CONFIDENCE for t in tags)
    assert [t["confidence"] for t in tags] == sorted((t["confidence"] for t in tags), reverse=True)


@pytest.mark.models
def test_company_sector_from_master(nlp):
    text = "Hoshizaki said quarterly results were in line with its plan."
    companies = [{"name": "Hoshizaki", "canonical": "Hoshizaki", "ticker": "6465.T", "company_key": "6465.T",
                  "start": 0, "end": 9, "confidence": 0.9}]
    master = DictMaster({"6465.T": {"sector": "Industrials", "industry": "Machinery"}})
    without = {t["sector"] for t in tag(nlp, text, companies)}
    with_master = {t["sector"]: t["confidence"] for t in tag(nlp, text, companies, master)}
    assert "industrials" not in without
    assert with_master["industrials"] >= D.SECTOR_COMPANY_WEIGHT - 1e-9


@pytest.mark.models
@pytest.mark.parametrize("text", ["", "   ", "12 34 56", "株価は5%上昇した。"])
def test_odd_text_gets_no_sector(nlp, text):
    """Nothing to go on (empty, numbers, a language the keywords are not in): no sector is guessed."""
    assert tag(nlp, text) == []


@pytest.mark.models
def test_keyword_used_as_a_verb_does_not_count(nlp):
    tagger = nlp.get_pipe("sector_tagger")
    doc = doc_before(nlp, "The team won the match.", "company_linker")
    assert "currency" not in tagger.scorer.keyword_hits(doc)


def hits_of(nlp, text, companies=None):
    """Keyword hits the tagger counts in a text (companies, if given, replace the linker's)."""
    return nlp.get_pipe("sector_tagger").scorer.keyword_hits(doc_before(nlp, text, "sector_tagger", companies))


@pytest.mark.models
def test_phrase_holding_a_keyword_that_names_no_theme_does_not_count(nlp):
    """'retail investors' are no retailers, 'constant currency' is no FX claim, 'EV/EBITDA' is no car, a
    'blue-chip' index no chipmaker, 'advanced packaging' no packaging maker: the [ignore] phrases swallow them."""
    hits = hits_of(nlp, "Retail investors sold a net 3 billion rupees of shares in the blue-chip index. Sales grew "
                        "4% in constant currency, the stock trades at 9x EV/EBITDA and advanced packaging "
                        "revenue doubled.")
    for sector in ("retail", "currency", "automotive", "semiconductors", "materials"):
        assert sector not in hits, (sector, hits)


@pytest.mark.models
def test_keyword_inside_a_company_name_does_not_count(nlp):
    text = "Northwind Energy Systems said quarterly orders rose 12%."
    companies = [{"name": "Northwind Energy Systems", "canonical": "Northwind Energy Systems", "ticker": "NWES",
                  "company_key": "NWES", "start": 0, "end": 24, "confidence": 0.9}]
    assert "energy" in hits_of(nlp, text, companies=[])
    assert "energy" not in hits_of(nlp, text, companies=companies)


@pytest.mark.models
def test_trade_tariffs_and_index_futures_are_no_utility_or_commodity(nlp):
    hits = hits_of(nlp, "US tariffs on imported cars took a bite out of profit, and Nikkei futures point to a "
                        "lower open. Manage your subscription in the settings page.")
    assert "utilities" not in hits and "commodities" not in hits and "software" not in hits
    assert "utilities" in hits_of(nlp, "The regulator approved higher power tariffs for the grid operator.")


@pytest.mark.models
def test_one_passing_industry_word_beside_companies_of_another_industry_is_not_a_sector(nlp):
    """A lender's results that mention 'cloud' once are not about software; said twice, or a theme no
    company carries ('AI', 'inflation'), one word still counts."""
    master = DictMaster({"FRB": {"sector": "Financials", "industry": "Banks"}})
    companies = [{"name": "Fjordbank", "canonical": "Fjordbank", "ticker": "FRB", "company_key": "FRB",
                  "start": 0, "end": 9, "confidence": 0.9}]
    once = "Fjordbank said net interest income rose 8%, and it will move its branches' records to the cloud."
    twice = once + " Cloud spending will double next year as the cloud migration speeds up."
    theme = "Fjordbank said net interest income rose 8% as inflation stayed high, and it will invest more in AI."
    assert "software" not in {t["sector"] for t in tag(nlp, once, companies, master)}
    assert "software" in {t["sector"] for t in tag(nlp, twice, companies, master)}
    got = {t["sector"] for t in tag(nlp, theme, companies, master)}
    assert {"banks", "macro_rates", "ai"} <= got


@pytest.mark.models
def test_price_of_a_raw_material_is_a_commodities_claim(nlp):
    """'iron ore prices', 'the London zinc price', '$63 a barrel' are commodity prices (labelling rule); the
    words still count for their industry, and a price that is no raw material's is no commodity."""
    hits = hits_of(nlp, "Iron ore prices rebounded, and Brent crude fell 2.1% to $63.40 a barrel.")
    assert hits.get("commodities") == 2 and "oil_gas" in hits and "mining" in hits
    assert "commodities" not in hits_of(nlp, "The share price fell 3% and the average selling price of flats "
                                             "slipped, though 2 million people a year visit.")
