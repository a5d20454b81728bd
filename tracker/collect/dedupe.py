"""De-duplication keys: canonical URLs, content hashes and MinHash signatures for near-duplicates.

Tiers, checked in this order by the collector (tracker.store.articles.find_duplicate):
(a) the same GUID within a feed; (b) the same canonical URL; (c) the same content hash;
(d) near-duplicate text (MinHash over word shingles, Jaccard estimate >= near_dup_threshold, within
near_dup_window_days) -- syndicated copies of one wire story collapse into one story.
"""

from __future__ import annotations

import functools
import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
from datasketch import MinHash, MinHashLSH

from tracker import defaults as D

# Query parameters that only track the click, never select content.
_TRACKING_PREFIXES = ("utm_", "mtm_", "pk_")
_TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
                    "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "cmpid", "ocid", "ncid", "sr_share",
                    "guccounter", "guce_referrer", "guce_referrer_sig", "spm", "ref_src", "__twitter_impression"}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WORD = re.compile(r"\w+", re.UNICODE)


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, no trailing slash."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip() or None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not (k.lower().startswith(_TRACKING_PREFIXES) or k.lower() in _TRACKING_PARAMS)]
    path = parts.path.rstrip("/") or ""
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").lower())


def content_hash(title: str | None, body: str | None) -> str:
    """SHA-256 of the normalised words of title and body (whitespace, case and punctuation ignored)."""
    norm = " ".join(words(title)) + "\n" + " ".join(words(body))
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=4)
def _permutations(num_perm: int):
    """The (seeded, so always identical) permutations: generating them is most of a MinHash's cost."""
    return MinHash(num_perm=num_perm, scheme=D.MINHASH_SCHEME).permutations


def minhash(body: str | None, num_perm: int = D.MINHASH_PERMUTATIONS) -> MinHash | None:
    """MinHash of the word shingles of ``body``; None when it is too short to compare fairly."""
    toks = words(body)
    if len(toks) < D.NEAR_DUP_MIN_WORDS:
        return None
    n = D.SHINGLE_WORDS
    m = MinHash(num_perm=num_perm, scheme=D.MINHASH_SCHEME, permutations=_permutations(num_perm))
    m.update_batch(" ".join(toks[i:i + n]).encode("utf-8") for i in range(len(toks) - n + 1))
    return m


def to_blob(m: MinHash | None) -> bytes | None:
    return None if m is None else np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


def from_blob(blob: bytes, num_perm: int = D.MINHASH_PERMUTATIONS) -> MinHash | None:
    values = np.frombuffer(blob, dtype=np.uint64)
    if len(values) != num_perm:  # signature from another configuration: ignore it
        return None
    return MinHash(num_perm=num_perm, hashvalues=values, scheme=D.MINHASH_SCHEME)


class NearDupIndex:
    """In-memory LSH over recent articles' signatures (loaded once per collect pass).

    ``query`` returns candidate article ids whose estimated Jaccard similarity is >= threshold.
    """

    def __init__(self, threshold: float, num_perm: int = D.MINHASH_PERMUTATIONS):
        # LSH buckets at a lower threshold so borderline pairs become candidates; the estimate decides.
        self.lsh = MinHashLSH(threshold=max(0.1, threshold - 0.2), num_perm=num_perm)
        self.threshold = threshold
        self.signatures: dict[int, MinHash] = {}

    def add(self, article_id: int, m: MinHash | None) -> None:
        """Index (or re-index, after an update) one article's signature."""
        if article_id in self.signatures:
            self.lsh.remove(article_id)
            del self.signatures[article_id]
        if m is not None:
            self.lsh.insert(article_id, m)
            self.signatures[article_id] = m

    def best_match(self, m: MinHash | None) -> int | None:
        """The most similar indexed article at or above the threshold (oldest id on ties)."""
        if m is None:
            return None
        scored = [(self.signatures[i].jaccard(m), -i) for i in self.lsh.query(m)]
        scored = [s for s in scored if s[0] >= self.threshold]
        return -max(scored)[1] if scored else None
