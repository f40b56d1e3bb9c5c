"""A/B of section 4 (first chart in chromium): the bare floor page, an exported copy of other
code (A) and this worktree (B), in ONE loop alternating floor, A and B (order swapped each
round), so that a shared, noisy machine weighs on both alike.

    git archive main | (mkdir -p /tmp/main-code && tar -x -C /tmp/main-code)
    uv run --frozen python bench/browser_ab.py --a /tmp/main-code --db data/processed/demo.duckdb \\
        -n 7 --pages compare,tasks,units,overview

tasks and units open on `?province=20&vintage=63&year=2024` (the demo's planned view, as
section 4 does). Prints medians, the ratio to the floor's median and every run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
from pathlib import Path

from browser import CHROMIUM, CHROMIUM_ARGS, first_chart, streamlit
from common import BENCH_DIR, PROJECT_ROOT

PLANNED = "province=20&vintage=63&year=2024"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--a", type=Path, required=True, help="root of the other code (exported)")
    ap.add_argument("--db", type=Path, required=True, help="warehouse both apps open")
    ap.add_argument("-n", type=int, default=5, help="rounds")
    ap.add_argument("--pages", default="compare,tasks,units,overview")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    pages = [p for p in args.pages.split(",") if p]
    db = {"PAPI_DB": str(args.db.resolve())}

    def url(base: str, p: str) -> str:
        if p == "overview":
            return base + "/"
        return f"{base}/{p}" + (f"?{PLANNED}" if p in ("tasks", "units") else "")

    print(f"load (1 min) {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="papi-ab-") as tmp, sync_playwright() as pw, \
            contextlib.ExitStack() as stack:
        logs = Path(tmp)
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        bare = stack.enter_context(streamlit(str(BENCH_DIR / "bare_app.py"), {},
                                             logs / "bare.log"))
        # from A's root: run from this checkout, A's pages would import this checkout's modules
        a = stack.enter_context(streamlit(str(args.a.resolve() / "dashboard" / "app.py"),
                                          {**db, "PYTHONPATH": str(args.a.resolve())},
                                          logs / "a.log", cwd=args.a.resolve()))
        b = stack.enter_context(streamlit(str(PROJECT_ROOT / "dashboard" / "app.py"), db,
                                          logs / "b.log"))
        runs: dict[tuple[str, str], list[float]] = {("floor", ""): []}
        first_chart(browser, bare + "/")  # warm-ups, as section 4
        for p in pages:
            for name, base in (("A", a), ("B", b)):
                first_chart(browser, url(base, p))
                runs[(name, p)] = []
        for r in range(max(1, args.n)):
            for p in pages:
                runs[("floor", "")].append(first_chart(browser, bare + "/"))
                for name, base in ((("A", a), ("B", b)) if r % 2 == 0 else (("B", b), ("A", a))):
                    runs[(name, p)].append(first_chart(browser, url(base, p)))
    floor = statistics.median(runs[("floor", "")])
    print(f"floor {floor:.2f} s (runs {[round(x, 2) for x in runs[('floor', '')]]})")
    for p in pages:
        ma, mb = statistics.median(runs[("A", p)]), statistics.median(runs[("B", p)])
        print(f"{p:10s} A {ma:.2f} s ({ma / floor:.2f}×)  B {mb:.2f} s ({mb / floor:.2f}×)  "
              f"A {[round(x, 2) for x in runs[('A', p)]]}  B {[round(x, 2) for x in runs[('B', p)]]}")
    print(f"load (1 min) {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
