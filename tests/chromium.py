"""Debian's chromium for every browser test: where it is, how it starts, one per test worker."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = os.environ.get("PAPI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def require_chromium() -> str:
    """The chromium binary; in CI its absence fails the test, elsewhere it skips with why."""
    path = CHROMIUM if os.path.isfile(CHROMIUM) else shutil.which("chromium")
    if path:
        return path
    msg = f"chromium not found at {CHROMIUM} (run `make setup`, which installs Debian's chromium)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(msg)
    pytest.skip(msg)


def launch() -> Iterator[object]:
    """Debian's chromium driven by Playwright (never a Playwright-downloaded browser). One per
    process: Playwright's sync API refuses a second instance while the first one runs."""
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
