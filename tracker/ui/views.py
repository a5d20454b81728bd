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


def claim_evidence(c: dict) -> None:
    """A claim's structured fields, what measures it (proxy and user link said), the "as stated at publication"
    check, and its values at publication and now with the provider (SAMPLE DATA where it applies)."""
    fields, values = st.columns([3, 2])
    with fields:
        st.subheader("Claim", anchor=False)
        window = " to ".join(x for x in (c.get("horizon_start"), c.get("horizon_end")) if x)
        if window and c.get("horizon_kind"):
            window += f" ({c['horizon_kind']})"
        rows = {"subject": c.get("subject"), "ticker": c.get("subject_ticker"), "metric": c["metric"],
                "direction": c["direction"], "magnitude": c.get("magnitude"),
                "stated as": " ".join(str(x) for x in (c.get("magnitude_value"), c.get("magnitude_unit"))
                                      if x is not None),
                "horizon": c.get("horizon"), "window": window, "benchmark": c.get("benchmark"),
                "hedged": "yes" if c.get("hedged") else None, "negated": "yes" if c.get("negated") else None,
                "confidence": f"{c['confidence']:.2f}" if c.get("confidence") is not None else None,
                "sectors": ", ".join(c.get("sectors") or [])}
        st.markdown("  \n".join(f"**{k}**: {ui.md(str(v))}" for k, v in rows.items() if v))
        st.subheader("Measured by", anchor=False)
        link = c.get("link")
        if link:
            proxy = f" :orange-badge[proxy] {ui.md(link.get('proxy_label') or '')}" if link["proxy"] else ""
            who = " :blue-badge[set by you]" if link.get("source") == "user" else ""
            st.markdown(f"{ui.md(link['explanation'])}{proxy}{who}")
            for s in c["series"]:
                st.caption(f"{ui.md(s['series_id'])}: {ui.md(s.get('provider') or 'not fetched yet')}"
                           + (f", fetched {ui.when(s['last_fetched_at'])}" if s.get("last_fetched_at") else "")
                           + (f", {ui.md(s['unit'])}" if s.get("unit") else "")
                           + (f"; last error: {ui.md(s['last_error'])}" if s.get("last_error") else ""))
        else:
            st.markdown(f"Not linked: {ui.md(c.get('unlinked_reason') or 'not linked yet')}")
        st.subheader("As stated at publication", anchor=False)
        if c.get("as_stated"):
            colour = {"confirmed": "green", "contradicted": "red"}.get(c["as_stated"], "gray")
            actual = f" (the data: {ui.num(c.get('as_stated_value'))})" if c.get("as_stated_value") is not None else ""
            st.markdown(f":{colour}-badge[{c['as_stated']}]{actual} {ui.md(c.get('as_stated_note') or '')}")
        else:
            st.caption("Not checked: a forward-looking claim is judged by its tracking, not at publication.")
    with values:
        st.subheader("Values", anchor=False)
        sample = f" · {ui.SAMPLE_DATA}" if c.get("sample_data") else ""
        a, b = st.columns(2)
        a.metric(f"At publication ({c.get('baseline_date') or '?'}){sample}", ui.num(c.get("baseline_value")))
        b.metric(f"Now (as of {c.get('latest_date') or '?'}){sample}", ui.num(c.get("latest_value")))
        st.caption(f"Provider: {ui.md(c.get('provider') or '—')} · evaluated {ui.when(c.get('evaluated_at')) or 'never'}"
                   + (f" · move {c['move_sigma']:+.1f}σ for the claim" if c.get("move_sigma") is not None else ""))


def delivery_text(d: dict) -> str:
    """One delivery of an alert: its channel (secrets masked), status, attempts, when, and the last error."""
    return (f"{ui.md(d['channel'])}: {d['status']} after {d['attempts']} attempt(s)"
            + (f", sent {ui.when(d['sent_at'])}" if d.get("sent_at") else "")
            + (f", next try {ui.relative(d['next_attempt_at'])}" if d.get("next_attempt_at") else "")
            + (f"; {ui.md(d['last_error'])}" if d.get("last_error") else ""))


def alert_box(al: dict) -> bool:
    """An alert with its delivery per channel; True when its "Acknowledge" button was clicked."""
    with st.container(border=True):
        state = "acknowledged" if al["acked_at"] else (al["suppressed"] or "open")
        st.markdown(f"**{ui.md(al['title'])}** · {al['kind']} · {ui.when(al['created_at'])} · data of {al['as_of']}"
                    f" · {ui.md(state)}")
        for d in al["deliveries"]:
            st.caption(delivery_text(d))
        return not al["acked_at"] and st.button("Acknowledge", key=f"ack_{al['id']}",
                                                help="Stop retrying its unsent deliveries")
