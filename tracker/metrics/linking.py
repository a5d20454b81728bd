"""Link each claim to the series that measures it (models/metrics.toml + models/benchmarks.toml).

``link_for(claim, baseline, securities)`` is pure apart from securities look-ups: it decides the subject's kind
(macro series, index, company, group of companies), picks the catalogue's recipe for (kind, metric), resolves the
benchmark of relative claims (the index named, else the home market's) and builds a one-line explanation. A claim
that cannot be linked gets the reason instead. ``link_claims(store, settings)`` links the claims that need it
(new, changed since their link, or never linked), never overwrites a user's link (``tracker link``), and asks the
metric refresh for every series the links read, from ``baseline - history_days``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from tracker.errors import LinkError
from tracker.metrics import catalogue as cat
from tracker.metrics.series import close_id, statement_id
from tracker.vocab import COMPANY_METRICS, MARKET_METRICS, RELATIVE_DIRECTIONS

_PEERS = re.compile(r"\b(peers?|industry|sector|rivals?|competitors?|the group|its group|consensus|estimates?)\b", re.I)
_FIGURE = re.compile(r"[+\-−]?\d+(?:\.\d+)?\s?%")
BASKET_SIZE = 8


@dataclass
class Link:
    recipe: str | None
    symbols: list[str] = field(default_factory=list)
    benchmark: str | None = None
    series: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    baseline_date: str | None = None
    explanation: str | None = None
    proxy: bool = False
    proxy_label: str | None = None
    unlinked_reason: str | None = None

    @classmethod
    def unlinked(cls, reason: str, baseline: date | None = None) -> "Link":
        return cls(recipe=None, unlinked_reason=reason, baseline_date=baseline.isoformat() if baseline else None)

    def row(self) -> dict:
        d = asdict(self)
        d["symbols"], d["series"], d["params"] = json.dumps(self.symbols), json.dumps(self.series), json.dumps(self.params)
        d["proxy"] = int(self.proxy)
        return d


class Securities:
    """Securities-master look-ups for links: names for explanations, and baskets by country and sector."""

    def __init__(self, conn):
        self.conn = conn
        self._names: dict[str, str | None] = {}
        self._rows = None

    def name(self, symbol: str) -> str | None:
        if symbol not in self._names:
            row = self.conn.execute("SELECT name FROM securities WHERE symbol = ?", [symbol]).fetchone()
            ix = cat.by_symbol(symbol)
            self._names[symbol] = row[0] if row else (ix.name if ix else None)
        return self._names[symbol]

    def _listings(self) -> list[tuple]:
        rows = self.conn.execute("SELECT symbol, country, sector, industry, market_cap, source FROM securities "
                                 "WHERE is_primary = 1").fetchall()
        if rows:
            return rows
        # no master built into the store yet: the curated list that ships with the tracker
        import csv

        from tracker.paths import models_dir

        with open(models_dir() / "securities" / "curated.csv", encoding="utf-8") as fh:
            return [(r["symbol"], r["country"], r["sector"], None, None, "curated") for r in csv.DictReader(fh)]

    def _primary_rows(self) -> list[tuple]:
        if self._rows is None:
            from tracker.nlp.sectors import load_spec

            spec = load_spec()
            order = {"Mega Cap": 0, "Large Cap": 1, "Mid Cap": 2, "Small Cap": 3, "Micro Cap": 4, "Nano Cap": 5}
            rows = []
            for symbol, country, sector, industry, cap, source in self._listings():
                ours = next((spec.master[v.lower()] for v in (industry, sector) if v and v.lower() in spec.master),
                            sector if sector in spec.names else None)
                if ours:
                    rows.append(((country or "").lower(), ours, source != "curated", order.get(cap or "", 6), symbol))
            self._rows = sorted(rows, key=lambda r: (r[2], r[3], r[4]))
        return self._rows

    def basket(self, countries: list[str], sectors: list[str], exclude: str | None = None) -> list[str]:
        """Up to BASKET_SIZE home listings in ``countries`` and ``sectors`` (curated and larger companies first),
        taken round-robin over the countries so each is represented."""
        per = {c: [r[4] for r in self._primary_rows() if r[0] == c and r[1] in sectors and r[4] != exclude]
               for c in countries}
        out: list[str] = []
        while any(per.values()) and len(out) < BASKET_SIZE:
            for c in countries:
                if per[c] and len(out) < BASKET_SIZE:
                    out.append(per[c].pop(0))
        return out


def _named(symbol: str, sec: Securities) -> str:
    name = sec.name(symbol)
    return f"{name} ({symbol})" if name and name != symbol else symbol


def link_for(claim: dict, baseline: date | None, sec: Securities) -> Link:
    """The link of one claim (a claims row as a dict) measured from ``baseline``."""
    if baseline is None:
        return Link.unlinked("no baseline date: the article has no publication or fetch date")
    metric, subject = claim["metric"], (claim.get("subject") or "").strip()
    sentence = claim.get("sentence") or ""
    since = f"since {baseline.isoformat()}"
    base = baseline.isoformat()

    macro = None
    if metric in ("rate", "other", "volatility", "price_return"):
        macro = cat.find_macro(subject) or (cat.find_macro(sentence) if metric in ("rate", "other") else None)
    index = (cat.find_index(subject) or cat.country_market(subject)) if not macro else None
    if index is not None and not index.markets and cat.countries_in(subject) and cat.sectors_in(subject):
        index = None  # "Korean chip stocks": that country's sector (a basket), not a global sector index
    ticker = claim.get("subject_ticker")
    attributed = None
    if not ticker and not index and not macro and metric in COMPANY_METRICS and claim.get("article_main_ticker") \
            and claim.get("article_companies") == 1 and not cat.find_group(subject):
        # a bare company figure ("Revenue at the cloud unit", "EBIT covers interest") in an article about one
        # company: that company's figure
        ticker = attributed = claim["article_main_ticker"]
    if macro:
        kind = "macro"
    elif index and not (ticker and metric not in MARKET_METRICS):
        kind = "index"
    elif ticker:
        kind = "company"
    elif cat.find_group(subject) or (cat.sectors_in(subject) and cat.countries_in(f"{subject} {sentence}")):
        kind = "group"
    else:
        why = "no listing is known for it" if subject else "the claim has no subject"
        return Link.unlinked(f"no series for '{subject or sentence[:60]}' ({metric}): {why}", baseline)
    spec = cat.recipe_for(metric, kind)
    if spec is None:
        return Link.unlinked(f"no {metric} series for a {kind} subject ('{subject}'): the catalogue "
                             "(models/metrics.toml) has no recipe for it", baseline)
    recipe = spec["recipe"]
    relative = recipe == "relative" or claim.get("direction") in RELATIVE_DIRECTIONS and recipe in ("close", "group")

    # --- the subject's own series
    if kind == "macro":
        return Link("macro", [macro.series], None, [macro.series], {"kind": macro.kind, "invert": macro.invert},
                    base, f"{macro.label} {since}")
    if kind == "index":
        symbols, subject_text, proxy_label = [index.symbol], f"{index.name} ({index.symbol})", (index.name if index.proxy else None)
    elif kind == "company":
        symbols, subject_text, proxy_label = [ticker], _named(ticker, sec), None
        if attributed:
            subject_text += " (the company the article is about)"
    else:
        group = cat.find_group(subject)
        if group and group.symbol:
            symbols, subject_text, proxy_label = [group.symbol], group.symbol, group.label
        else:
            countries = cat.countries_in(f"{subject} {sentence}") or cat.countries_in(sentence)
            sectors = [s for s in cat.sectors_in(subject) or cat.sectors_in(sentence) if s != "ai"] or \
                ["semiconductors"] * ("ai" in cat.sectors_in(subject))
            symbols = sec.basket(countries, sectors)
            if not symbols:
                return Link.unlinked(f"no listed {'/'.join(sectors) or 'companies'} in "
                                     f"{' or '.join(countries) or 'any market'} in the securities master for "
                                     f"'{subject}' (run 'tracker securities update')", baseline)
            where = " and ".join(c.title() for c in countries)
            subject_text = f"equal-weight basket of {len(symbols)} {where} {'/'.join(sectors)} stocks ({', '.join(symbols)})"
            proxy_label = f"{subject_text}, a proxy for {subject}"
        recipe = "group" if recipe == "group" else recipe
    proxy = proxy_label is not None or bool(spec.get("proxy"))
    if spec.get("proxy"):
        proxy_label = f"{proxy_label + '; ' if proxy_label else ''}{spec['proxy']}"
    params = {k: v for k, v in spec.items() if k not in ("recipe", "proxy", "words")}
    for phrase, fld in (spec.get("words") or {}).items():
        if re.search(rf"\b{re.escape(phrase)}\b", f"{subject} {sentence}", re.I):
            params["numerator" if "numerator" in params else "field"] = fld
            break

    # --- statement recipes
    if recipe.startswith("statement") or recipe == "valuation":
        sym = symbols[0]
        if recipe == "statement_ratio":
            series = [statement_id(sym, params["numerator"]), statement_id(sym, params["denominator"])]
            what = f"quarterly {params['numerator']} / {params['denominator']} of {subject_text}"
        elif recipe == "valuation":
            series = [close_id(sym), statement_id(sym, params["field"])]
            what = f"close / trailing four quarters of {params['field']} of {subject_text} (P/E)"
        else:
            series = [statement_id(sym, params["field"])]
            what = (f"year-on-year change of quarterly {params['field']} of {subject_text}"
                    if recipe == "statement_growth" else f"quarterly {params['field']} of {subject_text}")
        figure = _FIGURE.search(claim.get("benchmark") or "")
        if claim.get("direction") in RELATIVE_DIRECTIONS and recipe == "statement_growth":
            value = figure.group(0) if figure else (claim.get("magnitude") if _PEERS.search(claim.get("benchmark") or "") else None)
            if value and _FIGURE.search(value):
                params["threshold"] = float(_FIGURE.search(value).group(0).rstrip("%").replace("−", "-"))
                what += f", against the stated {params['threshold']:g}% of {claim.get('benchmark') or 'its benchmark'}"
        return Link(recipe, symbols, None, series, params, base, f"{what}, latest quarter vs. the quarter before "
                    f"{base}" if recipe != "valuation" else f"{what} {since}", proxy, proxy_label)

    if recipe == "volatility":
        return Link("volatility", symbols, None, [close_id(symbols[0])], params, base,
                    f"20-session realised volatility of {subject_text} {since}", proxy, proxy_label)

    # --- price-like recipes: close, group (ETF or basket), relative
    if relative:
        bench = _benchmark(claim, kind, symbols, sec, cat.find_group(subject))
        if bench is None:
            return Link.unlinked(f"no benchmark for the relative claim on '{subject}': name an index or set one "
                                 "with 'tracker link CLAIM_ID --benchmark SYMBOL'", baseline)
        bench_symbol, note = bench
        series = [close_id(s) for s in symbols] + [close_id(bench_symbol)]
        return Link("relative", symbols, bench_symbol, series, params, base,
                    f"close of {subject_text} relative to {_named(bench_symbol, sec)}{note} {since}", proxy,
                    proxy_label)
    name = "close" if len(symbols) == 1 else "group"
    return Link(name, symbols, None, [close_id(s) for s in symbols], params, base,
                f"close of {subject_text} {since}" if name == "close" else f"{subject_text} {since}", proxy,
                proxy_label)


def _benchmark(claim: dict, kind: str, symbols: list[str], sec: Securities, group) -> tuple[str, str] | None:
    text = claim.get("benchmark") or ""
    ix = cat.find_index(text)
    if ix and ix.symbol not in symbols:
        return ix.symbol, ""
    if group is not None and group.benchmark:
        return group.benchmark, ""
    if kind == "company":
        home = cat.default_benchmark(symbols[0])
        if home:
            why = f"; '{text}' names no index, the home market's benchmark stands in" if text else ""
            return home.symbol, why
    if kind in ("index", "group"):
        if re.search(r"\b(large[- ]caps?|broad|the index|the market|benchmark)\b", f"{text} {claim.get('sentence')}", re.I):
            if "ex-japan" in (claim.get("subject") or "").lower().replace(" ", "-") or "EWX" in symbols:
                return "AAXJ", ""
        return ("^GSPC", "") if "^GSPC" not in symbols else None
    return None


def wants(link: Link, history_days: int) -> dict[str, str]:
    """The series a link reads and the first date each is needed from (statements: three years back)."""
    if not link.recipe or not link.baseline_date:
        return {}
    base = date.fromisoformat(link.baseline_date)
    out = {}
    for s in link.series:
        back = max(history_days, 3 * 366) if s.startswith("stmt:") else history_days
        out[s] = (base - timedelta(days=back)).isoformat()
    return out


def baseline_of(claim: dict) -> date | None:
    """A claim's baseline date: its own ``since`` (user claims), else its article's publication, else the fetch."""
    from tracker.timeutil import parse_iso

    for key in ("since", "article_published_at", "article_fetched_at", "created_at"):
        value = claim.get(key)
        if value:
            dt = parse_iso(value) if "T" in value else None
            try:
                return dt.date() if dt else date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


@dataclass
class LinkReport:
    linked: int = 0
    unlinked: int = 0
    proxies: int = 0
    series_new: int = 0

    def summary(self) -> str:
        return (f"link: {self.linked} claims linked ({self.proxies} through a proxy), {self.unlinked} without a "
                f"series; {self.series_new} new series to fetch")


def link_claims(store, settings, *, relink: bool = False, claim_ids=None) -> LinkReport:
    """Link the claims that need it and request their series. Users' links are kept as they are."""
    from tracker.store import links as lq
    from tracker.store import metrics as mq

    report = LinkReport()
    sec = Securities(store.conn)
    rows, wanted = [], {}
    for claim in lq.claims_to_link(store, relink=relink, claim_ids=claim_ids):
        link = link_for(claim, baseline_of(claim), sec)
        rows.append((claim["id"], link.row()))
        if link.recipe:
            report.linked += 1
            report.proxies += link.proxy
            for sid, since in wants(link, settings.metrics.history_days).items():
                wanted[sid] = min(since, wanted.get(sid, since))
        else:
            report.unlinked += 1
    if rows:
        lq.save(store, rows)
    report.series_new = mq.request(store, wanted) if wanted else 0
    return report


def user_link(store, settings, claim_id: int, symbols: list[str], *, benchmark: str | None = None,
              recipe: str | None = None) -> Link:
    """``tracker link CLAIM_ID --symbols ...``: the user's own series for a claim, kept over automatic linking."""
    from tracker.store import links as lq
    from tracker.store import metrics as mq

    rows = lq.claims_to_link(store, relink=True, claim_ids=[claim_id]) or [dict(r) for r in store.db.query(
        "SELECT c.*, a.published_at AS article_published_at, a.fetched_at AS article_fetched_at FROM claims c "
        "LEFT JOIN articles a ON a.id = c.article_id WHERE c.id = ?", [claim_id])]
    if not rows:
        raise LinkError(f"no claim {claim_id}: see 'tracker claims' for ids")
    claim = rows[0]
    symbols = [s.strip() for s in symbols if s.strip()]
    if not symbols:
        raise LinkError("give at least one symbol: tracker link CLAIM_ID --symbols 7203.T")
    recipe = recipe or ("relative" if benchmark else ("close" if len(symbols) == 1 else "group"))
    if recipe not in ("close", "relative", "group", "volatility"):
        raise LinkError(f"--recipe {recipe!r} is not one of close, relative, group, volatility")
    if recipe == "relative" and not benchmark:
        raise LinkError("a relative link needs --benchmark SYMBOL")
    base = baseline_of(claim)
    sec = Securities(store.conn)
    series = [close_id(s) for s in symbols] + ([close_id(benchmark)] if benchmark else [])
    what = ", ".join(_named(s, sec) for s in symbols)
    rel = f" relative to {_named(benchmark, sec)}" if benchmark else ""
    link = Link(recipe, symbols, benchmark, series, {}, base.isoformat() if base else None,
                f"close of {what}{rel} since {base} (set by the user)")
    lq.save(store, [(claim_id, link.row())], source="user")
    mq.request(store, wants(link, settings.metrics.history_days))
    return link
