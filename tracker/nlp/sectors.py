"""sector_tagger: sector/theme tags per article. (Stub until issue 4.)"""

from __future__ import annotations

from spacy.language import Language


class SectorTagger:
    def __init__(self, nlp, name):
        pass

    def __call__(self, doc):
        doc._.sectors = []
        return doc


@Language.factory("sector_tagger", assigns=["doc._.sectors"])
def make_sector_tagger(nlp, name):
    return SectorTagger(nlp, name)
