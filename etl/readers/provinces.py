"""Finding which province each row or column of a sheet is: by GSO code, else by name."""

from __future__ import annotations

from dataclasses import dataclass

from etl import ref
from etl.readers.cells import cell_ref

IGNORED_CODES = {"999"}  # the "Highest / Điểm cao nhất" row of the 2011–2016 workbook


@dataclass
class ProvinceColumns:
    columns: dict[int, str]  # column index → GSO code
    header_rows: set[int]

    @classmethod
    def find(cls, rows, first_col: int, file, sheet, problems) -> ProvinceColumns | None:
        """Look in the first rows for a row of codes and/or a row of province names."""
        code_row = name_row = None
        for i, row in enumerate(rows[:6]):
            cells = row[first_col:]
            codes = [ref.normalise_code(c) for c in cells if c is not None]
            known = sum(c is not None for c in codes)
            if code_row is None and len(codes) >= 2 and known >= 0.9 * len(codes):
                code_row = i
                continue
            names = [c for c in cells if isinstance(c, str)]
            matched = sum(_safe_match(n) is not None for n in names)
            if name_row is None and len(names) >= 2 and matched >= 0.8 * len(names):
                name_row = i
        if code_row is None and name_row is None:
            problems.error(file, "no row of province codes or names found above the data",
                           sheet=sheet, action="keep the publisher's header rows (Mã tỉnh / Tỉnh)")
            return None
        columns: dict[int, str] = {}
        width = max(len(r) for r in rows)
        for col in range(first_col, width):
            code = _code_at(rows, code_row, col)
            name = _at(rows, name_row, col)
            if code is None and name is None:
                continue
            by_name = _safe_match(str(name)) if name is not None else None
            if code is None and code_row is not None and _at(rows, code_row, col) is not None:
                problems.error(file, "province code not recognised", sheet=sheet,
                               cell=cell_ref(code_row, col), found=str(_at(rows, code_row, col)),
                               allowed="a 2-digit GSO province code (01…96)")
                continue
            if code is not None and code in IGNORED_CODES:
                continue
            if code is not None and code not in ref.province_codes():
                problems.error(file, "unknown province code", sheet=sheet,
                               cell=cell_ref(code_row, col), found=code,
                               allowed="one of the 63 GSO codes in force until 30/06/2025")
                continue
            if code is None:
                if by_name is None:
                    problems.error(file, "unknown province name", sheet=sheet,
                                   cell=cell_ref(name_row, col), found=str(name),
                                   allowed="a province name of the 63 (with or without diacritics)",
                                   action="correct the spelling or add an alias to "
                                          "etl/ref/province_aliases.csv")
                    continue
                code = by_name
            elif name is not None and by_name is not None and by_name != code:
                problems.error(file, f"province code {code} does not match the name below it",
                               sheet=sheet, cell=cell_ref(name_row, col), found=str(name),
                               allowed=ref.province_name(code))
                continue
            if code in columns.values():
                problems.error(file, f"province {code} appears in two columns", sheet=sheet,
                               cell=cell_ref(code_row if code_row is not None else name_row, col),
                               found=code, action="remove the duplicate column")
                continue
            columns[col] = code
        header_rows = {r for r in (code_row, name_row) if r is not None}
        return cls(columns, header_rows)


def _at(rows, r, c):
    if r is None or c >= len(rows[r]):
        return None
    v = rows[r][c]
    return None if v is None or (isinstance(v, str) and not v.strip()) else v


def _code_at(rows, r, c):
    v = _at(rows, r, c)
    return ref.normalise_code(v) if v is not None else None


def _safe_match(name: str) -> str | None:
    try:
        return ref.match_province(name)
    except ref.AmbiguousProvince:
        return None
