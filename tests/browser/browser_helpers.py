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


def idle(page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)
