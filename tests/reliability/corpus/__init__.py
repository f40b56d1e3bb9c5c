"""Bad (and good) input files for the reliability tests, generated from code into a folder.

Every generator writes exactly one file and returns its path. Values are deterministic: a
province's sub-dimension score depends on its position and on `bump`, so two inputs built
with different `bump` have different totals and can be told apart in the warehouse.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from openpyxl import Workbook

from etl import ref

YEAR = 2022
SUBS = [s for d in ref.era_for(YEAR).dimensions() for s in ref.era_for(YEAR).subdimensions(d)]
CODES = ref.province_codes()
SUB_LABELS = {  # labels as printed in the official 2019+ sheets
    "D1.1": "1.1: Tri thức công dân", "D1.2": "1.2: Cơ hội tham gia",
    "D1.3": "1.3: Chất lượng bầu cử", "D1.4": "1.4: Đóng góp tự nguyện",
}


def subs_of(year: int) -> list[str]:
    era = ref.era_for(year)
    return [s for d in era.dimensions() for s in era.subdimensions(d)]


def sub_value(sub: str, i: int, bump: float = 0.0, year: int = YEAR) -> float:
    """A valid score of sub-dimension `sub` for the i-th province."""
    item = ref.era_for(year).items[sub]
    lo, hi = item.scale_min, item.scale_max
    return round(lo + (hi - lo) * (0.3 + 0.4 * ((i * 7 + len(sub)) % 10) / 10) + bump, 4)


def tidy_rows(year: int = YEAR, bump: float = 0.0, codes: list[str] | None = None,
              subs: list[str] | None = None) -> list[list[object]]:
    rows = []
    for i, code in enumerate(codes or CODES):
        for sub in subs or subs_of(year):
            rows.append([year, code, sub.removeprefix("D"), sub_value(sub, i, bump, year)])
    return rows


def write_csv(path: Path, rows: list[list[object]], header=("year", "gso_code", "subdim_no", "score"),
              encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def good_csv(folder: Path, name: str = "good.csv", year: int = YEAR, bump: float = 0.0) -> Path:
    return write_csv(folder / name, tidy_rows(year, bump))


# --- tidy CSV cases -------------------------------------------------------------------------

def out_of_scale_csv(folder: Path) -> Path:
    rows = tidy_rows()
    rows[0][3] = 7.5  # D1.1 of province 01 (scale 0.25–2.5): data row 1 = file row 2
    return write_csv(folder / "out_of_scale.csv", rows)


def text_in_number_csv(folder: Path) -> Path:
    rows = tidy_rows()
    rows[1][3] = "cao"  # file row 3
    return write_csv(folder / "text_in_number.csv", rows)


def unknown_province_csv(folder: Path) -> Path:
    header = ("year", "province", "subdim_no", "score")
    rows = [[YEAR, ref.province_name(c), s, v] for _, c, s, v in tidy_rows()]
    rows[2][1] = "Tỉnh Không Tồn Tại"  # file row 4
    return write_csv(folder / "unknown_province.csv", rows, header)


def nfd_names_csv(folder: Path) -> Path:
    """Province names decomposed (NFD, as macOS writes them): must load."""
    header = ("year", "province", "subdim_no", "score")
    rows = [[YEAR, unicodedata.normalize("NFD", ref.province_name(c)), s, v]
            for _, c, s, v in tidy_rows()]
    assert any(r[1] != unicodedata.normalize("NFC", r[1]) for r in rows)
    return write_csv(folder / "nfd_names.csv", rows, header)


def cp1258_csv(folder: Path) -> Path:
    """Province names in Windows-1258 (a legacy Vietnamese code page): must load."""
    header = ("year", "province", "subdim_no", "score")
    rows = [[YEAR, cp1258_form(ref.province_name(c)), s, v] for _, c, s, v in tidy_rows()]
    return write_csv(folder / "cp1258.csv", rows, header, encoding="cp1258")


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_form(text: str) -> str:
    """The form Windows-1258 can encode: base letters precomposed (â, ơ, ư…), tones combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)) + tones)
    return "".join(out)


def duplicate_key_csv(folder: Path) -> Path:
    rows = tidy_rows()
    dup = list(rows[0])
    dup[3] = round(dup[3] + 0.5, 4)
    rows.append(dup)  # same year × province 01 × 1.1 as file row 2, another value
    return write_csv(folder / "duplicate_key.csv", rows)


def missing_column_csv(folder: Path) -> Path:
    rows = [[y, c, v] for y, c, _, v in tidy_rows()]
    return write_csv(folder / "missing_column.csv", rows, ("year", "gso_code", "score"))


def three_errors_csv(folder: Path) -> Path:
    rows = tidy_rows()
    rows[0][3] = 9.9      # row 2: outside the scale
    rows[5][3] = "n.a.x"  # row 7: text in a number cell
    rows[10][1] = "99"    # row 12: unknown province
    return write_csv(folder / "three_errors.csv", rows)


def empty_csv(folder: Path) -> Path:
    p = folder / "empty.csv"
    p.write_bytes(b"")
    return p


def copied_year_csv(folder: Path) -> tuple[Path, Path]:
    """2022 scores, and a 2023 file whose numbers are the 2022 ones."""
    a = write_csv(folder / "scores_2022.csv", tidy_rows(2022))
    b = write_csv(folder / "scores_2023.csv", tidy_rows(2023))
    return a, b


def big_csv(folder: Path, target_mb: int = 60) -> Path:
    """A tidy CSV far larger than any real one (real files are < 1 MB): padded with a note column."""
    p = folder / "huge.csv"
    pad = "x" * 900
    with open(p, "w", encoding="utf-8", newline="") as f:
        f.write("year,gso_code,subdim_no,score,note\n")
        block = "".join(f"{y},{c},{s},{v},{pad}\n" for y, c, s, v in tidy_rows())
        n = 0
        while n < target_mb * 1024 * 1024:
            f.write(block)
            n += len(block)
    return p


# --- workbooks in the 2019+ layout (provinces in columns) ----------------------------------

def columns_workbook(path: Path, year: int = YEAR, bump: float = 0.0, sheet: str | None = None,
                     edit=None, codes: list[str] | None = None) -> Path:
    """An official-looking sheet: codes in row 1, names in row 2, one row per item below.

    `edit(ws, col_of)` may change cells before saving (col_of: province code → column letter).
    """
    from openpyxl.utils import get_column_letter

    codes = codes or CODES
    wb = Workbook()
    ws = wb.active
    ws.title = sheet or str(year)
    ws.append(["Mã tỉnh", "Thang điểm", *[int(c) for c in codes]])
    ws.append(["Tỉnh/Thành phố trực thuộc trung ương", None, *[ref.province_name(c) for c in codes]])
    era = ref.era_for(year)
    for dim in era.dimensions():
        n = dim[1:]
        ws.append([f"Chỉ số nội dung {n}: {era.items[dim].name_vi}", "1-10 điểm", *[None] * len(codes)])
        for sub in era.subdimensions(dim):
            item = era.items[sub]
            label = SUB_LABELS.get(sub, f"{item.number}: {item.name_vi}")
            ws.append([label, f"{item.scale_min:g}-{item.scale_max:g} điểm",
                       *[sub_value(sub, i, bump, year) for i in range(len(codes))]])
    col_of = {c: get_column_letter(i + 3) for i, c in enumerate(codes)}
    if edit is not None:
        edit(ws, col_of)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def row_of(ws, label_start: str) -> int:
    for r in range(1, ws.max_row + 1):
        v = ws.cell(r, 1).value
        if isinstance(v, str) and v.startswith(label_start):
            return r
    raise KeyError(label_start)


def formula_workbook(folder: Path) -> Path:
    """A score cell holding a formula: openpyxl saves it without a cached value."""
    def edit(ws, col_of):
        r = row_of(ws, "1.1:")
        ws[f"{col_of['01']}{r}"] = f"={col_of['02']}{r}+0.1"
    return columns_workbook(folder / "formula.xlsx", edit=edit)


def unknown_province_name_workbook(folder: Path) -> Path:
    """No code row; one name in the name row is no province."""
    def edit(ws, col_of):
        ws.delete_rows(1)
        ws[f"{col_of['04']}1"] = "Tỉnh Không Tồn Tại"
    return columns_workbook(folder / "unknown_name.xlsx", edit=edit)


def text_cell_workbook(folder: Path) -> Path:
    def edit(ws, col_of):
        ws[f"{col_of['01']}{row_of(ws, '1.2:')}"] = "khoảng 1,5"
    return columns_workbook(folder / "text_cell.xlsx", edit=edit)


def out_of_scale_workbook(folder: Path) -> Path:
    def edit(ws, col_of):
        ws[f"{col_of['01']}{row_of(ws, '1.1:')}"] = 25  # scale 0.25–2.5: a ×10 slip
    return columns_workbook(folder / "out_of_scale.xlsx", edit=edit)


def truncated_workbook(folder: Path) -> Path:
    full = columns_workbook(folder / "full.xlsx")
    data = full.read_bytes()
    full.unlink()
    p = folder / "truncated.xlsx"
    p.write_bytes(data[: len(data) // 2])
    return p


def empty_workbook_file(folder: Path) -> Path:
    p = folder / "empty.xlsx"
    p.write_bytes(b"")
    return p


def not_a_plan_txt(folder: Path) -> Path:
    p = folder / "shopping_list.txt"
    p.write_text("Danh sách đi chợ\n- gạo\n- nước mắm\n- rau muống\n", encoding="utf-8")
    return p


# --- sources that disagree, years that repeat ------------------------------------------------

def disagreeing_sources(folder: Path) -> tuple[Path, Path]:
    """The same 2022 scores as a workbook and a CSV; the CSV differs for province 01, D1.1."""
    wb = columns_workbook(folder / "official_2022.xlsx")
    rows = tidy_rows()
    rows[0][3] = round(rows[0][3] + 0.3, 4)  # file row 2
    return wb, write_csv(folder / "clerk_2022.csv", rows)


def copied_year_workbook(folder: Path) -> tuple[Path, Path]:
    """A workbook whose '2023' sheet repeats its '2022' numbers; a CSV confirms 2022."""
    path = folder / "two_years.xlsx"
    columns_workbook(path, 2022)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    copy = wb.copy_worksheet(wb["2022"])
    copy.title = "2023"
    wb.save(path)
    return path, write_csv(folder / "confirm_2022.csv", tidy_rows(2022))


# --- plans and reports -----------------------------------------------------------------------

PLAN_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "plans" / "general_all8.txt"


def plan_and_report(folder: Path, fill: dict[int, dict[str, object]], with_plan: bool = True
                    ) -> tuple[Path | None, Path]:
    """The fixture plan (copied as text) and its report template with rows filled in.

    `fill` maps a 0-based action index to cells by key (period, status, percent_done,
    reported_on, action_id…); returns (plan path or None, report path).
    """
    from openpyxl import load_workbook

    from etl.plans.parse import parse_plan
    from etl.plans.template import COL, FIRST_ROW, REPORT_SHEET, write_template

    folder.mkdir(parents=True, exist_ok=True)
    plan_path = folder / "plan.txt"
    plan_path.write_text(PLAN_FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    report = write_template(parse_plan(plan_path), folder / "report.xlsx")
    if not with_plan:
        plan_path.unlink()
        plan_path = None
    wb = load_workbook(report)
    ws = wb[REPORT_SHEET]
    for i, cells in fill.items():
        for key, value in cells.items():
            ws[f"{COL[key]}{FIRST_ROW + i}"] = value
    wb.save(report)
    return plan_path, report


GOOD_ROW = {"period": "Cả năm", "status": "Hoàn thành đúng hạn", "percent_done": 100,
            "reported_on": "15/12/2023"}


# --- files that made a reader crash (issue 13) -----------------------------------------------

def damaged_sheet_workbook(folder: Path) -> Path:
    """A valid workbook whose sheet XML is cut inside a tag (what a broken download leaves)."""
    import zipfile

    full = columns_workbook(folder / "full.xlsx")
    p = folder / "damaged_sheet.xlsx"
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2] + b"<row r=\"99\"><c r=\"A99\" t=\"s\"><v>1</c></row>"
            dst.writestr(item, data)
    full.unlink()
    return p


def huge_field_csv(folder: Path) -> Path:
    """A tidy CSV whose row 3 opens a quote that is never closed: one field of ~150,000 chars."""
    rows = tidy_rows()
    p = write_csv(folder / "huge_field.csv", rows)
    lines = p.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ',"1.5' + "x" * 150_000
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def link_out_of_inputs(folder: Path, target: Path = Path("/etc/passwd")) -> Path:
    """A symbolic link in the input folder pointing at a system file (here as a 'plan')."""
    good_csv(folder)
    link = folder / "ke_hoach.txt"
    link.symlink_to(target)
    return link


# --- indicator units (issue 13): the official sheets label every share "0%-100%" ---------------

CRIME = "Tỷ lệ người được hỏi cho biết là nạn nhân của một trong 4 loại tội phạm về an ninh, trật tự (%)"
SAFER = "Tỷ lệ người được hỏi cho biết có thay đổi về mức độ an ninh theo hướng tốt lên sau 3 năm (%)"
LAND_BRIBE = "Tỷ lệ người làm thủ tục sổ đỏ đã phải 'chung chi' (%)"


def crime_rate(i: int) -> float:
    """A crime-victim rate in percent, as the 2022–2023 sheets write it (Lạng Sơn 2023: 4.76)."""
    return 4.76 if CODES[i] == "20" else round(1.5 + (i * 37 % 200) / 10, 2)


def indicator_workbook(folder: Path, name: str = "indicators_2023.xlsx", year: int = 2023,
                       crime=crime_rate, land_bribe=None) -> Path:
    """A 2019+ sheet with three indicator rows under 6.4 (and one under 4.4 if `land_bribe`):
    the crime-victim rate by `crime(i)` (percent), the net change in safety as shares."""
    def edit(ws, col_of):
        rows = [(SAFER, [round(0.12 + (i % 9) / 100 - (0.2 if i == 5 else 0), 4)
                         for i in range(len(CODES))]),
                (CRIME, [crime(i) for i in range(len(CODES))])]
        at = row_of(ws, "6.4:") + 1
        ws.insert_rows(at, amount=len(rows))
        for k, (label, values) in enumerate(rows):
            ws.cell(at + k, 1, label)
            ws.cell(at + k, 2, "0%-100%")
            for j, v in enumerate(values):
                ws.cell(at + k, 3 + j, v)
        if land_bribe is not None:
            at = row_of(ws, "4.4:") + 1
            ws.insert_rows(at)
            ws.cell(at, 1, LAND_BRIBE)
            ws.cell(at, 2, "0%-100%")
            for j in range(len(CODES)):
                ws.cell(at, 3 + j, land_bribe(j))
    return columns_workbook(folder / name, year, edit=edit)
