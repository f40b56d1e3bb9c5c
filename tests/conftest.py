"""Shared fixtures: the ../shared material (or a skip), warehouses built from code, xdist groups."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import processes
from etl.paths import shared_dir

# A time limit or a closed terminal (SIGTERM, SIGHUP) ends a test run like Ctrl-C: fixtures and
# `finally` blocks stop the servers and browsers they started (the export tests' chromium too),
# and whatever is still running at exit is stopped by process id (bench/processes.py).
processes.install()


# `make test` runs the suite on pytest-xdist workers with `--dist loadgroup`. Tests of one group
# run one after another on one worker, so the browser tests (a Streamlit server and chromium), the
# builds of the real warehouse, the decks and the chart exports (kaleido's chromium) never run two
# of a kind at a time and starve each other on a small machine; the groups start first (they are
# the longest). Every other module is one unit of work (its module fixtures are built once).
# Session fixtures are built once per worker, each in the worker's own tmp_path_factory folder.
XDIST_GROUPS = {
    "tests/browser/": "browser",
    "tests/pg/test_browser_report_entry.py": "browser",  # shares the worker's one chromium
    "tests/test_types.py": "types",  # mypy over the packages: a minute of one core
    "tests/test_warehouse.py": "build",
    "tests/test_vintage.py": "build",
    "tests/test_vintage_regrouped.py": "build",
    "tests/test_workbook_loader.py": "build",
    "tests/test_build_speed_equivalence.py": "build",
    "tests/test_build_speed_steps.py": "build",
    "tests/reliability/test_atomic_rebuilds.py": "build",
    "tests/reliability/test_failures.py": "build",
    "tests/test_export_render.py": "export",
    "tests/test_export_charts_render.py": "charts",
    "tests/test_export_briefing.py": "export",
    "tests/test_export_briefing_34.py": "export",
    "tests/test_export_session.py": "charts",
    "tests/test_export_figures.py": "charts",
    "tests/test_export_buttons.py": "charts",
}
# longest first, as measured (04/12/2026 afternoon, -n 2, each group on one worker): browser
# 153 s at load ≈ 2 (280–290 s at load 8–13), export (decks) 150–160 s, charts 85–92 s, build
# 73 s, types 35 s (mypy with no cache) of ≈ 900 s of tests at load 7–13
GROUPS_FIRST = ("browser", "export", "charts", "build", "types")


def xdist_group(nodeid: str) -> str | None:
    """The group of XDIST_GROUPS a test belongs to (by its file), or None."""
    path = nodeid.split("::", 1)[0]
    return next((g for prefix, g in XDIST_GROUPS.items() if path.startswith(prefix)), None)


def work_unit(nodeid: str) -> str:
    """What `--dist loadgroup` hands to one worker whole: the test's group, else its module.

    The group is read from the test's file (XDIST_GROUPS), not from the "@group" suffix
    xdist's workers add to a marked test's id: with pytest 9 that suffix no longer reaches the
    id (xdist 3.8 sets `item._nodeid`, pytest 9 reads `item._id`), so every grouped module
    was a unit of its own and the browser, export and build modules ran on both workers at once.
    """
    tail = nodeid.rsplit("]", 1)[-1]
    if "@" in tail:  # the suffix, where the pytest in use still shows it
        return tail.rsplit("@", 1)[-1]
    return xdist_group(nodeid) or nodeid.split("::", 1)[0]


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        group = xdist_group(item.nodeid)
        if group and not any(item.iter_markers("xdist_group")):
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.hookimpl(optionalhook=True)  # a hook of xdist's: no error under `-p no:xdist`
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """For `--dist loadgroup`: a test without a group goes with its module, and the groups are
    handed out first (longest first, so no long group is left to run alone at the end)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class ModulesAndGroups(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

        def _assign_work_unit(self, node: object) -> None:
            first = next((g for g in GROUPS_FIRST if g in self.workqueue), None)
            if first is not None:
                self.workqueue.move_to_end(first, last=False)
            super()._assign_work_unit(node)

    return ModulesAndGroups(config, log)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The real material of ../shared; tests needing it skip, saying why, when it is absent."""
    path = shared_dir()
    if path is None:
        pytest.skip("../shared is absent (set PAPI_SHARED_DIR): real-file check not run")
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from the synthetic demo dataset (fixed seed)."""
    from etl.demo import build_demo_db

    return build_demo_db(tmp_path_factory.mktemp("demo") / "demo.duckdb", progress=False)


@pytest.fixture(scope="session")
def real_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from all of ../shared/papi together, as `papi etl` does."""
    from etl.steps.warehouse import build

    out = tmp_path_factory.mktemp("real") / "papi.duckdb"
    build([shared / "papi"], out, progress=False)
    return out


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One chromium per test worker, shared by tests/browser and the store's browser test."""
    from tests.chromium import launch

    yield from launch()


@pytest.fixture(scope="session")
def demo_briefing(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The demo's briefing of Lạng Sơn (20) 2024 in Vietnamese, made once by build_both (both
    files written as the charts arrive), with the deck it wrote: read by test_export_briefing
    and test_export_render (both of the export group, so one worker builds it once)."""
    from dashboard.export import briefing
    from tests.test_export_briefing import need_chromium

    need_chromium()
    out = tmp_path_factory.mktemp("briefing")
    steps: list = []
    decks: list = []
    build_deck = briefing.build_deck

    def kept(*args: object, **kwargs: object) -> object:
        decks.append(build_deck(*args, **kwargs))
        return decks[-1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(briefing, "build_deck", kept)
        pptx, pdf = briefing.build_both(demo_db, "20", 2024, "vi", out / "b.pptx", out / "b.pdf",
                                        progress=lambda m, f: steps.append((m, f)))
    [deck] = decks
    return {"deck": deck, "pptx": pptx, "pdf": pdf, "steps": steps, "folder": out}
