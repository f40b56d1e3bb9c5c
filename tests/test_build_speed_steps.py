"""Issue 15: the plans step does not reopen loaded score files; the build commits once."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.steps import plan_step as step
from etl.steps.warehouse import build
from tests.factories import full_tidy_rows, tidy_csv


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
    real = step.run

    def run(ctx):  # noqa: ANN001, ANN202
        other = ctx.con.cursor()  # a second connection to the database being built
        try:
            seen.append(other.execute("SELECT count(*) FROM duckdb_tables() "
                                      "WHERE schema_name = 'staging'").fetchone()[0])
        finally:
            other.close()
        return real(ctx)

    monkeypatch.setattr(step, "run", run)
    db = build([_sources(tmp_path / "in")], tmp_path / "w.duckdb", progress=False)
    assert seen == [0]  # staging.score exists only inside the build's transaction
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM mart.score WHERE year = 2019").fetchone()[0] > 0
    finally:
        con.close()
    assert not Path(str(db) + ".wal").exists()
