"""Where the project's NLP assets live: the top-level models/ folder (override with $TRACKER_MODELS_DIR)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def models_dir() -> Path:
    return Path(os.environ.get("TRACKER_MODELS_DIR") or REPO_ROOT / "models")
