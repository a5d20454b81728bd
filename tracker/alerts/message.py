"""What an alert says: what reversed and why, with numbers, and where to look on the board."""

from __future__ import annotations

from urllib.parse import urlencode

TITLES = {"reversed": "Claim reversed", "recovered": "Claim recovered", "nodata": "No data for a claim",
          "test": "thesis tracker test"}


def board_url(settings) -> str:
    return (settings.alerts.board_url or f"http://{settings.board.host}:{settings.board.port}").rstrip("/")


def claim_link(settings, claim_id: int) -> str:
    return f"{board_url(settings)}/claim?{urlencode({'id': claim_id})}"


def _num(v) -> str:
    if v is None:
        return "?"
    return f"{v:,.4g}" if abs(v) < 1e6 else f"{v:,.0f}"


def compose(kind: str, claim: dict, key: str, settings) -> dict:
    """{title, message, details} for one event. ``claim`` is a row of tracker.store.reports.claims (with its
    status evidence and link)."""
    who = claim.get("subject") or "?"
    if claim.get("subject_ticker"):
        who += f" ({claim['subject_ticker']})"
    what = f"{claim['metric'].replace('_', ' ')} {claim['direction']}"
    title = f"{TITLES[kind]}: {who}, {what}"
    link = claim.get("link") or {}
    source = claim.get("article_title") or ("your thesis" if claim.get("origin") == "user" else "an article")
    if claim.get("article_url"):
        source += f" <{claim['article_url']}>"
    lines = [f"\"{claim.get('sentence') or ''}\"", f"Source: {source}" + (
        f", {str(claim.get('published_at'))[:10]}" if claim.get("published_at") else "")]
    if link:
        lines.append(f"Measured by: {link.get('explanation')}" + (" [proxy]" if link.get("proxy") else ""))
    change = claim.get("change")
    sigma = claim.get("move_sigma")
    if kind in ("reversed", "recovered"):
        move = ""
        if change is not None:
            move = f"{change * 100:+.1f}%" if (claim.get("evidence") or {}).get("unit") == "log" else f"{change:+.4g}"
        if sigma is not None:
            move += f" ({sigma:+.1f}σ for the claim)"
        lines.append(f"Value at baseline {_num(claim.get('baseline_value'))} ({claim.get('baseline_date')}) -> now "
                     f"{_num(claim.get('latest_value'))} (as of {claim.get('latest_date')}, "
                     f"{claim.get('provider') or '?'}): {move or 'see the reason'}")
        lines.append(f"Why: {claim.get('reason') or '?'}")
    elif kind == "nodata":
        lines.append(f"No usable data: {claim.get('reason') or '?'}")
    if claim.get("sample_data"):
        lines.append("Note: judged on the bundled SAMPLE data set, not live market data.")
    lines.append(f"On the board: {claim_link(settings, claim['id'])}")
    lines.append(f"Alert key (de-duplicate on it): {key}")
    details = {k: claim.get(k) for k in ("id", "subject", "subject_ticker", "metric", "direction", "baseline_value",
                                          "baseline_date", "latest_value", "latest_date", "provider", "change",
                                          "status", "reason")}
    details.update(move_sigma=sigma, board_url=claim_link(settings, claim["id"]), explanation=link.get("explanation"))
    return {"title": title, "message": "\n".join(lines), "details": details}
