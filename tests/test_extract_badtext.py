"""Bad text through the full Extractor: empty, markup, other languages, 1 MB, long windows, mixed scripts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.models

EMPTY = {"companies": [], "tickers": [], "sectors": [], "claims": [], "truncated": False, "capped": {}}


@pytest.fixture(scope="module")
def ex():
    from tracker.nlp.extract import Extractor

    return Extractor(None, None)


def one(ex, text):
    r = next(ex.extract([text]))
    for c in r["companies"]:
        assert text[c["start"]:c["end"]] == c["name"], c
    return r


@pytest.mark.parametrize("text", ["", "   \n\n\t  ", "\ufeff"])
def test_empty_text_gives_empty_lists(ex, text):
    assert one(ex, text) == EMPTY


def test_none_is_treated_as_empty(ex):
    assert next(ex.extract([None])) == EMPTY


def test_markup_only(ex):
    html = "<html><head><script>var Apple = 1; $(function(){});</script><style>.Shell{}</style></head>" \
           "<body><div class='nav'><a href='/'>Home</a> | <a href='/subscribe'>Subscribe</a></div></body></html>"
    assert one(ex, html)["companies"] == []


def test_non_english_text_does_not_crash_and_keeps_latin_names(ex):
    assert one(ex, "トヨタ自動車の株価は上昇した。日経平均も反発。") == EMPTY
    r = one(ex, "Die Aktie von Siemens stieg, während die Deutsche Bank nachgab.")
    assert [(c["name"], c["ticker"]) for c in r["companies"]] == [("Siemens", "SIE.DE"), ("Deutsche Bank", "DBK.DE")]


def test_mixed_scripts(ex):
    r = one(ex, "삼성전자 (Samsung Electronics) 005930.KS and 台積電 TSMC both rose.")
    assert [(c["name"], c["ticker"]) for c in r["companies"]] == [
        ("삼성전자", "005930.KS"), ("Samsung Electronics", "005930.KS"), ("005930.KS", "005930.KS"),
        ("台積電", "2330.TW"), ("TSMC", "2330.TW")]
    assert r["tickers"] == ["005930.KS"]


def test_one_megabyte_article_is_chunked_and_offsets_index_the_original(ex):
    from tracker import defaults as D
    from tracker.nlp.extract import chunk_text

    para = "Markets were mixed as investors weighed rates and earnings across several sectors today. " * 8
    body = (para + "\n\n") * (1_000_000 // (len(para) + 2) + 1)
    text = "Sony (6758 JP) opened the week.\n\n" + body + "Finally, Samsung Electronics rose."
    assert len(text) > 1_000_000 and len(chunk_text(text)) >= 1_000_000 // D.MAX_CHUNK_CHARS
    r = one(ex, text)
    assert [(c["name"], c["ticker"]) for c in r["companies"]] == [
        ("Sony", "6758.T"), ("6758 JP", "6758.T"), ("Samsung Electronics", "005930.KS")]
    assert r["companies"][-1]["start"] == len(text) - len("Samsung Electronics rose.")
    assert r["truncated"] is False


def test_text_beyond_the_embedding_window_is_judged_on_the_text_around_the_mention(ex):
    """Regression: a common-word name late in a very long sentence (far beyond the encoder's 256 tokens)
    is decided on a window around it, not on the (truncated) start of the sentence."""
    from tracker import defaults as D

    filler = ", ".join(["the committee discussed the schedule of the regional football league"] * 60)
    text = f"In a long meeting {filler}, and Apple shares rose after iPhone demand beat estimates"
    r = one(ex, text)
    assert [(c["name"], c["ticker"]) for c in r["companies"]] == [("Apple", "AAPL")]
    linker = ex.nlp.get_pipe("company_linker")
    doc = ex.nlp.make_doc(text)
    from tracker.nlp.companies import Mention

    a = text.index("Apple")
    span = linker._context_span(doc, Mention(a, a + 5, "AAPL", 0.0, "name"))
    assert span[1] - span[0] <= 2 * D.COMPANY_CONTEXT_CHARS + 5
    assert span[0] <= a and span[1] >= a + 5
    words = len(text[span[0]:span[1]].split())
    assert words < D.EMBEDDING_MAX_TOKENS  # the window fits the model: nothing silently cut


def test_fruit_apple_far_from_finance_is_not_a_company(ex):
    text = "Grandma baked an Apple pie. " + "We talked about the garden and the weather. " * 30
    assert one(ex, text)["companies"] == []
