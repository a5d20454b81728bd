"""company_linker: companies and tickers in text, linked to the securities master. (Stub until issue 3.)"""

from __future__ import annotations

from spacy.language import Language


class CompanyLinker:
    def __init__(self, nlp, name):
        self.master = None

    def bind(self, master=None, settings=None):
        self.master = master

    def __call__(self, doc):
        doc._.companies = []
        doc._.tickers = []
        return doc


@Language.factory("company_linker", assigns=["doc._.companies", "doc._.tickers"])
def make_company_linker(nlp, name):
    return CompanyLinker(nlp, name)
