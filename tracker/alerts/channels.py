"""Alert channels: Apprise URLs (email, Slack, Discord, Telegram, ntfy, JSON webhooks, ...) plus ``log://``.

- ``log://`` writes each alert as one line to stderr; ``log:///path/alerts.log`` appends it to that file.
- Secrets never leave this module in clear: a channel is identified by a hash of its URL and shown with Apprise's
  privacy mask (``url(privacy=True)``); error texts are scrubbed of the URL's secret parts.
- ``json://`` and ``jsons://`` channels get the alert's key as an extra payload field (``:alert_key=...``), so
  receivers can de-duplicate; every other channel carries the key in the message body.
- ``send`` returns (ok, permanent, error): a 4xx answer (but 408/425/429), an invalid URL or an unknown scheme is
  permanent (no retry storm); anything else is retried by the outbox.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

_PERMANENT_HTTP = re.compile(r"error=(4(?!08|25|29)\d\d)\b")


@dataclass(frozen=True)
class Channel:
    url: str
    id: str  # stable hash: stored instead of the URL
    label: str  # masked URL for logs, the CLI and the board

    @classmethod
    def of(cls, url: str) -> "Channel":
        return cls(url, hashlib.sha256(url.encode()).hexdigest()[:16], mask(url))


def mask(url: str) -> str:
    """The URL with passwords, tokens and keys hidden (Apprise's own privacy rendering where it knows the URL)."""
    if url.startswith("log://"):
        return url
    try:
        import apprise

        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
        if plugin:
            label = plugin.url(privacy=True)
            parts = urlsplit(url)
            if parts.username and not parts.password and len(parts.username) >= 6:
                # a lone user part is how token URLs look (ntfy://TOKEN@host/topic): Apprise shows it in clear
                label = label.replace(parts.username, "****")
            return label
    except Exception:  # noqa: BLE001 - fall back to a generic mask
        pass
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{'***@' if parts.username or parts.password else ''}{host}{'/***' if parts.path.strip('/') else ''}"


def _scrub(text: str, url: str) -> str:
    """Remove the URL's user info, path tokens and query values from an error text."""
    parts = urlsplit(url)
    secrets = [x for x in (parts.username, parts.password, *parts.path.split("/"),
                           *[kv.split("=", 1)[-1] for kv in parts.query.split("&")]) if x and len(x) >= 6]
    for s in sorted(secrets, key=len, reverse=True):
        text = text.replace(s, "***")
    return text


def _with_key(url: str, key: str) -> str:
    if not re.match(r"jsons?://", url):
        return url
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}:alert_key={quote(key, safe='')}"


def send(channel: Channel, title: str, body: str, key: str) -> tuple[bool, bool, str | None]:
    """Deliver one message to one channel. Returns (ok, permanent failure, error)."""
    if channel.url.startswith("log://"):
        return _log(channel.url, title, body)
    import apprise

    a = apprise.Apprise()
    if not a.add(_with_key(channel.url, key)):
        return False, True, f"{channel.label}: not an Apprise URL it understands (check the scheme and its fields)"
    try:
        result = a.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT)
    except Exception as e:  # noqa: BLE001 - a plugin bug must not stop the pass
        return False, False, _scrub(f"{type(e).__name__}: {e}", channel.url)
    if result:
        return True, False, None
    logs = []
    for service in result:
        for attempt in service:
            logs += [entry.message for entry in attempt.logs if entry.level in ("ERROR", "WARNING")]
    text = _scrub("; ".join(dict.fromkeys(logs)) or f"delivery failed ({getattr(result, 'status', '?')})", channel.url)
    return False, bool(_PERMANENT_HTTP.search(text)), text[:500]


def _log(url: str, title: str, body: str) -> tuple[bool, bool, str | None]:
    line = f"[alert] {title} | " + " | ".join(body.splitlines())
    path = url[len("log://"):]
    if not path:
        print(line, file=sys.stderr, flush=True)
        return True, False, None
    try:
        with open(Path(path), "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    except OSError as e:
        return False, False, f"cannot write the alert log {path}: {e.strerror or e}"
    return True, False, None
