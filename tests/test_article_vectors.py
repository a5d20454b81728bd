"""Article vectors for the similar-meaning search: computed by the extract stage (one batched encode per batch,
a bounded backfill), stored as float32 in the store, searched with numpy."""

from __future__ import annotations

import numpy as np
import pytest

from tracker.nlp import article_vectors as av
from tracker.nlp.extract import extract_store
from tracker.store import vectors as vq
from tracker.timeutil import iso

TEXTS = {
    "Chipmakers lift spending": "Memory chip makers raised capital spending as demand for AI servers soared.",
    "Central bank holds rates": "The central bank kept its policy rate unchanged and signalled cuts next year.",
    "Oil slides on supply": "Crude oil prices fell as producers pumped more than expected.",
}


def _articles(store, texts=TEXTS, duplicate_of: int | None = None) -> list[int]:
    ids = []
    with store.transaction() as db:
        for i, (title, text) in enumerate(texts.items()):
            story = db.execute("INSERT INTO stories (title, created_at) VALUES (?, ?)", [title, iso()]).lastrowid
            ids.append(db.execute(
                "INSERT INTO articles (story_id, title, text, content_hash, fetched_at, is_duplicate) "
                "VALUES (?, ?, ?, ?, ?, 0)", [story, title, text, f"h{i}-{title}", iso()]).lastrowid)
        if duplicate_of is not None:
            db.execute("INSERT INTO articles (story_id, title, text, content_hash, fetched_at, is_duplicate) "
                       "SELECT story_id, title, text, content_hash, fetched_at, 1 FROM articles WHERE id = ?",
                       [duplicate_of])
    return ids


@pytest.fixture
def calls(monkeypatch) -> list[int]:
    """How many texts each call to the article encoder got (the real encoder still answers)."""
    seen: list[int] = []
    real = av.encode

    def spy(texts):
        seen.append(len(texts))
        return real(texts)

    monkeypatch.setattr(av, "encode", spy)
    return seen


def test_extract_stage_embeds_each_original_article_once_per_batch(store, settings, calls):
    ids = _articles(store, duplicate_of=1)
    report = extract_store(store, settings, progress=False, batch=2)
    assert report["vectors"] == 3 and "3 article vectors" in report["summary"]
    assert calls == [2, 1]  # one encode per extraction batch of two (the copy gets no vector of its own)
    ids_, matrix = vq.matrix(store.conn, 384)
    assert list(ids_) == ids and matrix.dtype == np.float32
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-5)
    calls.clear()
    assert extract_store(store, settings, progress=False)["vectors"] == 0 and calls == []  # nothing new


def test_backfill_is_bounded_and_follows_changed_articles(store, calls):
    ids = _articles(store)
    assert av.backfill(store, limit=2) == 2 and av.backfill(store, limit=2) == 1 and av.backfill(store) == 0
    before = store.conn.execute("SELECT vector FROM article_vectors WHERE article_id = ?", [ids[0]]).fetchone()[0]
    store.conn.execute("UPDATE articles SET title = 'Chipmakers cut spending', content_hash = 'changed' "
                       "WHERE id = ?", [ids[0]])
    assert av.backfill(store) == 1  # computed from the old content: done again
    after = store.conn.execute("SELECT vector FROM article_vectors WHERE article_id = ?", [ids[0]]).fetchone()[0]
    assert after != before


def test_nearest_in_meaning(store):
    _articles(store)
    av.backfill(store)
    index = av.VectorIndex.load(store.conn)
    hits = index.search(av.encode(["monetary policy and interest rates"])[0], 3)
    titles = dict(store.conn.execute("SELECT id, title FROM articles").fetchall())
    assert titles[hits[0][0]] == "Central bank holds rates"
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_search_equals_a_full_sort():
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(5000, 384)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    ids = np.arange(10, 5010, dtype=np.int64)
    query = matrix[17] + 0.1 * rng.normal(size=384).astype(np.float32)
    query /= np.linalg.norm(query)
    got = av.VectorIndex(ids, matrix).search(query, 25)
    scores = matrix @ query
    expected = list(np.argsort(-scores)[:25] + 10)
    assert [a for a, _ in got] == expected and got[0][0] == 27
    assert av.VectorIndex(ids[:0], matrix[:0]).search(query, 5) == []


def test_stamp_changes_when_vectors_change(store):
    ids = _articles(store)
    empty = vq.stamp(store.conn)
    av.backfill(store, limit=1)
    one = vq.stamp(store.conn)
    assert empty == (0, None) and one[0] == 1
    store.conn.execute("DELETE FROM article_vectors WHERE article_id = ?", [ids[0]])
    assert vq.stamp(store.conn) == empty


def test_vectors_of_another_size_are_skipped_not_misread(store):
    _articles(store)
    av.backfill(store)
    store.conn.execute("UPDATE article_vectors SET vector = zeroblob(100) WHERE article_id = 1")
    ids, matrix = vq.matrix(store.conn, 384)
    assert list(ids) == [2, 3] and matrix.shape == (2, 384)
