"""Schema as an ordered list of migrations. ``PRAGMA user_version`` holds the applied version.

Each migration is a function taking a sqlite_utils.Database; it runs inside one transaction with
the version bump, so a failed migration leaves the previous schema intact. Append new migrations
at the end; never edit one that has shipped.

The migrations live by side: ``content`` (collect, extract, search) and ``tracking`` (metrics, status, alerts);
this list gives their order, which is the schema version (``PRAGMA user_version``)."""

from __future__ import annotations

from typing import Callable

import sqlite_utils

from tracker.store.schema.content import (_v1_collect, _v2_companies, _v3_claims, _v6_article_vectors, _v7_limits,
                                          _v8_securities_builds, _v9_page_queue, _v10_search_indexes)
from tracker.store.schema.tracking import _v4_tracking, _v5_alerts

MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1_collect, _v2_companies, _v3_claims, _v4_tracking,
                                                             _v5_alerts, _v6_article_vectors, _v7_limits,
                                                             _v8_securities_builds, _v9_page_queue,
                                                             _v10_search_indexes]
SCHEMA_VERSION = len(MIGRATIONS)
