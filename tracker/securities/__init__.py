"""The securities master: the curated list (models/securities) + pytickersymbols + FinanceDatabase.

- ``listings``: Yahoo symbols, their markets, home listing and listing kinds.
- ``naming``: name forms (legal forms stripped, display names).
- ``sources``: readers of the curated list, private companies, pytickersymbols and FinanceDatabase.
- ``build``: the sources merged into companies; ``update(store, from_file)`` replaces the store's copy.
- ``master``: the in-memory ``Master`` the company linker matches against; ``load_master(store)``.
- ``lookup``: ``tracker securities lookup``.
- ``ensure``: ``ensure_master(store, settings, progress)``: the full master builds itself when due and online.

The names below are the package's API; import them from ``tracker.securities``.
"""

from tracker.securities.build import UpdateReport, build_rows, update
from tracker.securities.ensure import ensure_master
from tracker.securities.listings import home_rank, listing_kind, market_of, split_symbol
from tracker.securities.lookup import lookup
from tracker.securities.master import CAP_RANK, Company, Master, builtin_master, clear_cache, load_master
from tracker.securities.naming import core_tokens, display_name, legal_tokens, short_tokens
from tracker.securities.sources import (FD_REQUIRED, curated_rows, fetch_financedatabase, private_rows,
                                        pytickersymbols_rows, read_financedatabase_file)

__all__ = [
    "CAP_RANK", "FD_REQUIRED", "Company", "Master", "UpdateReport", "build_rows", "builtin_master", "clear_cache",
    "core_tokens", "curated_rows", "display_name", "ensure_master", "fetch_financedatabase", "home_rank", "legal_tokens",
    "listing_kind", "load_master", "lookup", "market_of", "private_rows", "pytickersymbols_rows",
    "read_financedatabase_file", "short_tokens", "split_symbol", "update",
]
