"""Performance bench (issue 8): `uv run python bench/run.py [--quick] [-n N] [--scale 1,10,100]`.

Prints a table (median of N runs beside a floor measured in the same run, the ratio and whether
the target is met) and writes bench/results/latest.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import processes
from common import BENCH_DIR, Row, table

SECTIONS = ("process", "build", "pages", "scale", "browser", "briefing", "memory", "large_csv",
            "multiuser")
QUICK_SCALE = "1"  # --quick without --scale: the 10× volume alone takes minutes to write


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", "--runs", type=int, default=3, help="runs per figure (median); default 3")
    ap.add_argument("--quick", action="store_true",
                    help=f"one run per figure, scale {QUICK_SCALE} (under 10 minutes on 2 cores)")
    ap.add_argument("--scale", default=None, help="data factors for section 3, e.g. 1,10,100 "
                                                  "(default 1,10)")
    ap.add_argument("--only", default=",".join(SECTIONS), help="sections: " + ",".join(SECTIONS))
    ap.add_argument("--out", type=Path, default=BENCH_DIR / "results" / "latest.json")
    args = ap.parse_args(argv)
    processes.install()  # a signal or time limit stops the servers and browsers it started
    n = 1 if args.quick else max(1, args.runs)
    scale = args.scale or (QUICK_SCALE if args.quick else "1,10")
    factors = sorted({int(f) for f in scale.split(",") if f.strip()})
    only = {s.strip() for s in args.only.split(",")}
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="papi-bench-") as tmp:
        work = Path(tmp)
        from etl.demo import build_demo_db

        print(f"bench: N={n}, scale {factors}, sections {sorted(only)}", flush=True)
        demo = build_demo_db(work / "demo.duckdb", progress=False)
        real = None

        def section(name: str, fn) -> object:
            if name not in only:
                return None
            print(f"[{name}]", flush=True)
            with section_time(name, rows):
                try:
                    return fn()
                except Exception as exc:  # noqa: BLE001 - one failing section must not hide the rest
                    traceback.print_exc()
                    rows.append(Row(name, "error", None, note=f"{type(exc).__name__}: {exc}"))
                    return None

        import briefing_bench
        import browser
        import etl_bench
        import memory
        import pages
        import process_bench
        import scale
        import tidy_bench

        res = section("process", lambda: process_bench.run(n, work / "process", demo))
        rows.extend(res or [])
        res = section("build", lambda: etl_bench.run(n, work / "build"))
        if res:
            rows.extend(res[0])
            real = res[1]
        ui_db, ui_label = demo, "demo"  # the demo has plans and reports, so every page is full
        res = section("pages", lambda: pages.run(n, ui_db, ui_label))
        rows.extend(res or [])
        largest = None
        res = section("scale", lambda: scale.run(n, demo, work, factors))
        if res:
            rows.extend(res[0])
            largest = res[1]
        res = section("browser", lambda: browser.run(n, real or demo, "real" if real else "demo",
                                                     work))
        rows.extend(res or [])
        res = section("briefing", lambda: briefing_bench.run(n, demo, "demo", work))
        rows.extend(res or [])
        res = section("memory", lambda: memory.run(largest, f"{factors[-1]}× data"))
        rows.extend(res or [])
        import multiuser

        res = section("large_csv", lambda: tidy_bench.run(n, work / "large_csv"))
        rows.extend(res or [])
        res = section("multiuser", lambda: multiuser.run())  # 34 × 40 units, 200 sessions
        rows.extend(res or [])
    print()
    print(table(rows))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"), "runs": n,
        "scale": factors, "python": sys.version.split()[0], "machine": platform.platform(),
        "cpus": os.cpu_count(), "load_at_end": [round(x, 2) for x in os.getloadavg()],
        "elapsed_s": round(time.perf_counter() - started, 1),
        "rows": [r.to_json() for r in rows]}, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\n→ {args.out} ({time.perf_counter() - started:.0f} s)")
    return 0


@contextmanager
def section_time(name: str, rows: list[Row]) -> Iterator[None]:
    """Print and add a row with the section's own wall time and the machine's load around it."""
    load0, t0 = os.getloadavg()[0], time.perf_counter()
    try:
        yield
    finally:
        took, load1 = time.perf_counter() - t0, os.getloadavg()[0]
        print(f"[{name}] {took:.1f} s (load {load0:.2f} → {load1:.2f})", flush=True)
        rows.append(Row(name, "section time", took, None, "—", None,
                        f"load average (1 min) {load0:.2f} → {load1:.2f}"))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP through processes.install()
        print(f"\nbench: interrupted ({exc or 'Ctrl-C'}); the servers and browsers it started "
              "are stopped", file=sys.stderr)
        sys.exit(130)
