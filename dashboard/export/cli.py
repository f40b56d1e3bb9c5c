"""`papi briefing`: the provincial briefing pack from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.paths import db_path
from etl.warehouse_years import warehouse_years

# Only argparse at import time: `papi --help` must not load the reference tables, DuckDB or the
# deck's pandas/plotly/kaleido. Argument errors are answered before the deck's modules load.


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Register `briefing` on the `papi` command's subparsers."""
    p = subparsers.add_parser(
        "briefing", help="tạo tài liệu họp giao ban (.pptx, tùy chọn .pdf) / write a briefing pack",
        description="Tài liệu họp 16:9 cho một tỉnh, một năm, không cần mạng. / A 16:9 briefing "
                    "pack for one province and year, offline.")
    p.add_argument("--province", required=True,
                   help="mã hoặc tên tỉnh (63 hay 34 tỉnh), vd. 01, 25, 'Phú Thọ' / GSO code or name "
                        "of a province of either geography (the year decides which; --vintage "
                        "where it fits both)")
    p.add_argument("--vintage", choices=("63", "34"), default=None,
                   help="63 = các tỉnh đến 30/06/2025, 34 = từ 01/07/2025 / 63 = the provinces until "
                        "30/06/2025, 34 = from 01/07/2025 (default: that of --year)")
    p.add_argument("--year", required=True, type=int, help="năm / year")
    p.add_argument("--db", type=Path, default=None,
                   help="kho dữ liệu / warehouse (default: env PAPI_DB, else "
                        "data/processed/papi.duckdb, else the demo)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language")
    p.add_argument("--out", type=Path, required=True, help="tệp .pptx đầu ra / output .pptx")
    p.add_argument("--pdf", type=Path, default=None, help="thêm bản .pdf / also write the pack as this .pdf")
    p.set_defaults(func=run_briefing)


def _progress(message: str, fraction: float) -> None:
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)


def resolve(province: str, year: int, vintage: str | None = None) -> tuple[str, str]:
    """(vintage, code) of --province given as a code or a name (etl.ref.resolve_province)."""
    from etl.ref import normalise_code, resolve_province

    is_code = normalise_code(province) is not None
    return resolve_province(province if is_code else None, None if is_code else province,
                            year=year, vintage=vintage)


def year_spans(years: list[int]) -> str:
    """2011–2019, 2021, 2023–2024: runs of consecutive years joined by a dash."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def check_arguments(args: argparse.Namespace, db: Path) -> tuple[str, str] | str:
    """(vintage, code) when --province, --year and the warehouse fit; else the message to print.

    Cheap checks only (the reference tables and one DuckDB query), so that a wrong argument is
    answered before the deck's modules load. Vietnamese first, then English."""
    from etl.ref import ProvinceError

    try:
        vintage, province = resolve(args.province, args.year, args.vintage)
    except ProvinceError as exc:
        return (f"papi briefing: --province {args.province!r}: không tìm thấy tỉnh này / "
                f"unknown province: {exc}")
    if not db.is_file():
        return (f"papi briefing: không có kho dữ liệu {db} (chạy `papi etl` hoặc `papi demo`) / "
                f"no warehouse at {db} (run `papi etl` or `papi demo`)")
    years = warehouse_years(db)
    if years is not None and args.year not in years:
        have = year_spans(years) or "(không có / none)"
        return (f"papi briefing: --year {args.year}: năm {args.year} không có trong kho dữ liệu "
                f"{db}; các năm có: {have} / year {args.year} is not in the warehouse (no scores, "
                f"plans or reports of that year); years available: {have}")
    return vintage, province


def run_briefing(args: argparse.Namespace) -> int:
    """Build the deck (and PDF); 0 on success, 2 on a bad province/year/warehouse."""
    db = args.db or db_path()
    checked = check_arguments(args, Path(db))
    if isinstance(checked, str):
        print(checked, file=sys.stderr)
        return 2
    vintage, province = checked
    from dashboard.export.briefing import build_both, build_briefing
    from dashboard.export.figures import RenderTimeout
    from etl.ref import province_name

    print(f"papi briefing: {province_name(province, vintage)} ({vintage} tỉnh, mã {province})",
          file=sys.stderr)
    extra = {"vintage": vintage}
    try:
        if args.pdf:
            pptx, pdf = build_both(db, province, args.year, args.lang, args.out, args.pdf,
                                   progress=_progress, **extra)
            print(pptx)
            print(pdf)
        else:
            print(build_briefing(db, province, args.year, args.lang, args.out,
                                 progress=_progress, **extra))
    except (ValueError, OSError) as exc:  # a missing file, an unwritable or damaged output
        print(f"papi briefing: {exc}", file=sys.stderr)
        return 2
    except RenderTimeout as exc:
        print(f"papi briefing: LỖI / ERROR: {exc}", file=sys.stderr)
        return 3
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: `python -m dashboard.export.cli briefing ...`."""
    parser = argparse.ArgumentParser(prog="papi")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
