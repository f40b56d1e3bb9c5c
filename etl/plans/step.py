"""Build step: load plan documents and filled reports into mart.plan/action/action_status."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.build import discover
from etl.build.context import BuildContext, FileRecord
from etl.plans import tables
from etl.plans.model import Plan
from etl.plans.parse import SUFFIXES, NotAPlanError, parse_plan
from etl.plans.report import Report, read_report, report_meta
from etl.problems import InputError

STATUS_VI = {"done_on_time": "Hoàn thành đúng hạn", "done_late": "Hoàn thành quá hạn",
             "in_progress": "Đang thực hiện trong hạn", "overdue": "Quá hạn chưa hoàn thành"}


def _candidates(inputs: list[Path]) -> list[Path]:
    seen: dict[Path, None] = {}
    for item in inputs:
        item = Path(item)
        found = discover.input_files([item]) if item.is_dir() else [item]
        for p in found:
            if p.name.startswith(("~$", ".")) or p.suffix.lower() not in (*SUFFIXES, ".xlsx"):
                continue
            seen.setdefault(p, None)
    return list(seen)


def _record(ctx: BuildContext, path: Path, kind: str, status: str, rows: int, msg: str) -> None:
    """Update the file's record made by discovery (or another step), else add one."""
    for rec in ctx.files:
        if rec.path == path and rec.kind in ("unrecognised", kind):
            rec.kind, rec.status, rec.rows, rec.message = kind, status, rows, msg
            return
    ctx.files.append(FileRecord(path, kind, status=status, rows=rows, message=msg))


def _province_name(con: duckdb.DuckDBPyConnection, code: str | None) -> str | None:
    try:
        row = con.execute("SELECT name_vi FROM ref.province WHERE vintage = '63' AND code = ?",
                          [code]).fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def _load_plans(ctx: BuildContext, paths: list[Path]) -> dict[str, Plan]:
    plans: dict[str, Plan] = {}
    for path in paths:
        try:
            plan = parse_plan(path)
        except NotAPlanError as exc:
            _record(ctx, path, "unrecognised", "skipped", 0, exc.problems[0].message)
            continue
        except InputError as exc:
            for p in exc.problems:
                ctx.problems.add(p)
            _record(ctx, path, "plan", "refused", 0, exc.problems[0].message)
            continue
        for p in plan.problems:
            ctx.problems.add(p)
        if plan.year is None:
            ctx.problems.error(path, "Không nạp được kế hoạch không có năm / a plan without a "
                               "year cannot be loaded", action="Ghi 'năm YYYY' trong tiêu đề")
            _record(ctx, path, "plan", "refused", 0, "no year")
            continue
        if plan.plan_id in plans:
            other = plans[plan.plan_id].source
            ctx.problems.warning(path, f"Kế hoạch trùng mã {plan.plan_id} với tệp {other.name}; "
                                 "bỏ qua tệp này / duplicate plan, this file is skipped",
                                 found=plan.plan_id)
            _record(ctx, path, "plan", "skipped", 0, f"duplicate of {other}")
            continue
        plans[plan.plan_id] = plan
        _record(ctx, path, "plan", "loaded", len(plan.actions),
                f"{plan.plan_id}: {len(plan.actions)} nhiệm vụ / actions")
    return plans


def _insert_plans(ctx: BuildContext, plans: dict[str, Plan]) -> None:
    for plan in plans.values():
        name = _province_name(ctx.con, plan.province_code) or plan.province
        ctx.con.execute(
            "INSERT INTO mart.plan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [plan.plan_id, plan.number, plan.issued_on, plan.year, plan.province_code, name,
             plan.agency, plan.parent_number, plan.parent_issued_on, plan.signer,
             str(plan.source), ctx.demo or plan.is_demo])
        ctx.con.executemany(
            "INSERT INTO mart.action VALUES (?, ?, ?, ?, ?, ?, ?)",
            [[plan.action_id(a), plan.plan_id, a.seq, a.dimension, a.text, a.lead_units,
              a.coordinating_units] for a in plan.actions])


def _load_report(ctx: BuildContext, path: Path, meta: dict, plans: dict[str, Plan],
                 seq: int) -> int:
    plan = plans.get(str(meta.get("plan_id")))
    if plan is None:
        ctx.problems.error(path, "Báo cáo cho kế hoạch chưa được nạp / report for a plan that "
                           "is not loaded", found=str(meta.get("plan_id")),
                           allowed=", ".join(sorted(plans)) or "(không có kế hoạch nào)",
                           action="Đặt tệp kế hoạch cùng thư mục đầu vào / add the plan file")
        _record(ctx, path, "report", "refused", 0, f"unknown plan {meta.get('plan_id')}")
        return seq
    meta.setdefault("year", plan.year)
    if meta.get("year") != plan.year:
        ctx.problems.warning(path, "Năm báo cáo khác năm của kế hoạch / report year differs "
                             "from the plan year", found=str(meta.get("year")),
                             allowed=str(plan.year))
    rep = read_report(path, meta, {plan.action_id(a) for a in plan.actions})
    for p in rep.problems:
        ctx.problems.add(p)
    _insert_report(ctx.con, rep, seq)
    status = "loaded" if rep.rows or not rep.n_refused else "refused"
    _record(ctx, path, "report", status, len(rep.rows),
            f"{len(rep.rows)} dòng nạp, {rep.n_refused} dòng bị từ chối / rows loaded, refused")
    return seq + len(rep.rows)


def _insert_report(con: duckdb.DuckDBPyConnection, rep: Report, seq: int) -> None:
    ok = {r.row_number for r in rep.rows}
    con.executemany(
        "INSERT INTO raw.plan_report_row VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[str(rep.path), str(rep.meta.get("sheet")), r["row_number"], rep.plan_id,
          r["action_id"], r["period"], r["status"], r["percent_done"], r["result"], r["notes"],
          r["reported_on"], r["row_number"] in ok] for r in rep.raw])
    con.executemany(
        "INSERT INTO mart.action_status VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)",
        [[r.action_id, r.year, r.period, r.status_code, r.percent_done, r.result, r.notes,
          r.reported_on, str(rep.path), r.sheet, r.row_number, seq + i + 1]
         for i, r in enumerate(rep.rows)])


def _warn_conflicts(ctx: BuildContext) -> None:
    rows = ctx.con.execute("""
        SELECT action_id, year, period, list(source_file ORDER BY is_latest DESC, loaded_seq),
               list(row_number ORDER BY is_latest DESC, loaded_seq),
               list(reported_on ORDER BY is_latest DESC, loaded_seq),
               list(status_code ORDER BY is_latest DESC, loaded_seq)
        FROM mart.action_status GROUP BY action_id, year, period
        HAVING count(DISTINCT (status_code, percent_done, result, notes)) > 1
        ORDER BY action_id, year, period""").fetchall()
    for action_id, year, period, files, rownos, dates, codes in rows:
        older = "; ".join(f"{Path(f).name} dòng {r} ({d:%d/%m/%Y}, {STATUS_VI[c]})"
                          for f, r, d, c in list(zip(files, rownos, dates, codes,
                                                     strict=True))[1:])
        ctx.problems.warning(
            files[0], f"Nhiệm vụ {action_id}, kỳ {period} năm {year} có {len(files)} báo cáo "
            f"khác nhau; dùng báo cáo mới nhất ({Path(files[0]).name} dòng {rownos[0]}, "
            f"{dates[0]:%d/%m/%Y}, {STATUS_VI[codes[0]]}); báo cáo cũ vẫn lưu trong lịch sử: "
            f"{older} / several differing reports, the latest is used, older ones kept",
            cell=f"row {rownos[0]}", found=STATUS_VI[codes[0]])


def run(ctx: BuildContext) -> None:
    """Create and fill the plan tables from ctx.inputs (empty tables when there are none)."""
    tables.create(ctx.con)
    paths = _candidates(ctx.inputs)
    docs = [p for p in paths if p.suffix.lower() in SUFFIXES]
    plans = _load_plans(ctx, docs)
    _insert_plans(ctx, plans)
    seq = 0
    for path in (p for p in paths if p.suffix.lower() == ".xlsx"):
        meta = report_meta(path)
        if meta is not None:
            seq = _load_report(ctx, path, meta, plans, seq)
    tables.finish(ctx.con)
    _warn_conflicts(ctx)
    ctx.say(f"plans: {len(plans)} plan(s), {seq} report row(s) loaded")
