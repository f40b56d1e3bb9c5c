"""Warehouse tables written from Python values: numpy columns that DuckDB scans (no frame library).

Each column gets the type a pandas frame built from the same values had (the warehouse's column
types are part of its contract): whole numbers → BIGINT, whole numbers with a gap or any decimal
→ DOUBLE, true/false → BOOLEAN, dates and times → DATE / TIMESTAMP, text → VARCHAR, a column
with no value at all → DuckDB's NULL type.
"""
# ruff: noqa: S608 - table and column names are the build's own constants

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb
import numpy as np

_BOOL = (bool, np.bool_)
_NUMBER = (int, float, np.integer, np.floating)


def column(values: Sequence[object], *, as_object: bool = False) -> np.ndarray:
    """The column pandas builds from these values: int64, float64 (NaN for None), bool, or
    object (DuckDB reads text, dates and times from it; all None is its NULL type). `as_object`:
    the values kept as Python objects, a gap as None (int → DuckDB INTEGER or BIGINT by size),
    as `frame.astype(object).where(frame.notna(), None)` gave."""
    first = next((v for v in values if v is not None), None)
    if isinstance(first, str):  # text: pandas keeps it as objects too (any text makes it so)
        return _objects(values)
    kinds = set(map(type, values))  # the values' types, judged once each
    gap = type(None) in kinds
    kinds.discard(type(None))
    arr: np.ndarray | None = None
    if kinds and all(issubclass(k, _BOOL) for k in kinds):
        if not gap:
            arr = np.array(values, dtype=bool)
    elif kinds and all(issubclass(k, _NUMBER) and not issubclass(k, _BOOL) for k in kinds):
        if gap or any(issubclass(k, float | np.floating) for k in kinds):
            arr = np.array([np.nan if v is None else v for v in values] if gap else values,
                           dtype=np.float64)
        else:
            arr = np.array(values, dtype=np.int64)
    if arr is None:
        return _objects(values)
    if not as_object:
        return arr
    out = np.empty(len(values), dtype=object)
    out[:] = [None if isinstance(v, float) and v != v else v for v in arr.tolist()]
    return out


def _objects(values: Sequence[object]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def store(con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, Sequence[object]],
          types: Mapping[str, str] | None = None, *, as_object: bool = False) -> None:
    """CREATE OR REPLACE `table` from columns of values (each as column() types it); `types`
    casts columns (column name → SQL type)."""
    store_frame(con, table, {name: column(values, as_object=as_object)
                             for name, values in columns.items()}, types)


def store_frame(con: duckdb.DuckDBPyConnection, table: str, frame: Mapping[str, np.ndarray],
                types: Mapping[str, str] | None = None) -> None:
    """store() of columns already made by column()."""
    types = types or {}
    cols = ", ".join(f'CAST("{c}" AS {types[c]}) AS "{c}"' if c in types else f'"{c}"'
                     for c in frame)
    con.register("frame", frame)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {cols} FROM frame")
    finally:
        con.unregister("frame")


def store_rows(con: duckdb.DuckDBPyConnection, table: str, names: Sequence[str],
               rows: Sequence[Sequence[object]], types: Mapping[str, str] | None = None, *,
               as_object: bool = False) -> None:
    """store() from rows (tuples or lists in the order of `names`)."""
    cols: list[Sequence[object]] = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
    store(con, table, dict(zip(names, cols, strict=True)), types, as_object=as_object)
