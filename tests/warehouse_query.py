"""One read-only query on a warehouse file, for tests that check what the marts hold."""

from __future__ import annotations

from pathlib import Path

import duckdb


def q(db: Path | str, sql: str, params: list | tuple | None = None) -> list[tuple]:
    """Rows of `sql` (parameterised) on the warehouse at `db`, opened read-only."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params or [])).fetchall()
    finally:
        con.close()
