"""The extraction pipeline as one spaCy Language: the English model + our registered components.

    tok2vec → tagger → parser → attribute_ruler → lemmatizer → ner      (en_core_web_sm)
    → company_linker (companies.py) → sector_tagger (sectors.py) → claim_extractor (claims.py)

Each component writes one Doc extension (the JSON contract of ``tracker extract``):
``doc._.companies`` [{name, canonical, ticker, company_key, start, end, confidence}],
``doc._.tickers`` [str as written], ``doc._.sectors`` [{sector, confidence}],
``doc._.claims`` [{sentence, start, end, subject, subject_norm, subject_ticker, metric, direction,
magnitude, horizon, benchmark, hedged, negated, sectors, confidence}].
"""

from __future__ import annotations

from spacy.tokens import Doc

for _ext in ("companies", "tickers", "sectors", "claims"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)

# Importing the modules registers their @Language.factory components.
from tracker.nlp import claims as _claims  # noqa: E402,F401
from tracker.nlp import companies as _companies  # noqa: E402,F401
from tracker.nlp import sectors as _sectors  # noqa: E402,F401

COMPONENTS = ("company_linker", "sector_tagger", "claim_extractor")


def build_pipeline(master, settings=None):
    """A fresh Language with our components; ``master`` is a tracker.nlp.securities.Master."""
    import spacy

    from tracker.nlp.models import load_spacy

    base = load_spacy()
    # A fresh copy so the cached base stays clean (cheap: same vocab and weights via bytes).
    nlp = spacy.blank("en") if base is None else base
    from tracker.nlp.claim_rules import ensure_line_sentences

    ensure_line_sentences(nlp)  # line breaks end sentences (headlines, bullets, quote rows) before parsing
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    for name in COMPONENTS:
        comp = nlp.get_pipe(name)
        if hasattr(comp, "bind"):
            comp.bind(master=master, settings=settings)
    return nlp
