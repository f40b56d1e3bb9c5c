"""Shared bench helpers: medians of N runs, result rows, the printed table."""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
if str(PROJECT_ROOT) not in sys.path:  # `python bench/run.py` puts only bench/ on the path
    sys.path.insert(0, str(PROJECT_ROOT))


def timed(fn: Callable[[], object], n: int, setup: Callable[[], object] | None = None
          ) -> tuple[float, list[float]]:
    """Median wall time (s) of `n` calls of fn (setup runs before each, untimed) and all runs."""
    runs = []
    for _ in range(max(1, n)):
        if setup is not None:
            setup()
        gc.collect()
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), runs


@dataclass
class Row:
    """One figure of the table: median seconds beside a floor measured in the same run."""

    section: str
    name: str
    median: float | None  # seconds (or MB when unit == "MB")
    floor: float | None = None
    target: str = ""
    meets: bool | None = None
    note: str = ""
    unit: str = "s"
    runs: list[float] = field(default_factory=list)
    floor_runs: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.floor:
            return None
        return self.median / self.floor

    def to_json(self) -> dict:
        d = asdict(self)
        d["ratio"] = self.ratio
        return d


def skipped(section: str, name: str, why: str) -> Row:
    print(f"  [skip] {section} / {name}: {why}", flush=True)
    return Row(section, name, None, note=f"skipped: {why}")


def judge(median: float, floor: float | None, *, max_s: float | None = None,
          max_ratio: float | None = None) -> tuple[str, bool]:
    """The target text and whether it is met (every given bound must hold)."""
    parts, ok = [], True
    if max_s is not None:
        parts.append(f"≤{_fmt_s(max_s)}")
        ok &= median <= max_s
    if max_ratio is not None:
        parts.append(f"≤{max_ratio:g}× floor")
        ok &= floor is not None and floor > 0 and median / floor <= max_ratio
    return " & ".join(parts), bool(ok)


def _fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    if x < 1:
        return f"{x * 1000:.1f} ms"
    return f"{x:.2f} s"


def fmt(x: float | None, unit: str) -> str:
    if x is None:
        return "—"
    if unit == "x":
        return f"×{x:.2f}"
    return f"{x:.0f} MB" if unit == "MB" else _fmt_s(x)


def table(rows: list[Row]) -> str:
    head = ["section", "figure", "median", "floor", "ratio", "target", "meets target?", "note"]
    body = []
    for r in rows:
        meets = "—" if r.meets is None else ("yes" if r.meets else "NO")
        body.append([r.section, r.name, fmt(r.median, r.unit), fmt(r.floor, r.unit),
                     "—" if r.ratio is None else f"{r.ratio:.2f}×", r.target or "—", meets,
                     r.note])
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h)
              for i, h in enumerate(head)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(b) for b in body]
    return "\n".join(out)
