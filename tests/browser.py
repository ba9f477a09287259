"""A real headless Chromium for the HTML report's tests and screenshot: Debian's ``chromium``
driven by Playwright (PyPI ``playwright``) through ``executable_path``, so nothing downloads a
browser. ``.ci/run`` installs the package when it is missing and sets MTCHECK_REQUIRE_BROWSER=1,
so that CI fails instead of skipping when the browser is not there."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from typing import Any

#: Where a system Chromium may be, in the order tried.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium_path() -> str | None:
    """The system Chromium's executable (``MTCHECK_CHROMIUM`` overrides), or None."""
    given = os.environ.get("MTCHECK_CHROMIUM")
    if given:
        return given
    return next((path for path in map(shutil.which, CHROMIUM_NAMES) if path), None)


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if chromium_path() is None:
        return "no Chromium found (Debian: apt-get install chromium)"
    return None


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()
