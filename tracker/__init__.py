"""thesis tracker: collect market commentary, extract checkable claims, track whether they hold."""

__version__ = "0.1.0"
