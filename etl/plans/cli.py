"""Command line: `plan parse FILE [--json]` and `template --plan FILE --out report.xlsx`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from etl.plans.dimensions import dimension_name
from etl.problems import InputError

if TYPE_CHECKING:
    from etl.plans.model import Action, Plan

# The readers and the template writer (docx, pdfplumber, openpyxl) are imported by the command
# that needs them, so that `papi --help` and every `--help` print before any of them loads.


def summary(plan: Plan) -> str:
    """A human-readable summary of a parsed plan."""
    d = plan.issued_on.strftime("%d/%m/%Y") if plan.issued_on else "(trống / blank)"
    pd = plan.parent_issued_on.strftime("%d/%m/%Y") if plan.parent_issued_on else "?"
    lines = [f"Kế hoạch / Plan  : {plan.number or '(chưa có số / no number)'}  [{plan.plan_id}]",
             f"Ngày / Issued    : {d}   Năm PAPI / year: {plan.year}",
             f"Tỉnh / Province : {plan.province} ({plan.province_code})",
             f"Cơ quan / Agency: {plan.agency}",
             f"Thực hiện / Implements: {plan.parent_number or '-'} ngày {pd}",
             f"Người ký / Signer: {plan.signer or '-'}",
             f"Vintage: {plan.vintage}",
             f"Nhiệm vụ / Actions: {len(plan.actions)}"]
    lines += [f"  Mục tiêu / target: {t.text}" for t in plan.targets]
    for a in plan.actions:
        text = a.text if len(a.text) <= 90 else a.text[:87] + "…"
        lines.append(f"  {a.seq:>2}. [{a.dimension}] {dimension_name(a.dimension)}: {text}")
        if a.lead_units or a.coordinating_units:
            lines.append(f"      chủ trì: {'; '.join(a.lead_units) or '-'} | phối hợp: "
                         f"{'; '.join(a.coordinating_units) or '-'}")
        if a.due is not None:
            lines.append(f"      hạn / due: {due_vi(a)} ({a.due.text})")
    lines += [f"  ! {p.describe()}" for p in plan.problems]
    return "\n".join(lines)


def due_vi(a: Action) -> str:
    """The due date as a person reads it: dd/mm/yyyy, 'thường xuyên', 'không hợp lệ', '-'."""
    if a.due is None:
        return "-"
    if a.due.on:
        return a.due.on.strftime("%d/%m/%Y")
    return "không hợp lệ / invalid" if a.due.invalid else "thường xuyên / ongoing"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


REVIEW_COLUMNS = [("STT", 3), ("Lĩnh vực", 8), ("Nhiệm vụ", 44), ("Chủ trì", 26),
                  ("Phối hợp", 26), ("Hạn", 12), ("Nghi vấn", 0)]


def review_table(plan: Plan) -> str:
    """The actions as a person checks them, in Vietnamese, with what the reader was unsure of."""
    doubtful = sum(bool(a.doubts) for a in plan.actions)
    lines = ["", f"BẢNG RÀ SOÁT: {len(plan.actions)} nhiệm vụ, {doubtful} nhiệm vụ cần xem lại "
             "(cột 'Nghi vấn'); sửa bằng 'papi plan review' / review table"]
    lines.append(" | ".join(h.ljust(w) for h, w in REVIEW_COLUMNS).rstrip())
    for a in plan.actions:
        due = due_vi(a).split(" / ")[0]
        cells = [str(a.seq), a.dimension, a.text, "; ".join(a.lead_units) or "-",
                 "; ".join(a.coordinating_units) or "-", due,
                 "; ".join(a.doubts) or "-"]
        lines.append(" | ".join(_cut(c, w).ljust(w) if w else c
                                for c, (_, w) in zip(cells, REVIEW_COLUMNS, strict=True)))
    return "\n".join(lines)


def _parse_cmd(args: argparse.Namespace) -> int:
    from etl.plans.parse import parse_plan

    plan = parse_plan(args.file)
    if args.json:
        print(json.dumps(plan.to_json(), ensure_ascii=False, indent=2))
    else:
        print(summary(plan))
        print(review_table(plan))
    return 0


def _review_cmd(args: argparse.Namespace) -> int:
    from etl.plans.parse import parse_plan
    from etl.plans.review import write_review

    plan = parse_plan(args.file)
    out = args.out or args.file.with_name(f"{args.file.stem}.hieu_chinh.xlsx")
    write_review(plan, out)
    doubtful = sum(bool(a.doubts) for a in plan.actions)
    print(f"Đã tạo bảng hiệu chỉnh / correction sheet written: {out} ({len(plan.actions)} nhiệm "
          f"vụ, {doubtful} cần xem lại ở đầu bảng). Điền rồi đặt vào thư mục đầu vào và chạy lại "
          "'papi etl' / fill it, drop it into the input folder and build again.")
    return 0


def _template_cmd(args: argparse.Namespace) -> int:
    from etl.plans.parse import parse_plan
    from etl.plans.template import write_template

    plan = parse_plan(args.plan)
    out = write_template(plan, args.out, year=args.year)
    print(f"Đã tạo mẫu báo cáo / template written: {out} ({len(plan.actions)} nhiệm vụ)")
    return 0


def _guard(func):
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except InputError as exc:
            print(f"Lỗi / error:\n{exc}", file=sys.stderr)
            return 2
    return run


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Register `plan parse` and `template` on the main `papi` parser's subparsers."""
    plan = subparsers.add_parser("plan", help="kế hoạch PAPI của sở, ngành / department plans")
    plan_sub = plan.add_subparsers(dest="plan_command", required=True)
    p = plan_sub.add_parser("parse", help="đọc một kế hoạch (.txt/.docx/.pdf/.xlsx) / parse a plan")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="in JSON / print JSON")
    p.set_defaults(func=_guard(_parse_cmd))
    r = plan_sub.add_parser("review", help="bảng hiệu chỉnh .xlsx cho người kiểm tra / a "
                            "correction sheet to fill")
    r.add_argument("file", type=Path)
    r.add_argument("--out", type=Path, default=None)
    r.set_defaults(func=_guard(_review_cmd))
    t = subparsers.add_parser("template", help="tạo mẫu báo cáo .xlsx / write a report template")
    t.add_argument("--plan", type=Path, required=True)
    t.add_argument("--out", type=Path, required=True)
    t.add_argument("--year", type=int, default=None, help="năm báo cáo / report year")
    t.set_defaults(func=_guard(_template_cmd))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="papi", description="PAPI plans")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
