"""Section 4: navigation → first chart drawn (.js-plotly-plot visible) in Debian's chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from common import BENCH_DIR, PROJECT_ROOT, Row, judge, skipped
from processes import descendants, die_with_parent, install, stop

SECTION = "4 browser"
CHROMIUM = os.environ.get("PAPI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit(script: str, env_extra: dict[str, str], log: Path,
              cwd: Path = PROJECT_ROOT) -> Iterator[str]:
    """`streamlit run script` headless on a free loopback port, as tests/browser does, from
    `cwd` (`python -m` puts it first on sys.path: the packages imported are cwd's)."""
    install()  # a signal or time limit while it runs stops it (idempotent; run.py does it too)
    port = _free_port()
    env = {**os.environ, **env_extra, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out,
                                stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        yield base
    finally:  # also on a signal (run.py: processes.install) or an error
        stop([*descendants(proc.pid), proc.pid], grace=15)
        proc.wait(timeout=5)


def first_chart(browser, url: str) -> float:
    """Seconds from page.goto(url) to the first .js-plotly-plot visible, in a fresh context."""
    ctx = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
    try:
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=90_000)
        return time.perf_counter() - t0
    finally:
        ctx.close()


def _chart_pages(db: Path) -> list[str]:
    """The pages that draw a chart on this warehouse (the method page never; tasks and units
    with plans, opened on the planned province's latest year that has actions: on the
    warehouse's latest year they may have none, draw no chart and time out)."""
    import duckdb
    from pages import planned_province, planned_view

    pages = ["overview", "dimensions", "drilldown", "compare"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        has_plans = con.execute("SELECT count(*) FROM mart.plan").fetchone()[0] > 0
    except duckdb.CatalogException:
        has_plans = False
    finally:
        con.close()
    if not has_plans:
        return pages
    province = planned_province(db)
    planned = planned_view(db, province)
    if planned is None:  # plans without a report year: nothing to chart on these pages
        return pages
    vintage, year = planned
    query = f"province={province}&vintage={vintage}&year={year}"
    return [*pages, f"tasks?{query}", f"units?{query}"]


def run(n: int, db: Path, label: str, work: Path) -> list[Row]:
    """Each page's first chart against the bare page measured alongside it: both servers
    running, a bare run and a page run alternating (order swapped each round), so load that
    rises during the section weighs on a page and its floor alike."""
    import contextlib
    import statistics

    path = CHROMIUM if os.path.isfile(CHROMIUM) else shutil.which("chromium")
    if not path:
        return [skipped(SECTION, "first chart", f"chromium not found at {CHROMIUM}")]
    from playwright.sync_api import sync_playwright

    rows: list[Row] = []
    with sync_playwright() as pw, contextlib.ExitStack() as stack:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        bare = stack.enter_context(streamlit(str(BENCH_DIR / "bare_app.py"), {},
                                             work / "bare.log")) + "/"
        app = stack.enter_context(streamlit("dashboard/app.py", {"PAPI_DB": str(db)},
                                            work / "app.log"))
        first_chart(browser, bare)  # warm-up: server imports, first script run, caches
        for page in _chart_pages(db):  # a page path, with its query for tasks
            print(f"  browser: {page} (bare page alternating)", flush=True)
            # the default page lives at / (/overview opens a 'Page not found' box)
            url = f"{app}/{'' if page == 'overview' else page}"
            runs: list[float] = []
            fruns: list[float] = []
            try:
                first_chart(browser, url)  # warm-up
                for i in range(max(1, n)):
                    for u, into in ((bare, fruns), (url, runs))[:: 1 if i % 2 == 0 else -1]:
                        into.append(first_chart(browser, u))
            except Exception as exc:  # noqa: BLE001 - one page must not hide the rest
                rows.append(Row(SECTION, f"first chart: {page}", None,
                                note=f"error: {type(exc).__name__}: {exc}"[:160]))
                continue
            med, floor = statistics.median(runs), statistics.median(fruns)
            target, ok = judge(med, floor, max_ratio=1.3)
            rows.append(Row(SECTION, f"first chart: {page}", med, floor, target, ok,
                            f"{label} db; floor = bare Streamlit page, one Plotly chart, "
                            "alternating with this page", runs=runs, floor_runs=fruns))
    return rows
