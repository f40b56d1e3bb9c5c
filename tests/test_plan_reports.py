"""Report defects: revised plans, impossible dates, formulas, other formats, lost hidden sheet,
empty template, formula text in the template — each a clear problem, never a crash or a drop."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_plan_step import PLAN_ID, fill, new_ctx, q

from etl.plans.parse import parse_plan
from etl.plans.template import write_template
from etl.steps.plan_step import run

FIX = Path(__file__).parent / "fixtures" / "plans"
H1 = "6 tháng đầu năm"
OK = [H1, "Đang thực hiện trong hạn", 50, None, None, "15/07/2023"]
REVISED = "Tổ chức hội nghị đối thoại với công chức trẻ (nhiệm vụ bổ sung)."


def revise(tmp: Path, day: str = "20 tháng 4 năm 2023", amend: bool = True) -> Path:
    """The plan 12/KH-SNV re-issued later: one task added in section 1, one text changed."""
    text = (FIX / "general_all8.txt").read_text(encoding="utf-8")
    text = text.replace("ngày 05 tháng 3 năm 2023", f"ngày {day}")
    if amend:
        text = text.replace("Cải thiện, nâng cao Chỉ số", "Sửa đổi, bổ sung Kế hoạch cải thiện, "
                            "nâng cao Chỉ số")
    text = text.replace("- Đưa kết quả thực hiện Kế hoạch vào đánh giá thi đua cuối năm.",
                        f"- {REVISED}\n\n- Đưa kết quả thực hiện Kế hoạch vào đánh giá thi đua "
                        "cuối năm.")
    text = text.replace("- Số hóa hồ sơ, tài liệu lưu trữ của Sở.",
                        "- Số hóa toàn bộ hồ sơ, tài liệu lưu trữ của Sở trước năm 2000.")
    path = tmp / "ke_hoach_sua_doi.txt"
    path.write_text(text, encoding="utf-8")
    return path


def build(inp: Path, **kw):
    ctx = new_ctx([inp], **kw)
    run(ctx)
    return ctx


@pytest.fixture
def old_template(tmp_path: Path) -> Path:
    return write_template(parse_plan(FIX / "general_all8.txt"), tmp_path / "mau_cu.xlsx")


def test_report_from_older_plan_version_matched_by_text_or_refused(tmp_path: Path,
                                                                    old_template: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(FIX / "general_all8.txt", inp / "ke_hoach.txt")
    revise(inp)
    fill(old_template, inp / "bao_cao.xlsx", {8: OK, 9: OK, 10: OK, 18: OK})
    ctx = build(inp)
    # the newer version supersedes the old one, history kept
    assert q(ctx, "SELECT plan_id, issued_on, is_amendment, n_versions FROM mart.plan") == [
        (PLAN_ID, __import__("datetime").date(2023, 4, 20), True, 2)]
    assert q(ctx, "SELECT regexp_extract(source_file, '[^/]+$'), n_actions, is_current "
             "FROM mart.plan_version ORDER BY issued_on") == [
        ("ke_hoach.txt", 12, False), ("ke_hoach_sua_doi.txt", 13, True)]
    # row 8 (A01 unchanged) by id; row 9 (old A02 is new A03) by text; row 10 (old A03 → A04);
    # row 18: old A11 "Số hóa hồ sơ…" was rewritten in the new version, in the same place among
    # unchanged neighbours (now A12): kept, with a warning naming the change (issue 20)
    assert q(ctx, "SELECT right(action_id, 3), row_number, matched_by FROM mart.action_status "
             "ORDER BY row_number") == [("A01", 8, "id"), ("A03", 9, "text"), ("A04", 10, "text"),
                                        ("A12", 18, "text")]
    probs = {p.cell: p for p in ctx.problems.items if p.file.endswith("bao_cao.xlsx")}
    assert probs["A9"].severity == "warning"
    assert probs["A9"].message == (
        "Dòng 9, cột A (Mã nhiệm vụ / Action ID): mẫu lập theo phiên bản khác của kế hoạch; dòng "
        f"được ghép theo nội dung nhiệm vụ với {PLAN_ID}-A03 của kế hoạch 12/KH-SNV ngày "
        f"20/04/2023 / matched by text to {PLAN_ID}-A03")
    assert probs["A18"].severity == "warning" and probs["A18"].found == f"{PLAN_ID}-A11"
    assert probs["A18"].message.startswith(
        "Dòng 18, cột A (Mã nhiệm vụ / Action ID): nhiệm vụ đã được sửa trong kế hoạch 12/KH-SNV "
        f"ngày 20/04/2023; dòng được ghép với {PLAN_ID}-A12 (nay là: Số hóa toàn bộ hồ sơ")
    assert not ctx.problems.errors


def test_same_number_same_date_is_a_duplicate_not_a_version(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(FIX / "general_all8.txt", inp / "a.txt")
    shutil.copy(FIX / "general_all8.txt", inp / "b.txt")
    ctx = build(inp)
    assert q(ctx, "SELECT count(*) FROM mart.plan_version") == [(1,)]
    assert any("trùng mã" in p.message for p in ctx.problems.warnings)


def test_report_dates_outside_plan_issue_and_today_refused(tmp_path: Path,
                                                           old_template: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPI_TODAY", "2024-01-31")
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(FIX / "general_all8.txt", inp / "ke_hoach.txt")
    fill(old_template, inp / "bao_cao.xlsx", {
        8: [H1, "Hoàn thành đúng hạn", 100, None, None, "15/07/2203"],
        9: [H1, "Hoàn thành đúng hạn", 100, None, None, "15/07/1900"],
        10: [H1, "Hoàn thành đúng hạn", 100, None, None, "04/03/2023"],   # before 05/03/2023
        11: [H1, "Hoàn thành đúng hạn", 100, None, None, "05/03/2023"],   # the issue day: ok
        12: [H1, "Hoàn thành đúng hạn", 100, None, None, "31/01/2024"]})  # today: ok
    ctx = build(inp)
    errs = {p.cell: p for p in ctx.problems.errors}
    assert set(errs) == {"M8", "M9", "M10"}
    assert errs["M8"].message == (
        "Dòng 8, cột M (Ngày báo cáo (*) dd/mm/yyyy / Report date): ngày báo cáo nằm ngoài khoảng "
        "từ ngày ban hành kế hoạch đến hôm nay / report date before the plan was issued or in the "
        "future")
    assert (errs["M8"].found, errs["M8"].allowed) == ("15/07/2203", "từ 05/03/2023 đến 31/01/2024")
    assert errs["M9"].found == "15/07/1900"
    assert q(ctx, "SELECT row_number FROM mart.action_status ORDER BY 1") == [(11,), (12,)]


def test_formula_cells_without_saved_result_refused_naming_the_cell(tmp_path: Path,
                                                                   old_template: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(FIX / "general_all8.txt", inp / "ke_hoach.txt")
    fill(old_template, inp / "bao_cao.xlsx", {
        8: [H1, '=IF(1,"Hoàn thành đúng hạn","")', "=50+50", None, None, "=DATE(2023,7,15)"],
        9: ["=H8", "=I8", "=J8", None, None, "=M8"], 10: OK})
    ctx = build(inp)
    errs = sorted((p.cell, p.found) for p in ctx.problems.errors)
    assert errs == [("H9", "=H8"), ("I8", '=IF(1,"Hoàn thành đúng hạn","")'), ("I9", "=I8"),
                    ("J8", "=50+50"), ("J9", "=J8"), ("M8", "=DATE(2023,7,15)"), ("M9", "=M8")]
    first = next(p for p in ctx.problems.errors if p.cell == "I8")
    assert first.message == ("Dòng 8, cột I (Tình trạng (*) / Status): ô chứa công thức chưa có "
                             "kết quả được lưu (tệp chưa được Excel tính lại) / a formula with no "
                             "saved result")
    assert q(ctx, "SELECT row_number, accepted FROM raw.plan_report_row ORDER BY 1") == [
        (8, False), (9, False), (10, True)]


@pytest.mark.parametrize("suffix", [".xlsm", ".xls", ".csv"])
def test_template_saved_in_another_format_is_named(tmp_path: Path, old_template: Path,
                                                   suffix: str) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(FIX / "general_all8.txt", inp / "ke_hoach.txt")
    filled = fill(old_template, tmp_path / "bc.xlsx", {8: OK})
    target = inp / f"bao_cao{suffix}"
    if suffix == ".csv":
        ws = load_workbook(filled)["Báo cáo"]
        with target.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(ws.iter_rows(values_only=True))
    else:
        shutil.copy(filled, target)
    ctx = build(inp, keep_going=True)
    errs = [p for p in ctx.problems.errors if p.file == str(target)]
    assert len(errs) == 1
    assert errs[0].message == (f"Mẫu báo cáo PAPI đã bị lưu sang định dạng {suffix}; không đọc "
                               "được từ định dạng này / the report template was saved as "
                               f"{suffix}")
    assert errs[0].allowed == ".xlsx (Excel Workbook)"
    rec = next(f for f in ctx.files if f.path == target)
    assert (rec.kind, rec.status) == ("report", "refused")
    assert q(ctx, "SELECT count(*) FROM mart.action_status") == [(0,)]


def test_other_csv_and_xls_files_are_left_alone(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "diem.csv").write_text("province,year,value\nLạng Sơn,2024,42\n", encoding="utf-8")
    ctx = build(inp)
    assert ctx.problems.items == [] and ctx.files == []


def test_hidden_sheet_removed_is_named(tmp_path: Path, old_template: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(FIX / "general_all8.txt", inp / "ke_hoach.txt")
    wb = load_workbook(fill(old_template, tmp_path / "bc.xlsx", {8: OK}))
    del wb["_papi_meta"]
    wb.save(inp / "bao_cao.xlsx")
    ctx = build(inp)
    errs = [p for p in ctx.problems.errors if p.file.endswith("bao_cao.xlsx")]
    assert len(errs) == 1
    assert errs[0].message.startswith("Mẫu báo cáo thiếu trang ẩn '_papi_meta' (đã bị xóa)")
    assert (errs[0].sheet, errs[0].found) == ("_papi_meta", "Hướng dẫn, Báo cáo")


@pytest.mark.parametrize("keep_going", [False, True])
def test_empty_template_is_a_named_warning_not_a_crash(tmp_path: Path, old_template: Path,
                                                       keep_going: bool) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(FIX / "general_all8.txt", inp / "ke_hoach.txt")
    shutil.copy(old_template, inp / "bao_cao_trong.xlsx")
    ctx = build(inp, keep_going=keep_going)
    warns = [p for p in ctx.problems.warnings if p.file.endswith("bao_cao_trong.xlsx")]
    assert [(p.sheet, p.cell) for p in warns] == [("Báo cáo", "H8:M19")]
    assert warns[0].message.startswith("Báo cáo chưa điền dòng nào (mẫu trống)")
    rec = next(f for f in ctx.files if f.path.name == "bao_cao_trong.xlsx")
    assert (rec.kind, rec.status, rec.rows) == ("report", "loaded", 0)
    assert ctx.problems.errors == []


def test_action_text_starting_with_formula_is_neutralised(tmp_path: Path) -> None:
    text = (FIX / "general_all8.txt").read_text(encoding="utf-8").replace(
        "- Quán triệt Kế hoạch đến toàn thể công chức, viên chức của Sở.",
        '- =HYPERLINK("http://example.invalid","Bấm vào đây")')
    path = tmp_path / "ke_hoach.txt"
    path.write_text(text, encoding="utf-8")
    plan = parse_plan(path)
    assert plan.actions[0].text.startswith("=HYPERLINK")
    out = write_template(plan, tmp_path / "mau.xlsx")
    cell = load_workbook(out)["Báo cáo"]["D8"]
    assert cell.data_type == "s"
    assert cell.value == "'" + plan.actions[0].text
    ok = load_workbook(out)["Báo cáo"]["D9"]
    assert ok.value == "Đưa kết quả thực hiện Kế hoạch vào đánh giá thi đua cuối năm."
