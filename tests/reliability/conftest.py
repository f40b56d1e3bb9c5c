"""Fixtures of the reliability tests: a known-good warehouse to protect, and hashing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import corpus
import pytest


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def good_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from one valid 2022 CSV (the 'previous' database of every test)."""
    from etl.steps.warehouse import build

    root = tmp_path_factory.mktemp("good")
    corpus.good_csv(root / "in")
    return build([root / "in"], root / "good.duckdb", progress=False)


@pytest.fixture
def previous_db(good_db_template: Path, tmp_path: Path) -> tuple[Path, str]:
    """A copy of the good warehouse at the path a failing build targets, and its sha256."""
    db = tmp_path / "db" / "papi.duckdb"
    db.parent.mkdir()
    shutil.copyfile(good_db_template, db)
    return db, sha256(db)
