"""Smoke test: the dashboard opens, shows its heading and a Plotly chart, and calls no one else."""

from __future__ import annotations

import pytest
from browser_helpers import assert_no_external_requests

pytestmark = pytest.mark.browser


def open_app(page, url: str) -> None:
    """Load the app and wait until Streamlit has rendered and stopped running."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_selector("h1, h2", timeout=90_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000
    )


def test_first_page_renders(page, app_url: str, request_log: list[str]) -> None:
    open_app(page, app_url)
    assert "PAPI" in page.title() or "PAPI" in page.inner_text("h1, h2")
    page.wait_for_selector(".js-plotly-plot", timeout=90_000)
    assert page.locator(".js-plotly-plot").count() >= 1
    assert page.locator('[data-testid="stException"]').count() == 0
    assert_no_external_requests(request_log)
