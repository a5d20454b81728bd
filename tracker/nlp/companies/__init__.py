"""company_linker: companies and tickers in text, linked to the securities master.

Three kinds of evidence, each with character offsets into ``doc.text``:

1. explicit tickers: cashtags (``$NVDA``), exchange-qualified codes (``NASDAQ: MSFT``, ``HK:1211``,
   ``KRX:005930``, ``TYO: 7203``, ``NSE: RELIANCE``), Yahoo symbols (``2330.TW``) and Bloomberg codes
   (``6758 JP``). They go to ``doc._.tickers`` as written and, when the master knows them, become mentions.
2. names: a longest-match scan of the text's normalised words against the master's alias index
   (a dict keyed by token tuples; no fuzzy matching needed on the hot path). Possessives, legal forms
   ("Co., Ltd.", "Inc."), line breaks inside a name and accents are absorbed by the normalisation.
   Phrases in models/securities/not_companies.txt (central banks, agencies, indices, page chrome)
   win over any overlapping name.
3. short forms after a first mention: a parenthesised acronym or the distinctive first word of a
   long name, valid for the rest of the document.

Common-word names ("Apple", "Target", "Shell", "Next") and names only the big external lists know are
kept only with context: a legal form or ticker next to them, the company named unambiguously elsewhere
in the text, spaCy's NER label, finance words around them, and finally the cosine similarity between the
text around the mention and the company's description (MiniLM via ``embed_spans``), which also picks
between companies that share a name.

Each mention: {name (as written), canonical, ticker (home listing, or None when only foreign secondary
lines are known), company_key, start, end, confidence}. Every occurrence is kept.

Modules: ``tickers`` (explicit tickers), ``scan`` (the name scan), ``decide`` (context decisions),
``context`` (per-doc helpers), ``words`` and ``resources`` (word lists, blocking phrases), ``mention``,
``linker`` (the component).
"""

from __future__ import annotations

from spacy.language import Language

from tracker.nlp.companies.linker import CompanyLinker
from tracker.nlp.companies.mention import Mention

__all__ = ["CompanyLinker", "Mention"]


@Language.factory("company_linker", assigns=["doc._.companies", "doc._.tickers"])
def make_company_linker(nlp, name):
    return CompanyLinker(nlp, name)
