"""The whole-process floor of `papi etl`: read the workbooks with python-calamine, load the CSVs with DuckDB.

`python bench/process_floor.py FILE...` in a fresh interpreter: every cell of every sheet of each
.xlsx/.xlsm (`to_python`), each .csv into an in-memory DuckDB table. Nothing of the project is
imported: this is what any program that reads the same files must pay, start-up included.
"""

from __future__ import annotations

import sys

import duckdb
from python_calamine import CalamineWorkbook


def main(paths: list[str]) -> int:
    cells = 0
    con = duckdb.connect()
    for i, path in enumerate(paths):
        if path.lower().endswith((".xlsx", ".xlsm")):
            wb = CalamineWorkbook.from_path(path)
            try:
                cells += sum(len(r) for name in wb.sheet_names
                             for r in wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
            finally:
                wb.close()
        else:
            con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?)", [path])
            cells += con.execute(f"SELECT count(*) FROM t{i}").fetchone()[0]
    con.close()
    print(cells)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
