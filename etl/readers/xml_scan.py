"""What calamine cannot tell from an empty cell: formulas saved without a value, error values.

Found by scanning each sheet's XML in the zip with bounded regular expressions (no full load).
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

from etl.problems import Problem
from etl.readers.cells import FormulaWithoutValue

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# A cell whose first child is a formula (<f …/> or <f …>text</f>), then its <v> if any; any
# namespace prefix. Bounded: attributes stop at '>', texts at '<'. The <f>'s attributes are
# taken whole (greedy: 2.5× faster than stopping lazily at '/>'); a self-closing <f …/> is the
# one whose attributes end with '/' (the lookbehind), and group 3 is None for it.
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b([^>]*)>(?:(?<=/>)|([^<]*)</(?:\w+:)?f>)\s*"
    rb"(?:<(?:\w+:)?v\b[^>]*>([^<]*)</(?:\w+:)?v>)?")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>([^<]*)</(?:\w+:)?v>")
_ATTR = re.compile(rb"""\b([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# An error cell (t="e") that is not self-closing (?<!/), up to its own </c>.
_ERROR_TYPE = re.compile(rb"""t\s*=\s*["']e["']""")  # what every error cell's attributes hold
_ERROR_CELL = re.compile(
    rb"""<(?:\w+:)?c\b([^>]*\bt\s*=\s*["']e["'][^>]*)(?<!/)>(.*?)</(?:\w+:)?c>""", re.DOTALL)


class NoCellAddress(ValueError):
    """A formula or error cell without an r="A1" address: the caller falls back to openpyxl."""


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """{sheet name: zip member of its XML}, from xl/workbook.xml and its relationships."""
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels if r.get("Id")}
    parts = {}
    for el in book.iter():
        if el.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        target = targets.get(el.get(f"{{{_REL_NS}}}id"), "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        parts[el.get("name", "")] = member
    return parts


def _attrs(raw: bytes) -> dict[bytes, str]:
    return {m.group(1).split(b":")[-1]: html.unescape((m.group(2) or m.group(3) or b"").decode())
            for m in _ATTR.finditer(raw)}


def formulas_without_value(xml: bytes) -> Iterator[tuple[int, int, str]]:
    """(0-based row, 0-based column, '=formula') of every formula cell with no or an empty <v>.

    Shared formulas are translated from their master cell, as openpyxl does."""
    if b"<f" not in xml and b":f" not in xml:
        return
    shared: dict[str, tuple[str, str]] = {}  # si → (master formula, master address)
    for m in _FORMULA_CELL.finditer(xml):
        c_attrs, f_attrs, f_text, value = m.groups()
        if value and value.strip() and not (f_text and b"shared" in f_attrs):
            continue  # the common case (a value, not a shared master), no attributes parsed
        if c_attrs.endswith(b"/"):
            continue  # <c …/> is empty: the <f> after it is not its child
        has_value = bool((value or b"").strip())
        if f_text is None:
            f_attrs = f_attrs[:-1]  # a self-closing <f …/>: its attributes without the '/'
        cell, f = _attrs(c_attrs), _attrs(f_attrs)
        text = html.unescape((f_text or b"").decode())
        ref = cell.get(b"r")
        if ref is None:
            raise NoCellAddress("a formula cell has no r= address")
        if f.get(b"t") == "shared" and f.get(b"si") is not None:
            if text:
                shared[f[b"si"]] = ("=" + text, ref)
            elif f[b"si"] in shared:
                first, origin = shared[f[b"si"]]
                from openpyxl.formula.translate import Translator  # only when one is met

                text = Translator(first, origin=origin).translate_formula(ref)[1:]
        if not has_value:
            yield (*_position(ref), "=" + text)


def error_values(xml: bytes) -> Iterator[tuple[int, int, str]]:
    """(0-based row, 0-based column, '#N/A') of every cell holding an error value."""
    if _ERROR_TYPE.search(xml) is None:  # cheaper than _ERROR_CELL over every cell
        return
    for m in _ERROR_CELL.finditer(xml):
        ref = _attrs(m.group(1)).get(b"r")
        if ref is None:
            raise NoCellAddress("an error cell has no r= address")
        v = _VALUE.search(m.group(2))
        if v is not None and v.group(1).strip():
            yield (*_position(ref), html.unescape(v.group(1).decode()))


_REF = re.compile(r"^[$]?([A-Za-z]{1,3})[$]?(\d+)$")


def _position(ref: str) -> tuple[int, int]:
    """(0-based row, 0-based column) of an A1 address (as openpyxl's coordinate_from_string and
    column_index_from_string read it; openpyxl itself is not imported for this)."""
    m = _REF.match(ref)
    if m is None or not int(m.group(2)):  # openpyxl's own error for a bad address, as before
        from openpyxl.utils.cell import coordinate_from_string

        coordinate_from_string(ref)  # raises CellCoordinatesException
        raise ValueError(f"Invalid cell coordinates ({ref})")
    row = int(m.group(2))
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return row - 1, col - 1


def scan(path: Path, kept: dict[str, bytes] | None = None) -> dict[str, list[tuple[int, int, str]]]:
    """{sheet name: [(row, column, value), …]}: FormulaWithoutValue('=…') or an error text.
    `kept`: sheets' XML already expanded ({zip member: bytes}, bounds.check_keeping)."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    kept = kept or {}
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for sheet, member in sheet_parts(z).items():
            if member not in names:
                continue
            xml = kept[member] if member in kept else z.read(member)
            found: list[tuple[int, int, str]] = [
                (i, j, FormulaWithoutValue(f)) for i, j, f in formulas_without_value(xml)]
            found += error_values(xml)
            if found:
                out[sheet] = found
    return out



DAMAGED_SHEET = {  # the texts of a sheet whose XML does not parse (also etl.steps.failures)
    "message": "damaged sheet: its XML cannot be read",
    "message_vi": "trang bị hỏng: không đọc được XML của trang",
    "action": "open the file in Excel or LibreOffice and save it again as .xlsx, or download it "
              "again",
    "action_vi": "mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx, hoặc tải lại tệp",
}


def damaged_sheet_problem(path: Path) -> Problem | None:
    """The first worksheet whose XML does not parse, as an error naming the sheet, the zip part
    and the position — or None when every sheet parses."""
    try:
        with zipfile.ZipFile(path) as z:
            sheets = {member: name for name, member in sheet_parts(z).items()}
            for member in sorted(n for n in z.namelist()
                                 if n.startswith("xl/worksheets/") and n.endswith(".xml")):
                try:
                    for _ in ET.iterparse(io.BytesIO(z.read(member))):
                        pass
                except ET.ParseError as exc:
                    line, col = exc.position
                    return Problem(str(path), sheet=sheets.get(member),
                                   cell=f"{member} line {line}, column {col}",
                                   found=f"ParseError: {exc}", **DAMAGED_SHEET)
    except (zipfile.BadZipFile, OSError, KeyError, ET.ParseError):
        return None
    return None
