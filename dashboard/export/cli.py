"""`papi briefing`: the provincial briefing pack from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.paths import db_path


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Register `briefing` on the `papi` command's subparsers."""
    p = subparsers.add_parser(
        "briefing", help="write a provincial briefing pack (.pptx, optionally .pdf)",
        description="A 16:9 briefing pack for one province and year, offline.")
    p.add_argument("--province", required=True, help="GSO code of vintage 63, e.g. 01")
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--db", type=Path, default=None,
                   help="warehouse (default: env PAPI_DB, else data/processed/papi.duckdb, "
                        "else the demo)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.add_argument("--out", type=Path, required=True, help="output .pptx")
    p.add_argument("--pdf", type=Path, default=None, help="also write the pack as this .pdf")
    p.set_defaults(func=run_briefing)


def _progress(message: str, fraction: float) -> None:
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)


def run_briefing(args: argparse.Namespace) -> int:
    """Build the deck (and PDF); 0 on success, 2 on a bad province/year/warehouse."""
    from dashboard.export.briefing import build_both, build_briefing

    db = args.db or db_path()
    province = args.province.zfill(2)
    try:
        if args.pdf:
            pptx, pdf = build_both(db, province, args.year, args.lang, args.out, args.pdf,
                                   progress=_progress)
            print(pptx)
            print(pdf)
        else:
            print(build_briefing(db, province, args.year, args.lang, args.out,
                                 progress=_progress))
    except (ValueError, FileNotFoundError) as exc:
        print(f"papi briefing: {exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: `python -m dashboard.export.cli briefing ...`."""
    parser = argparse.ArgumentParser(prog="papi")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
