"""Securities master: curated list (models/) + pytickersymbols + FinanceDatabase. (Stub until issue 3.)"""

from __future__ import annotations


def load_master(store=None):
    """The in-memory master used by the company linker (from the store when it has one)."""
    return None


def update(store, from_file=None, progress=True):
    raise NotImplementedError


def lookup(store, name):
    raise NotImplementedError
