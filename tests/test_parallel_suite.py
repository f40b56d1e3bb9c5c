"""`make test` runs on pytest-xdist workers: the groups of tests/conftest.py name real files and
every browser test is in the browser group (one Streamlit server and chromium per worker at most)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import GROUPS_FIRST, XDIST_GROUPS, work_unit, xdist_group

ROOT = Path(__file__).resolve().parents[1]


def test_every_grouped_path_exists() -> None:
    assert [p for p in XDIST_GROUPS if not (ROOT / p).exists()] == []
    assert set(XDIST_GROUPS.values()) == set(GROUPS_FIRST)


def test_group_of_a_test_is_its_files() -> None:
    assert xdist_group("tests/browser/test_pages.py::test_x[a]") == "browser"
    assert xdist_group("tests/test_warehouse.py::test_y") == "build"
    assert xdist_group("tests/test_plan_parse.py::test_z") is None


def test_a_group_is_one_unit_of_work_whatever_the_test_id() -> None:
    """The scheduler hands out a group whole, with or without xdist's "@group" suffix on the
    id (pytest 9 drops it), and any other module whole."""
    assert work_unit("tests/browser/test_pages.py::test_x[a]") == "browser"
    assert work_unit("tests/browser/test_smoke.py::test_y") == "browser"
    assert work_unit("tests/pg/test_browser_report_entry.py::test_z") == "browser"
    assert work_unit("tests/test_types.py::test_m@types") == "types"
    assert work_unit("tests/test_export_render.py::test_d[20]") == "export"
    assert work_unit("tests/test_plan_parse.py::test_z[a@b]") == "tests/test_plan_parse.py"
    assert work_unit("tests/test_plan_parse.py::test_z") == "tests/test_plan_parse.py"


def test_make_test_runs_in_parallel_by_group() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "PYTEST_XDIST ?= -n auto --dist loadgroup" in makefile
    assert "$(PYTEST_XDIST)" in makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]


def test_every_browser_test_is_in_the_browser_group() -> None:
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                           "-m", "browser and not xdist_group", "tests/browser"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 5, proc.stdout[-2000:]  # 5: every browser test was deselected
    assert " deselected" in proc.stdout
