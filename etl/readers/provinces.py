"""Finding which province each column of a sheet is (code and/or name), in one vintage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from etl import ref
from etl.readers import vintage
from etl.readers.cells import cell_ref
from etl.readers.labels import classify

IGNORED_CODES = {"999"}  # the "Highest / Điểm cao nhất" row of the 2011–2016 workbook
HEADER_DEPTH = 10  # the publisher's regrouped files carry ~4 extra header rows


@dataclass
class ProvinceColumns:
    columns: dict[int, str]  # column index → GSO code in `vintage`
    header_rows: set[int]
    vintage: str | None = None
    regrouped: bool = False  # header rows name each column's NEW province above the old ones

    @classmethod
    def find(cls, rows, first_col: int, file, sheet, problems, year: int) -> ProvinceColumns | None:
        """Look in the header rows for rows of codes and/or names; decide the sheet's vintage."""
        code_rows, name_rows = _province_rows(rows, first_col)
        if not code_rows and not name_rows:
            problems.error(file, "no row of province codes or names found above the data",
                           sheet=sheet, action="keep the publisher's header rows (Mã tỉnh / Tỉnh)",
                           message_vi="không tìm thấy dòng mã tỉnh hoặc tên tỉnh phía trên số liệu",
                           action_vi="giữ nguyên các dòng tiêu đề của nhà xuất bản (Mã tỉnh / Tỉnh)")
            return None
        code_row = code_rows[-1] if code_rows else None
        below = [r for r in name_rows if code_row is None or r > code_row]
        name_row = below[0] if below else None
        start = min(r for r in (code_row, name_row) if r is not None)
        above = sorted(r for r in code_rows + name_rows if r < start)
        entries: list[vintage.Entry] = []
        width = max(len(r) for r in rows)
        for col in range(first_col, width):
            code, name = _at(rows, code_row, col), _at(rows, name_row, col)
            if code is None and name is None or str(code).strip() in IGNORED_CODES:
                continue
            entries.append(vintage.Entry(col, None if code is None else str(code).strip(),
                                         None if name is None else str(name).strip(),
                                         # a code comes from code_row, a name from name_row
                                         cell_ref(cast(int, code_row if code is not None else name_row),
                                                  col)))
        decision = vintage.decide(entries, year)
        vintage.report(decision, problems, file, sheet)
        if not decision.codes or decision.vintage is None:  # codes are given in a decided vintage
            return None
        columns: dict[int, str] = {}  # with errors the file is refused; its cells still checked
        # start is name_row when there is no code row
        for key, code in decision.codes.items():
            col = cast(int, key)  # the entries above are keyed by column index
            if code in columns.values():
                problems.error(file, f"province {code} appears in two columns", sheet=sheet,
                               cell=cell_ref(code_row if code_row is not None else start, col),
                               found=code, action="remove the duplicate column",
                               message_vi=f"tỉnh {code} xuất hiện ở hai cột",
                               action_vi="xóa cột trùng")
                return None
            columns[col] = code
        regrouped = _check_groups(rows, above, columns, decision.vintage, file, sheet, problems)
        if regrouped is None:
            return None
        last = max(r for r in (code_row, name_row) if r is not None)
        # Empty separator columns between the provinces: the regrouped layout even when its new-
        # province header rows are not recognised (their blank cells are then gaps, too).
        gaps = [c for c in range(min(columns), max(columns))
                if c not in columns and all(_at(rows, h, c) is None for h in range(last + 1))]
        return cls(columns, set(range(last + 1)), decision.vintage, regrouped or bool(gaps))


def _province_rows(rows, first_col: int) -> tuple[list[int], list[int]]:
    """Header rows (above the first item row) that hold province codes, and those with names."""
    code_rows, name_rows = [], []
    for i, row in enumerate(rows[:HEADER_DEPTH]):
        if (any(classify(c).kind in ("dimension", "subdimension") for c in row[:first_col])
                or any(isinstance(c, float) and not c.is_integer() for c in row[first_col:])):
            break  # the first row of scores: the header is above it
        values = [c for c in row[first_col:] if c is not None and str(c).strip()]
        known = sum(ref.normalise_code(c) is not None for c in values)
        if len(values) >= 2 and known >= 0.9 * len(values):
            code_rows.append(i)
            continue
        names = [c for c in values if isinstance(c, str)]
        if len(names) >= 2 and sum(vintage.match_any(n) for n in names) >= 0.8 * len(names):
            name_rows.append(i)
    return code_rows, name_rows


def _check_groups(rows, above: list[int], columns: dict[int, str], vint: str, file, sheet,
                  problems) -> bool | None:
    """Whether rows above the provinces name each column's new (34) province (the publisher's
    regrouped layout); each must be the column's successor. None when one is not (errors)."""
    regrouped, ok = False, True
    for r in above:
        carried: tuple[int, object] | None = None  # (column, header value) of the group
        found: dict[int, tuple[int, object]] = {}  # province column → its group header
        for col in range(min(columns), max(columns) + 1):
            if all(_at(rows, h, col) is None for h in range(r + 1)) and col not in columns:
                carried = None  # an empty separator column ends a group
                continue
            v = _at(rows, r, col)
            if v is not None:
                carried = (col, v)
            if col in columns and carried is not None:
                found[col] = carried
        same = all(_same_province(v, columns[c], vint) for c, (_, v) in found.items())
        if same:
            continue
        regrouped = True
        for col, (src, v) in found.items():
            want = ref.successor(columns[col]) if vint == ref.OLD else columns[col]
            got: str | None
            try:
                new = ref.resolve_province(*_code_or_name(v), vintage=ref.NEW)[1]
            except ref.ProvinceError as exc:
                got, why = None, str(exc)
            else:
                got, why = new, f"it is {ref.province_name(new, ref.NEW)} ({new})"
            if got != want:
                ok = False
                problems.error(file, "new-province header does not match the province below it",
                               sheet=sheet, cell=cell_ref(r, src), found=f"{v}: {why}",
                               allowed=f"{ref.province_name(want, ref.NEW)} ({want}), the new "
                                       f"province of {ref.province_name(columns[col], vint)}",
                               action="check the column's place in the regrouped header",
                               message_vi="tiêu đề tỉnh mới không khớp với tỉnh cũ bên dưới",
                               allowed_vi=f"{ref.province_name(want, ref.NEW)} ({want}), tỉnh mới "
                                          f"của {ref.province_name(columns[col], vint)}",
                               action_vi="kiểm tra vị trí của cột trong tiêu đề đã gộp theo tỉnh mới")
    return regrouped if ok else None


def _code_or_name(v) -> tuple[str | None, str | None]:
    text = str(v).strip()
    return (text, None) if ref.normalise_code(text) else (None, text)


def _same_province(v, code: str, vint: str) -> bool:
    try:
        return ref.resolve_province(*_code_or_name(v), vintage=vint)[1] == code
    except ref.ProvinceError:
        return False


def _at(rows, r, c):
    if r is None or c >= len(rows[r]):
        return None
    v = rows[r][c]
    return None if v is None or (isinstance(v, str) and not v.strip()) else v
