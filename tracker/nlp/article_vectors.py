"""Article vectors for the board's similar-meaning search.

- ``embed_articles(store, articles)``: MiniLM vectors (384 dims, L2-normalised float32) of each article's title and
  the start of its text, in one batched encode, saved in one transaction; ``embed_ids`` reads the articles first
  (the extract stage calls it once per batch).
- ``backfill(store, limit)``: the same for at most ``limit`` articles that lack a current vector.
- ``VectorIndex``: every vector as one numpy matrix; ``search(query_vector, k)`` is one matrix-vector product and a
  partial sort (no SQLite extension is needed: this Python's sqlite3 cannot load any).
"""

from __future__ import annotations

import numpy as np

from tracker import defaults as D
from tracker.nlp.embed import DIM
from tracker.store import vectors as vq

MODEL = D.EMBEDDING_PACKAGE


def vector_text(article: dict) -> str:
    """What is embedded for an article: its title, then the start of its text (or summary)."""
    body = " ".join((article.get("text") or article.get("summary") or "")[: D.ARTICLE_VECTOR_CHARS * 2].split())
    return f"{article.get('title') or ''}\n{body[: D.ARTICLE_VECTOR_CHARS]}".strip()


def encode(texts: list[str]) -> np.ndarray:
    from tracker.nlp.embed import encode_texts

    return np.asarray(encode_texts(texts), dtype=np.float32)


def query_encoder():
    """The encoder set up for one short query at a time (the board process): BOARD_QUERY_TORCH_THREADS threads."""
    import torch

    from tracker.nlp.models import load_encoder

    model = load_encoder()
    torch.set_num_threads(D.BOARD_QUERY_TORCH_THREADS)
    return model


def embed_articles(store, articles: list[dict]) -> int:
    """Vectors for ``articles`` (dicts with id, title, text or summary, content_hash): one encode call."""
    todo = [a for a in articles if a.get("content_hash")]
    if not todo:
        return 0
    vecs = encode([vector_text(a) for a in todo])
    vq.save(store, [(a["id"], a["content_hash"], v) for a, v in zip(todo, vecs)], MODEL)
    return len(todo)


def embed_ids(store, article_ids: list[int]) -> int:
    """Vectors for the original articles among ``article_ids`` (the extract stage's batch): one encode call."""
    return embed_articles(store, vq.articles(store, article_ids))


def backfill(store, limit: int = D.ARTICLE_VECTOR_BACKFILL, batch: int = 64) -> int:
    """Embed up to ``limit`` articles without a current vector (older stores, articles changed since)."""
    done = 0
    while done < limit:
        group = vq.missing(store, min(batch, limit - done))
        if not group:
            break
        done += embed_articles(store, group)
    return done


class VectorIndex:
    """Every article vector in memory: ``ids`` (int64) and ``matrix`` (float32, one L2-normalised row each)."""

    def __init__(self, ids: np.ndarray, matrix: np.ndarray, stamp=None):
        self.ids, self.matrix, self.stamp = ids, matrix, stamp

    @classmethod
    def load(cls, conn) -> "VectorIndex":
        stamp = vq.stamp(conn)
        ids, matrix = vq.matrix(conn, DIM)
        return cls(ids, matrix, stamp)

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` nearest articles to ``query`` (a normalised vector): [(article_id, cosine)], best first."""
        if not len(self.ids) or k <= 0:
            return []
        scores = self.matrix @ np.asarray(query, dtype=np.float32)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in top]
