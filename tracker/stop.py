"""Cooperative stopping: SIGINT / SIGTERM ask the running pass to finish its current item and stop.

Long loops (feeds, extraction batches, provider batches, deliveries) call ``requested()`` between items; the
first signal sets the flag, a second one stops at once (KeyboardInterrupt), so a stuck item can still be left.
"""

from __future__ import annotations

import signal
import threading

_EVENT = threading.Event()


def requested() -> bool:
    return _EVENT.is_set()


def request() -> None:
    _EVENT.set()


def reset() -> None:
    _EVENT.clear()


def wait(seconds: float) -> bool:
    """Sleep up to ``seconds``; True when a stop was requested meanwhile."""
    return _EVENT.wait(seconds)


def install(notify=None) -> dict:
    """Handle SIGINT and SIGTERM: first a graceful stop request, then a hard stop. Returns the previous handlers
    (give them to ``restore``)."""
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}

    def handler(signum, frame):
        if _EVENT.is_set():
            raise KeyboardInterrupt
        _EVENT.set()
        if notify:
            notify(f"{signal.Signals(signum).name}: finishing the current item, then stopping "
                   "(send it again to stop at once)")

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    return previous


def restore(previous: dict) -> None:
    """Put back the handlers ``install`` replaced and forget any stop request."""
    for sig, h in previous.items():
        signal.signal(sig, h)
    reset()
