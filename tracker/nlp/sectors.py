"""sector_tagger: sector/theme tags per article (and per claim) from a fixed vocabulary.

Three kinds of evidence, each turned into a probability-like score and combined by noisy-OR
(``1 - prod(1 - p)``), so independent evidence adds up and no single weak hint is enough:

- companies: the sector/industry of each linked company in the securities master, mapped to our
  vocabulary through the ``master`` strings of models/sectors.toml (industry before group before sector);
- keywords: the ``keywords`` of models/sectors.toml in the text (lower-case phrase match);
- embeddings: MiniLM vectors of the article's candidate sentences (shared with the claim extractor
  through tracker.nlp.embed) against the sector ``description`` vectors.

``doc._.sectors = [{"sector", "confidence"}]``, best first, at or above SECTOR_MIN_CONFIDENCE.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span
from spacy.util import filter_spans

from tracker import defaults as D
from tracker.nlp.doctext import doc_text
from tracker.errors import ModelError
from tracker.paths import models_dir
from tracker.vocab import SECTORS

# Single-word keywords that are also common verbs/function words: only counted when not used as a verb.
_AMOUNT_WORDS = frozenset(("million", "billion", "trillion", "bn", "mn", "m", "crore", "lakh", "per", "a", "the"))
_VERB_AMBIGUOUS = frozenset(("won", "lead", "store", "drug", "mine", "fed", "grid", "app", "platform", "office",
                             "cloud"))
_IGNORE = "_ignore"  # matcher label of the [ignore] phrases: a longer phrase that swallows a keyword


@dataclass(frozen=True)
class SectorSpec:
    names: tuple[str, ...]
    descriptions: tuple[str, ...]
    keywords: dict[str, tuple[str, ...]]
    master: dict[str, str]  # lower-case master sector/industry string -> our sector
    ignore: tuple[str, ...] = ()  # phrases holding a keyword that name no theme ("retail investors")
    price_words: frozenset[str] = frozenset()  # raw materials whose "price" is a commodities claim
    price_units: frozenset[str] = frozenset()  # "a barrel", "per tonne": a commodity's price


def sectors_file() -> Path:
    return models_dir() / "sectors.toml"


@functools.lru_cache(maxsize=4)
def load_spec(path: str | None = None) -> SectorSpec:
    p = Path(path) if path else sectors_file()
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
        data = doc["sectors"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as e:
        raise ModelError(f"sector descriptions {p} missing or unreadable ({type(e).__name__}: {e}): restore "
                         "models/sectors.toml from git ('git checkout -- models/sectors.toml')") from None
    unknown = sorted(set(_table(data, "[sectors]", p)) - set(SECTORS))
    if unknown:
        raise ModelError(f"{p} names sectors outside the vocabulary: {unknown}; use only {', '.join(SECTORS)}")
    names = tuple(s for s in SECTORS if s in data)
    tables = {s: _table(data[s], f"[sectors.{s}]", p) for s in names}
    master = {label: s for s in names for label in _words(tables[s], "master", f"[sectors.{s}]", p)}
    ignore = _table(doc.get("ignore", {}), "[ignore]", p)
    prices = _table(doc.get("commodity_prices", {}), "[commodity_prices]", p)
    return SectorSpec(names=names,
                      descriptions=tuple(tables[s].get("description", s) for s in names),
                      keywords={s: _words(tables[s], "keywords", f"[sectors.{s}]", p) for s in names},
                      master=master,
                      ignore=_words(ignore, "phrases", "[ignore]", p),
                      price_words=frozenset(_words(prices, "words", "[commodity_prices]", p)),
                      price_units=frozenset(_words(prices, "units", "[commodity_prices]", p)))


def _malformed(p: Path, what: str) -> ModelError:
    return ModelError(f"sector descriptions {p} are malformed: {what}; restore models/sectors.toml from git "
                      "('git checkout -- models/sectors.toml')")


def _table(value, where: str, p: Path) -> dict:
    if not isinstance(value, dict):
        raise _malformed(p, f"{where} is not a table")
    return value


def _words(table: dict, key: str, where: str, p: Path) -> tuple[str, ...]:
    """``table[key]``, a list of strings (lower-cased); empty when absent."""
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _malformed(p, f"{key} in {where} is not a list of strings")
    return tuple(v.lower() for v in value)


@functools.lru_cache(maxsize=4)
def description_vectors(path: str | None = None) -> np.ndarray:
    from tracker.nlp.embed import encode_texts

    spec = load_spec(path)
    return np.asarray(encode_texts([f"{n.replace('_', ' ')}: {d}" for n, d in zip(spec.names, spec.descriptions)]))


# ---------------------------------------------------------------- securities-master adapter

def _field(rec, name):
    if rec is None:
        return None
    if isinstance(rec, dict):
        return rec.get(name)
    return getattr(rec, name, None)


def master_record(master, company: dict):
    """The securities master's record (a Company with sector/industry) for a linked mention:
    by its company_key (set even when only foreign lines are known), else by its ticker."""
    if master is None:
        return None
    key = company.get("company_key")
    companies = getattr(master, "companies", None) or {}
    if key and key in companies:
        return companies[key]
    ticker = company.get("ticker")
    return master.company_of_symbol(ticker) if ticker else None


def company_sector(master, company: dict, spec: SectorSpec) -> str | None:
    """Our sector for a linked company: its own sector fields if it carries them, else the master's record."""
    rec = company if any(company.get(k) for k in ("sector", "industry", "industry_group")) else \
        master_record(master, company)
    for key in ("industry", "industry_group", "sector"):
        val = _field(rec, key)
        if isinstance(val, str) and val.lower() in spec.master:
            return spec.master[val.lower()]
        if isinstance(val, str) and val.lower() in spec.names:
            return val.lower()
    return None


# ---------------------------------------------------------------- scoring


class SectorScorer:
    """Scores sectors for a text range of a Doc: keywords, linked companies and embedding similarity."""

    def __init__(self, vocab, spec: SectorSpec, master=None):
        self.spec = spec
        self.master = master
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for s in spec.names:
            pats = [k for k in spec.keywords[s]]
            if pats:
                self.matcher.add(s, [vocab_make(vocab, p) for p in pats])
        if spec.ignore:
            self.matcher.add(_IGNORE, [vocab_make(vocab, p) for p in spec.ignore])

    def keyword_hits(self, doc, start_char: int = 0, end_char: int | None = None) -> dict[str, int]:
        end_char = float("inf") if end_char is None else end_char
        hits: dict[str, int] = {}
        names = [(c["start"], c["end"]) for c in (doc._.companies or []) if "start" in c and "end" in c]
        for span in self._matches(doc):
            if span.start_char < start_char or span.end_char > end_char or span.label_ == _IGNORE:
                continue
            if any(a < span.end_char and span.start_char < b for a, b in names):
                continue  # part of a company's name ("LG Energy Solution"): the company's own sector speaks for it
            first = span[0]
            if len(span) == 1 and first.lower_ in _VERB_AMBIGUOUS and first.pos_ in ("VERB", "AUX", "ADP"):
                continue
            if span.label_ == "currency" and span.start > 0 and (
                    doc[span.start - 1].like_num or doc[span.start - 1].lower_ in _AMOUNT_WORDS):
                continue  # "1.9 trillion won", "$1.17 per dollar" are amounts, not a currency theme
            hits[span.label_] = hits.get(span.label_, 0) + 1
        n = self.commodity_prices(doc, start_char, end_char)
        if n:
            hits["commodities"] = hits.get("commodities", 0) + n
        return hits

    def commodity_prices(self, doc, start_char: int = 0, end_char: float = float("inf")) -> int:
        """Prices of raw materials ([commodity_prices] of models/sectors.toml): "iron ore prices", "the London
        zinc price", "$63 a barrel". Counted apart from the keywords, so "oil" still counts for oil_gas."""
        found = doc.user_data.get("tracker_commodity_prices")
        if found is None:
            words, units = self.spec.price_words, self.spec.price_units
            found = [t.idx for t in doc
                     if (t.lower_ in ("price", "prices") and any(w.lower_ in words for w in doc[max(t.i - 3, 0):t.i]))
                     or (t.lower_ in units and t.i > 0 and doc[t.i - 1].lower_ in ("a", "an", "per"))]
            doc.user_data["tracker_commodity_prices"] = found
        return sum(start_char <= i < end_char for i in found)

    def _matches(self, doc):
        """Keyword matches, longest first where they overlap ("central bank" is not a "bank")."""
        cached = doc.user_data.get("tracker_sector_matches")
        if cached is None:
            spans = [Span(doc, a, b, label=match_id) for match_id, a, b in self.matcher(doc)]
            cached = [(s.start, s.end, s.label_) for s in filter_spans(spans)]
            doc.user_data["tracker_sector_matches"] = cached
        return [Span(doc, a, b, label=lab) for a, b, lab in cached]

    def combine(self, hits: dict[str, int], company_sectors: list[str], sims: np.ndarray | None,
                weights=None, passing: bool = False) -> dict[str, float]:
        """Noisy-OR of the evidence. ``passing``: read a single keyword of an industry as a passing mention
        (see ``is_passing``)."""
        w = weights or (D.SECTOR_KEYWORD_WEIGHT, D.SECTOR_COMPANY_WEIGHT, D.SECTOR_EMBED_WEIGHT)
        miss: dict[str, float] = {}
        for s, n in hits.items():
            one = D.SECTOR_PASSING_WEIGHT if passing and self.is_passing(s, n, company_sectors) else w[0]
            miss[s] = miss.get(s, 1.0) * ((1 - one) if n == 1 else (1 - w[0]) ** n)
        for s in company_sectors:
            miss[s] = miss.get(s, 1.0) * (1 - w[1])
        if sims is not None:
            for s, sim in zip(self.spec.names, sims):
                p = w[2] * float(np.clip((sim - D.SECTOR_EMBED_FLOOR) / D.SECTOR_EMBED_SPAN, 0, 1))
                if p > 0 and s != "other":
                    miss[s] = miss.get(s, 1.0) * (1 - p)
        return {s: 1 - m for s, m in miss.items()}

    def is_passing(self, sector: str, n_hits: int, company_sectors: list[str]) -> bool:
        """One word of an industry the securities master can give (it has ``master`` labels), in a passage whose
        linked companies have known sectors, none of them this one: a passing mention ("cloud" in a bank's
        results, "chip" in a carmaker's). Themes no company carries (macro_rates, currency, commodities,
        emerging_markets, ai, ...) have only words for evidence, and one of them still counts."""
        return n_hits == 1 and bool(company_sectors) and sector not in company_sectors and \
            sector in self._industries

    @functools.cached_property
    def _industries(self) -> frozenset[str]:
        return frozenset(self.spec.master.values())

    def company_sectors(self, companies: list[dict]) -> list[str]:
        out = []
        for c in companies or []:
            s = company_sector(self.master, c, self.spec)
            if s:
                out.append(s)
        return out


def vocab_make(vocab, text: str):
    """A Doc for a keyword pattern tokenised like the text (cheap: tokenizer only)."""
    return _tokenizer_for(vocab)(text)


@functools.lru_cache(maxsize=2)
def _tokenizer_for(vocab):
    from spacy.lang.en import English

    return English(vocab=vocab).tokenizer


def lead_spans(doc) -> list:
    """The sentences embedded for the article's theme: its first units (headline and lede). Tuned on the
    train split (models/claims/tune_sectors.py): more sentences cost encoder time and gained nothing."""
    from tracker.nlp.claim_rules import sentence_units

    return sentence_units(doc)[: D.SECTOR_EMBED_SENTENCES]


class SectorTagger:
    def __init__(self, nlp, name, min_confidence: float = D.SECTOR_MIN_CONFIDENCE, use_embeddings: bool = True):
        self.name = name
        self.vocab = nlp.vocab
        self.min_confidence = min_confidence
        self.use_embeddings = use_embeddings
        self.master = None
        self._scorer: SectorScorer | None = None

    def bind(self, master=None, settings=None):
        self.master = master
        self._scorer = None

    @property
    def scorer(self) -> SectorScorer:
        if self._scorer is None:
            self._scorer = SectorScorer(self.vocab, load_spec(), self.master)
        return self._scorer

    def _text_evidence(self, doc):
        sc = self.scorer
        return sc.keyword_hits(doc), sc.company_sectors(doc._.companies or [])

    def _wants_embedding(self, doc, hits, comps) -> bool:
        """Encode the lead only where keywords and companies leave the theme open (fewer than
        SECTOR_EMBED_UNLESS tags): where they already settle it, the encoder time buys nothing."""
        if not self.use_embeddings or not doc_text(doc).strip():
            return False
        settled = sum(p >= self.min_confidence for p in self.scorer.combine(hits, comps, None, passing=True).values())
        return settled < D.SECTOR_EMBED_UNLESS

    def score(self, doc) -> dict[str, float]:
        if not doc_text(doc).strip():
            return {}
        hits, comps = self._text_evidence(doc)
        sims = None
        if self._wants_embedding(doc, hits, comps):
            from tracker.nlp.embed import embed_spans

            spans = lead_spans(doc)
            if spans:
                # best cosine of a lead sentence to each description (as tuned by tune_sectors.py)
                sims = (embed_spans(doc, spans) @ description_vectors().T).max(axis=0)
        return self.scorer.combine(hits, comps, sims, passing=True)

    def pipe(self, docs, batch_size: int = 32):
        from spacy.util import minibatch

        from tracker.nlp.embed import embed_many

        for batch in minibatch(docs, size=batch_size):
            embed_many([(d, lead_spans(d)) for d in batch if self._wants_embedding(d, *self._text_evidence(d))])
            yield from (self(d) for d in batch)

    def __call__(self, doc):
        scores = self.score(doc)
        doc._.sectors = [{"sector": s, "confidence": round(p, 3)}
                         for s, p in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
                         if p >= self.min_confidence]
        return doc


@Language.factory("sector_tagger", assigns=["doc._.sectors"],
                  default_config={"min_confidence": D.SECTOR_MIN_CONFIDENCE, "use_embeddings": True})
def make_sector_tagger(nlp, name, min_confidence: float, use_embeddings: bool):
    return SectorTagger(nlp, name, min_confidence=min_confidence, use_embeddings=use_embeddings)
