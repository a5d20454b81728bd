"""Rule and parse based claim reading: which sentences are candidates, where the movement predicates are,
and the slots of each claim (subject, metric, direction, magnitude, horizon, benchmark, hedged, negated).

Everything here works on a parsed spaCy sentence (``Span``); nothing loads a model. The learned part
(tracker/nlp/claim_model.py) decides and types at sentence level; these rules split a sentence into one
claim per predicate and fill the slots from the dependency parse and NER entities.

Modules, by responsibility (the public names are importable from this package):
- ``lexicon``: word lists and patterns (movement/level/comparison words, metric keywords, index names,
  hedges, negations, disclaimers, horizons, numbers);
- ``units``: sentence units, exclusions (questions, disclaimers, quote widgets), the candidate test, the
  classifier's rule features, the Doc's cached entities;
- ``phrases``: token and phrase helpers (noun phrases, metric keywords in a phrase, numbers, main clause);
- ``predicates``: movement/comparison/level predicates and the clause each one owns;
- ``valuation``: the level of a valuation multiple (its cue words, else its size);
- ``funds``: a fund's return beside an index's (the relative claim, the index's own move);
- ``slots``: subject, metric, magnitude, horizon, benchmark and relative direction, hedged, negated;
- ``reader``: ``read_sentence`` (one RuleClaim per predicate), ``sentence_slots``, ``normalise_subject``.
"""

from tracker.nlp.doctext import doc_text  # noqa: F401  (claims.py reads it as R.doc_text)
from tracker.nlp.claim_rules.lexicon import (  # noqa: F401
    BENCH_PREPS, BPS, CURRENCY_SYMBOLS, DIRECTIONS, DISCLAIMER, FX_WORDS, HEDGE_PHRASES, HEDGES, HOLD_VERBS,
    HORIZON_PATTERNS, HORIZON_PREPS, INDEX_PATTERN, LEVEL_VERBS, LINKING_VERBS, MARKET_WORDS, METRIC_KEYWORDS,
    METRICS, MOVE_PARTICLE_VERBS, MULTIPLE, NEGATIONS, NEGATIVE_QUANTITIES, NOUN_DIRECTION, NUMBERISH, PERCENT,
    VERB_DIRECTION, WORD_DIRECTION)
from tracker.nlp.claim_rules.units import (  # noqa: F401
    N_RULE_FEATURES, cue_direction, ensure_line_sentences, excluded, is_candidate, is_disclaimer, is_question,
    is_quote_widget, line_sentences, rule_features, sentence_ents, sentence_units)
from tracker.nlp.claim_rules.reader import RuleClaim, normalise_subject, read_sentence, sentence_slots  # noqa: F401
