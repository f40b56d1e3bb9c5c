"""Issue 15: the plans step does not reopen loaded score files; the build commits once."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb

from etl.steps import plan_step as step
from etl.steps.warehouse import build
from tests.factories import full_tidy_rows, tidy_csv
from tests.warehouse_query import q


def _sources(folder: Path) -> Path:
    folder.mkdir()
    tidy_csv(folder / "scores.csv", full_tidy_rows(2019))
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return folder


def test_plans_step_skips_loaded_score_files_but_not_others(tmp_path: Path, monkeypatch) -> None:
    from etl.plans import report_format  # plan_step imports it where a candidate is read

    probed: list[str] = []
    real = report_format.report_defect

    def spy(path: Path):  # noqa: ANN202 - same as the real one
        probed.append(path.name)
        return real(path)

    monkeypatch.setattr(report_format, "report_defect", spy)
    db = build([_sources(tmp_path / "in")], tmp_path / "w.duckdb", progress=False)
    assert probed == ["notes.csv"]  # the loaded tidy CSV is a score file, never a report
    con = duckdb.connect(str(db), read_only=True)
    try:
        files = dict(con.execute("SELECT regexp_extract(path, '[^/]+$'), kind || ':' || status "
                                 "FROM meta.source_file").fetchall())
    finally:
        con.close()
    assert files == {"scores.csv": "tidy_csv:loaded", "notes.csv": "unrecognised:skipped"}


def test_build_is_one_transaction(tmp_path: Path, monkeypatch) -> None:
    """Every step writes inside one transaction (one commit, one WAL sync), committed before
    the checkpoint: another connection sees none of the scores while the plans step runs."""
    seen: list[int] = []
    inside: list[int] = []
    real = step.run
    scores = "SELECT count(*) FROM duckdb_tables() WHERE schema_name IN ('raw', 'staging')"

    def run(ctx):  # noqa: ANN001, ANN202
        other = ctx.con.cursor()  # a second connection to the database being built
        try:
            seen.append(other.execute(scores).fetchone()[0])
        finally:
            other.close()
        inside.append(ctx.con.execute(scores).fetchone()[0])
        return real(ctx)

    monkeypatch.setattr(step, "run", run)
    db = build([_sources(tmp_path / "in")], tmp_path / "w.duckdb", progress=False)
    # the plans step runs once the observations are written (while they are reconciled): they
    # exist only inside the build's transaction
    assert inside[0] >= 1
    assert seen == [0]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM mart.score WHERE year = 2019").fetchone()[0] > 0
    finally:
        con.close()
    assert not Path(str(db) + ".wal").exists()


def _two_years(folder: Path) -> Path:
    """Two years of every sub-dimension (3,654 rows), figures with many decimals; in 2019 every
    province shares the best D1.1 (a tie for the 'best province')."""
    folder.mkdir()

    def value(prov: str, sub: str, year: int) -> float:
        if year == 2019 and sub == "D1.1":
            return 2.5
        return random.Random(f"{prov} {sub} {year}").uniform(0.5, 2.4)

    rows = [r for y in (2019, 2020) for r in full_tidy_rows(y, lambda p, s, y=y: value(p, s, y))]
    tidy_csv(folder / "scores.csv", rows)
    return folder


def test_build_writes_row_groups_of_its_size(tmp_path: Path, monkeypatch) -> None:
    """Issue 23: the file being built is attached with ROW_GROUP_SIZE rows per row group (full
    ones are written while the build goes on, leaving the commit little to do)."""
    from etl.steps import warehouse

    monkeypatch.setattr(warehouse, "ROW_GROUP_SIZE", 2048)
    db = build([_two_years(tmp_path / "in")], tmp_path / "w.duckdb", progress=False)
    [(n,)] = q(db, "SELECT count(*) FROM raw.score_observation")
    [(groups,)] = q(db, "SELECT count(DISTINCT row_group_id) FROM "
                        "pragma_storage_info('raw.score_observation')")
    assert n == 2 * 1827
    assert groups == -(-n // 2048) == 2


def test_national_figures_do_not_depend_on_row_groups(tmp_path: Path, monkeypatch) -> None:
    """With several row groups DuckDB aggregates in parallel: mart.national's mean is still the
    sum in province order to the last digit, and among tied best values the first province by
    code is named, in every build."""
    from etl.steps import warehouse

    monkeypatch.setattr(warehouse, "ROW_GROUP_SIZE", 2048)
    src = _two_years(tmp_path / "in")
    seen = []
    for i in range(2):
        db = build([src], tmp_path / f"w{i}.duckdb", progress=False)
        seen.append(q(db, "SELECT year, item_code, mean, best_province_code FROM mart.national "
                          "ORDER BY ALL"))
        scores = q(db, "SELECT year, item_code, province_code, value FROM mart.score "
                       "WHERE value IS NOT NULL ORDER BY ALL")
    assert seen[0] == seen[1]
    by_key: dict[tuple, list[tuple[str, float]]] = {}
    for year, item, prov, value in scores:  # in province order
        by_key.setdefault((year, item), []).append((prov, value))
    assert len(seen[0]) == len(by_key) > 70
    for year, item, mean, best in seen[0]:
        values = by_key[(year, item)]
        total = 0.0
        for _, v in values:
            total += v
        assert mean == total / len(values), (year, item)
        top = max(v for _, v in values)
        assert best == min(p for p, v in values if v == top), (year, item)
    assert dict(((y, i), b) for y, i, _, b in seen[0])[(2019, "D1.1")] == "01"  # 63 tied


def test_build_spills_beside_its_file_never_in_the_working_folder(tmp_path: Path,
                                                                   monkeypatch) -> None:
    """The build attaches its file to an in-memory database (for its row groups): DuckDB's
    temporary folder stays where it was when the file was opened directly, beside the file
    being built, not '.tmp' in whatever folder `papi etl` was started from."""
    from etl.steps import ref_step

    seen: list[str] = []
    real = ref_step.run

    def run(ctx):  # noqa: ANN001, ANN202
        seen.append(ctx.con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0])
        return real(ctx)

    monkeypatch.setattr(ref_step, "run", run)
    monkeypatch.chdir(tmp_path)
    db = build([_sources(tmp_path / "in")], tmp_path / "out" / "w.duckdb", progress=False)
    [folder] = seen
    assert Path(folder).is_absolute() and Path(folder).parent == db.parent
    assert Path(folder).name.startswith(".papi-w.duckdb.building-")
    assert not (tmp_path / ".tmp").exists()
