"""``doc.text`` joins every token on each access; components read it through ``doc_text`` instead,
which builds it once per Doc (a Doc's text never changes) and keeps it in ``doc.user_data``."""

from __future__ import annotations


def doc_text(doc) -> str:
    cached = doc.user_data.get("tracker_text")
    if cached is None:
        cached = doc.user_data["tracker_text"] = doc.text
    return cached
