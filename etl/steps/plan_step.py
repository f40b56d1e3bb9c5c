"""Build step: load plan documents and filled reports into mart.plan/action/action_status."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from etl.plans import corrections, tables
from etl.plans import versions as versions_mod
from etl.plans.aliases import current_name, in_agency
from etl.plans.model import SUFFIXES, Plan
from etl.plans.status import as_of
from etl.problems import InputError, Problem
from etl.readers import bounds
from etl.steps import discover
from etl.steps.context import BuildContext, FileRecord

if TYPE_CHECKING:
    from etl.plans.report import Report

# The readers of plans, reports and review sheets (python-docx, pdfplumber, openpyxl) are imported
# where a candidate file is read: a build of score files alone never loads them.

OTHER_FORMATS = (".xlsm", ".xls", ".csv")  # a template saved in another format: named, refused

def _candidates(inputs: list[Path]) -> list[Path]:
    seen: dict[Path, None] = {}
    for item in inputs:
        item = Path(item)
        found = discover.input_files([item]) if item.is_dir() else [item]
        for p in found:
            if p.name.startswith(("~$", ".")) or p.suffix.lower() not in (*SUFFIXES,
                                                                           *OTHER_FORMATS):
                continue
            seen.setdefault(p, None)
    return list(seen)


def _claimed(ctx: BuildContext) -> set[Path]:
    """Files the scores step loaded as score files: a file is one kind (one meta.source_file
    row), so these are not opened again as possible plans or reports."""
    return {rec.path for rec in ctx.files
            if rec.kind in ("score_workbook", "tidy_csv") and rec.status == "loaded"}


def _record(ctx: BuildContext, path: Path, kind: str, status: str, rows: int, msg: str) -> None:
    """Update the file's record made by discovery (or another step), else add one."""
    for rec in ctx.files:
        if rec.path == path and rec.kind in ("unrecognised", kind):
            rec.kind, rec.status, rec.rows, rec.message = kind, status, rows, msg
            return
    ctx.files.append(FileRecord(path, kind, status=status, rows=rows, message=msg))


def _parse(ctx: BuildContext, path: Path, quiet: bool,
           fixes: list[corrections.Correction]) -> Plan | None:
    """The plan in `path`, or None (refused with its problems, or skipped as no plan)."""
    from etl.plans.parse import NotAPlanError, parse_plan

    try:
        plan = parse_plan(path)
    except NotAPlanError as exc:
        if not quiet:
            _record(ctx, path, "unrecognised", "skipped", 0, exc.problems[0].message)
        return None
    except InputError as exc:
        for p in exc.problems:
            ctx.problems.add(p)
        _record(ctx, path, "plan", "refused", 0, exc.problems[0].message)
        return None
    for p in plan.problems:
        ctx.problems.add(p)
    for p in corrections.apply(plan, fixes):
        ctx.problems.add(p)
    errors: list[Problem | None] = [p for p in plan.problems if p.severity == "error"]
    if plan.year is None:
        ctx.problems.error(path, "Không nạp được kế hoạch không có năm / a plan without a "
                           "year cannot be loaded", action="Ghi 'năm YYYY' trong tiêu đề")
        errors.append(plan.problems[-1] if plan.problems else None)
    if errors:
        _record(ctx, path, "plan", "refused", 0, errors[0].message if errors[0] else "no year")
        return None
    return plan


def _version_key(plan: Plan) -> tuple:
    return (plan.issued_on or date.min, plan.is_amendment)


def _load_plans(ctx: BuildContext, paths: list[Path],
                fixes: list[corrections.Correction],
                ) -> tuple[dict[str, Plan], list[Plan], dict[str, Plan]]:
    """Current plans by id, every version loaded (a later or 'sửa đổi' one supersedes; the same
    number and date with another text is an error) and the plans replaced by another."""
    plans: dict[str, Plan] = {}
    versions: list[Plan] = []
    conflicts: set[str] = set()
    for path in paths:
        plan = _parse(ctx, path, quiet=path.suffix.lower() == ".xlsx", fixes=fixes)
        if plan is None:
            continue
        old = plans.get(plan.plan_id)
        if old is not None and old.fingerprint == plan.fingerprint:
            ctx.problems.warning(path, f"Kế hoạch trùng mã {plan.plan_id} với tệp "
                                 f"{old.source.name}; bỏ qua tệp này / duplicate plan, this file "
                                 "is skipped", found=plan.plan_id)
            _record(ctx, path, "plan", "skipped", 0, f"trùng với / duplicate of {old.source}")
            continue
        if old is not None and _version_key(old) == _version_key(plan):
            ctx.problems.error(path, f"Hai tệp cùng số {plan.number} và cùng ngày nhưng nội dung "
                               f"khác nhau: {old.source.name} và {path.name}; không nạp kế hoạch "
                               "này cho đến khi bỏ bản sai / two different texts with the same "
                               "number and date; neither is loaded",
                               found=f"{old.source} | {path}",
                               action="Giữ lại đúng một bản đã ký / keep only the signed text")
            conflicts.add(plan.plan_id)
            _record(ctx, path, "plan", "refused", 0, f"xung đột với / conflicts with {old.source}")
            continue
        versions.append(plan)
        if old is not None:
            new, prev = (plan, old) if _version_key(plan) > _version_key(old) else (old, plan)
            d = f"{prev.issued_on:%d/%m/%Y}" if prev.issued_on else "?"
            ctx.problems.add(_info(new.source, f"Kế hoạch {new.number} ngày "
                                   f"{new.issued_on:%d/%m/%Y} thay thế bản ngày {d} "
                                   f"({prev.source.name}); bản cũ lưu trong lịch sử / supersedes "
                                   "the older version, kept in history"))
            plans[plan.plan_id] = new
            _record(ctx, prev.source, "plan", "superseded", 0,
                    f"được thay thế bởi / superseded by {new.source}")
            if new is not plan:
                continue
        else:
            plans[plan.plan_id] = plan
        _record(ctx, path, "plan", "loaded", len(plan.actions), _loaded_message(plan))
    for pid in conflicts:  # the content decides, never the file name: neither text is loaded
        if (kept := plans.pop(pid, None)) is not None:
            _record(ctx, kept.source, "plan", "refused", 0, "xung đột phiên bản / version conflict")
        versions[:] = [v for v in versions if v.plan_id != pid]
    replaced, notes = versions_mod.replaced(plans)
    for problem, old, new in notes:
        ctx.problems.add(problem)
        if old is not None:
            _record(ctx, old.source, "plan", "superseded", 0,
                    f"được thay thế bởi / superseded by {new.source}")
    for plan in plans.values():
        versions_mod.align(plan, [v for v in versions if v is not plan and (
            v.plan_id == plan.plan_id or replaced.get(v.plan_id) is plan)])
    return plans, versions, replaced


def _loaded_message(plan: Plan) -> str:
    """'… 12 nhiệm vụ, 3 cần xem lại, 1 đã hiệu chỉnh' for the build summary."""
    doubtful = sum(bool(a.doubts) for a in plan.actions)
    fixed = sum(a.corrected for a in plan.actions)
    return (f"{plan.plan_id}: {len(plan.actions)} nhiệm vụ / actions, {doubtful} cần xem lại / "
            f"doubtful (papi plan review), {fixed} đã hiệu chỉnh / corrected")


def _corrections(ctx: BuildContext, paths: list[Path]) -> list[corrections.Correction]:
    """The reference corrections and those of the review sheets among the inputs."""
    found, problems = corrections.read_csv(corrections.CSV_PATH)
    for path in paths:
        from etl.plans.review import read_review

        rows, more = read_review(path)
        found += rows
        problems += more
        _record(ctx, path, "plan_corrections", "loaded", len(rows),
                f"{len(rows)} dòng hiệu chỉnh / correction rows")
    for p in problems:
        ctx.problems.add(p)
    return found


def _many(con: duckdb.DuckDBPyConnection, sql: str, rows: list[list]) -> None:
    """One bulk insert (nothing to do for no rows)."""
    if rows:
        con.executemany(sql, rows)


def _info(path: Path, message: str):
    from etl.problems import Problem

    return Problem(str(path), message, "info")


def _insert_plans(ctx: BuildContext, plans: dict[str, Plan], versions: list[Plan],
                  replaced: dict[str, Plan]) -> None:
    current = {**replaced, **plans}
    n_versions = {pid: sum(v.plan_id == pid for v in versions) for pid in plans}
    _many(ctx.con,
        "INSERT INTO mart.plan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[p.plan_id, p.number, p.issued_on, p.year, p.vintage, p.province_code, p.province,
          p.agency, p.parent_number, p.parent_issued_on, p.signer, str(p.source),
          ctx.demo or p.is_demo, current_name(p.agency) if p.agency else None, p.title,
          p.is_amendment, n_versions[p.plan_id], p.ocr_confidence,
          p.deadline.on if p.deadline else None] for p in plans.values()])
    _many(ctx.con,
        "INSERT INTO mart.plan_version VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[v.plan_id, v.number, v.issued_on, v.is_amendment, str(v.source), v.fingerprint[:12],
          len(v.actions), current[v.plan_id] is v,
          None if current[v.plan_id] is v else str(current[v.plan_id].source)]
         for v in versions])
    _many(ctx.con,
        "INSERT INTO mart.plan_target VALUES (?, ?, ?, ?)",
        [[p.plan_id, i + 1, t.dimension, t.text] for p in plans.values()
         for i, t in enumerate(p.targets)])
    _many(ctx.con,
        "INSERT INTO mart.action VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[p.action_id(a), p.plan_id, a.seq, a.dimension, a.text, a.lead_units,
          a.coordinating_units, a.due.on if a.due else None, a.due.text if a.due else None,
          bool(a.due and a.due.ongoing), a.fingerprint, a.product,
          [current_name(in_agency(u, p.agency)) for u in a.lead_units], list(a.doubts),
          a.corrected]
         for p in plans.values() for a in p.actions])


def _load_report(ctx: BuildContext, path: Path, meta: dict, plans: dict[str, Plan],
                 seq: int, today: date) -> int:
    plan = plans.get(str(meta.get("plan_id")))
    if plan is None:
        ctx.problems.error(path, "Báo cáo cho kế hoạch chưa được nạp / report for a plan that "
                           "is not loaded", found=str(meta.get("plan_id")),
                           allowed=", ".join(sorted(plans)) or "(không có kế hoạch nào)",
                           action="Đặt tệp kế hoạch cùng thư mục đầu vào / add the plan file")
        _record(ctx, path, "report", "refused", 0, f"kế hoạch chưa nạp / unknown plan {meta.get('plan_id')}")
        return seq
    meta.setdefault("year", plan.year)
    if meta.get("year") != plan.year:
        ctx.problems.warning(path, "Năm báo cáo khác năm của kế hoạch / report year differs "
                             "from the plan year", found=str(meta.get("year")),
                             allowed=str(plan.year))
    from etl.plans.report import read_report

    rep = read_report(path, meta, plan, today)
    for p in rep.problems:
        ctx.problems.add(p)
    _insert_report(ctx.con, rep, seq)
    status = "loaded" if rep.rows or not rep.n_refused else "refused"
    _record(ctx, path, "report", status, len(rep.rows),
            f"{len(rep.rows)} dòng nạp, {rep.n_refused} dòng bị từ chối / rows loaded, refused")
    return seq + len(rep.rows)


def _insert_report(con: duckdb.DuckDBPyConnection, rep: Report, seq: int) -> None:
    ok = {r.row_number for r in rep.rows}
    _many(con,
        "INSERT INTO raw.plan_report_row VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[str(rep.path), str(rep.meta.get("sheet")), r["row_number"], rep.plan_id,
          r["action_id"], r["period"], r["status"], r["percent_done"], r["result"], r["notes"],
          r["reported_on"], r["row_number"] in ok] for r in rep.raw])
    _many(con,
        "INSERT INTO mart.action_status VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?)",
        [[r.action_id, r.year, r.period, r.status_code, r.percent_done, r.result, r.notes,
          r.reported_on, str(rep.path), r.sheet, r.row_number, seq + i + 1, r.reported_status,
          r.warning, r.matched_by] for i, r in enumerate(rep.rows)])


def _reports(ctx: BuildContext, paths: list[Path], plans: dict[str, Plan], today: date,
             metas: dict[Path, dict | None]) -> int:
    seq = 0
    for path in paths:
        meta = metas.get(path)  # read once in run() for every .xlsx
        if meta is not None:
            try:
                seq = _load_report(ctx, path, meta, plans, seq, today)
            except Exception as exc:  # noqa: BLE001 - one broken workbook must not stop a build
                ctx.problems.error(path, "Không đọc được báo cáo / the report cannot be read",
                                   found=f"{type(exc).__name__}: {str(exc)[:120]}",
                                   action="Điền lại vào mẫu gốc / refill the original template")
                _record(ctx, path, "report", "refused", 0, type(exc).__name__)
            continue
        if (problem := _report_defect(path)) is not None:
            ctx.problems.add(problem)
            _record(ctx, path, "report", "refused", 0, problem.message)
    return seq


def _is_review(path: Path) -> bool:
    from etl.plans.review import is_review

    return is_review(path)


def _report_meta(path: Path) -> dict[str, object] | None:
    from etl.plans.report import report_meta

    return report_meta(path)


def _report_defect(path: Path) -> Problem | None:
    from etl.plans.report_format import report_defect

    return report_defect(path)


def run(ctx: BuildContext) -> None:
    """Create and fill the plan tables from ctx.inputs (empty tables when there are none)."""
    tables.create(ctx.con)
    today = ctx.as_of = as_of()
    claimed = _claimed(ctx)
    # a workbook over a reading bound was refused by the score reader, naming it: not reopened
    paths = [p for p in _candidates(ctx.inputs) if p not in claimed
             and not (p.suffix.lower() in (".xlsx", ".xlsm") and bounds.exceeded(p))]
    reviews = [p for p in paths if p.suffix.lower() == ".xlsx" and _is_review(p)]
    paths = [p for p in paths if p not in reviews]
    fixes = _corrections(ctx, reviews)
    metas = {p: _report_meta(p) for p in paths if p.suffix.lower() == ".xlsx"}
    reports = {p for p, meta in metas.items() if meta is not None or _report_defect(p) is not None}
    docs = [p for p in paths if p.suffix.lower() in SUFFIXES and p not in reports]
    plans, versions, replaced = _load_plans(ctx, docs, fixes)
    for p in corrections.unmatched(fixes, {*plans, *replaced}):
        ctx.problems.add(p)
    _insert_plans(ctx, plans, versions, replaced)
    seq = _reports(ctx, [p for p in paths if p.suffix.lower() in (".xlsx", *OTHER_FORMATS)],
                   {**replaced, **plans}, today, metas)
    ctx.con.execute(tables.LATEST)  # by report date; disagreeing reports settled next
    if seq:  # no report row loaded (mart.action_status empty): nothing to settle
        from etl.plans.report import settle_conflicts

        settle_conflicts(ctx.con, ctx.problems)
    tables.derive(ctx.con, today)
    doubtful = sum(bool(a.doubts) for p in plans.values() for a in p.actions)
    ctx.say(f"nạp / loaded: {len(plans)} kế hoạch / plans, {seq} dòng báo cáo / report rows, "
            f"{doubtful} nhiệm vụ cần xem lại / doubtful actions")
