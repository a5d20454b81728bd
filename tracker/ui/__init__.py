"""The Streamlit board. ``app.py`` registers ``PAGES``; each page file in ``pages/`` renders one view from cached
queries (``data``) with shared pieces from ``components`` (text, links, statuses), ``views`` (stories, claims,
cards), ``charts`` and ``actions`` (the few writes the board makes, through the CLI's own store functions).

Every thesis, claim and article has a URL: ``/thesis?id=ID``, ``/claim?id=ID`` (alerts link there) and
``/article?id=ID`` (hidden pages); the old ``/?article=ID`` still opens the article."""

BOARD = "tracker/ui/pages/board.py"
SEARCH = "tracker/ui/pages/search.py"
CLAIMS = "tracker/ui/pages/claims.py"
COMPANIES = "tracker/ui/pages/companies.py"
ALERTS = "tracker/ui/pages/alerts.py"
SOURCES = "tracker/ui/pages/sources.py"
THESIS = "tracker/ui/pages/thesis.py"
CLAIM = "tracker/ui/pages/claim.py"
ARTICLE = "tracker/ui/pages/article.py"

PAGES = [
    # file relative to app.py, title, url path, icon, shown in the navigation
    (BOARD, "Theses", "theses", ":material/monitoring:", True),  # the default page: served at /
    (SEARCH, "Search", "search", ":material/search:", True),
    (CLAIMS, "Claims", "claims", ":material/fact_check:", True),
    (COMPANIES, "Companies", "companies", ":material/domain:", True),
    (ALERTS, "Alerts", "alerts", ":material/notifications:", True),
    (SOURCES, "Sources", "sources", ":material/rss_feed:", True),
    (THESIS, "Thesis", "thesis", ":material/lightbulb:", False),
    (CLAIM, "Claim", "claim", ":material/fact_check:", False),
    (ARTICLE, "Article", "article", ":material/article:", False),
]
