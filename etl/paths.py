"""Where things live: project folders, the default warehouse, the shared test material."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REF_DIR = Path(__file__).resolve().parent / "ref"
DEFAULT_RAW_DIR = PROJECT_ROOT / "data" / "raw"
DEFAULT_DB = PROJECT_ROOT / "data" / "processed" / "papi.duckdb"
DEMO_DB = PROJECT_ROOT / "data" / "processed" / "demo.duckdb"


def work_file(db: Path, tag: str) -> Path:
    """A hidden file beside warehouse `db` for one build or one opened version (`tag`; may be a glob).

    Its name starts with ".papi-" because DuckDB names a database after its file up to the first
    dot: a warehouse called mart.duckdb opened as ".mart.duckdb…" would be catalog "mart" and
    clash with the schema mart ("Ambiguous reference to catalog or schema")."""
    return Path(db).parent / f".papi-{Path(db).name}.{tag}"


def shared_dir() -> Path | None:
    """The ../shared material if present (env PAPI_SHARED_DIR, else ../shared beside the repo)."""
    env = os.environ.get("PAPI_SHARED_DIR")
    candidates = [Path(env)] if env else [PROJECT_ROOT.parent / "shared"]
    for c in candidates:
        if (c / "papi").is_dir():
            return c.resolve()
    return None


def db_path() -> Path:
    """The warehouse the dashboard reads: env PAPI_DB, else the default if built, else demo."""
    env = os.environ.get("PAPI_DB")
    if env:
        return Path(env)
    return DEFAULT_DB if DEFAULT_DB.exists() else DEMO_DB
