"""People are not companies: a name a company shares with people (Abbott, Ford, Dell, Disney, Schwab, Suzuki,
Mahindra, Porsche...) is read as a person when the words around it say so, and as the company when they say that.

``person_or_company(ctx, start, end, first_names_ok)`` returns

- ``"person"``: a title before it ("Senator", "Mr", "Premier"), a first name before it ("Klaus Schwab"), an
  apposition or clause that describes a person (", the former finance minister,", ", who heads"), or a
  person's pronoun after its verb ("Ford told reporters he ...");
- ``"company"``: a legal form, a market cue ("shares", "rose", "reported"), the company's pronoun after its verb
  ("Ford said it would cut"), a possessive or a noun that belongs to a business ("Ford's plant", "the Abbott
  plant"), a business noun before it ("carmaker Ford") or an apposition that describes a business;
- ``"person?"``: only weaker signs of a person: spaCy's PERSON label or a person's verb ("said", "signs",
  "told") with nothing that says company;
- ``None``: no sign either way.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from tracker.nlp.companies.words import (BUSINESS_NOUNS, COMPANY_NOUNS, PERSON_NOUNS, PERSON_VERBS,
                                         TITLES)
from tracker.nlp.doctext import doc_text

_WORDS = re.compile(r"[A-Za-z][\w'’-]*")
_COMPANY_PRONOUNS = frozenset({"it", "its", "itself"})
_PERSON_PRONOUNS = frozenset({"he", "his", "him", "himself", "she", "her", "herself"})
# after a possessive: what a person has (the company's things are everything else: "Ford's plant")
_PERSONAL_THINGS = frozenset("government administration cabinet party campaign wife husband son daughter family "
                             "remarks comments speech office term tenure home estate foundation death funeral".split())


def person_or_company(ctx, start: int, end: int, lexicon: frozenset, given: frozenset,
                      first_names_ok: bool) -> str | None:
    text = doc_text(ctx.doc)
    before = text[max(0, start - 40):start]
    after = text[end:end + 160]
    if ctx.after_title(start):
        return "person"  # "Senator Warren", "Mr Takeda", "Premier Ford"
    if first_names_ok and _first_name_before(ctx, before, start, lexicon, given):
        return "person"  # "Klaus Schwab", "Anand Mahindra", "Ferdinand Porsche"
    appos = _apposition(after)
    if appos:
        return appos
    if ctx.business_noun_before(start):
        return "company"  # "carmaker Ford"
    if ctx.possessive(end):
        nxt = _WORDS.match(after[2:].lstrip())
        return "person" if nxt and nxt.group().lower() in _PERSONAL_THINGS else "company"
    nxt = _WORDS.match(after.lstrip())
    if nxt and nxt.group().lower() in COMPANY_NOUNS:
        return "company"  # "the Abbott plant", "Dell shares"
    pronoun = _first_pronoun(ctx, end, after)
    if pronoun:
        return pronoun  # "Ford said it would ..." / "... told reporters he would ..." / "... shares of his company"
    if ctx.market_cue(start, end):
        return "company"  # "Abbott raised the forecast", "Schwab said client assets rose"
    verb = nxt and nxt.group().lower() in PERSON_VERBS
    if verb or ctx.ent_label(start, end) == "PERSON":
        return "person?"
    return None


def _first_name_before(ctx, before: str, start: int, lexicon: frozenset, given: frozenset) -> bool:
    """A given name right before the name ("Klaus Schwab", "Henry Ford"), or a capitalised word that is no English
    word, place or organisation of its own ("Anand Mahindra")."""
    m = re.search(r"([A-Z][a-z]+(?:-[a-z]+)?) $", before)
    if not m:
        return False
    word = m.group(1).lower()
    if word in given:
        return True
    a = start - len(m.group(0))
    if word in lexicon or word in STOP_WORDS or word in TITLES or word in BUSINESS_NOUNS or ctx.sentence_initial(a):
        return False  # "Because Charles Schwab's ...": a capitalised word, not a name
    # a place or organisation of its own ("Texas", "Tokyo"), not one entity with the name ("Anand Mahindra")
    return not any(e[2] in ("GPE", "NORP", "LOC", "ORG") and e[1] <= start for e in ctx._overlapping(a, a + 1))


def _apposition(after: str) -> str | None:
    """', the former finance minister,' / ', who heads' -> person; ', the carmaker,' / ', which' -> company."""
    m = re.match(r"\s*,\s*(who|which)\b", after)  # ("whose" serves both: "DMart, whose margins ...")
    if m:
        return "person" if m.group(1) == "who" else "company"
    m = re.match(r"\s*,\s*((?:the|a|an|its|our)\s[^,.;]{0,60})[,.;]", after)
    if not m:
        return None
    # its head noun: the last word before a relative pronoun or preposition ("the chipmaker whose chief ...")
    phrase = re.split(r"\s(?:who|whose|which|that|of|in|at|by|for|with|from|on)\s", m.group(1) + " ", maxsplit=1)[0]
    words = [w.lower() for w in _WORDS.findall(phrase)]
    head = words[-1] if words else ""
    if head in PERSON_NOUNS:
        return "person"
    if head in BUSINESS_NOUNS:
        return "company"
    return None


def _first_pronoun(ctx, end: int, after: str) -> str | None:
    """The first personal pronoun of the clause after the name ('it'/'its': a company, 'he'/'she': a person),
    unless another person is named before it ("Disney said Iger would hand over to his successor")."""
    clause = re.split(r"[.;:!?]", after, maxsplit=1)[0]
    for m in list(_WORDS.finditer(clause))[:12]:
        w = m.group().lower()
        if w in _COMPANY_PRONOUNS or w in _PERSON_PRONOUNS:
            if ctx.ent_is(end, end + m.start(), {"PERSON"}):
                return None
            return "company" if w in _COMPANY_PRONOUNS else "person"
    return None
