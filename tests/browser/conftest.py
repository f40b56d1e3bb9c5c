"""Browser harness: a warehouse, the app on a free port, Debian's chromium via Playwright."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_helpers import free_port

from bench import processes
from etl.paths import PROJECT_ROOT, shared_dir

# A time limit or a closed terminal (SIGTERM, SIGHUP) tears the session down like Ctrl-C: the
# fixtures below stop their server and browser; what is left at exit is stopped by process id.
processes.install()

from tests.chromium import CHROMIUM_ARGS, require_chromium  # noqa: E402,F401 (shared)

APP_START_TIMEOUT = 120.0
# Streamlit's words when --server.port is taken: under pytest-xdist another worker (or another
# program) may bind the port between free_port() and Streamlit's own bind; then it starts again.
PORT_TAKEN = ("is not available", "already in use")
PORT_TRIES = 3
_require_chromium = require_chromium


@pytest.fixture(scope="session")
def warehouse(request: pytest.FixtureRequest) -> Path:
    """The real warehouse when ../shared is present, else the demo one."""
    if shared_dir() is not None:
        return request.getfixturevalue("real_db")
    return request.getfixturevalue("demo_db")


class PortTaken(Exception):
    """Streamlit exited because another process bound its port first."""


def _wait_healthy(proc: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + APP_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            if any(m in log.read_text() for m in PORT_TAKEN):
                raise PortTaken(base)
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"streamlit not healthy after {APP_START_TIMEOUT}s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def serve(warehouse: Path, log: Path, ports: Callable[[], int] = free_port) -> Iterator[str]:
    """The dashboard served headless on a free loopback port (from `ports`), reading `warehouse`;
    on another port when the first was taken before Streamlit bound it."""
    for attempt in range(PORT_TRIES):
        try:
            with _serve_once(warehouse, log, ports()) as base:
                yield base
            return
        except PortTaken:
            if attempt == PORT_TRIES - 1:
                pytest.fail(f"streamlit found no free port in {PORT_TRIES} tries:\n"
                            f"{log.read_text()[-3000:]}")


@contextlib.contextmanager
def _serve_once(warehouse: Path, log: Path, port: int) -> Iterator[str]:
    env = {**os.environ, "PAPI_DB": str(warehouse), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard/app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            preexec_fn=processes.die_with_parent,  # gone with pytest, even on SIGKILL
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(proc, base, log)
        yield base
    finally:  # also on SIGTERM/SIGHUP: processes.install() makes them an interrupt
        processes.stop([*processes.descendants(proc.pid), proc.pid], grace=15)
        proc.wait(timeout=5)


@pytest.fixture
def app_server() -> Callable[..., contextlib.AbstractContextManager[str]]:
    """`serve` itself: for the harness's own test (tests/browser/test_harness.py) and for a
    test that needs the app started with its own environment (boundary files)."""
    return serve


@pytest.fixture(scope="session")
def app_url(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on the test warehouse (real when ../shared is present, else demo)."""
    _require_chromium()
    with serve(warehouse, tmp_path_factory.mktemp("streamlit") / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="session")
def continuity_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with 2025 scores by the 34 provinces and a 2026 plan of the new Phú Thọ
    (issue 11 item 8); until the demo has them itself, added by tests/vintage_db.py."""
    from tests.vintage_db import demo_2025, has_34_scores

    if has_34_scores(demo_db):
        return demo_db
    return demo_2025(demo_db, tmp_path_factory.mktemp("demo25") / "demo25.duckdb")


@pytest.fixture(scope="session")
def continuity_url(continuity_db: Path, tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[str]:
    """The dashboard on continuity_db."""
    _require_chromium()
    with serve(continuity_db, tmp_path_factory.mktemp("streamlit25") / "streamlit.log") as base:
        yield base


@pytest.fixture
def request_log() -> list[str]:
    """Every URL the page requested, in order."""
    return []


@pytest.fixture
def page(browser, request_log: list[str]) -> Iterator[object]:
    """A fresh page (1600×1000) recording each request URL into `request_log`."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
    p = context.new_page()
    p.set_default_timeout(60_000)
    p.on("request", lambda r: request_log.append(r.url))
    yield p
    context.close()
