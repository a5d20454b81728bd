"""The extraction pipeline as one spaCy Language: the English model + our registered components.

    tok2vec → tagger → parser → attribute_ruler → lemmatizer → ner      (en_core_web_sm)
    → company_linker (companies/) → sector_tagger (sectors.py) → claim_extractor (claims.py)

Each component writes one Doc extension (the JSON contract of ``tracker extract``):
``doc._.companies`` [{name, canonical, ticker, company_key, start, end, confidence}],
``doc._.tickers`` [str as written], ``doc._.sectors`` [{sector, confidence}],
``doc._.claims`` [{sentence, start, end, subject, subject_norm, subject_ticker, metric, direction,
magnitude, horizon, benchmark, hedged, negated, sectors, confidence}].

One extension is read: ``doc._.date``, the document's publication date (a ``datetime.date``; None means
today). The company linker needs it for names that changed hands ("GMO Internet" is 9449.T until 2021 and
4784.T from 2025). Set it on a Doc made with ``nlp.make_doc(text)`` before running the pipeline over it
(``nlp.pipe`` accepts Docs); ``Extractor.extract(texts, dates=...)`` does that.
"""

from __future__ import annotations

from spacy.tokens import Doc

for _ext in ("companies", "tickers", "sectors", "claims", "date"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)

# Importing the modules registers their @Language.factory components.
from tracker.nlp import claims as _claims  # noqa: E402,F401
from tracker.nlp import companies as _companies  # noqa: E402,F401
from tracker.nlp import sectors as _sectors  # noqa: E402,F401

COMPONENTS = ("company_linker", "sector_tagger", "claim_extractor")


def build_pipeline(master, settings=None):
    """The process's spaCy model with our components added (once) and bound to ``master``
    (a tracker.securities.Master). The model is loaded once per process and extended in place."""
    from tracker.nlp.claim_rules import ensure_line_sentences
    from tracker.nlp.models import load_spacy

    nlp = load_spacy()
    ensure_line_sentences(nlp)  # line breaks end sentences (headlines, bullets, quote rows) before parsing
    config = component_config(settings)
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True, config=config.get(name, {}))
    bind_components(nlp, master, settings)
    return nlp


def component_config(settings) -> dict[str, dict]:
    """The settings that reach the spaCy components through their factory config ([nlp] in tracker.toml)."""
    if settings is None:
        return {}
    return {"claim_extractor": {"min_confidence": settings.nlp.claim_min_confidence},
            "sector_tagger": {"min_confidence": settings.nlp.sector_min_confidence}}


def bind_components(nlp, master, settings=None) -> None:
    """Point every component that takes a securities master (and settings) at ``master``; the process keeps one
    pipeline, so settings that differ from the ones it was built with are applied to the components here."""
    config = component_config(settings)
    for name in nlp.pipe_names:
        comp = nlp.get_pipe(name)
        for key, value in config.get(name, {}).items():
            setattr(comp, key, value)
        if hasattr(comp, "bind"):
            comp.bind(master=master, settings=settings)
