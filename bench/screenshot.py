"""Screenshot of an HTML report at 1280 px, for the README (``make demo`` runs it).

    .venv/bin/python bench/screenshot.py reports/kim-arrives.html reports/review.png

Uses the system Chromium through Playwright (tests/browser.py); says so and exits 0 when there is
none, so that ``make demo`` still works without a browser.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import browser


def main(argv: list[str]) -> int:
    page, out = Path(argv[0]).resolve(), Path(argv[1])
    why = browser.missing()
    if why is not None:
        print(f"screenshot skipped: {why}")
        return 0
    with browser.chromium() as chromium:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.goto(page.as_uri())
        tab.keyboard.press("n")  # the first flag chosen: its panel and counterpart lit
        tab.evaluate("window.scrollTo(0, 0)")
        tab.screenshot(path=str(out))
        context.close()
    print(f"screenshot of {argv[0]} at 1280 px: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
