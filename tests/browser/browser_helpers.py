"""Helpers for the browser tests: free ports, the no-external-request check, waits, queries."""

from __future__ import annotations

import socket
from urllib.parse import urlparse

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension"}


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def external_requests(urls: list[str]) -> list[str]:
    """The URLs among `urls` that went anywhere but this machine."""
    bad = []
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme in LOCAL_SCHEMES:
            continue
        if (parsed.hostname or "") not in LOCAL_HOSTS:
            bad.append(url)
    return bad


def assert_no_external_requests(urls: list[str]) -> None:
    """Fail, listing them, when any request left 127.0.0.1/localhost."""
    bad = external_requests(urls)
    assert not bad, f"{len(bad)} request(s) to external hosts: {bad[:10]}"


TIMEOUT = 90_000


# The app root's own marks (Streamlit's e2e tests wait on them): the script has finished its
# run, over a live connection; then every chart element holds its drawn plot and nothing is
# stale. Deterministic after a page.goto (the state starts 'initial', never 'notRunning').
RUN_DONE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning'
      || app.dataset.testConnectionState !== 'CONNECTED') return false;
  const charts = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'));
  return charts.every(c => c.querySelector('.js-plotly-plot .main-svg'))
    && !document.querySelector('[data-testid="stSkeleton"]')
    && document.querySelectorAll('[data-stale="true"]').length === 0;
}"""


def run_done(page) -> None:
    """Wait until the run a page.goto started has finished and its charts are drawn."""
    page.wait_for_function(RUN_DONE_JS, timeout=TIMEOUT)
    page.wait_for_timeout(150)  # React commits the run's last messages


# No running-status widget, and the app root's marks say the script run has finished over a
# live connection (the widget alone: a run still going under load was taken as finished, and a
# click on the navigation then interrupted it and lost the view, seen in a full run).
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !document.querySelector('[data-testid="stStatusWidget"]') && !!app
    && app.dataset.testScriptState === 'notRunning'
    && app.dataset.testConnectionState === 'CONNECTED';
}"""


def idle(page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(300)
    page.wait_for_function(IDLE_JS, timeout=TIMEOUT)
