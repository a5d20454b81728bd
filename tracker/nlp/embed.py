"""Sentence embeddings shared by the components: each span of a Doc is encoded at most once.

Components ask for the spans they need (candidate sentences only); vectors are cached in
``doc.user_data`` keyed by (start_char, end_char), so the company linker, sector tagger and claim
extractor never encode the same text twice. Vectors are L2-normalised numpy arrays (dot = cosine).
"""

from __future__ import annotations

import numpy as np

from tracker.nlp.doctext import doc_text
from tracker.nlp.models import load_encoder

_KEY = "tracker_embeddings"
BATCH = 64
DIM = 384  # MiniLM-L6 sentence vectors


def encode_texts(texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return load_encoder().encode(texts, batch_size=BATCH, normalize_embeddings=True, convert_to_numpy=True,
                                 show_progress_bar=False)


def _key(span) -> tuple[int, int]:
    return (span.start_char, span.end_char) if hasattr(span, "start_char") else tuple(span)


def embed_spans(doc, spans) -> np.ndarray:
    """Vectors for ``spans`` (spaCy Spans or (start_char, end_char) tuples) of ``doc``, one row each."""
    keys = [_key(s) for s in spans]
    if not keys:
        return np.zeros((0, DIM), dtype=np.float32)
    embed_many([(doc, keys)])
    cache = doc.user_data[_KEY]
    return np.stack([cache[k] for k in keys])


def embed_many(requests) -> None:
    """Fill the caches of several Docs with one encoder call: ``requests`` is [(doc, spans)].

    Components call this from their ``pipe`` so that a batch of articles costs one batched encode
    instead of one small call per article; ``embed_spans`` then reads the cached vectors.
    """
    todo: list[tuple[dict, tuple[int, int], str]] = []
    for doc, spans in requests:
        cache: dict = doc.user_data.setdefault(_KEY, {})
        text = doc_text(doc)
        wanted = {_key(s) for s in spans} - cache.keys()  # a set: repeats are encoded once
        todo += [(cache, k, text[k[0]:k[1]]) for k in sorted(wanted)]
    if todo:
        vecs = encode_texts([t for _, _, t in todo])  # one call for the whole batch
        for (cache, k, _), v in zip(todo, vecs):
            cache[k] = v
