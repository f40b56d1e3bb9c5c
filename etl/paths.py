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


DUCKDB_MAGIC = b"DUCK"  # bytes 8–11 of every DuckDB database file


class WarehousePathError(ValueError):
    """`--db` names a place a warehouse must not be written to (one line, Vietnamese first)."""


def warehouse_target(db: Path, inputs: list[Path]) -> Path:
    """The real file a build of `db` writes: symbolic links resolved once, here (the build, its
    lock and its swap then all use this path, and a link stays a link). Refused when it is a
    folder, an input file, inside an input folder, or an existing file that is not a DuckDB
    database: nothing there is overwritten."""
    real = Path(db).expanduser().resolve()
    shown = f"{db}" + (f" (→ {real})" if Path(db).is_symlink() else "")
    if real.is_dir():
        raise WarehousePathError(f"--db {shown} là một thư mục, không phải tệp kho dữ liệu / is "
                                 "a folder, not a warehouse file: give a file name such as "
                                 f"{real / 'papi.duckdb'}")
    for given in inputs:
        source = Path(given).expanduser().resolve()
        if source == real:
            raise WarehousePathError(f"--db {shown} là một tệp đầu vào / is an input file: it "
                                     "would be replaced by the warehouse; choose another --db")
        if source.is_dir() and real.is_relative_to(source):
            raise WarehousePathError(f"--db {shown} nằm trong thư mục đầu vào {given} / is "
                                     f"inside the input folder {given}: the next build would "
                                     "read it as an input; choose a --db outside it")
    if real.is_file() and real.stat().st_size > 0:
        with open(real, "rb") as f:
            magic = f.read(12)[8:12]
        if magic != DUCKDB_MAGIC:
            raise WarehousePathError(f"--db {shown} là một tệp có sẵn không phải kho dữ liệu "
                                     "DuckDB / is an existing file that is not a DuckDB "
                                     "warehouse: it would be overwritten; choose another --db")
    return real
