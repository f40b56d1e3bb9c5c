"""The browser harness itself: a port taken between free_port() and Streamlit's bind (another
xdist worker, another program) makes the app start again on another port, not fail the session."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import pytest
from browser_helpers import free_port

pytestmark = pytest.mark.browser


def test_serve_moves_to_another_port_when_its_port_is_taken(app_server, demo_db: Path,
                                                           tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        given = [busy, free_port()]
        with app_server(demo_db, tmp_path / "streamlit.log", ports=lambda: given.pop(0)) as base:
            assert given == [] and base == f"http://127.0.0.1:{base.rsplit(':', 1)[1]}"
            assert not base.endswith(f":{busy}")
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as r:
                assert r.status == 200
