"""The claim chart: the value series the claim is judged on, since (a little before) its baseline, with the
baseline, the stated level when there is one, and reversal markers (status turned weakening/broken, alerts)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from tracker.ui import components as ui

UNITS = {"price": "value (close, ratio or index)", "rate": "rate (%)", "growth": "year-on-year change (%)",
         "ratio": "ratio", "level": "level"}


def claim_chart(chart: dict) -> None:
    """Draw ``chart`` (``board_theses.claim_page(...)["chart"]``); says why when there is nothing to draw."""
    if not chart["values"]:
        st.info(f"No data to chart yet: {ui.md(chart.get('note') or 'the series has not been fetched')}.")
        return
    series = pd.DataFrame({"date": pd.to_datetime(chart["dates"]), "value": chart["values"]})
    y_title = UNITS.get(chart["kind"], "value") + (f" · {ui.SAMPLE_DATA}" if chart["sample_data"] else "")
    line = alt.Chart(series).mark_line(point=len(series) <= 40).encode(
        x=alt.X("date:T", title=None), y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("value:Q", format=",.4g")])
    layers = [line]
    marks = []
    base = chart["baseline"]
    if base.get("value") is not None:
        marks.append({"what": f"baseline {ui.num(base['value'])}", "value": base["value"], "kind": "baseline"})
    if chart.get("stated") is not None:
        marks.append({"what": f"stated level {ui.num(chart['stated'])}", "value": chart["stated"], "kind": "stated"})
    if marks:
        layers.append(alt.Chart(pd.DataFrame(marks)).mark_rule(strokeDash=[6, 4]).encode(
            y="value:Q", color=alt.Color("kind:N", scale=alt.Scale(domain=["baseline", "stated"],
                                                                   range=["#888888", "#1f77b4"]), legend=None),
            tooltip=["what:N"]))
    dates = [{"date": pd.to_datetime(base["date"]), "what": "baseline (publication)", "kind": "baseline"}] \
        if base.get("date") else []
    dates += [{"date": pd.to_datetime(r["date"]), "what": r["what"], "kind": "reversal"} for r in chart["reversals"]]
    if dates:
        layers.append(alt.Chart(pd.DataFrame(dates)).mark_rule(size=2).encode(
            x="date:T", color=alt.Color("kind:N", scale=alt.Scale(domain=["baseline", "reversal"],
                                                                  range=["#888888", "#d62728"]), legend=None),
            strokeDash=alt.StrokeDash("kind:N", legend=None), tooltip=[alt.Tooltip("date:T"), "what:N"]))
    st.altair_chart(alt.layer(*layers), width="stretch")
    legend = ["grey: the claim's baseline (its publication)"]
    if chart.get("stated") is not None:
        legend.append(f"blue: the stated level {ui.num(chart['stated'])}")
    if chart["reversals"]:
        legend.append("red: " + "; ".join(f"{r['date']} {r['what']}" for r in chart["reversals"]))
    st.caption(" · ".join(legend))
