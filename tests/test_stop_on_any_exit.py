"""Issue 21, item 7: the bench and the browser tests stop what they start (Streamlit, chromium)
on any exit: a signal (what `timeout` and CI time limits send), SIGKILL, a failure. Each case
runs the real code path in a child script, reads the process ids it started, ends the script
the hard way and checks that every one of those ids is gone. The bench before: SIGTERM ended
Python without its `finally`, and the Streamlit server kept running."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.processes import alive, die_with_parent, stop

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("PAPI_CHROMIUM", "/usr/bin/chromium")

BENCH_SERVER = """
import sys, time
sys.path[:0] = [{bench!r}]
import processes
from browser import streamlit  # installs the signal handling itself
with streamlit({bare!r}, {{}}, __import__("pathlib").Path({log!r})) as base:
    print(" ".join(map(str, processes.descendants())), flush=True)
    {then}
"""

TEST_SERVER = """
import sys, time
sys.path[:0] = [{root!r}, {browser_dir!r}]
from pathlib import Path
from tests.browser import conftest  # installs the signal handling, as pytest loading it does
from bench import processes
with conftest.serve(Path({db!r}), Path({log!r})) as base:
    print(" ".join(map(str, processes.descendants())), flush=True)
    {then}
"""

BENCH_BROWSER = """
import sys, time
sys.path[:0] = [{bench!r}]
import processes
from browser import CHROMIUM_ARGS
from playwright.sync_api import sync_playwright
with sync_playwright() as pw:
    b = pw.chromium.launch(executable_path={chromium!r}, headless=True, args=CHROMIUM_ARGS)
    try:
        print(" ".join(map(str, processes.descendants())), flush=True)
        {then}
    finally:
        b.close()
"""


def _started(script: str, tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    """Run `script`; (its process, the ids it started, printed on its first line)."""
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=(tmp_path / "script.err").open("w"), text=True,
                            preexec_fn=die_with_parent)
    ready, _, _ = select.select([proc.stdout], [], [], 240)
    line = proc.stdout.readline() if ready else ""
    if not line.strip():
        stop([proc.pid])
        pytest.fail("the script started nothing: " + (tmp_path / "script.err").read_text()[-2000:])
    return proc, [int(p) for p in line.split()]


def _gone_after(proc: subprocess.Popen, pids: list[int], end) -> list[int]:
    """End the script with end(proc); the started ids still alive 20 s later (then stopped)."""
    try:
        end(proc)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(alive(p) for p in pids):
            time.sleep(0.2)
        return [p for p in pids if alive(p)]
    finally:
        stop([*pids, proc.pid], grace=5)  # whatever the outcome, nothing is left behind


def _script(template: str, tmp_path: Path, then: str, **extra: str) -> str:
    return template.format(bench=str(ROOT / "bench"), bare=str(ROOT / "bench" / "bare_app.py"),
                           log=str(tmp_path / "server.log"), root=str(ROOT),
                           browser_dir=str(ROOT / "tests" / "browser"), chromium=CHROMIUM,
                           then=then, **extra)


SIGTERM = ("SIGTERM (time limit)", lambda p: p.send_signal(signal.SIGTERM))
SIGKILL = ("SIGKILL", lambda p: p.kill())
FAILS = "raise RuntimeError('a failing bench section')"
WAITS = "time.sleep(600)"


@pytest.mark.parametrize(("how", "then"), [(SIGTERM, WAITS), (SIGKILL, WAITS), (None, FAILS)],
                         ids=["sigterm", "sigkill", "failure"])
def test_bench_server_is_stopped_on_any_exit(tmp_path, how, then) -> None:
    proc, pids = _started(_script(BENCH_SERVER, tmp_path, then), tmp_path)
    assert pids, "the bench's Streamlit server was not started"
    assert _gone_after(proc, pids, how[1] if how else (lambda p: None)) == []


def test_browser_test_server_is_stopped_on_sigterm(tmp_path, demo_db) -> None:
    proc, pids = _started(_script(TEST_SERVER, tmp_path, WAITS, db=str(demo_db)), tmp_path)
    assert pids
    assert _gone_after(proc, pids, SIGTERM[1]) == []


def test_bench_chromium_is_stopped_on_sigterm(tmp_path) -> None:
    if not os.path.isfile(CHROMIUM):
        pytest.skip(f"chromium not found at {CHROMIUM}")
    proc, pids = _started(_script(BENCH_BROWSER, tmp_path, WAITS), tmp_path)
    assert len(pids) >= 2  # the Playwright driver and chromium's processes
    assert _gone_after(proc, pids, SIGTERM[1]) == []


LIBRARY_CHILD = """
import subprocess, time
def test_starts_a_browser_like_a_library(tmp_path):
    # started as kaleido starts chromium: no preexec, no cleanup of its own
    child = subprocess.Popen(["sleep", "600"])
    print(child.pid, flush=True)
    open({pid_file!r}, "w").write(str(child.pid))
    time.sleep(600)
"""


def test_a_test_run_stopped_by_a_time_limit_stops_what_its_tests_started(tmp_path) -> None:
    """tests/conftest.py: SIGTERM to pytest (a CI time limit) ends the run like Ctrl-C, and a
    process a test started through a library (no cleanup of its own) is stopped by its id."""
    pid_file = tmp_path / "child.pid"
    test = tmp_path / "test_library_child.py"
    test.write_text(LIBRARY_CHILD.format(pid_file=str(pid_file)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-s", "-p", "tests.conftest",
                             "-p", "no:cacheprovider", str(test)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=die_with_parent)
    deadline = time.monotonic() + 120
    while not pid_file.exists() or not pid_file.read_text():
        if time.monotonic() > deadline or proc.poll() is not None:
            stop([proc.pid])
            pytest.fail("the inner test run did not start its child")
        time.sleep(0.2)
    child = int(pid_file.read_text())
    assert alive(child)
    assert _gone_after(proc, [child], SIGTERM[1]) == []
