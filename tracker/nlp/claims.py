"""claim_extractor: structured checkable claims. (Stub until issue 4.)"""

from __future__ import annotations

from spacy.language import Language


class ClaimExtractor:
    def __init__(self, nlp, name):
        pass

    def __call__(self, doc):
        doc._.claims = []
        return doc


@Language.factory("claim_extractor", assigns=["doc._.claims"])
def make_claim_extractor(nlp, name):
    return ClaimExtractor(nlp, name)
