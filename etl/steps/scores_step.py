"""Step: read every score file, validate, reconcile sources, derive, and write score marts."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from etl import ref
from etl.problems import InputError, ProblemLog
from etl.readers import tidy_csv, vintage, workbook
from etl.readers.base import Dataset, ReadResult
from etl.steps import corrections, derive, failures, forked, reconcile, regrouped, units, validate
from etl.steps import table as table_mod
from etl.steps.context import BuildContext, FileRecord

SQL = Path(__file__).resolve().parent / "sql"
STAGING_COLS = ["year", "vintage", "province_code", "item_code", "measure", "value", "status",
                "sources", "file", "sheet", "cell", "flag", "competing"]
RAW_COLS = [*reconcile.OBS_COLS, "vintage"]  # the rows of raw.score_observation, priority dropped
SCORE_COLS = [*RAW_COLS, *reconcile.PICK_COLS]  # reconciled and derived rows
# Work given to a second core (etl.steps.forked) from these sizes on; below, a process costs
# more than it saves. Tidy CSVs read meanwhile: at most EARLY_CSVS, in file order.
FORK_MIN_CSV_BYTES = 256 * 1024
FORK_MIN_ROWS = 10_000
EARLY_CSVS = 2


def read_file(rec: FileRecord, early: forked.Job[ReadResult] | None = None
              ) -> ReadResult | None:
    """The file's datasets and problems, or None when it is not a score file; `early`: its
    tidy CSV read started beforehand (read_early)."""
    suffix = rec.path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        result = workbook.read(rec.path)
        if result.datasets or result.problems.errors:
            rec.kind = "score_workbook"
            return result
        return None
    if suffix == ".csv" and tidy_csv.looks_like(rec.path):
        rec.kind = "tidy_csv"
        return early.get() if early is not None else tidy_csv.read(rec.path)
    return None


def read_early(files: list[FileRecord]) -> list[Path]:
    """The tidy CSVs worth reading in a child while the workbooks are read here: read in
    memory (below tidy_csv.LARGE, which DuckDB reads), at least FORK_MIN_CSV_BYTES."""
    early: list[Path] = []
    for rec in files:
        if len(early) == EARLY_CSVS:
            break
        if rec.path.suffix.lower() != ".csv":
            continue
        try:
            if (FORK_MIN_CSV_BYTES <= rec.path.stat().st_size < tidy_csv.LARGE
                    and tidy_csv.looks_like(rec.path)):
                early.append(rec.path)
        except Exception:  # noqa: BLE001, S112 - read in the loop, which names the problem
            continue
    return early


def run(ctx: BuildContext, meanwhile: Callable[[], None] | None = None) -> None:
    """Read, check, reconcile and write the scores; `meanwhile`: the build's steps that read no
    score, run while the sources are reconciled (see write)."""
    with ExitStack() as stack:
        early = {p: stack.enter_context(forked.ahead(tidy_csv.read, p))
                 for p in read_early(ctx.files)}
        _run(ctx, early, meanwhile)


def _run(ctx: BuildContext, early: dict[Path, forked.Job[ReadResult]],
         meanwhile: Callable[[], None] | None) -> None:
    datasets: list[Dataset] = []
    fixes = corrections.load(ctx.problems)
    for rec in ctx.files:
        size = rec.path.stat().st_size if rec.path.suffix.lower() == ".csv" else 0
        started = time.perf_counter()
        if size >= tidy_csv.LARGE:  # a progress line before a long read
            ctx.say(f"  đọc / reading {rec.path.name} ({size / 1e6:.0f} MB)…")
        try:
            result = read_file(rec, early.get(rec.path))
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
            rec.rows = sum(len(d.cols) for d in kept)
            refused = [d.sheet or str(d.year) for d in mine if d.refused]
            years = sorted({d.year for d in kept})
            rec.message = (f"các năm / years {years[0]}–{years[-1]}" if years
                           else "không có năm nào / no years")
            if refused:
                rec.message += f"; trang bị từ chối / refused sheets: {', '.join(refused)}"
    write(ctx, datasets, fixes, meanwhile)


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
          fixes: dict[corrections.Key, corrections.Correction] | None = None,
          meanwhile: Callable[[], None] | None = None) -> None:
    """Write the observations, the reconciled and derived scores and the score marts.
    `meanwhile` runs while a child reconciles (etl.steps.forked); its problems are listed after
    the scores' own, as when it ran after this step, and an InputError it raises is raised
    once the scores are written, with every error."""
    con = ctx.con
    problems = ProblemLog()
    for d in datasets:
        if d.vintage not in ref.VINTAGES and d.cols and not d.refused:
            d.refused = "its provinces' vintage could not be decided"
            problems.error(d.file, "provinces of no single vintage; sheet not loaded", sheet=d.sheet,
                           message_vi="các tỉnh không cùng một danh mục (63 hay 34); trang không "
                                      "được nạp")
    per_vintage = [reconcile.columns([d for d in datasets if d.vintage == v], vintage=v)
                   for v in ref.VINTAGES]
    raw = _joined(per_vintage, [c for c in RAW_COLS if c != "priority"])
    # With no observation at all every column but these has DuckDB's NULL type (as before).
    empty = {} if raw["year"] else {"vintage": "VARCHAR"}
    # reconciled in a child while the observations are written here
    with forked.ahead(reconciled, per_vintage, ctx.keep_going, fixes,
                      fork=len(raw["year"]) >= FORK_MIN_ROWS) as job:
        raw_frame = {name: table_mod.column(values) for name, values in raw.items()}
        table_mod.store_frame(con, "raw.score_observation", raw_frame,
                              {"year": "INTEGER", **empty})
        refused = [(str(d.file), d.sheet, d.year, d.refused) for d in datasets if d.refused]
        _store(con, "raw.refused_dataset", ["file", "sheet", "year", "reason"], refused)
        later, stopped = _meanwhile(ctx, meanwhile)
        choices, added, found = job.get()
    problems.extend(found)
    ctx.problems.extend(problems)
    ctx.problems.extend(later)
    if stopped is not None:
        raise InputError(ctx.problems.errors) from stopped
    present = [c for c in per_vintage if c["year"]]
    types = _staging_types(present, any(c.firsts for c in choices) or bool(added), bool(added))
    frame = _staging_frame(raw, raw_frame, present, choices, added)
    if frame is None:  # store() from the rows' values, as before
        scores = _joined([reconcile.apply(cols, choice)
                          for cols, choice in zip(present, choices, strict=True)], SCORE_COLS)
        for name, values in zip(SCORE_COLS, zip(*added, strict=True) if added else (),
                                strict=False):
            scores[name] += values
        frame = {name: table_mod.column(scores[name]) for name in STAGING_COLS}
    table_mod.store_frame(con, "staging.score", frame, types)
    for name in ("mart_score", "mart_province_year", "mart_national"):
        con.execute((SQL / f"{name}.sql").read_text(encoding="utf-8"))


def _staging_frame(raw: dict[str, list], raw_frame: dict[str, np.ndarray],
                   present: list[dict[str, list]], choices: list[reconcile.Choice],
                   added: list[list]) -> dict[str, np.ndarray] | None:
    """The columns store() makes of the chosen and derived rows (STAGING_COLS), taken by
    position from the observations' columns already made for raw.score_observation instead of
    made again from the values; None when that cannot be sure to give the same types: a number
    column whose values are not all whole numbers (int64) or all decimals and gaps (float64),
    or whose chosen values are all gaps. Text columns hold text or gaps by construction
    (readers.base.Dataset), as the observations' do."""
    at = {name: i for i, name in enumerate(SCORE_COLS)}
    if not any(choice.firsts for choice in choices) and not added:
        return None
    numeric = {name: arr.dtype for name, arr in raw_frame.items()
               if name in STAGING_COLS and arr.dtype != object}
    for name, dtype in numeric.items():
        kinds = set(map(type, raw[name])) | {type(row[at[name]]) for row in added}
        whole = dtype == np.int64 and kinds == {int}
        decimal = dtype == np.float64 and float in kinds and kinds <= {float, type(None)}
        if not (whole or decimal):
            return None
    offset = 0
    pos: list[np.ndarray] = []
    sources: list[str] = []
    settled: list[tuple[int, list]] = []  # (row's place, its values in SCORE_COLS order)
    for cols, choice in zip(present, choices, strict=True):
        settled += [(len(sources) + g, row) for g, row in choice.settled.items()]
        pos.append(np.asarray(choice.firsts, dtype=np.int64) + offset)
        sources += choice.sources
        offset += len(cols["year"])
    taken = np.concatenate(pos) if pos else np.zeros(0, dtype=np.int64)
    n = len(taken)
    nothing = [None] * n
    frame: dict[str, np.ndarray] = {}
    for name in STAGING_COLS:
        base = raw_frame[name][taken] if name in raw_frame else table_mod.column(
            sources if name == "sources" else nothing)
        for g, row in settled:
            value = row[at[name]]
            base[g] = np.nan if value is None and base.dtype == np.float64 else value
        extra = [row[at[name]] for row in added]
        if extra:
            if base.dtype == object:
                more = np.empty(len(extra), dtype=object)
                more[:] = extra
            else:
                more = np.array([np.nan if v is None else v for v in extra], dtype=base.dtype)
            base = np.concatenate([base, more])
        frame[name] = base
    if "value" in numeric and np.isnan(frame["value"]).all():
        return None
    return frame


def _meanwhile(ctx: BuildContext, steps: Callable[[], None] | None
               ) -> tuple[ProblemLog, InputError | None]:
    """Run `steps` on a copy of the problem log (they see every problem so far): (the problems
    they added, the InputError that stopped them, if any)."""
    if steps is None:
        return ProblemLog(), None
    own, ctx.problems = ctx.problems, ProblemLog(list(ctx.problems.items))
    stopped = None
    try:
        steps()
    except InputError as exc:
        stopped = exc
    finally:
        theirs, ctx.problems = ctx.problems, own
    return ProblemLog(theirs.items[len(own.items):]), stopped


def reconciled(per_vintage: list[dict[str, list]], keep_going: bool,
               fixes: dict[corrections.Key, corrections.Correction] | None
               ) -> tuple[list[reconcile.Choice], list[list], ProblemLog]:
    """What makes staging.score: the choice among each vintage's observations that has some (an
    old and a new province never compete), the rows derived from the chosen ones (SCORE_COLS),
    and the problems found, in that order. Small to hand back from a child: the chosen rows are
    taken from the observations by reconcile.apply."""
    found = ProblemLog()
    present = [cols for cols in per_vintage if cols["year"]]
    choices = [reconcile.choose(cols, found, keep_going=keep_going, corrections=fixes)
               for cols in present]
    scores = _joined([reconcile.apply(cols, choice, derive.READS)
                      for cols, choice in zip(present, choices, strict=True)], derive.READS)
    return choices, derive.complete(scores, found), found


def _joined(parts: list[dict[str, list]], names: Sequence[str]) -> dict[str, list]:
    """The columns `names` of the parts, one after the other."""
    out: dict[str, list] = {name: [] for name in names}
    for cols in parts:
        for name in names:
            out[name] += cols[name]
    return out


def _staging_types(parts: list[dict[str, list]], any_score: bool, any_added: bool
                   ) -> dict[str, str]:
    """The column types staging.score had when it was a pandas frame, where its values alone
    would not give them. When no row was derived, each column kept the type the observations
    of every vintage gave it: `value` DOUBLE when every vintage read a number (even if every
    kept row is not published), `sheet` text when every vintage had a source with a sheet (even
    if no kept row comes from one). `parts`: the observations of each vintage that has some."""
    types = {"flag": "VARCHAR", "competing": "VARCHAR"}
    if not any_score:
        return {**types, "vintage": "VARCHAR", "sources": "DOUBLE"}
    if not any_added:
        if all(any(v is not None for v in cols["value"]) for cols in parts):
            types["value"] = "DOUBLE"
        if all(any(v is not None for v in cols["sheet"]) for cols in parts):
            types["sheet"] = "VARCHAR"
    return types


def _store(con, table: str, names: list[str], rows: list, keep: list[str] | None = None,
           types: dict[str, str] | None = None) -> None:
    """Write rows (lists in the order of `names`) as a table of the columns `keep` (default all);
    `types` casts columns (column name → SQL type)."""
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in names]  # transposed in C
    at = dict(zip(names, cols, strict=True))
    table_mod.store(con, table, {c: at[c] for c in keep or names}, types)
