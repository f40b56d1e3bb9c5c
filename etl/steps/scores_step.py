"""Step: read every score file, validate, reconcile sources, derive, and write score marts."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from etl import ref
from etl.problems import ProblemLog
from etl.readers import tidy_csv, vintage, workbook
from etl.readers.base import Dataset, ReadResult
from etl.steps import corrections, derive, failures, reconcile, regrouped, units, validate
from etl.steps.context import BuildContext, FileRecord

SQL = Path(__file__).resolve().parent / "sql"
STAGING_COLS = ["year", "vintage", "province_code", "item_code", "measure", "value", "status",
                "sources", "file", "sheet", "cell", "flag", "competing"]


def read_file(rec: FileRecord) -> ReadResult | None:
    suffix = rec.path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        result = workbook.read(rec.path)
        if result.datasets or result.problems.errors:
            rec.kind = "score_workbook"
            return result
        return None
    if suffix == ".csv" and tidy_csv.looks_like(rec.path):
        rec.kind = "tidy_csv"
        return tidy_csv.read(rec.path)
    return None


def run(ctx: BuildContext) -> None:
    datasets: list[Dataset] = []
    fixes = corrections.load(ctx.problems)
    for rec in ctx.files:
        size = rec.path.stat().st_size if rec.path.suffix.lower() == ".csv" else 0
        started = time.perf_counter()
        if size >= tidy_csv.LARGE:  # a progress line before a long read
            ctx.say(f"  đọc / reading {rec.path.name} ({size / 1e6:.0f} MB)…")
        try:
            result = read_file(rec)
        except (MemoryError, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - every reader failure is a listed problem
            ctx.problems.add(failures.reader_problem(rec.path, exc))
            rec.kind = "tidy_csv" if rec.path.suffix.lower() == ".csv" else "score_workbook"
            rec.status, rec.message = "refused", ("không đọc được tệp; không nạp gì / the file "
                                                  "cannot be read; nothing loaded from it")
            continue
        if result is None:
            continue
        n_read = result.rows_read
        ctx.say(f"  đọc / reading {rec.path.name}" + (
            f": {n_read:,} dòng / ".replace(",", ".") + f"{n_read:,} rows, "
            f"{time.perf_counter() - started:.1f} s" if n_read is not None else ""))
        for ds in result.datasets:
            validate.check_scales(ds, result.problems)
        errors = result.problems.errors
        if ctx.keep_going:  # minority-geography rows are left out; the majority still loads
            errors = [p for p in errors if not vintage.is_minority(p)]
        ctx.problems.extend(result.problems)
        for sheet, reason in result.skipped_sheets:
            ctx.problems.info(rec.path, f"sheet skipped: {reason}", sheet=sheet,
                              message_vi=f"bỏ qua trang: {workbook.SKIP_REASONS_VI.get(reason, reason)}")
        if errors:
            rec.status, rec.message = "refused", nothing_loaded(len(errors))
            continue
        datasets += result.datasets
        rec.status = "loaded"
    validate.refuse_copied_years(datasets, ctx.problems)
    regrouped.drop_uncovered(datasets, ctx.problems)
    _check_units(ctx, datasets, fixes)
    datasets = [d for d in datasets if d.file not in _refused(ctx)]
    for rec in ctx.files:
        mine = [d for d in datasets if d.file == rec.path]
        if rec.status == "loaded":
            kept = [d for d in mine if not d.refused]
            rec.rows = sum(len(d.observations) for d in kept)
            refused = [d.sheet or str(d.year) for d in mine if d.refused]
            years = sorted({d.year for d in kept})
            rec.message = (f"các năm / years {years[0]}–{years[-1]}" if years
                           else "không có năm nào / no years")
            if refused:
                rec.message += f"; trang bị từ chối / refused sheets: {', '.join(refused)}"
    write(ctx, datasets, fixes)


def _check_units(ctx: BuildContext, datasets: list[Dataset], fixes) -> None:
    """Indicator units of the kept datasets (a refused copy is not judged); a file with an
    out-of-scale indicator is refused like one with an out-of-scale score."""
    for rec in ctx.files:
        if rec.status != "loaded":
            continue
        log = ProblemLog()
        for ds in (d for d in datasets if d.file == rec.path and not d.refused):
            units.check_units(ds, log, corrected=fixes)
        ctx.problems.extend(log)
        if log.errors:
            rec.status, rec.message = "refused", nothing_loaded(len(log.errors))


def _refused(ctx: BuildContext) -> set[Path]:
    return {rec.path for rec in ctx.files if rec.status == "refused"}


def nothing_loaded(n_errors: int) -> str:
    return f"{n_errors} lỗi; không nạp gì từ tệp / {n_errors} error(s); nothing loaded from it"


def write(ctx: BuildContext, datasets: list[Dataset],
          fixes: dict[corrections.Key, corrections.Correction] | None = None) -> None:
    con = ctx.con
    problems = ProblemLog()
    for d in datasets:
        if d.vintage not in ref.VINTAGES and d.observations and not d.refused:
            d.refused = "its provinces' vintage could not be decided"
            problems.error(d.file, "provinces of no single vintage; sheet not loaded", sheet=d.sheet,
                           message_vi="các tỉnh không cùng một danh mục (63 hay 34); trang không "
                                      "được nạp")
    per_vintage = [reconcile.observations_frame([d for d in datasets if d.vintage == v])
                   .assign(vintage=v) for v in ref.VINTAGES]
    # An empty vintage's frame is left out of the concat: it would turn every column to object.
    obs = pd.concat([o for o in per_vintage if len(o)] or per_vintage, ignore_index=True)
    _store(con, "raw.score_observation", obs.drop(columns=["priority"]), year="INTEGER")
    refused = pd.DataFrame([(str(d.file), d.sheet, d.year, d.refused) for d in datasets if d.refused],
                           columns=["file", "sheet", "year", "reason"])
    _store(con, "raw.refused_dataset", refused)
    # Sources are reconciled within a vintage: an old and a new province never compete.
    parts = [reconcile.reconcile(o, problems, keep_going=ctx.keep_going, corrections=fixes)
             .assign(vintage=o["vintage"].iloc[0]) for o in per_vintage if len(o)]
    scores = pd.concat(parts, ignore_index=True) if parts else obs.assign(sources=[])
    scores = derive.derive_and_complete(scores, problems)
    ctx.problems.extend(problems)
    staged = scores.reindex(columns=STAGING_COLS)
    for col in ("flag", "competing"):  # filled by reconcile when it flags a figure
        staged[col] = staged[col].astype("str")
    _store(con, "staging.score", staged)
    for name in ("mart_score", "mart_province_year", "mart_national"):
        con.execute((SQL / f"{name}.sql").read_text(encoding="utf-8"))


def _store(con, table: str, frame: pd.DataFrame, **types: str) -> None:
    """Write a frame as a table; `types` casts columns (column=SQL type)."""
    con.register("frame", frame)
    cols = ", ".join(f'CAST("{c}" AS {types[c]}) AS "{c}"' if c in types else f'"{c}"'
                     for c in frame.columns)
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {cols} FROM frame")  # noqa: S608
    con.unregister("frame")
