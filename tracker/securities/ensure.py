"""The full master builds itself: ``ensure_master(store, settings, progress)``, called by ``tracker run``.

When the store's master has never been built with FinanceDatabase rows, or that build is older than
``securities.refresh_days`` (a week by default), and the network answers, FinanceDatabase is downloaded (through
the ``financedatabase`` package, from ``securities.financedatabase_url``) and merged with the curated list and
pytickersymbols into the store, with progress on stderr. Offline nothing changes and nothing is printed: the
linker keeps the built-in master (curated list + pytickersymbols). A failed download is recorded and not
retried for an hour; ``securities.auto_update = false`` turns all of this off (``tracker securities update``
still works).
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

from tracker import defaults as D
from tracker.timeutil import iso, now, parse_iso


def ensure_master(store, settings=None, progress: bool = True, *, online: bool | None = None,
                  at: datetime | None = None) -> str | None:
    """Build or refresh the master when it is due. ``online``: whether the network answered (False: do not try;
    None: unknown, try). Returns a summary line when it built, a warning line when the data was bad, else None."""
    from tracker.securities.build import update
    from tracker.securities.sources import fetch_financedatabase
    from tracker.store import securities as sq

    cfg = getattr(settings, "securities", None)
    refresh_days = getattr(cfg, "refresh_days", D.MASTER_REFRESH_DAYS)
    if not getattr(cfg, "auto_update", D.MASTER_AUTO_UPDATE) or online is False:
        return None
    at = at or now()
    done = sq.last_build(store, with_financedatabase=True)
    if done and at - parse_iso(done["finished_at"]) < timedelta(days=refresh_days):
        return None  # built from FinanceDatabase less than a week ago
    tried = sq.last_build(store)
    if tried and tried["outcome"] != "ok" and \
            at - parse_iso(tried["started_at"]) < timedelta(seconds=D.MASTER_RETRY_AFTER_FAILURE_S):
        return None  # the last download failed a moment ago
    why = "refreshing the weekly" if done else "building the full"
    if progress:
        print(f"securities master: {why} master from FinanceDatabase (download, then merge)", file=sys.stderr)
    started = iso(at)
    try:
        rows = fetch_financedatabase(getattr(cfg, "financedatabase_url", D.FINANCEDATABASE_URL))
        if not rows:
            raise ValueError("the download held no usable equity rows")
    except Exception as e:  # noqa: BLE001 - the package raises ValueError/requests errors/OSError alike
        offline = _network_error(e)
        sq.record_build(store, started_at=started, source="financedatabase", outcome="offline" if offline else "error",
                        error=f"{type(e).__name__}: {' '.join(str(e).split())[:300]}")
        if offline:
            return None  # offline: the curated list stays, quietly
        return (f"warning: FinanceDatabase could not be read ({type(e).__name__}); kept the current securities "
                "master; 'tracker securities update --from equities.bz2' builds it from a local copy")
    report = update(store, progress=progress, fd_rows=rows)
    return report.summary()


def _network_error(e: BaseException) -> bool:
    """Whether ``e`` (or what it wraps) is a connection failure rather than bad data."""
    import socket

    import requests

    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, (requests.ConnectionError, requests.Timeout, ConnectionError, TimeoutError, socket.gaierror)):
            return True
        e = e.__cause__ or e.__context__
    return False
