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


def encode_texts(texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return load_encoder().encode(texts, batch_size=BATCH, normalize_embeddings=True, convert_to_numpy=True,
                                 show_progress_bar=False)


def embed_spans(doc, spans) -> np.ndarray:
    """Vectors for ``spans`` (spaCy Spans or (start_char, end_char) tuples) of ``doc``, one row each."""
    cache: dict = doc.user_data.setdefault(_KEY, {})
    keys = [(s.start_char, s.end_char) if hasattr(s, "start_char") else tuple(s) for s in spans]
    missing = [k for k in dict.fromkeys(keys) if cache.get(k) is None]
    if missing:
        text = doc_text(doc)
        vecs = encode_texts([text[a:b] for a, b in missing])
        for k, v in zip(missing, vecs):
            cache[k] = v
    if not keys:
        return np.zeros((0, 384), dtype=np.float32)
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
        for s in spans:
            k = (s.start_char, s.end_char) if hasattr(s, "start_char") else tuple(s)
            if k not in cache:
                cache[k] = None  # placeholder: dedupes repeats within the batch
                todo.append((cache, k, text[k[0]:k[1]]))
    if todo:
        vecs = encode_texts([t for _, _, t in todo])
        for (cache, k, _), v in zip(todo, vecs):
            cache[k] = v
