"""Files in formats users often bring but we cannot read (.xls, .doc, .ods …) are never dropped
in silence: each is a warning naming the file with the format to save it as; the build goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.steps.warehouse import build
from tests.reliability import corpus as C
from tests.warehouse_query import q


@pytest.mark.parametrize(("name", "save_as"), [("PAPI_2024.xls", ".xlsx"),
                                               ("ke_hoach_PAPI_2025.doc", ".docx"),
                                               ("bao_cao.ods", ".xlsx")])
def test_old_format_is_a_warning_saying_what_to_save_it_as(tmp_path: Path, name: str,
                                                           save_as: str) -> None:
    inp = tmp_path / "in"
    C.good_csv(inp)
    (inp / name).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)  # OLE2 header
    db = build([inp], tmp_path / "w.duckdb", progress=False)
    fmt = Path(name).suffix
    assert q(db, "SELECT severity, message_vi, allowed, action_vi FROM meta.problem "
                 "WHERE file LIKE ?", [f"%{name}"]) == [(
        "warning", f"không đọc được tệp định dạng {fmt}; không nạp gì từ tệp này",
        f"{save_as} (and .xlsx, .xlsm, .csv, .docx, .pdf, .txt)",
        f"mở tệp bằng Excel, Word hoặc LibreOffice, lưu lại dạng {save_as} trong cùng thư mục "
        "rồi chạy lại")]
    assert q(db, "SELECT status, message FROM meta.source_file WHERE path LIKE ?",
             [f"%{name}"]) == [("skipped", f"định dạng {fmt} không đọc được / {fmt} cannot be read")]
    assert q(db, "SELECT count(*) FROM mart.score WHERE value IS NOT NULL")[0][0] > 0
