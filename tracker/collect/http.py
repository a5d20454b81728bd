"""HTTP fetching with httpx: explicit timeouts (connect/read and a total deadline), a redirect limit,
a cap on the decompressed body, a real User-Agent, gzip/brotli, conditional GET, Retry-After.

``fetch`` returns a ``Fetched`` for any HTTP answer (including 304, 429, 5xx) and raises ``FetchError``
(one readable sentence) when there is no usable answer: network error, timeout, too many redirects,
body over the cap.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from tracker import defaults as D
from tracker.errors import FetchError


@dataclass
class Fetched:
    url: str  # final URL, after redirects
    status: int
    headers: dict[str, str]  # lower-cased names
    content: bytes  # decompressed body ('' for 304 and error statuses)
    elapsed_ms: int

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def make_client(cfg) -> httpx.Client:
    """One client per collect pass (connection reuse). ``cfg`` is the ``[collect]`` settings section."""
    timeout = httpx.Timeout(connect=cfg.connect_timeout_s, read=cfg.read_timeout_s,
                            write=cfg.read_timeout_s, pool=cfg.connect_timeout_s)
    return httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=cfg.max_redirects,
                        headers={"User-Agent": cfg.user_agent, "Accept-Encoding": D.ACCEPT_ENCODING})


def fetch(client: httpx.Client, url: str, *, max_bytes: int, total_timeout_s: float,
          headers: dict[str, str] | None = None, error_body_bytes: int = 0,
          cap_hint: str = "raise [collect] max_feed_bytes/max_page_bytes if it is legitimate") -> Fetched:
    """GET ``url``; the body is read for 2xx answers, stopping as soon as it passes ``max_bytes`` (``cap_hint`` says
    what to do then); of another answer only the first ``error_body_bytes`` (an API's error message) are read."""
    started = time.monotonic()
    deadline = started + total_timeout_s
    try:
        with client.stream("GET", url, headers=headers or {}) as resp:
            chunks: list[bytes] = []
            size = 0
            if 200 <= resp.status_code < 300:
                for chunk in resp.iter_bytes():  # decompressed
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(f"{url}: body larger than the cap of {max_bytes} bytes (decompressed); "
                                         + cap_hint)
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise FetchError(f"{url}: download took longer than the total timeout of {total_timeout_s:g} s")
            elif error_body_bytes:
                for chunk in resp.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= error_body_bytes or time.monotonic() > deadline:
                        break
                chunks = [b"".join(chunks)[:error_body_bytes]]
            return Fetched(url=str(resp.url), status=resp.status_code,
                           headers={k.lower(): v for k, v in resp.headers.items()},
                           content=b"".join(chunks), elapsed_ms=int((time.monotonic() - started) * 1000))
    except httpx.TooManyRedirects:
        raise FetchError(f"{url}: more than {client.max_redirects} redirects") from None
    except httpx.TimeoutException as e:
        kind = type(e).__name__.replace("Timeout", " timeout").lower()
        raise FetchError(f"{url}: {kind} (server too slow or unreachable)",
                         unreachable=isinstance(e, (httpx.ConnectTimeout, httpx.PoolTimeout))) from None
    except httpx.ConnectError as e:  # does not resolve, refused, unreachable network
        raise FetchError(f"{url}: cannot connect (ConnectError: {e or 'connection failed'})", unreachable=True) from None
    except httpx.DecodingError as e:
        raise FetchError(f"{url}: the compressed body could not be decoded ({e})") from None
    except httpx.HTTPError as e:
        raise FetchError(f"{url}: {type(e).__name__}: {e or 'connection failed'}") from None
    except UnicodeError:  # e.g. an invalid host name
        raise FetchError(f"{url}: invalid URL") from None
