"""Headless Chromium (Debian's package) driven by Playwright, for the HTML report tests.

Without a usable browser the tests skip with the reason, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def unavailable(reason: str) -> None:
    """Skip, or fail in CI where the browser must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"headless Chromium test cannot run in CI: {reason}")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """The system Chromium, if installed."""
    configured = os.environ.get("CONNECTSEC_CHROMIUM")
    if configured:
        return configured
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


@dataclass
class PageLog:
    """What the page did while it loaded."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module's tests."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        unavailable(f"playwright is not installed ({exc})")
        raise
    executable = chromium_path()
    if executable is None:
        unavailable("no chromium executable (apt-get install chromium)")
        raise AssertionError("unreachable")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
        except PlaywrightError as exc:
            unavailable(f"chromium at {executable} did not start: {str(exc).splitlines()[0]}")
            raise
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Any, path: Path) -> tuple[Any, PageLog]:
    """Loads `path` in a fresh page, recording console errors, page errors and every request."""
    log = PageLog()
    page = browser.new_page()
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: log.failed_requests.append(r.url))
    page.on("request", lambda r: log.requests.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, log
