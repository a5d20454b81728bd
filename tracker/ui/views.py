"""Views shared by several pages: a story in a list, a claim in a list, an article, a thesis card.

Titles open the board's own page of the article, claim or thesis (``st.page_link`` with ``?id=``); the source's
own page is linked only when its URL is http(s). Untrusted text goes through ``components.md``.
"""

from __future__ import annotations

import streamlit as st

from tracker import defaults as D
from tracker.ui import ARTICLE, CLAIM, THESIS
from tracker.ui import components as ui


def sources_md(sources: list[dict]) -> str:
    """'Nikkei (link) and Korea Herald (link) (2 sources)' for a story's sources."""
    names = ", ".join(ui.link(s["source_name"] or "unknown source", s["url"]) for s in sources)
    n = len(sources)
    return f"{names} ({n} source{'s' if n != 1 else ''})"


def story(s: dict, *, mention: tuple[str, str, str] | None = None) -> None:
    """One story: its title (opens the article page), date, every source, companies; the highlighted mention or
    the summary; its claims with their statuses."""
    with st.container(border=True):
        st.page_link(ARTICLE, label=ui.md(s["title"] or "(untitled)"), query_params={"id": str(s["article_id"])},
                     icon=":material/article:")
        parts = [ui.when(s["published_at"])[:10], sources_md(s["sources"])]
        if s.get("companies"):
            names = [c["name"] if isinstance(c, dict) else c for c in s["companies"]]
            parts.append(ui.md(", ".join(names)))
        if s.get("similarity") is not None:
            parts.append(f"similarity {s['similarity']:.2f}")
        st.markdown(" · ".join(p for p in parts if p))
        if mention:
            st.markdown(ui.highlighted(mention), unsafe_allow_html=True)
        elif s.get("summary"):
            st.caption(ui.md(ui.shorten(s["summary"], D.BOARD_SUMMARY_CHARS)))
        for c in s.get("claims") or []:
            claim_line(c)


def claim_text(c: dict) -> str:
    """'[status badge] **Subject** metric direction (magnitude, horizon)' as Markdown."""
    facts = ", ".join(ui.md(str(v)) for v in (c.get("magnitude"), c.get("horizon")) if v)
    text = (f"{ui.status_md(c.get('status'))} **{ui.md(c.get('subject') or '?')}** "
            f"{ui.md(c['metric'].replace('_', ' '))} {ui.md(c['direction'])}")
    if facts:
        text += f" ({facts})"
    if c.get("sample_data"):
        text += f" · :orange-badge[{ui.SAMPLE_DATA}]"
    return text


def claim_line(c: dict, *, sentence: bool = True) -> None:
    """A claim in a list: its status, subject, metric and direction, the sentence, and a link to its page."""
    left, right = st.columns([6, 1], vertical_alignment="center")
    body = claim_text(c)
    if sentence:
        body += f"  \n{ui.md(ui.shorten(c.get('sentence') or '', 200))}"
    left.markdown(body)
    right.page_link(CLAIM, label="claim", query_params={"id": str(c["id"])}, icon=":material/open_in_new:")


def show_article(a: dict) -> None:
    """An article (``board.article_detail``): header, sources, companies, sectors, claims and text."""
    st.header(ui.md(a["title"] or "(untitled)"), anchor=False)
    line = [ui.when(a["published_at"] or a["fetched_at"]), ui.md(a["author"] or ""), "carried by " +
            sources_md(a["sources"])]
    st.markdown(" · ".join(p for p in line if p))
    companies_col, sectors_col = st.columns([3, 2])
    companies_col.subheader("Companies", anchor=False)
    if a["companies"]:
        companies_col.dataframe(a["companies"], hide_index=True,
                                column_order=["company", "ticker", "mentions", "written_as", "confidence"])
    else:
        companies_col.caption("No companies found in this article.")
    sectors_col.subheader("Sectors", anchor=False)
    if a["sectors"]:
        sectors_col.dataframe(a["sectors"], hide_index=True,
                              column_config={"confidence": st.column_config.ProgressColumn(min_value=0, max_value=1)})
    else:
        sectors_col.caption("No sectors tagged.")
    st.subheader("Claims", anchor=False)
    if a["claims"]:
        for c in a["claims"]:
            claim_line(c)
    else:
        st.caption("No claims extracted from this article.")
    with st.expander("Text"):
        st.markdown(ui.md(a["text"] or a["summary"] or ""))


def thesis_card(card: dict) -> None:
    """One thesis on the board: title (opens it), status in colour and words, claims per status, last change,
    source articles, and the key metric with its sparkline (SAMPLE DATA and proxy said where they apply)."""
    with st.container(border=True):
        st.page_link(THESIS, label=f"**{ui.md(card['title'])}**", query_params={"id": str(card["id"])},
                     icon=":material/lightbulb:")
        change = f"changed {ui.relative(card['changed_at'], empty='never')}" if card.get("changed_at") else "not evaluated"
        if card.get("previous_status"):
            change += f" (was {card['previous_status']})"
        st.markdown(f"{ui.status_md(card['status'])} {ui.counts_md(card['counts'])} · {change}")
        key = card.get("key")
        if key and key["spark"]:
            label = f"{ui.md(key['subject'] or '?')} · {ui.md(key['metric'].replace('_', ' '))} {ui.md(key['direction'])}"
            if key["proxy"]:
                label += " · proxy"
            if key["sample_data"]:
                label += f" · {ui.SAMPLE_DATA}"
            st.metric(label, ui.num(key["latest_value"]), delta=_delta(key), chart_data=key["spark"],
                      chart_type="line", delta_color="inverse" if key["direction"] in ("down", "underperform", "low")
                      else "normal", help=ui.md(key["explanation"]))
        elif key:
            st.caption(f"Key claim: {ui.md(key['subject'] or '?')} {ui.md(key['metric'].replace('_', ' '))} "
                       "(no data yet)")
        else:
            st.caption("No claim linked to a metric yet.")
        if card["sources"]:
            more = card["n_sources"] - len(card["sources"])
            names = "; ".join(f"{ui.md(s['source_name'] or 'source')}: {ui.link(ui.shorten(s['title'] or '', 80), s['url'])}"
                              for s in card["sources"])
            st.caption(f"{names}" + (f" and {more} more" if more > 0 else ""))
        if card["tickers"]:
            st.caption("Tickers: " + ui.md(", ".join(card["tickers"][:8])))


def _delta(key: dict) -> str | None:
    base, last = key.get("baseline_value"), key.get("latest_value")
    if base is None or last is None:
        return None
    if key.get("kind") == "price" and base > 0:
        return f"{(last / base - 1) * 100:+.1f}% since the claim"
    return f"{last - base:+,.3g} since the claim"
