"""Re-make docs/thesis-board.png (the README's picture of the thesis board): the evaluated fixture store of the
browser tests, served by `streamlit run app.py` on loopback, photographed by Debian's Chromium, reduced to a
256-colour PNG (under 300 kB).

    python docs/make_screenshot.py        # from the repository root, with the test extras installed
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import tests.conftest  # noqa: E402,F401  (the loopback-only guard, here and in the streamlit subprocess)
from tests import _board_seed  # noqa: E402
from tests._browser import browser, serve, settle  # noqa: E402

OUT = REPO / "docs" / "thesis-board.png"
LIMIT = 300_000


def main() -> None:
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = _board_seed.build(work / "board.db", work)
        with serve(db, work) as url, browser(width=1280, height=900) as page:
            page.goto(url)
            page.get_by_role("heading", name="Theses").wait_for()
            page.get_by_text(_board_seed.RELIANCE_TITLE).first.wait_for()
            settle(page)
            page.wait_for_timeout(3000)  # the sparklines paint after the run
            raw = work / "board.png"
            page.screenshot(path=raw)
        Image.open(raw).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            OUT, optimize=True)
    size = OUT.stat().st_size
    print(f"{OUT.relative_to(REPO)}: {size / 1000:.0f} kB")
    if size >= LIMIT:
        raise SystemExit(f"{OUT} is {size} bytes: keep it under {LIMIT} (a smaller viewport or fewer colours)")


if __name__ == "__main__":
    main()
