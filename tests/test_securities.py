"""Securities master: curated list, merge of sources, listing kinds, update transactions, lookup."""

from __future__ import annotations

import bz2
import csv
import time
from datetime import date
from pathlib import Path

import pytest

from tracker import securities as S
from tracker.errors import SecuritiesError
from tracker.names import norm_tokens
from tracker.store import securities as sq

FIXTURE = Path(__file__).parent / "fixtures" / "securities" / "equities_small.csv"


def _rows(store):
    return {r["symbol"]: r for r in store.db.query("SELECT * FROM securities")}


# ------------------------------------------------------------------------------------ curated list
def test_curated_list_covers_regions_with_home_listings():
    rows = S.curated_rows()
    assert len(rows) >= 400
    assert len({r["symbol"] for r in rows}) == len(rows)
    by_country = {}
    for r in rows:
        by_country[r["country"]] = by_country.get(r["country"], 0) + 1
    for country, least in [("United States", 150), ("Japan", 60), ("South Korea", 30), ("Taiwan", 30),
                           ("China", 50), ("India", 40), ("Germany", 25), ("France", 25), ("United Kingdom", 30)]:
        assert by_country.get(country, 0) >= least, country
    for r in rows:  # Asian companies are curated with their home-market listing, never an ADR
        if r["country"] in ("Japan", "South Korea", "Taiwan", "India"):
            assert S.home_rank(r["symbol"], r["country"]) is not None, r["symbol"]


@pytest.mark.parametrize("alias, symbol", [
    ("TSMC", "2330.TW"), ("Samsung", "005930.KS"), ("SK Hynix", "000660.KS"), ("Hynix", "000660.KS"),
    ("Tencent", "0700.HK"), ("Alibaba", "9988.HK"), ("Reliance", "RELIANCE.NS"), ("Infosys", "INFY.NS"),
    ("Sony", "6758.T"), ("Toyota", "7203.T"), ("Foxconn", "2317.TW"), ("Google", "GOOGL"), ("Facebook", "META"),
])
def test_builtin_master_resolves_common_aliases(alias, symbol):
    m = S.builtin_master()
    assert m.resolve_text(alias) == [symbol]
    assert m.companies[symbol].home == symbol


# ------------------------------------------------------------------------------------ normalisation
@pytest.mark.parametrize("text, tokens", [
    ("Samsung's", ("samsung",)), ("L'Oréal", ("loreal",)), ("Procter & Gamble", ("procter", "and", "gamble")),
    ("Coca-Cola", ("coca", "cola")), ("Taiwan Semiconductor\nManufacturing", ("taiwan", "semiconductor", "manufacturing")),
    ("Nestlé", ("nestle",)), ("삼성전자", ("삼성전자",)),
])
def test_norm_tokens(text, tokens):
    assert norm_tokens(text) == tokens


def test_core_name_strips_legal_forms_and_grouping_words():
    assert S.core_tokens("Zhejiang Asia-Pacific Mechanical & Electronic Co., Ltd") == (
        "zhejiang", "asia", "pacific", "mechanical", "and", "electronic")
    assert S.core_tokens("Sony Group Corporation") == ("sony",)
    assert S.legal_tokens("Alibaba Group Holding Limited") == ("alibaba", "group", "holding")
    assert S.core_tokens("The Home Depot, Inc.") == ("home", "depot")


# ------------------------------------------------------------------------------------ listing kinds
@pytest.mark.parametrize("symbol, country, name, kind", [
    ("2330.TW", "Taiwan", "", "primary"), ("TSM", "Taiwan", "", "adr"), ("TSFA.DE", "Taiwan", "", "secondary"),
    ("IQ3.BE", "Japan", "", "secondary"), ("SAP.DE", "Germany", "", "primary"), ("SAP.F", "Germany", "", "secondary"),
    ("SMSN.IL", "South Korea", "Samsung GDR", "adr"), ("SAPGF", "Germany", "", "otc"), ("SIEGY", "Germany", "", "otc"),
    ("0700.HK", "China", "", "primary"), ("RELIANCE.BO", "India", "", "primary"), ("AAPL", "United States", "", "primary"),
    ("0LEA.L", "Japan", "", "secondary"), ("TM.BA", "Japan", "", "secondary"), ("AAPL.MX", "United States", "", "secondary"),
])
def test_listing_kind_from_suffix_and_country(symbol, country, name, kind):
    assert S.listing_kind(symbol, country, name) == kind


def test_home_rank_prefers_nse_over_bse_and_a_shares_over_hong_kong():
    assert S.home_rank("INFY.NS", "India") < S.home_rank("INFY.BO", "India")
    assert S.home_rank("002594.SZ", "China") < S.home_rank("1211.HK", "China")
    assert S.home_rank("IQ3.BE", "Japan") is None


# ------------------------------------------------------------------------------------ update
def test_update_from_file_merges_groups_and_picks_home_listings(store):
    rep = S.update(store, from_file=FIXTURE, progress=False)
    assert rep.sources["financedatabase"] == 9  # the delisted row is skipped
    rows = _rows(store)
    assert "OLDX.L" not in rows
    # small cap with only its home listing
    z = rows["002284.SZ"]
    assert (z["is_primary"], z["listing_kind"], z["company_key"], z["market_cap"]) == (1, "primary", "002284.SZ", "Small Cap")
    assert "brake" in z["description"]
    # German lines of a Japanese company join the curated home listing through the name
    for s in ("IQ3.BE", "IQ3.MU"):
        assert (rows[s]["company_key"], rows[s]["is_primary"], rows[s]["listing_kind"]) == ("9449.T", 0, "secondary")
    assert rows["9449.T"]["is_primary"] == 1
    # TSMC's German line never becomes primary
    assert (rows["TSFA.DE"]["company_key"], rows["TSFA.DE"]["is_primary"]) == ("2330.TW", 0)
    # a company known only through German lines has no home listing
    sw = [rows["SWK1.BE"], rows["SWK1.MU"]]
    assert {r["company_key"] for r in sw} == {sw[0]["company_key"]} and not any(r["is_primary"] for r in sw)
    # home listing on its own market wins over the Berlin line
    assert (rows["NORD.ST"]["is_primary"], rows["NORD.BE"]["is_primary"]) == (1, 0)
    assert rows["NORD.BE"]["company_key"] == "NORD.ST"
    assert rep.companies == len({r["company_key"] for r in rows.values()})
    assert "financedatabase 9" in rep.summary()


def test_update_is_idempotent(store):
    S.update(store, from_file=FIXTURE, progress=False)
    first = sorted(tuple(r.values()) for r in store.db.query("SELECT * FROM securities"))
    aliases = sorted(tuple(r.values()) for r in store.db.query("SELECT * FROM security_aliases"))
    time.sleep(1.1)  # a new updated_at would show
    S.update(store, from_file=FIXTURE, progress=False)
    assert sorted(tuple(r.values()) for r in store.db.query("SELECT * FROM securities")) == first
    assert sorted(tuple(r.values()) for r in store.db.query("SELECT * FROM security_aliases")) == aliases


def test_update_without_network_keeps_going_with_the_other_sources(store):
    rep = S.update(store, progress=False)  # tests block the network: FinanceDatabase cannot download
    assert any("FinanceDatabase could not be downloaded" in w for w in rep.warnings)
    assert "--from" in rep.summary()
    rows = _rows(store)
    assert rows["2330.TW"]["is_primary"] == 1 and rows["2330.TW"]["source"] == "curated"
    assert rep.sources["pytickersymbols"] > 1000
    assert sum(1 for r in rows.values() if r["source"] == "pytickersymbols") > 100


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _write_bz2(path: Path, text: str) -> Path:
    return _write(path, bz2.compress(text.encode()))


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.bz2", "does not exist"),
    (lambda d: d, "is not a file"),
    (lambda d: _write_bz2(d / "cols.bz2", "ticker,title\nAAPL,Apple\n"), "missing column(s) symbol, name, country, exchange"),
    (lambda d: _write(d / "trunc.bz2", bz2.compress(FIXTURE.read_bytes())[:300]), "truncated or corrupt"),
    (lambda d: _write(d / "junk.bz2", b"this is not bz2 at all"), "truncated or corrupt"),
    (lambda d: _write_bz2(d / "empty.bz2", "symbol,name,country,exchange\n"), "no usable equity rows"),
])
def test_bad_file_raises_clear_error_and_keeps_previous_master(store, tmp_path, make, message):
    S.update(store, from_file=FIXTURE, progress=False)
    before = sorted(tuple(r.values()) for r in store.db.query("SELECT * FROM securities"))
    with pytest.raises(SecuritiesError) as e:
        S.update(store, from_file=make(tmp_path), progress=False)
    assert message in str(e.value)
    assert sorted(tuple(r.values()) for r in store.db.query("SELECT * FROM securities")) == before


def test_failure_while_writing_rolls_back_to_previous_master(store, monkeypatch):
    """Regression: the delete + inserts are one transaction; a crash midway leaves the old master."""
    S.update(store, from_file=FIXTURE, progress=False)
    n = sq.count(store)
    import sqlite_utils

    orig_insert_all = sqlite_utils.db.Table.insert_all
    calls = {"n": 0}

    def failing_insert_all(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return orig_insert_all(self, *a, **k)

    monkeypatch.setattr(sqlite_utils.db.Table, "insert_all", failing_insert_all)
    with pytest.raises(RuntimeError, match="disk full"):
        S.update(store, from_file=FIXTURE, progress=False)
    monkeypatch.undo()
    assert sq.count(store) == n
    assert _rows(store)["002284.SZ"]["is_primary"] == 1


def test_fixture_has_the_financedatabase_columns():
    with FIXTURE.open() as f:
        cols = next(csv.reader(f))
    assert set(S.FD_REQUIRED) <= set(cols)


# ------------------------------------------------------------------------------------ lookup / master
def test_lookup_lists_home_listing_first(store):
    S.update(store, from_file=FIXTURE, progress=False)
    rows = S.lookup(store, "GMO Internet", on=date(2020, 1, 6))  # GMO Internet Group's name until 2021
    assert [r["symbol"] for r in rows][:1] == ["9449.T"]
    assert {r["symbol"] for r in rows} >= {"9449.T", "IQ3.BE", "IQ3.MU"}
    assert S.lookup(store, "tsfa.de")[0]["symbol"] == "2330.TW"
    assert S.lookup(store, "no such company anywhere") == []


def test_lookup_without_a_master_uses_the_builtin_one(store):
    rows = S.lookup(store, "Hynix")
    assert rows[0]["symbol"] == "000660.KS" and rows[0]["is_primary"] == 1


def test_load_master_from_store_is_cached_and_reflects_updates(store):
    S.update(store, from_file=FIXTURE, progress=False)
    m1 = S.load_master(store)
    assert m1 is S.load_master(store)
    assert m1.company_of_symbol("IQ3.BE").home == "9449.T"
    sw = m1.company_of_symbol("SWK1.BE")
    assert sw.home is None
    assert "widgets" in m1.description(sw.key)


def test_cli_update_and_lookup(tmp_path):
    from typer.testing import CliRunner

    from tracker.cli import app

    db = tmp_path / "t.db"
    r = CliRunner().invoke(app, ["--db", str(db), "securities", "update", "--from", str(FIXTURE), "--quiet"])
    assert r.exit_code == 0, r.output
    assert "securities master:" in r.output
    r = CliRunner().invoke(app, ["--db", str(db), "securities", "lookup", "Zhejiang Asia-Pacific Mechanical"])
    assert r.exit_code == 0 and "002284.SZ" in r.output and "home" in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    r = CliRunner().invoke(app, ["--db", str(db), "securities", "update", "--from", str(bad), "--quiet"])
    assert r.exit_code == 1
    assert "missing column(s)" in r.output


# ------------------------------------------------------------------------------------ the shared file
def shared_equities_file() -> Path | None:
    """../shared/data/financedatabase/equities.bz2 (also found from a git worktree one level deeper)."""
    from tests.conftest import REPO, SHARED

    for base in (SHARED, REPO.parent.parent / "shared"):
        p = base / "data" / "financedatabase" / "equities.bz2"
        if p.exists():
            return p
    return None


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    from tracker.store import open_store

    p = shared_equities_file()
    if p is None:
        pytest.skip("../shared/data/financedatabase/equities.bz2 not present")
    st = open_store(tmp_path_factory.mktemp("shared") / "master.db")
    S.update(st, from_file=p, progress=False)
    yield st
    st.close()


def test_shared_file_small_caps_resolve_to_home_listings(shared_store):
    assert S.lookup(shared_store, "Zhejiang Asia-Pacific Mechanical & Electronic")[0]["symbol"] == "002284.SZ"
    gmo = S.lookup(shared_store, "GMO Internet Group")
    assert gmo[0]["symbol"] == "9449.T" and gmo[0]["is_primary"] == 1
    assert all(r["listing_kind"] == "secondary" for r in gmo[1:])
    assert S.lookup(shared_store, "GMO Internet", on=date(2020, 1, 6))[0]["symbol"] == "9449.T"
    assert S.lookup(shared_store, "GMO Internet", on=date(2025, 6, 2))[0]["symbol"] == "4784.T"
    assert S.lookup(shared_store, "GMO Pepabo")[0]["symbol"] == "3633.T"
    tsmc = S.lookup(shared_store, "TSMC")
    assert tsmc[0]["symbol"] == "2330.TW" and sum(r["is_primary"] for r in tsmc) == 1


def test_shared_master_loads(shared_store):
    """The full master loads from the store (its load time is a benchmark figure, not a test: machines are noisy)."""
    S.clear_cache()
    m = S.load_master(shared_store)
    assert len(m) > 30_000


def test_curated_list_overrides_an_older_master_in_the_store(store, monkeypatch):
    """Regression: curated names and aliases take effect at load time, without `securities update`."""
    S.update(store, from_file=FIXTURE, progress=False)
    with store.transaction() as db:  # an older master that lacked the alias
        db.execute("DELETE FROM security_aliases WHERE alias_norm = 'hynix'")
        db.execute("UPDATE securities SET updated_at = 'old' WHERE symbol = '000660.KS'")
    m = S.load_master(store)
    assert m.resolve_text("Hynix") == ["000660.KS"]
    assert "word" in m.companies["AAPL"].flags
    assert m.resolve_text("OpenAI") == ["private:openai"] and m.companies["private:openai"].home is None


def test_lookup_finds_private_companies_with_no_listing(store):
    [r] = S.lookup(store, "ByteDance")
    assert (r["symbol"], r["listing_kind"], r["name"]) == (None, "private", "ByteDance")


# ------------------------------------------------------------------------------------ names with dates
def test_names_with_dates_resolve_by_date():
    m = S.builtin_master()
    on = lambda d: m.resolve_text("GMO Internet", date.fromisoformat(d))  # noqa: E731
    assert (on("2019-05-01"), on("2021-08-31"), on("2021-09-01"), on("2024-12-31"), on("2025-01-01")) == (
        ["9449.T"], ["9449.T"], ["9449.T"], ["9449.T"], ["4784.T"])
    assert m.resolve_text("GMO Internet Group", date(2019, 1, 1)) == ["9449.T"]  # a later name: its only holder
    assert m.resolve_text("Zomato", date(2026, 1, 1)) == ["ETERNAL.NS"]  # a former name keeps its company


def test_names_file_with_a_bad_date_is_a_clear_error(tmp_path):
    from tracker.securities import sources

    bad = tmp_path / "names.csv"
    bad.write_text("symbol,name,valid_from,valid_to\n9449.T,GMO Internet,,31/08/2021\n")
    with pytest.raises(SecuritiesError, match=r"line 2: dates must be YYYY-MM-DD"):
        sources._read_names(str(bad))
    bad.write_text("symbol,name,from,to\n")
    with pytest.raises(SecuritiesError, match="must have the columns symbol, name, valid_from, valid_to"):
        sources._read_names(str(bad))


def test_lookup_of_a_name_that_changed_hands_lists_the_holder_on_the_date_first(store):
    S.update(store, from_file=FIXTURE, progress=False)
    then = S.lookup(store, "GMO Internet", on=date(2020, 1, 6))
    assert then[0]["symbol"] == "9449.T" and {"IQ3.BE", "IQ3.MU"} <= {r["symbol"] for r in then}
    now = S.lookup(store, "GMO Internet", on=date(2025, 6, 2))
    assert now[0]["symbol"] == "4784.T" and "9449.T" in [r["symbol"] for r in now[1:]]


def test_cli_lookup_takes_a_date(tmp_path):
    from typer.testing import CliRunner

    from tracker.cli import app

    db = tmp_path / "t.db"
    (tmp_path / "t.toml").write_text("", encoding="utf-8")  # no feeds: nothing registered, nothing fetched
    init = ["--config", str(tmp_path / "t.toml"), "--db", str(db), "init"]
    assert CliRunner().invoke(app, init).exit_code == 0  # readers refuse a missing database
    r = CliRunner().invoke(app, ["--db", str(db), "securities", "lookup", "GMO Internet", "--date", "2019-03-01"])
    assert r.exit_code == 0 and r.output.splitlines()[0].startswith("9449.T")
    r = CliRunner().invoke(app, ["--db", str(db), "securities", "lookup", "GMO Internet", "--date", "1 March"])
    assert r.exit_code == 1 and "write it as YYYY-MM-DD" in r.output


def test_curated_list_covers_the_weak_areas_of_the_default_install():
    """Issue #12: listed companies the default install lacked (Chinese and Indian auto-parts makers, Japanese
    REITs, Korean/Taiwanese component makers, ASEAN and US mid caps) are curated with their home listings."""
    rows = S.curated_rows()
    count = lambda country, sector: sum(r["country"] == country and r["sector"] == sector for r in rows)  # noqa: E731
    assert count("China", "auto_components") >= 15 and count("India", "auto_components") >= 20
    assert count("Japan", "real_estate") >= 25 and count("Japan", "auto_components") >= 10
    assert count("South Korea", "auto_components") >= 5 and count("Taiwan", "semiconductors") >= 10
    assert sum(r["country"] in ("Malaysia", "Thailand", "Indonesia", "Singapore") for r in rows) >= 60
    assert sum(r["country"] == "United States" for r in rows) >= 400
    assert len({r["symbol"] for r in rows}) == len(rows)
    m = S.builtin_master()
    for name, symbol in [("Zhejiang Asia-Pacific Mechanical & Electronic", "002284.SZ"),
                         ("Zhejiang Asia-Pacific", "002284.SZ"), ("Fuyao Glass", "3606.HK"),
                         ("Sona BLW", "SONACOMS.NS"), ("Japan Metropolitan Fund", "8953.T"),
                         ("Hanon Systems", "018880.KS"), ("Texas Roadhouse", "TXRH")]:
        assert m.resolve_text(name) == [symbol], name


def test_private_companies_carry_flags():
    """A private company whose name is a word ('Vanguard') is decided by context like a curated one."""
    m = S.builtin_master()
    [key] = m.resolve_text("Vanguard")
    assert m.companies[key].home is None and "word" in m.companies[key].flags


def test_pytickersymbols_row_with_a_bare_number_takes_the_listed_code_and_its_market():
    """pytickersymbols gives Trend Micro the Yahoo symbol "4704" and the country "United States"; its listed code
    4704.T is the home line and Japan the country."""
    from tracker.securities.sources import pytickersymbols_rows

    rows = [r for r in pytickersymbols_rows() if r["name"] == "Trend Micro"]
    assert rows and rows[0]["symbol"] == "4704.T" and rows[0]["country"] == "Japan"
    assert not any(r["symbol"].isdigit() for r in pytickersymbols_rows())
