"""Which company a claim is about: its subject's ticker, and the referent of "it", "its margin", "the shares".

``resolve`` takes the linked companies of the Doc (``doc._.companies``) and one claim's subject, and
returns ``(subject, ticker)``:

1. a company named inside the subject ("Toyota's margin", "Shares of TSMC") or right after a description
   ("clothing retailer Next"): that company; several companies, an index or a central bank: none;
2. a pronoun or a generic referent ("it", "its operating margin", "the shares", "the company", "the group")
   or a first-person subject ("we expect ..."): the company referred to (below). The subject text becomes
   the company as first written ("Its shares rose" -> "TSMC"; "its EV unit" -> "Ford EV unit"; "we" -> none),
   as the labelled set's guidelines write it;
3. a company figure with no name of its own ("Revenue rose 15%", "Net debt was flat", "Deliveries fell",
   "the memory maker"): the company referred to; the subject text stays as written;
4. no subject (an earnings-call bullet): the first company of the sentence, else the company referred to;
5. anything else (a named index, a commodity, a country's rates): no ticker.

The company referred to at a position: the last one named earlier in the same sentence, else the one
named most often before the sentence (ties: the latest), so that a passing mention of a rival does not
take over an article about one company.
"""

from __future__ import annotations

from collections import Counter

from tracker.nlp.claim_rules import INDEX_PATTERN, normalise_subject
from tracker.vocab import COMPANY_METRICS  # metrics that, with no name in the subject, are the company's own figures

# normalised (leading the/its/their dropped, lower case) subjects that stand for a company named before
GENERIC = frozenset((
    "it", "they", "this", "company", "stock", "shares", "share", "share price", "group", "firm", "business",
    "bank", "lender", "insurer", "retailer", "carmaker", "automaker", "chipmaker", "chip maker", "miner",
    "producer", "operator", "conglomerate", "management", "board"))
# last words of an unnamed singular subject that stand for a company too ("the memory maker", "the lender")
GENERIC_HEADS = frozenset((
    "maker", "company", "group", "firm", "bank", "lender", "insurer", "retailer", "carmaker", "automaker",
    "chipmaker", "miner", "producer", "operator", "exporter", "developer", "assembler", "supplier",
    "conglomerate", "business", "stock", "unit", "division", "segment", "arm"))
# last words of an unnamed subject that are a company's own figures whatever the metric ("Deliveries rose 9%")
COMPANY_FIGURES = frozenset((
    "deliveries", "orders", "intake", "backlog", "bookings", "shipments", "volumes", "debt", "gearing",
    "dividend", "dividends", "buyback", "buybacks", "guidance", "payout"))
# plural heads: several companies at once ("both companies", "European banks"), so no single ticker
PLURAL_HEADS = frozenset((
    "companies", "firms", "groups", "banks", "lenders", "insurers", "retailers", "carmakers", "automakers",
    "chipmakers", "makers", "miners", "producers", "stocks", "businesses", "peers", "rivals"))
FIRST_PERSON = frozenset(("we", "i", "us", "you"))


def referent(companies: list[dict], position: int, sent_start: int) -> dict | None:
    """The company that a pronoun or generic noun at ``position`` refers to (see the module docstring)."""
    same = [c for c in companies if c["start"] >= sent_start and c["end"] <= position]
    if same:
        return same[-1]
    before = [c for c in companies if c["end"] <= sent_start]
    if not before:
        return None
    keys = [c.get("company_key") or c["name"] for c in before]
    counts, latest = Counter(keys), {k: i for i, k in enumerate(keys)}
    best = max(counts, key=lambda k: (counts[k], latest[k]))
    return before[keys.index(best)]  # as first written


def resolve(companies: list[dict], sent_start: int, sent_end: int, subject: str | None,
            subject_span: tuple[int, int] | None, metric: str, named: bool) -> tuple[str | None, str | None]:
    """(subject, subject ticker) of one claim; ``named``: the subject holds a proper noun or named entity."""
    in_sent = [c for c in companies if c["start"] >= sent_start and c["end"] <= sent_end]
    raw = " ".join((subject or "").lower().replace("’", "'").split())
    norm = normalise_subject(subject) or ""
    last = norm.rsplit(" ", 1)[-1]
    if subject_span:
        a, b = subject_span
        over = [c for c in in_sent if c["start"] < b and c["end"] > a]
        if over:
            return subject, _ticker(over[0])
        after = [c for c in in_sent if 0 <= c["start"] - b <= 2]
        if after and last in GENERIC_HEADS:  # "clothing retailer Next": the name follows its description
            return subject, _ticker(after[0])
    position = subject_span[0] if subject_span else sent_start
    if last in PLURAL_HEADS or INDEX_PATTERN.search(norm) or "central bank" in norm:
        return subject, None  # several companies, an index or a central bank: no company ticker
    if not subject or raw in FIRST_PERSON:
        ref = in_sent[0] if in_sent else referent(companies, position, sent_start)
        return None, _ticker(ref)
    possessive = raw.split(" ", 1)[0] in ("its", "their")
    if norm in GENERIC or possessive:
        ref = referent(companies, position, sent_start)
        if ref is None:
            return subject, None
        rest = subject.split(" ", 1)[1] if possessive and " " in subject else ""
        text = ref["name"] if not rest or normalise_subject(rest) in GENERIC else f"{ref['name']} {rest}"
        return text, _ticker(ref)
    if not named and (last in GENERIC_HEADS or last in COMPANY_FIGURES or metric in COMPANY_METRICS):
        # "the memory maker", "the cloud unit", "Deliveries fell", "Revenue rose 15%"
        return subject, _ticker(referent(companies, position, sent_start))
    return subject, None


def _ticker(company: dict | None) -> str | None:
    return company.get("ticker") if company else None
