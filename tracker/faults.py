"""Crash points for the crash-safety tests: ``checkpoint("extract.saved")`` kills this process with SIGKILL when
the environment variable TRACKER_CRASH_AT names that point (``extract.saved`` on its first pass there, or
``extract.saved:3`` on its third). Without the variable it is one dictionary look-up. Points:
collect.stored (an article committed), extract.saved (an article's extraction committed), metrics.saved (a
series' observations committed), evaluate.saved (claim statuses committed), alerts.committed (alerts committed,
nothing delivered yet), alerts.sent (a delivery sent, its record not yet committed).
"""

from __future__ import annotations

import os
import signal

_COUNTS: dict[str, int] = {}


def checkpoint(name: str) -> None:
    target = os.environ.get("TRACKER_CRASH_AT")
    if not target:
        return
    point, _, nth = target.partition(":")
    if point != name:
        return
    _COUNTS[name] = _COUNTS.get(name, 0) + 1
    if _COUNTS[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
