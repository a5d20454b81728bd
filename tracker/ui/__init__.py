"""The Streamlit board (read-only over the store). ``app.py`` registers ``PAGES``; each page file in
``pages/`` renders one view from cached queries (``data``) with shared pieces from ``components``."""

PAGES = [
    # file relative to app.py, title, url path, icon
    ("tracker/ui/pages/articles.py", "Articles", "articles", ":material/article:"),
    ("tracker/ui/pages/companies.py", "Companies", "companies", ":material/domain:"),
    ("tracker/ui/pages/claims.py", "Claims", "claims", ":material/fact_check:"),
    ("tracker/ui/pages/sources.py", "Sources", "sources", ":material/rss_feed:"),
]
