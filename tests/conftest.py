"""Shared fixtures: the ../shared material (or a skip), and warehouses built from code."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import processes
from etl.paths import shared_dir

# A time limit or a closed terminal (SIGTERM, SIGHUP) ends a test run like Ctrl-C: fixtures and
# `finally` blocks stop the servers and browsers they started (the export tests' chromium too),
# and whatever is still running at exit is stopped by process id (bench/processes.py).
processes.install()


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
    from etl.build.warehouse import build

    out = tmp_path_factory.mktemp("real") / "papi.duckdb"
    build([shared / "papi"], out, progress=False)
    return out
