"""Issue 21, item 6: a large tidy CSV is read by DuckDB as a stream, with the same checks and
messages as the in-memory reader. Its oracles: the previous reader (tests/reference) and
tidy_csv.read_small on the same files; the size threshold is set to 0 so small files take the
large-file path. Rows repeating an earlier row exactly give their figures once (an info line
says so); everything that needs a message goes to the in-memory reader."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench import tidy_big
from etl.readers import tidy_csv, tidy_stream
from etl.steps.warehouse import build
from tests.reference import old_tidy_csv
from tests.test_tidy_csv_oracle import HEADER, _rows, _view, _write
from tests.warehouse_query import q


@pytest.fixture
def large_from_zero(monkeypatch):
    """Every tidy CSV counts as large: tidy_csv.read tries the DuckDB path first."""
    monkeypatch.setattr(tidy_csv, "LARGE", 0)


@pytest.mark.parametrize("seed", range(4))
def test_clean_files_read_as_the_old_reader_through_duckdb(tmp_path, large_from_zero, seed):
    rnd = random.Random(seed)
    extra = seed % 3
    header = HEADER + ["ci_low", "ci_high", "std_error"][:extra]
    path = _write(tmp_path / "t.csv", header, _rows(rnd, [2011, 2019, 2024][:1 + seed % 3],
                                                    extra=extra),
                  bom=seed % 2 == 0, newline="\n" if seed % 3 else "\r\n")
    fast = tidy_stream.read(path)
    assert fast is not None and fast.rows_read is not None  # the DuckDB path was taken
    assert _view(tidy_csv.read(path)) == _view(old_tidy_csv.read(path))


@pytest.mark.parametrize("seed", range(3))
def test_messy_files_give_the_old_messages(tmp_path, large_from_zero, seed):
    rnd = random.Random(50 + seed)
    path = _write(tmp_path / "m.csv", HEADER, _rows(rnd, [2015, 2024], mess=0.05))
    assert tidy_stream.read(path) is None  # a message to give: the in-memory reader gives it
    assert _view(tidy_csv.read(path)) == _view(old_tidy_csv.read(path))


def _clean(tmp_path: Path) -> list[str]:
    rows = _rows(random.Random(9), [2019])
    text = _write(tmp_path / "c.csv", HEADER, rows, newline="\n").read_text(encoding="utf-8")
    return text.splitlines()


@pytest.mark.parametrize("case", ["ragged row", "decimal comma", "blank line", "quoted newline",
                                  "windows-1258", "same key two figures"])
def test_what_needs_the_in_memory_reader_goes_there(tmp_path, large_from_zero, case):
    lines = _clean(tmp_path)
    if case == "ragged row":
        lines[5] += ",427016"
    elif case == "decimal comma":
        lines[5] = lines[5].rsplit(",", 1)[0] + ',"1,5"'
    elif case == "blank line":
        lines.insert(5, "")
    elif case == "quoted newline":
        lines[5] = lines[5].replace("Hà Nội", '"Hà\nNội"')
    elif case == "same key two figures":
        lines.append(lines[5].rsplit(",", 1)[0] + ",1.111111")
    path = tmp_path / "x.csv"
    text = "\n".join(lines) + "\n"
    path.write_bytes(text.encode("cp1258" if case == "windows-1258" else "utf-8",
                                 errors="replace"))
    assert tidy_stream.read(path) is None
    assert _view(tidy_csv.read(path)) == _view(tidy_csv.read_small(path))


def test_repeated_rows_give_their_figure_once_and_say_so(tmp_path, large_from_zero):
    lines = _clean(tmp_path)
    path = tmp_path / "r.csv"
    path.write_text("\n".join(lines + lines[1:4] + lines[1:2]) + "\n", encoding="utf-8")
    fast, small = tidy_csv.read(path), tidy_csv.read_small(path)
    assert fast.rows_read == len(lines) - 1 + 4
    first = {}
    for ds in small.datasets:  # the in-memory reader's observations, a repeated row once
        for o in ds.observations:
            first.setdefault((o.year, o.province_code, o.item_code, o.measure, o.raw), o)
    assert [o for d in fast.datasets for o in d.observations] == list(first.values())
    [info] = fast.problems.items
    assert info.severity == "info" and info.message.startswith("4 rows repeat an earlier row")
    assert small.problems.items == []


def test_export_by_commune_builds_the_same_warehouse_as_the_in_memory_reader(tmp_path,
                                                                             monkeypatch):
    (tmp_path / "in").mkdir()
    written = tidy_big.write(tmp_path / "in" / "by_commune.csv", rows=60_000)
    monkeypatch.setattr(tidy_csv, "LARGE", 10**12)
    small = build([tmp_path / "in"], tmp_path / "small.duckdb", progress=False)
    monkeypatch.setattr(tidy_csv, "LARGE", 0)
    fast = build([tmp_path / "in"], tmp_path / "fast.duckdb", progress=False)
    for sql in ("SELECT * FROM mart.score ORDER BY ALL",
                "SELECT * FROM mart.province_year ORDER BY ALL",
                "SELECT * FROM mart.national ORDER BY ALL"):
        assert q(fast, sql) == q(small, sql)
    assert q(small, "SELECT rows FROM meta.source_file") == [(written,)]
    distinct = q(fast, "SELECT rows FROM meta.source_file")[0][0]
    assert distinct < written and q(fast, "SELECT count(*) FROM meta.problem WHERE severity = "
                                          "'info' AND message LIKE '%repeat an earlier row%'") \
        == [(1,)]


def test_a_long_read_prints_a_progress_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "in").mkdir()
    n = tidy_big.write(tmp_path / "in" / "lon.csv", rows=30_000)
    monkeypatch.setattr(tidy_csv, "LARGE", 1024)
    build([tmp_path / "in"], tmp_path / "w.duckdb", progress=True)
    out = capsys.readouterr().out.splitlines()
    size = f"{(tmp_path / 'in' / 'lon.csv').stat().st_size / 1e6:.0f}"
    before = out.index(f"  đọc / reading lon.csv ({size} MB)…")  # said before the read starts
    vi, en = f"{n:,}".replace(",", "."), f"{n:,}"
    assert out[before + 1].startswith(f"  đọc / reading lon.csv: {vi} dòng / {en} rows, ")


def test_real_tidy_file_reads_the_same_through_duckdb(shared, large_from_zero):
    path = shared / "papi" / "tidy" / "papi_subdimension_scores_long.csv"
    fast = tidy_stream.read(path)
    assert fast is not None and fast.rows_read == 21891
    assert _view(fast) == _view(old_tidy_csv.read(path))


# ---- the in-memory reader's bound (tidy_csv.MAX_SMALL) ----------------------------------------

@pytest.fixture
def over_the_bound(monkeypatch, tmp_path):
    """Every file is over the in-memory reader's bound: DuckDB alone judges it; read_small must
    not be called (it would hold ~17× the file in memory). Returns a file of `_clean` lines."""
    monkeypatch.setattr(tidy_csv, "LARGE", 0)
    monkeypatch.setattr(tidy_csv, "MAX_SMALL", 0)

    def refused(path):
        raise AssertionError("the in-memory reader was called past its bound")

    monkeypatch.setattr(tidy_csv, "read_small", refused)
    return _clean(tmp_path)


def test_at_the_bound_the_in_memory_reader_still_gives_the_messages(tmp_path, monkeypatch):
    lines = _clean(tmp_path)
    lines[5] += ",427016"
    path = tmp_path / "b.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(tidy_csv, "LARGE", 0)
    monkeypatch.setattr(tidy_csv, "MAX_SMALL", path.stat().st_size)  # at the bound: in memory
    [err] = tidy_csv.read(path).problems.errors
    assert (err.cell, err.message) == ("row 6", "the row has 6 fields, the header 5")


def test_past_the_bound_a_ragged_row_is_named_by_duckdb(tmp_path, over_the_bound):
    lines = over_the_bound
    lines[5] += ",427016"
    path = tmp_path / "b.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [err] = tidy_csv.read(path).problems.errors
    assert err.cell == "row 6" and "Expected Number of Columns: 5 Found: 6" in err.message
    assert err.found == lines[5]  # DuckDB counts lines from 1: the header is line 1, as row 1


def test_past_the_bound_a_repeated_bad_cell_is_named_at_its_first_row(tmp_path,
                                                                      over_the_bound):
    lines = over_the_bound
    bad = lines[3].rsplit(",", 1)[0] + ",cao"
    lines[3] = bad
    path = tmp_path / "r.csv"
    path.write_text("\n".join(lines + [bad, bad]) + "\n", encoding="utf-8")
    result = tidy_csv.read(path)
    [err] = result.problems.errors
    assert (err.cell, err.found, err.message) == ("row 4, column score", "cao",
                                                  "text in a number cell")
    [info] = [p for p in result.problems.items if p.severity == "info"]
    assert "named at the first of the rows repeating it" in info.message


def test_past_the_bound_a_legacy_encoding_is_refused_naming_the_file(tmp_path, over_the_bound):
    path = tmp_path / "cp.csv"
    path.write_bytes(("\n".join(over_the_bound) + "\n").encode("cp1258", errors="replace")
                     .replace(b"year", b"n\xe3m,year", 1))
    [err] = tidy_csv.read(path).problems.errors
    assert err.message == "a tidy CSV over 0 MB must be UTF-8" and err.cell == "row 1"
