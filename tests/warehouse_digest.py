"""Fingerprint of every warehouse table (schema, row count, rows) for build-equivalence checks."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

SCHEMAS = ("ref", "raw", "staging", "mart", "meta")
# Columns that change on every build (time of the build, the build's temporary paths).
VOLATILE = {("meta", "build"): {"built_at", "as_of"}}  # the build moment and its day
# Tables whose row order is part of the result (problems are listed in the order found).
ORDERED = {("meta", "problem")}


def _norm(v: object, roots: tuple[str, ...]) -> str:
    if isinstance(v, float):
        return repr(round(v, 9))
    if isinstance(v, str):
        # The input folder's own location differs per machine (CI links ../shared elsewhere).
        for root in roots:
            v = v.replace(root, "<inputs>")
    return repr(v)


def main() -> None:
    """`python tests/warehouse_digest.py DB OUT.json INPUT_ROOT`: write the digest of a built warehouse."""
    import json
    import sys

    got = digest(Path(sys.argv[1]), Path(sys.argv[3]))
    Path(sys.argv[2]).write_text(json.dumps(got, indent=1, sort_keys=True)
                                 + "\n", encoding="utf-8")


def digest(db: Path, inputs_root: Path | None = None) -> dict[str, dict[str, object]]:
    """{schema.table: {columns, rows, sha256}} of every table; `inputs_root` in text reads <inputs>."""
    roots = () if inputs_root is None else tuple(sorted(
        {str(inputs_root), str(inputs_root.resolve())}, key=len, reverse=True))
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema IN ? ORDER BY 1, 2", [list(SCHEMAS)]).fetchall()
        out: dict[str, dict[str, object]] = {}
        for schema, table in tables:
            cols = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                [schema, table]).fetchall()
            keep = [c for c, _ in cols if c not in VOLATILE.get((schema, table), set())]
            sel = ", ".join(f'"{c}"' for c in keep)
            order = "rowid" if (schema, table) in ORDERED else "ALL"
            rows = con.execute(f'SELECT {sel} FROM "{schema}"."{table}" '  # noqa: S608
                               f"ORDER BY {order}").fetchall()
            h = hashlib.sha256()
            for r in rows:
                h.update(("\x1f".join(_norm(v, roots) for v in r) + "\n").encode("utf-8"))
            out[f"{schema}.{table}"] = {"columns": [f"{c} {t}" for c, t in cols if c in keep],
                                        "rows": len(rows), "sha256": h.hexdigest()}
        return out
    finally:
        con.close()


if __name__ == "__main__":
    main()
