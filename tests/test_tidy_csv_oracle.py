"""The column-wise tidy CSV reader gives what the row-by-row one before it gave.

The previous reader (main at b6657b6) is kept unchanged in tests/reference as an oracle; both read
the same files — clean, and broken in every way the contract names (wrong or duplicated header,
text and markers in number cells, bad years, unknown items, short and long rows, blank lines,
quoting, BOM, Windows-1258, names only, extra measures) — and must return the same datasets,
observations and problems (severity, file, sheet, cell, text, found, in the same order).

Issue 21 changed two things on purpose, so the files here no longer hold them: a row whose field
count differs from the header is now an error (the old reader padded or dropped fields), and a
decimal comma in a comma-separated file is an error (the old reader guessed it per cell). Both
are tested in tests/test_tidy_csv_fields.py."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from etl import ref
from etl.readers import tidy_csv
from etl.readers.base import ReadResult
from tests.reference import english, old_tidy_csv


def _same(path: Path) -> None:
    old, new = old_tidy_csv.read(path), tidy_csv.read(path)
    assert _view(new) == _view(old)


def _view(result: ReadResult) -> tuple:
    return ([(d.file, d.sheet, d.year, d.layout, d.vintage, d.refused, d.observations)
             for d in result.datasets], english(result.problems.items), result.skipped_sheets)


def _write(path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8",
           bom: bool = False, newline: str = "\r\n") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(header)
    for r in rows:
        if r == ["<blank>"]:
            buf.write(newline)
        else:
            w.writerow(r)
    data = buf.getvalue().encode(encoding, errors="replace")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def _rows(rnd: random.Random, years: list[int], *, extra: int = 0, mess: float = 0.0) -> list[list]:
    """Rows of the 63 provinces for the years, with `mess` the share of broken cells."""
    out = []
    junk = ["abc", "KCDL", "", " 1.5 ", "1.2.3", "=A1", "-", "nan", "1e-3", "  ", "—", "x", "+2",
            ".5", "3,", "1 234", "\u00a01.5", "inf", "0001.50", "7"]
    for year in years:
        era = ref.era_for(year)
        for code in ref.province_codes():
            for sub in era.subdimensions():
                value = f"{rnd.uniform(0.2, 3.3):.6f}"
                row = [str(year), str(int(code)), ref.province_name(code), sub[1:], value]
                row += [f"{rnd.uniform(0, 1):.4f}" for _ in range(extra)]
                if rnd.random() < mess:
                    k = rnd.randrange(len(row))
                    row[k] = rnd.choice(junk + ["2005", "20x4", "9.9", "D99", "Hà Tây"])
                if rnd.random() < mess / 5:
                    out.append(["<blank>"])
                if rnd.random() < mess / 5:
                    out.append(list(row))  # the same key twice
                out.append(row)
    return out


HEADER = ["year", "gso_code", "province_vi", "subdim_no", "score"]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("mess", [0.0, 0.02, 0.3])
def test_random_files_read_the_same(tmp_path, seed, mess):
    rnd = random.Random(seed * 100 + int(mess * 100))
    extra = seed % 3
    header = HEADER + ["ci_low", "ci_high", "std_error"][:extra]
    path = _write(tmp_path / "t.csv", header, _rows(rnd, rnd.sample([2011, 2015, 2019, 2024], 2),
                                                    extra=extra, mess=mess),
                  bom=seed % 2 == 0, newline="\n" if seed % 3 else "\r\n")
    _same(path)


@pytest.mark.parametrize("header", [
    ["year", "gso_code", "province_vi", "subdim_no"],  # no value column
    ["Year", " GSO_CODE ", "Province_VI", "item_code", "Value"],  # case and spaces
    ["year", "province", "subdim_no", "score"],  # names only
    ["year", "gso_code", "subdim_no", "score"],  # codes only
    ["year", "gso_code", "province_vi", "subdim_no", "score", "score"],  # duplicated column
    ["score", "subdim_no", "province_vi", "gso_code", "year", "ci_high"],  # other order
])
def test_headers_read_the_same(tmp_path, header):
    rnd = random.Random(7)
    rows = _rows(rnd, [2019], extra=1, mess=0.02)
    # each row as wide as the header (issue 21), its cells taken by column name
    source = {"year": 0, "gso_code": 1, "province_vi": 2, "province": 2, "subdim_no": 3,
              "item_code": 3, "score": 4, "value": 4, "ci_high": 5}
    rows = [r if r == ["<blank>"] else
            [("D" + r[3] if h.strip().lower() == "item_code" else r[source[h.strip().lower()]])
             for h in header] for r in rows]
    _same(_write(tmp_path / "h.csv", header, rows))


def test_legacy_encoding_and_quoting_read_the_same(tmp_path):
    rnd = random.Random(3)
    rows = _rows(rnd, [2016], mess=0.05)
    _same(_write(tmp_path / "cp.csv", HEADER, rows, encoding="cp1258"))
    quoted = tmp_path / "q.csv"
    text = _write(tmp_path / "plain.csv", HEADER, rows).read_text(encoding="utf-8")
    quoted.write_text(text.replace(",Hà Nội,", ',"Hà Nội",').replace("\r\n2016,2,", "\r\n\r\n  \r\n2016,2,"),
                      encoding="utf-8")
    _same(quoted)


def test_empty_and_header_only_files_read_the_same(tmp_path):
    for name, text in [("empty.csv", ""), ("head.csv", ",".join(HEADER) + "\n"),
                       ("blank.csv", ",".join(HEADER) + "\n\n\n")]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        _same(path)


def test_real_tidy_file_reads_the_same(shared):
    _same(shared / "papi" / "tidy" / "papi_subdimension_scores_long.csv")
