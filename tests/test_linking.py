"""Linking claims to series: the claims of the article this product was started from, and the rules around them."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.metrics import catalogue as cat
from tracker.metrics.linking import Securities, link_for, user_link, wants
from tracker.timeutil import iso

PUB = date(2025, 12, 21)


def claim(subject, metric, direction, **kw):
    return {"subject": subject, "metric": metric, "direction": direction, "sentence": kw.pop("sentence", subject),
            "subject_ticker": kw.pop("ticker", None), "magnitude": kw.pop("magnitude", None),
            "benchmark": kw.pop("benchmark", None), **kw}


@pytest.fixture
def sec(store):
    rows = [("2330.TW", "Taiwan Semiconductor Manufacturing", "Taiwan", "semiconductors"),
            ("2454.TW", "MediaTek", "Taiwan", "semiconductors"),
            ("005930.KS", "Samsung Electronics", "South Korea", "semiconductors"),
            ("000660.KS", "SK hynix", "South Korea", "semiconductors"),
            ("012330.KS", "Hyundai Mobis", "South Korea", "auto_components"),
            ("002284.SZ", "Zhejiang Asia-Pacific Mechanical & Electronic", "China", "auto_components"),
            ("4784.T", "GMO Internet, Inc.", "Japan", "internet")]
    with store.transaction() as db:
        for sym, name, country, sector in rows:
            db["securities"].insert({"symbol": sym, "name": name, "company_key": sym, "country": country,
                                     "sector": sector, "is_primary": 1, "source": "curated", "updated_at": iso()})
    return Securities(store.conn)


def test_small_caps_up_14pct_ytd_link_to_a_labelled_etf_proxy(sec):
    link = link_for(claim("Asia ex-Japan small caps", "price_return", "up", magnitude="14%",
                          horizon="year-to-date"), PUB, sec)
    assert (link.recipe, link.symbols, link.proxy) == ("close", ["EWX"], True)
    assert "proxy for Asia ex-Japan small caps" in link.proxy_label and link.series == ["close:EWX"]


def test_small_caps_beating_a_flat_broad_index_is_relative_to_asia_ex_japan(sec):
    link = link_for(claim("Asia ex-Japan small caps", "relative_return", "outperform",
                          benchmark="the broad index", sentence="Asia ex-Japan small caps are up 14% while the broad "
                          "index is flat"), PUB, sec)
    assert (link.recipe, link.symbols, link.benchmark) == ("relative", ["EWX"], "AAXJ")
    flat = link_for(claim("the broad MSCI Asia ex-Japan index", "index_level", "stable"), PUB, sec)
    assert (flat.recipe, flat.symbols, flat.proxy) == ("close", ["AAXJ"], True)


def test_hang_seng_one_session_fall(sec):
    link = link_for(claim("The Hang Seng", "index_level", "down", magnitude="8%", horizon="in a single session"), PUB, sec)
    assert (link.recipe, link.symbols, link.proxy) == ("close", ["^HSI"], False)
    assert link.explanation == "close of Hang Seng Index (^HSI) since 2025-12-21"


def test_002284_earnings_far_above_its_industry_and_its_price_against_csi_300(sec):
    growth = link_for(claim("Zhejiang Asia-Pacific Mechanical & Electronic", "earnings_growth", "outperform",
                            ticker="002284.SZ", magnitude="8%", benchmark="its industry's 8%"), PUB, sec)
    assert (growth.recipe, growth.series, growth.params["threshold"]) == \
        ("statement_growth", ["stmt:002284.SZ:NetIncome"], 8.0)
    price = link_for(claim("Zhejiang Asia-Pacific", "relative_return", "outperform", ticker="002284.SZ"), PUB, sec)
    assert price.explanation == ("close of Zhejiang Asia-Pacific Mechanical & Electronic (002284.SZ) relative to "
                                 "CSI 300 (000300.SS) since 2025-12-21")


def test_ai_chip_demand_lifting_taiwan_and_korea_suppliers_is_a_basket_proxy(sec):
    link = link_for(claim("AI chip demand", "demand", "up",
                          sentence="AI chip demand is lifting Taiwanese and Korean suppliers."), PUB, sec)
    assert link.recipe == "group" and link.proxy
    assert link.symbols == ["000660.KS", "2330.TW", "005930.KS", "2454.TW"]  # round-robin over both markets
    assert "proxy for AI chip demand" in link.proxy_label and "share prices, a proxy for demand" in link.proxy_label


def test_gmo_internet_interest_cover_and_free_cash_flow(sec):
    cover = link_for(claim("GMO Internet", "interest_coverage", "high", ticker="4784.T", magnitude="56x",
                           sentence="GMO Internet's EBIT covers its interest expense 56 times"), PUB, sec)
    assert (cover.recipe, cover.series) == ("statement_ratio", ["stmt:4784.T:EBIT", "stmt:4784.T:InterestExpense"])
    assert cover.params["floor"] == 1.5 and "GMO Internet, Inc. (4784.T)" in cover.explanation
    fcf = link_for(claim("GMO Internet", "free_cash_flow", "high", ticker="4784.T"), PUB, sec)
    assert (fcf.recipe, fcf.series, fcf.params["floor"]) == ("statement_level", ["stmt:4784.T:FreeCashFlow"], 0.0)


def test_rate_cut_expectations_and_currency_direction(sec):
    cuts = link_for(claim("expectations of rate cuts", "rate", "down",
                          sentence="Expectations of rate cuts jumped after the jobs report."), PUB, sec)
    assert (cuts.recipe, cuts.series, cuts.params["kind"]) == ("macro", ["macro:DGS2"], "rate")
    yen = link_for(claim("the yen", "other", "up", sentence="The yen strengthened."), PUB, sec)
    assert (yen.series, yen.params["invert"]) == (["close:JPY=X"], True)


def test_unlinkable_claims_keep_the_reason(sec):
    assert "no listing is known" in link_for(claim("OpenAI", "revenue_growth", "up"), PUB, sec).unlinked_reason
    assert "no baseline date" in link_for(claim("Toyota", "price_return", "up", ticker="7203.T"), None, sec).unlinked_reason
    idx = link_for(claim("The Nikkei", "margin", "up"), PUB, sec)
    assert idx.recipe is None and "no margin series for a index subject" in idx.unlinked_reason


def test_wants_reach_back_for_volatility_and_statements(sec):
    link = link_for(claim("GMO Internet", "interest_coverage", "high", ticker="4784.T"), PUB, sec)
    assert wants(link, 400) == {"stmt:4784.T:EBIT": "2022-12-19", "stmt:4784.T:InterestExpense": "2022-12-19"}


def test_catalogue_names_every_index_the_issue_lists():
    for name, symbol in [("Hang Seng", "^HSI"), ("Kospi", "^KS11"), ("Taiex", "^TWII"), ("Nikkei 225", "^N225"),
                         ("CSI 300", "000300.SS"), ("Nifty 50", "^NSEI"), ("S&P 500", "^GSPC"),
                         ("Philadelphia semiconductor index", "^SOX"), ("MSCI Asia ex-Japan", "AAXJ")]:
        assert cat.find_index(name).symbol == symbol, name
    assert cat.default_benchmark("0700.HK").symbol == "^HSI" and cat.default_benchmark("005930.KS").symbol == "^KS11"


def test_user_link_overrides_and_survives_relinking(store, settings, sec):
    from tracker.metrics.linking import link_claims
    from tracker.store import extractions as xq

    with store.transaction() as db:
        story = db.execute("INSERT INTO stories (title, created_at) VALUES ('t', ?)", [iso()]).lastrowid
        a = db.execute("INSERT INTO articles (story_id, title, text, content_hash, fetched_at, published_at) VALUES "
                       "(?, 't', 'x', 'h', ?, '2025-12-21T01:00:00Z')", [story, iso()]).lastrowid
    xq.save_extraction(store, a, {"claims": [{"sentence": "Chipmakers rallied.", "start": 0, "end": 19,
                                              "subject": "Chipmakers", "subject_norm": "chipmakers",
                                              "metric": "price_return", "direction": "up", "confidence": 0.7}]},
                       {"t": "1"}, published=PUB)
    cid = store.conn.execute("SELECT id FROM claims").fetchone()[0]
    assert link_claims(store, settings).linked == 1  # "chipmakers" -> the SOX index
    user_link(store, settings, cid, ["2330.TW", "005930.KS"])
    link_claims(store, settings, relink=True)
    row = store.db.query("SELECT * FROM claim_links").__next__()
    assert (row["source"], row["recipe"], row["symbols"]) == ("user", "group", '["2330.TW", "005930.KS"]')
    assert "set by the user" in row["explanation"]


def test_a_bare_company_figure_in_a_one_company_article_is_that_companys(sec):
    link = link_for(claim("Revenue at the cloud intelligence unit", "revenue_growth", "up",
                          article_main_ticker="4784.T", article_companies=1), PUB, sec)
    assert link.series == ["stmt:4784.T:TotalRevenue"] and "(the company the article is about)" in link.explanation
    several = link_for(claim("Revenue", "revenue_growth", "up", article_main_ticker="4784.T", article_companies=3),
                       PUB, sec)
    assert several.recipe is None  # with several companies in the article, whose revenue is not guessed


def test_a_countrys_market_as_a_whole_is_its_index(sec):
    assert link_for(claim("Hong Kong-listed shares", "price_return", "down"), PUB, sec).symbols == ["^HSI"]
    assert link_for(claim("Indian equities", "price_return", "up"), PUB, sec).symbols == ["^NSEI"]
    assert link_for(claim("Korean chip stocks", "price_return", "up", sentence="Korean chip stocks rallied"),
                    PUB, sec).recipe == "group"  # a sector inside the market: a basket, not the index
