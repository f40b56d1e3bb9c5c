"""Every problem a bad input raises is said in Vietnamese first (then English): in the
terminal, in meta.problem and on the Data and method page; English when the user switches."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import corpus as C
import pytest
from streamlit.testing.v1 import AppTest

from etl.problems import InputError, Problem
from etl.steps.warehouse import build
from tests.warehouse_query import q

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
# Letters only Vietnamese uses (with their capitals): a text holding none of them is not
# Vietnamese, whatever else it holds.
VI_LETTERS = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]",
                        re.IGNORECASE)
CASES = ["out_of_scale_csv", "text_in_number_csv", "unknown_province_csv", "duplicate_key_csv",
         "missing_column_csv", "three_errors_csv", "copied_year_csv", "formula_workbook",
         "unknown_province_name_workbook", "text_cell_workbook", "out_of_scale_workbook",
         "truncated_workbook", "empty_workbook_file", "disagreeing_sources",
         "copied_year_workbook", "damaged_sheet_workbook", "huge_field_csv", "indicator_workbook"]


def _is_words(text: str | None) -> bool:
    """A text to translate: at least two words of letters (not '0.25–2.5' or 'C4')."""
    return text is not None and len(re.findall(r"[^\W\d_]{2,}", text)) >= 2


def _vietnamese(text: str | None) -> bool:
    return bool(text) and bool(VI_LETTERS.search(text)) and \
        unicodedata.normalize("NFC", text) == text


def _decimal_point(text: str) -> bool:
    """A number written with a decimal point (1.5), not an item code (D1.1, D6.4.03) nor a
    Vietnamese thousands grouping (131.072)."""
    return any(not re.fullmatch(r"\d{1,3}(\.\d{3})+", m)
               for m in re.findall(r"(?<![\w.])\d+(?:\.\d+)+(?![\w.])", text))


def _untranslated(p: Problem) -> list[str]:
    """The fields of a problem that a Vietnamese user would read in English only."""
    out = []
    for field in ("message", "allowed", "action"):
        en, vi = getattr(p, field), getattr(p, f"{field}_vi")
        if _is_words(en) and not _vietnamese(vi) and not _vietnamese(en):
            out.append(f"{field}: {en!r}")
    return out


@pytest.mark.parametrize("case", CASES)
def test_every_problem_is_said_in_vietnamese(case: str, tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    getattr(C, case)(inp)
    C.good_csv(inp, name="zz_good.csv", year=2019)
    try:
        build([inp], tmp_path / "w.duckdb", progress=False, keep_going=True)
        problems = [Problem(*r) for r in q(
            tmp_path / "w.duckdb", "SELECT file, message, severity, sheet, cell, found, allowed, "
            "action, message_vi, allowed_vi, action_vi FROM meta.problem")]
    except InputError as err:  # nothing loadable at all
        problems = err.problems
    assert problems, f"{case} raised no problem"
    bad = {p.message: _untranslated(p) for p in problems if _untranslated(p)}
    assert not bad, bad
    points = [t for p in problems for t in (p.message_vi, p.allowed_vi, p.action_vi)
              if t and _decimal_point(t)]
    assert not points, f"decimal point in a Vietnamese text: {points}"
    for p in problems:  # the terminal line: Vietnamese first, then English
        line = p.describe()
        assert line.startswith(("[LỖI / ERROR]", "[CẢNH BÁO / WARNING]", "[THÔNG TIN / INFO]"))
        if p.message_vi:
            assert f"{p.message_vi} / {p.message}" in line


def test_terminal_says_the_error_in_vietnamese_first(tmp_path: Path) -> None:
    C.text_in_number_csv(tmp_path / "in")
    r = subprocess.run([sys.executable, "-m", "etl.cli", "etl", "--input", str(tmp_path / "in"),
                        "--db", str(tmp_path / "w.duckdb")], capture_output=True, text=True,
                       cwd=ROOT, env={"PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"})
    assert r.returncode == 2, r.stderr
    assert ("[LỖI / ERROR] text_in_number.csv › row 3, column score: ô số lại chứa chữ / text in "
            "a number cell — tìm thấy / found: 'cao' — được phép / allowed: một số, hoặc để trống "
            "nếu không công bố / a number, or empty if not published") in r.stderr, r.stderr
    assert "Kho dữ liệu KHÔNG bị thay đổi" in r.stderr


def test_method_page_shows_problems_in_the_users_language(monkeypatch, tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    C.text_in_number_csv(inp)
    C.good_csv(inp)
    db = build([inp], tmp_path / "w.duckdb", progress=False, keep_going=True)
    monkeypatch.setenv("PAPI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/method.py").run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "Mức độ" in d.value.columns)
    row = table[table["Thông báo"] == "ô số lại chứa chữ"]
    assert len(row) == 1, table.to_dict("records")
    assert row.iloc[0].to_dict().items() >= {
        "Mức độ": "Lỗi", "Trang tính": "–", "Ô": "row 3, column score", "Giá trị gặp": "cao",
        "Giá trị hợp lệ": "một số, hoặc để trống nếu không công bố"}.items()
    assert not [c for c in table.columns if c.endswith("_vi")]
    assert not table.isna().any().any(), "an empty cell would read 'None'"
    at.radio(key="lang").set_value("en").run()
    table = next(d.value for d in at.dataframe if "Severity" in d.value.columns)
    assert "text in a number cell" in set(table["Message"])
    assert "a number, or empty if not published" in set(table["Allowed"])


@pytest.mark.shared
def test_real_files_problems_in_vietnamese_with_decimal_comma(real_db: Path) -> None:
    """The 22 findings of the real files: each has its Vietnamese, numbers with a comma."""
    rows = q(real_db, "SELECT message, message_vi FROM meta.problem")
    assert len(rows) == 22
    assert all(_vietnamese(vi) or _vietnamese(en) for en, vi in rows), rows
    assert not [vi for _, vi in rows if vi and _decimal_point(vi)]
    assert ("D6.4.03 năm 2018 được ghi theo phần trăm (0–100) (63/63 giá trị lớn hơn 1, lớn nhất "
            "25,7675); đã đổi sang tỷ lệ (0–1) như danh mục (×0,01)") in {vi for _, vi in rows}
