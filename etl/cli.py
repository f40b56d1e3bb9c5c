"""The ETL's commands of `papi`: build the warehouse, the demo, parse plans, write templates."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path

from etl.paths import DEFAULT_DB, DEFAULT_RAW_DIR, DEMO_DB, WarehousePathError
from etl.problems import InputError


def _etl(args: argparse.Namespace) -> int:
    # The build does no linear algebra: numpy's OpenBLAS need not start a thread per core (7 ms
    # of every run), nor have threads running when the build forks (etl.steps.forked).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # A build allocates a few hundred thousand lists and tuples that live until it ends: with
    # the default threshold (700) the collector walks them some 80 times (≈ 13 ms a run) and
    # finds nothing. One run of one command: collect at 100× the allocations.
    gc.set_threshold(70_000, 10, 10)
    inputs = args.input or [DEFAULT_RAW_DIR]
    _read_ahead(inputs)  # before the build's libraries load: the workbooks are parsed meanwhile
    try:
        return _build(args, inputs)
    finally:
        from etl.readers import prefetch

        prefetch.discard()


def _build(args: argparse.Namespace, inputs: list[Path]) -> int:
    from etl.problems import BuildFailed, BuildLocked
    from etl.steps.warehouse import build

    try:
        build(inputs, args.db, progress=not args.quiet, keep_going=args.keep_going)
    except InputError as err:
        print(f"\nLỖI / ERROR: {len(err.problems)} vấn đề trong dữ liệu đầu vào / problems in the "
              "input. Kho dữ liệu KHÔNG bị thay đổi / The warehouse was NOT changed.", file=sys.stderr)
        for p in err.problems:
            print("  " + p.describe(), file=sys.stderr)
        print("Sửa các ô trên rồi chạy lại, hoặc dùng --keep-going để nạp các tệp hợp lệ. / Fix "
              "the cells above and run again, or use --keep-going to load the valid files.",
              file=sys.stderr)
        return 2
    except (FileNotFoundError, BuildFailed, WarehousePathError) as err:
        print(f"LỖI / ERROR: {err}", file=sys.stderr)
        return 2
    except BuildLocked as err:
        print(f"LỖI / ERROR: {err}", file=sys.stderr)
        return 3
    return 0


def _read_ahead(inputs: list[Path]) -> None:
    """Start etl.readers.prefetch on the workbooks the build will read (the build finds them
    again, and says what is wrong with the inputs: nothing is decided here)."""
    from etl.readers import prefetch
    from etl.steps import discover

    try:
        files = discover.input_files([Path(p) for p in inputs])
    except OSError:
        return
    prefetch.start(files)


def _demo(args: argparse.Namespace) -> int:
    from etl.demo import build_demo_db
    from etl.schema import SCHEMA_VERSION, version_of

    if args.db.is_file() and not args.force:
        if version_of(args.db) == SCHEMA_VERSION:
            print(f"demo warehouse already at {args.db} (use --force to rebuild)")
            return 0
        print(f"demo warehouse at {args.db} is of an older version: rebuilding it")
    try:
        build_demo_db(args.db, progress=not args.quiet)
    except WarehousePathError as err:
        print(f"LỖI / ERROR: {err}", file=sys.stderr)
        return 2
    return 0


def add_subcommands(sub: argparse._SubParsersAction) -> None:
    """`etl`, `demo` and the plan commands (`plan`, `template`, …) on a `papi` parser."""
    from etl.plans.cli import add_subcommands as add_plan_subcommands

    e = sub.add_parser("etl", help="nạp dữ liệu vào kho / build the warehouse")
    e.add_argument("--input", action="append", type=Path,
                   help=f"thư mục đầu vào, lặp lại được / input folder, repeatable "
                        f"(default {DEFAULT_RAW_DIR})")
    e.add_argument("--db", type=Path, default=DEFAULT_DB)
    e.add_argument("--keep-going", action="store_true",
                   help="nạp các tệp hợp lệ, bỏ qua tệp lỗi / load the valid files, refuse the rest")
    e.add_argument("--quiet", action="store_true")
    e.set_defaults(func=_etl)
    d = sub.add_parser("demo", help="tạo kho dữ liệu minh họa / build the illustrative demo")
    d.add_argument("--db", type=Path, default=DEMO_DB)
    d.add_argument("--force", action="store_true")
    d.add_argument("--quiet", action="store_true")
    d.set_defaults(func=_demo)
    add_plan_subcommands(sub)


def parser() -> argparse.ArgumentParser:
    """The ETL's own commands (the full `papi` command, with briefings, is papi.cli)."""
    p = argparse.ArgumentParser(prog="papi", description="PAPI analytics workbench")
    add_subcommands(p.add_subparsers(dest="command", required=True))
    return p


def main(argv: list[str] | None = None, make_parser: Callable[[], argparse.ArgumentParser] = parser) -> int:
    """Parse `argv` with `make_parser()` and run the chosen command; its exit code."""
    args = make_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
