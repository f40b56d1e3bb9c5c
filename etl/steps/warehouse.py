"""Build the warehouse into a new file and swap it in only when every step has succeeded."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import gc
import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import duckdb

from etl.paths import warehouse_target, work_file
from etl.problems import BuildFailed, BuildLocked, InputError
from etl.schema import SCHEMA_VERSION
from etl.steps import discover, failures, ref_step, scores_step, table, task_view_step
from etl.steps.context import BuildContext, FileRecord

SCHEMAS = ("ref", "raw", "staging", "mart", "meta")
# Rows per row group of the file being built (DuckDB's default is 122,880). A full row group is
# compressed and written while the build goes on, so a smaller one leaves the final commit little
# to do: a whole `papi etl` on the real files takes about 0.10 s less (≈ 1.08 → 0.98 s); 2,048
# rows was slower again. Readers of the warehouse are unaffected (the tables are small).
ROW_GROUP_SIZE = 32768


def _plans_step():
    try:
        from etl.steps import plan_step as step
    except ImportError:  # the plans package is optional for a scores-only build
        return None
    return step


def build(inputs: list[Path], db: Path, *, progress: bool = True, keep_going: bool = False,
          demo: bool = False) -> Path:
    """Build `db` from the files below `inputs`. Strict unless keep_going: any error stops the
    build, lists every problem (InputError) and leaves an existing `db` byte-identical.

    One build at a time per warehouse: a second one raises BuildLocked (exit 3). A full disk or
    a permission problem raises BuildFailed with a one-line message; `db` is untouched. A `db`
    that is a folder, an input or inside an input folder raises WarehousePathError; a symbolic
    link is resolved once (etl.paths.warehouse_target): lock and swap are the real file's."""
    db = warehouse_target(Path(db), [Path(p) for p in inputs])  # WarehousePathError: refused
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        with build_lock(db), collector_paused():
            return _build(inputs, db, progress=progress, keep_going=keep_going, demo=demo)
    except (OSError, duckdb.Error) as exc:
        failure = failures.environment_failure(exc, db)
        if failure is None:
            raise
        raise failure from exc


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the build: with ~100,000 observations and their
    frames alive, each automatic collection walks them all (about a fifth of a build's CPU).
    Reference counting still frees everything outside a cycle; the collector resumes after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def build_lock(db: Path) -> Iterator[None]:
    """Hold .<db>.lock (an flock, released by the OS even if the build is killed)."""
    path = db.parent / f".{db.name}.lock"
    with open(path, "a+", encoding="utf-8") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "?"
            raise BuildLocked(
                f"Một lần nạp khác đang ghi {db} (tiến trình {holder}) / another build is writing "
                f"{db} (process {holder}): wait for it to finish, then run again.") from None
        try:
            f.seek(0)
            f.truncate()
            f.write(f"{os.getpid()} since {datetime.now(UTC):%d/%m/%Y %H:%M:%S} UTC")
            f.flush()
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


STEP_VI = {"reference": "danh mục", "scores": "điểm số", "plans": "kế hoạch",
           "task view": "bảng nhiệm vụ"}


def _run_step(ctx: BuildContext, name: str, step: Callable[[BuildContext], None]) -> None:
    """Run one step; an unexpected exception becomes an error naming the file it was reading."""
    try:
        step(ctx)
    except (InputError, BuildFailed, BuildLocked, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - becomes a listed problem, never a traceback
        unreadable = getattr(exc, "filename", None)
        if isinstance(exc, PermissionError) and unreadable and \
                Path(unreadable) in {rec.path for rec in ctx.files}:
            problem = failures.reader_problem(Path(unreadable), exc)  # an input file
            if not any((p.file, p.message) == (problem.file, problem.message)
                       for p in ctx.problems.items):  # the scores step may have said it
                ctx.problems.add(problem)
            raise InputError(ctx.problems.errors) from exc
        if failures.environment_failure(exc, ctx.inputs[0] if ctx.inputs else Path()):
            raise
        file = failures.failing_file(exc)
        ctx.problems.error(file or f"step {name}", f"the {name} step failed "
                           f"({type(exc).__name__})", found=str(exc)[:300],
                           action="check this file (open and save it again); if it persists, "
                                  "report this message",
                           message_vi=f"bước {STEP_VI.get(name, name)} bị lỗi "
                                      f"({type(exc).__name__})",
                           action_vi="kiểm tra tệp này (mở rồi lưu lại); nếu vẫn lỗi, hãy báo "
                                     "lại thông báo này")
        raise InputError(ctx.problems.errors) from exc


def _build(inputs: list[Path], db: Path, *, progress: bool, keep_going: bool,
           demo: bool) -> Path:
    remove_abandoned_builds(db)
    tmp = work_file(db, f"building-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    # spills go where they went when the file was opened directly: beside it, never the cwd
    con = duckdb.connect(config={"temp_directory": f"{tmp}.tmp"})
    try:
        quoted = str(tmp).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS build (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
        con.execute("USE build")
        con.execute("BEGIN TRANSACTION")  # one commit for the whole build: one WAL sync
        for schema in SCHEMAS:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        ctx = BuildContext(con, [Path(p) for p in inputs], keep_going=keep_going, demo=demo,
                           progress=progress)
        found, outside = discover.scan(ctx.inputs)
        ctx.files = [FileRecord(p, "unrecognised") for p in found]
        for link in outside:
            ctx.files.append(FileRecord(link, "link", "skipped",
                                        message="liên kết ra ngoài thư mục đầu vào: không đọc / "
                                                "symbolic link out of the input folders: not read"))
            ctx.problems.warning(link, "symbolic link pointing out of the input folders: not read",
                                 action="copy the file into the input folder if it is an input",
                                 message_vi="liên kết tượng trưng trỏ ra ngoài thư mục đầu vào: "
                                            "không đọc",
                                 action_vi="chép tệp vào thư mục đầu vào nếu đó là dữ liệu đầu vào")
        ctx.say(f"PAPI ETL: {len(ctx.files)} tệp / files in {', '.join(map(str, ctx.inputs))}")
        _run_step(ctx, "reference", ref_step.run)
        def plans_and_tasks() -> None:  # they read no score: done while scores are reconciled
            plans = _plans_step()
            if plans is not None:  # without the plans package there is no task to view
                _run_step(ctx, "plans", plans.run)
                _run_step(ctx, "task view", task_view_step.run)  # the tracker's rows

        _run_step(ctx, "scores", lambda c: scores_step.run(c, meanwhile=plans_and_tasks))
        _finish_files(ctx)
        _refuse_empty(ctx)
        errors = ctx.problems.errors
        if errors and not keep_going:
            raise InputError(errors)
        write_meta(ctx)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        con.close()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, db)
        _fsync_dir(db.parent)
        if progress:
            print_summary(ctx, db)
        return db
    finally:
        try:
            con.close()
        except duckdb.Error:
            pass
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)


def _refuse_empty(ctx: BuildContext) -> None:
    """A build that loaded no score and no plan would replace a warehouse (or hide the demo)
    with one the dashboard can only show as empty: it is an error instead, in every mode
    (when nothing loaded because inputs were refused, those problems say why instead, and the
    build's report names them)."""
    if ctx.problems.errors or ctx.problems.warnings:
        return
    n = ctx.con.execute("SELECT (SELECT count(*) FROM mart.score) + "
                        "(SELECT count(*) FROM mart.plan)").fetchall()[0][0]
    if n > 0:
        return
    where = ", ".join(str(p) for p in ctx.inputs) or "–"
    ctx.problems.error(
        where, "no PAPI score file, plan or report was loaded: nothing to build",
        found=f"{len(ctx.files)} files", allowed="PAPI score workbooks (.xlsx/.xlsm), a tidy "
        "CSV, plans (.txt/.docx/.pdf/.xlsx) or filled report templates",
        action="put the files in data/raw/ (or give --input FOLDER) and run papi etl again; "
               "the previous warehouse (or the demo) stays in use",
        message_vi="không nạp được tệp điểm PAPI, kế hoạch hay báo cáo nào: không có gì để xây",
        allowed_vi="tệp điểm PAPI (.xlsx/.xlsm), tệp CSV dạng dài, kế hoạch "
                   "(.txt/.docx/.pdf/.xlsx) hoặc mẫu báo cáo đã điền",
        action_vi="đặt các tệp vào data/raw/ (hoặc chỉ --input THƯ_MỤC) rồi chạy lại papi etl; "
                  "kho cũ (hoặc dữ liệu minh họa) vẫn được dùng")
    raise InputError(ctx.problems.errors)


def remove_abandoned_builds(db: Path) -> None:
    """Delete the temp files of builds that were killed (their process no longer exists)."""
    for tmp in db.parent.glob(work_file(db, "building-*").name):
        pid = tmp.name.rsplit("-", 1)[-1].removesuffix(".wal")
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except PermissionError:  # alive, another user's
            pass


SAVE_AS = {".xls": ".xlsx", ".xlsb": ".xlsx", ".ods": ".xlsx", ".numbers": ".xlsx",
           ".doc": ".docx", ".odt": ".docx", ".rtf": ".docx"}  # formats users bring, and the fix


def _finish_files(ctx: BuildContext) -> None:
    by_path: dict[Path, FileRecord] = {}
    for rec in ctx.files:
        old = by_path.get(rec.path)
        if old is None or old.kind == "unrecognised":
            by_path[rec.path] = rec
    for rec in by_path.values():
        if rec.kind == "unrecognised" and rec.status == "pending":
            rec.status, rec.message = "skipped", ("không phải tệp điểm PAPI, kế hoạch hay báo cáo "
                                                  "/ not a PAPI score file, plan or report")
            newer = SAVE_AS.get(rec.path.suffix.lower())
            if newer:  # an older or other office format: say how to make it readable
                fmt = rec.path.suffix.lower()
                rec.message = f"định dạng {fmt} không đọc được / {fmt} cannot be read"
                ctx.problems.warning(
                    rec.path, f"{fmt} files cannot be read; nothing loaded from it",
                    found=fmt, allowed=f"{newer} (and .xlsx, .xlsm, .csv, .docx, .pdf, .txt)",
                    action=f"open it in Excel, Word or LibreOffice and save it as {newer} in "
                           "the same folder, then run again",
                    message_vi=f"không đọc được tệp định dạng {fmt}; không nạp gì từ tệp này",
                    allowed_vi=f"{newer} (và .xlsx, .xlsm, .csv, .docx, .pdf, .txt)",
                    action_vi=f"mở tệp bằng Excel, Word hoặc LibreOffice, lưu lại dạng {newer} "
                              "trong cùng thư mục rồi chạy lại")
    ctx.files = list(by_path.values())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@functools.cache  # reading the package metadata costs ~10 ms
def tool_version() -> str:
    try:
        return version("papi-analytics")
    except PackageNotFoundError:
        return "dev"


PROBLEM_COLS = ["file", "message", "severity", "sheet", "cell", "found", "allowed", "action",
                "message_vi", "allowed_vi", "action_vi"]


def write_meta(ctx: BuildContext) -> None:
    from etl.plans.status import as_of

    con = ctx.con
    build: dict[str, list[object]] = {
        "built_at": [datetime.now(UTC).replace(tzinfo=None)], "tool_version": [tool_version()],
        "mode": ["keep-going" if ctx.keep_going else "strict"], "is_demo": [ctx.demo],
        "inputs": [json.dumps([str(p) for p in ctx.inputs], ensure_ascii=False)],
        "as_of": [ctx.as_of or as_of()], "schema_version": [SCHEMA_VERSION]}
    table.store(con, "meta.build", build)
    # as objects, a gap as None: the column types DuckDB reads from the values themselves
    table.store_rows(con, "meta.source_file", ["path", "kind", "status", "rows", "message"],
                     [(str(f.path), f.kind, f.status, f.rows, f.message) for f in ctx.files],
                     as_object=True)
    table.store_rows(con, "meta.problem", PROBLEM_COLS,
                     [tuple(p.__dict__[c] for c in PROBLEM_COLS) for p in ctx.problems.items],
                     as_object=True)


def print_summary(ctx: BuildContext, db: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        n_scores, n_pub, years = con.execute(
            "SELECT count(*), count(value), min(year) || '–' || max(year) "
            "FROM mart.score").fetchall()[0]  # an aggregate without GROUP BY: one row
    finally:
        con.close()
    print("\nTóm tắt / Summary")
    for f in ctx.files:
        print(f"  {f.status:9} {f.kind:15} {f.path.name}: {f.rows} dòng / rows "
              f"{f.message}".rstrip())
    print(f"  mart.score: {n_scores} dòng / rows, {n_pub} có công bố / published, "
          f"năm / years {years or '—'}")
    warnings = ctx.problems.warnings
    if warnings:
        print(f"  {len(warnings)} cảnh báo / warnings:")
        for p in warnings[:25]:
            print("   ", p.describe())
        if len(warnings) > 25:
            print(f"    … và {len(warnings) - 25} cảnh báo khác trong / and "
                  f"{len(warnings) - 25} more in meta.problem")
    print(f"  → {db}")
