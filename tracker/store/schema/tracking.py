"""Migrations of the tracking side: claim identity, metric series and observations, claim links, claim and
thesis status with their history (v4), and alerts with their deliveries and mutes (v5)."""

from __future__ import annotations

import sqlite_utils


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
