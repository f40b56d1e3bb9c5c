"""Turn exceptions of readers, steps and the database into problems or one-line build failures."""

from __future__ import annotations

import csv
import errno
import io
import re
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from etl.problems import BuildFailed, Problem
from etl.readers import xml_scan

CSV_LIMIT = csv.field_size_limit()
_DISK_FULL = re.compile(r"no space left|disk (is )?full|ENOSPC", re.I)
_DENIED = re.compile(r"permission denied|read-only file system|EACCES|EROFS", re.I)


def environment_failure(exc: BaseException, target: Path) -> BuildFailed | None:
    """A full disk or a permission problem on the warehouse side, as a one-line failure."""
    code = getattr(exc, "errno", None)
    text = str(exc)
    if code == errno.ENOSPC or _DISK_FULL.search(text):
        return BuildFailed(f"Ổ đĩa đầy khi ghi kho dữ liệu {target} / disk full while writing the "
                           "warehouse: free some space and run again. The previous warehouse is "
                           "unchanged.")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) or _DENIED.search(text):
        where = getattr(exc, "filename", None) or target.parent
        return BuildFailed(f"Không có quyền ghi {where} / no permission to write {where}: choose "
                           "another --db or ask for write access. The previous warehouse is "
                           "unchanged.")
    return None


def reader_problem(path: Path, exc: BaseException) -> Problem:
    """What went wrong reading one input file, where, and what to do."""
    if isinstance(exc, PermissionError):
        return Problem(str(path), "permission denied: the file cannot be read", found=str(exc),
                       action="ask for read access to the file, or copy it to a folder you own",
                       message_vi="không có quyền đọc tệp",
                       action_vi="xin quyền đọc tệp, hoặc chép tệp vào thư mục của mình")
    if isinstance(exc, ElementTree.ParseError) or type(exc).__name__ in ("ParseError",
                                                                        "XMLSyntaxError"):
        named = xml_scan.damaged_sheet_problem(path)
        if named is not None:
            return named
        sheet, part = damaged_sheet(path)
        line, col = getattr(exc, "position", (None, None))
        cell = f"{part} line {line}, column {col}" if line else part
        return Problem(str(path), sheet=sheet, cell=cell, found=f"{type(exc).__name__}: {exc}",
                       **xml_scan.DAMAGED_SHEET)
    if isinstance(exc, csv.Error) and "field larger than field limit" in str(exc):
        cell = oversized_field(path)
        return Problem(str(path), f"a CSV field is longer than {CSV_LIMIT:,} characters",
                       cell=cell, found=str(exc), allowed=f"at most {CSV_LIMIT:,} characters "
                       "per field", action="check the quotes of that row (an unclosed quote "
                       "swallows the rest of the file) and save the CSV again",
                       message_vi=f"một trường CSV dài hơn {CSV_LIMIT:,} ký tự".replace(",", "."),
                       allowed_vi=f"tối đa {CSV_LIMIT:,} ký tự mỗi trường".replace(",", "."),
                       action_vi="kiểm tra dấu ngoặc kép của dòng đó (một dấu ngoặc chưa đóng "
                                 "nuốt hết phần còn lại của tệp) rồi lưu lại CSV")
    return Problem(str(path), f"the file cannot be read ({type(exc).__name__})",
                   found=str(exc)[:300], action="open and save the file again, or download it "
                   "again; if it persists, report it with this message",
                   message_vi=f"không đọc được tệp ({type(exc).__name__})",
                   action_vi="mở rồi lưu lại tệp, hoặc tải lại; nếu vẫn lỗi, hãy báo lại thông "
                             "báo này")


def damaged_sheet(path: Path) -> tuple[str | None, str | None]:
    """(sheet name, zip part) of the first worksheet whose XML does not parse."""
    try:
        with zipfile.ZipFile(path) as z:
            names = _sheet_names(z)
            for part in sorted(n for n in z.namelist() if n.startswith("xl/worksheets/")
                               and n.endswith(".xml")):
                try:
                    for _ in ElementTree.iterparse(io.BytesIO(z.read(part))):
                        pass
                except ElementTree.ParseError:
                    return names.get(part), part
    except (zipfile.BadZipFile, OSError, KeyError):
        pass
    return None, None


def _sheet_names(z: zipfile.ZipFile) -> dict[str, str | None]:
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    try:
        wb = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "").lstrip("/") for r in rels.findall("p:Relationship", ns)}
    out: dict[str, str | None] = {}  # None: a <sheet> without a name
    for s in wb.findall("m:sheets/m:sheet", ns):
        target = targets.get(s.get(f"{{{ns['r']}}}id"), "")
        out[target if target.startswith("xl/") else f"xl/{target}"] = s.get("name")
    return out


def oversized_field(path: Path) -> str | None:
    """'row N, column C' of the first field longer than the csv module's limit."""
    from etl.readers.tidy_csv import decode

    text = decode(path.read_bytes())
    old = csv.field_size_limit(sys.maxsize)
    try:
        reader = csv.reader(io.StringIO(text))
        header = next(reader, [])
        start = reader.line_num + 1
        for row in reader:
            for i, field in enumerate(row):
                if len(field) > CSV_LIMIT:
                    name = header[i] if i < len(header) else str(i + 1)
                    return f"row {start}, column {name}"
            start = reader.line_num + 1
    finally:
        csv.field_size_limit(old)
    return None


def failing_file(exc: BaseException) -> Path | None:
    """The input file a step was working on when it raised (a `path` in its innermost frames)."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        for name in ("path", "file", "source"):
            value = tb.tb_frame.f_locals.get(name)
            if isinstance(value, Path) and value.is_file():
                found = value
        tb = tb.tb_next
    return found
