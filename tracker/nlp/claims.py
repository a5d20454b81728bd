"""claim_extractor: every checkable claim of a Doc, structured (``doc._.claims``).

Per sentence:
1. cheap gate (claim_rules.is_candidate): a number or a movement/comparison word, and not a question,
   disclaimer or quote widget. Only these sentences are embedded (MiniLM, cached per Doc).
2. rules (claim_rules.read_sentence): one claim per movement/comparison predicate of the dependency
   parse, with subject, metric, direction, magnitude (PERCENT/MONEY/multiples), horizon (DATE + phrases),
   benchmark, hedged and negated.
3. classifier (claim_model): is_claim / metric / direction heads on the sentence vector.

``mode`` picks what decides: "rules" (2 only), "classifier" (3 only: one claim per sentence, slots from the
sentence), "hybrid" (default: the classifier gates the rule claims, adds the claims the rules missed and
types the ones the rules could not). models/claims/compare.py scores the three on the dev split.

Each claim's subject ticker (and the referent of "it", "its margin", "the shares", "we") comes from
tracker.nlp.subjects.resolve over the Doc's linked companies.
"""

from __future__ import annotations

import numpy as np
from spacy.language import Language

from tracker import defaults as D
from tracker.nlp import claim_rules as R
from tracker.nlp.subjects import resolve as resolve_subject

MODES = ("rules", "classifier", "hybrid")
_NAMED_ENTS = frozenset(("ORG", "GPE", "NORP", "LOC", "PRODUCT", "FAC", "EVENT", "PERSON"))


class ClaimExtractor:
    def __init__(self, nlp, name, mode: str = "hybrid", min_confidence: float = D.CLAIM_MIN_CONFIDENCE):
        if mode not in MODES:
            from tracker.errors import ConfigError

            raise ConfigError(f"claim_extractor mode {mode!r} is not one of {MODES}: fix the pipeline config")
        self.name = name
        self.vocab = nlp.vocab
        self.mode = mode
        self.min_confidence = min_confidence
        self.master = None
        self._scorer = None

    def bind(self, master=None, settings=None):
        self.master = master
        self._scorer = None

    # -------------------------------------------------------------- helpers

    @property
    def scorer(self):
        if self._scorer is None:
            from tracker.nlp.sectors import SectorScorer, load_spec

            self._scorer = SectorScorer(self.vocab, load_spec(), self.master)
        return self._scorer

    def _heads(self):
        from tracker.nlp.claim_model import load_heads

        return load_heads()

    @staticmethod
    def _named(doc, span) -> bool:
        """The subject holds a proper noun or a named entity (sentence-initial capitals aside)."""
        if not span:
            return False
        toks = doc.char_span(span[0], span[1], alignment_mode="expand")
        # a place qualifying a figure ("US commercial revenue") or a short acronym ("AI server revenue") is
        # no name of its own
        return toks is not None and any(
            (t.ent_type_ in _NAMED_ENTS or (t.pos_ == "PROPN" and not t.is_sent_start))
            and t.ent_type_ not in ("GPE", "NORP", "LOC") and not (t.is_upper and t.is_alpha and len(t) <= 3) for t in toks)

    def _sectors_for(self, doc, sent, vec, companies, subject_span) -> list[str]:
        sc = self.scorer
        hits = sc.keyword_hits(doc, sent.start_char, sent.end_char)
        mine = [c for c in companies if c["start"] >= sent.start_char and c["end"] <= sent.end_char]
        if subject_span:
            mine = [c for c in mine if c["start"] < subject_span[1] and c["end"] > subject_span[0]] or mine
        sims = None
        if vec is not None:
            from tracker.nlp.sectors import description_vectors

            sims = description_vectors() @ vec
        scores = sc.combine(hits, sc.company_sectors(mine), sims)
        # the article's sectors that this sentence supports; else the sentence's own strong ones; else the
        # article's main sector (a claim inherits the article's theme)
        doc_sectors = [x["sector"] for x in (doc._.sectors or [])]
        out = [s for s in doc_sectors if scores.get(s, 0.0) >= D.CLAIM_SECTOR_SUPPORT]
        if not out:
            out = [s for s, p in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
                   if p >= D.SECTOR_MIN_CONFIDENCE][:2]
        return out or doc_sectors[:1]

    # -------------------------------------------------------------- main

    def _needs_classifier(self, sent, readings: list) -> bool:
        """Hybrid: ask the classifier only where it can change the outcome (saves most encoder time)."""
        if self.mode == "classifier":
            return True
        if not readings:  # the rules read nothing: the classifier may still find a claim with a percent/amount
            return any(e.label_ in ("PERCENT", "MONEY") for e in R.sentence_ents(sent))
        if len(readings) > 1:
            # several predicates read ("X rose 3% and Y fell"): a claim sentence, and one sentence vector cannot
            # type each claim; asking the classifier here scored lower on train and dev (models/claims/compare.py)
            return False
        return any(not c.metric_evidence or not c.direction_evidence or c.confidence < D.CLAIM_RULE_SURE
                   for c in readings)

    def _plan(self, doc):
        """Rules first: the candidate sentences, their rule readings, and which ones the classifier must see."""
        if not R.doc_text(doc).strip():
            return [], [], []
        sents = [s for s in R.sentence_units(doc) if R.is_candidate(s)]
        spans = [(c["start"], c["end"]) for c in (doc._.companies or [])]
        readings = [R.read_sentence(s, spans) for s in sents]
        ask = [] if self.mode == "rules" else [i for i, (s, r) in enumerate(zip(sents, readings))
                                                if self._needs_classifier(s, r)]
        return sents, readings, ask

    def claims_for(self, doc, plan=None) -> list[dict]:
        sents, readings, ask = plan if plan is not None else self._plan(doc)
        if not sents:
            return []
        companies = list(doc._.companies or [])
        scored: dict[int, tuple] = {}
        heads = None
        if ask:
            from tracker.nlp.claim_model import sentence_features

            heads = self._heads()
            x = sentence_features(doc, [sents[i] for i in ask])
            p_claim, p_metric, p_dir = heads.predict(x)
            for j, i in enumerate(ask):
                scored[i] = (float(p_claim[j]), p_metric[j], p_dir[j], x[j, :384])
        out: list[dict] = []
        for i, (sent, rule_claims) in enumerate(zip(sents, readings)):
            vec = None
            if i in scored:
                p, pm, pd, vec = scored[i]
                chosen = self._decide(sent, rule_claims, p, pm, pd, heads)
            else:
                chosen = [(c, c.confidence) for c in rule_claims]
            for c, conf in chosen:
                if conf < self.min_confidence:
                    continue
                out.append(self._as_dict(doc, sent, c, conf, companies, vec))
        return out

    def _decide(self, sent, rule_claims, p: float, pm: np.ndarray, pd: np.ndarray, heads):
        metric = heads.metrics[int(pm.argmax())]
        direction = heads.directions[int(pd.argmax())]
        if self.mode == "classifier" or (not rule_claims and p >= D.CLAIM_CLASSIFIER_ALONE):
            if p < 0.5 and self.mode == "classifier":
                return []
            s = R.sentence_slots(sent)
            c = R.RuleClaim(predicate=sent.root.i, direction=direction, metric=metric, metric_evidence=False,
                            subject=s["subject"], subject_span=s["subject_span"], magnitude=s["magnitude"],
                            horizon=s["horizon"], benchmark=None, hedged=s["hedged"], negated=s["negated"],
                            confidence=p)
            return [(c, p)]
        if p < D.CLAIM_GATE:
            return []
        chosen = []
        for c in rule_claims:
            if len(rule_claims) == 1:
                # one claim: where the rules only guessed, the classifier types it
                if not c.metric_evidence and float(pm.max()) >= D.CLAIM_TYPE_OVERRIDE:
                    c.metric = metric
                if not c.direction_evidence and float(pd.max()) >= D.CLAIM_TYPE_OVERRIDE:
                    c.direction = direction
                elif float(pd.max()) >= D.CLAIM_DIRECTION_OVERRIDE:
                    c.direction = direction
            chosen.append((c, round(0.5 * c.confidence + 0.5 * p, 3)))
        return chosen

    def _as_dict(self, doc, sent, c: R.RuleClaim, conf: float, companies, vec) -> dict:
        text = R.doc_text(doc)
        a, b = sent.start_char, sent.end_char
        while b > a and text[b - 1].isspace():
            b -= 1
        while a < b and text[a].isspace():
            a += 1
        subject, ticker = resolve_subject(companies, sent.start_char, sent.end_char, c.subject, c.subject_span,
                                          c.metric, self._named(doc, c.subject_span))
        return {
            "sentence": text[a:b], "start": a, "end": b,
            "subject": subject, "subject_norm": R.normalise_subject(subject),
            "subject_ticker": ticker,
            "metric": c.metric, "direction": c.direction,
            "magnitude": c.magnitude, "horizon": c.horizon, "benchmark": c.benchmark,
            "hedged": bool(c.hedged), "negated": bool(c.negated),
            "sectors": self._sectors_for(doc, sent, vec, companies, c.subject_span),
            "confidence": round(float(conf), 3),
        }

    def __call__(self, doc):
        if self.mode != "rules":
            self._heads()  # a missing or corrupt artefact fails on every doc, not only on hard sentences
        doc._.claims = self.claims_for(doc)
        return doc

    def pipe(self, docs, batch_size: int = 32):
        """Rules for a batch of docs, then one encoder call for all the sentences the classifier must see."""
        from spacy.util import minibatch

        from tracker.nlp.embed import embed_many

        for batch in minibatch(docs, size=batch_size):
            plans = [self._plan(d) for d in batch]
            if self.mode != "rules":
                self._heads()  # a missing artefact fails here, before any encoding
                embed_many([(d, [p[0][i] for i in p[2]]) for d, p in zip(batch, plans) if p[2]])
            for d, p in zip(batch, plans):
                d._.claims = self.claims_for(d, p)
                yield d


@Language.factory("claim_extractor", assigns=["doc._.claims"],
                  default_config={"mode": "hybrid", "min_confidence": D.CLAIM_MIN_CONFIDENCE})
def make_claim_extractor(nlp, name, mode: str, min_confidence: float):
    return ClaimExtractor(nlp, name, mode=mode, min_confidence=min_confidence)
