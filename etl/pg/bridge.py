"""Between the warehouse and the write store: plans in (as the ETL loaded them), accepted
reports out as filled report templates that `papi etl` reads through the same path and checks."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import duckdb
import psycopg
from openpyxl import Workbook

from etl.paths import REF_DIR
from etl.pg.users import ensure_unit
from etl.plans.model import Plan
from etl.plans.review import HEADER_ROW, LAYOUT
from etl.plans.review import MARKER as REVIEW_MARKER
from etl.plans.review import META as REVIEW_META
from etl.plans.review import SHEET as REVIEW_SHEET
from etl.plans.status import PERIODS, STATUSES
from etl.plans.template import COL, FIRST_ROW, FORMAT_VERSION, MARKER, META_SHEET, REPORT_SHEET

STORE_PREFIX = "papi-store-"  # exported workbooks; replaced as a whole at each export


def _new_code(code: str, vintage: object) -> str:
    """A 63-vintage province code → its province of the 34 (etl/ref/merge_2025.csv)."""
    if str(vintage) != "63":
        return code
    with open(REF_DIR / "merge_2025.csv", encoding="utf-8") as f:
        return {r["old_code"]: r["new_code"] for r in csv.DictReader(f)}.get(code, code)


def plan_rows(plan: Plan) -> tuple[dict, list[dict]]:
    """A plan read by etl.plans.parse as the rows papi.store_plan takes (its province of the 34;
    each action belongs to its first lead unit). ValueError when the plan lacks a province or year."""
    if not plan.province_code or not plan.year:
        raise ValueError("không xác định được tỉnh hoặc năm của kế hoạch / the plan's province or "
                         "year could not be read")
    head = {"plan_id": plan.plan_id, "number": plan.number, "year": plan.year,
            "province_code": _new_code(plan.province_code, plan.vintage), "agency": plan.agency,
            "title": plan.title, "issued_on": plan.issued_on}
    acts = [{"action_id": plan.action_id(a), "seq": a.seq, "dimension": a.dimension,
             "text": a.text, "fingerprint": a.fingerprint,
             "due_on": a.due.on if a.due and a.due.on else None,
             "lead_unit": a.lead_units[0] if a.lead_units else None,
             "coordinating_units": "; ".join(a.coordinating_units) or None}
            for a in plan.actions]
    return head, acts


def load_plans(con: psycopg.Connection, warehouse: Path) -> int:
    """Copy the warehouse's plans and actions into the store (admin connection); each action
    belongs to its first lead unit (created under its province). Plans already there are kept
    (a task's id never changes meaning). The number of actions added."""
    wh = duckdb.connect(str(warehouse), read_only=True)
    try:
        plans = wh.execute("SELECT plan_id, number, year, province_code, vintage, agency, title, "
                           "issued_on FROM mart.plan WHERE province_code IS NOT NULL").fetchall()
        actions = wh.execute("SELECT action_id, plan_id, seq, dimension_code, text, fingerprint, "
                             "due_on, coalesce(lead_units_current[1], lead_units[1]) FROM "
                             "mart.action ORDER BY action_id").fetchall()
    finally:
        wh.close()
    added = 0
    with con.transaction():
        codes = {}
        for pid, number, year, code, vintage, agency, title, issued in plans:
            codes[pid] = _new_code(code, vintage)
            con.execute("INSERT INTO papi.plan (plan_id, number, year, province_code, agency, "
                        "title, issued_on) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT "
                        "(plan_id) DO NOTHING",
                        (pid, number, year, codes[pid], agency, title, issued))
        for aid, pid, seq, dim, text, fp, due, lead in actions:
            if pid not in codes:
                continue
            unit_id = ensure_unit(con, codes[pid], lead or None)
            cur = con.execute("INSERT INTO papi.action (action_id, plan_id, seq, dimension, text, "
                              "fingerprint, due_on, lead_unit, unit_id) VALUES (%s, %s, %s, %s, "
                              "%s, %s, %s, %s, %s) ON CONFLICT (action_id) DO NOTHING",
                              (aid, pid, seq, dim, text, fp, due, lead, unit_id))
            added += cur.rowcount
    return added


ACCEPTED_SQL = """
SELECT r.*, a.plan_id, a.text, a.fingerprint, u.name AS unit_name
FROM papi.report r
JOIN papi.action a USING (action_id)
JOIN papi.unit u ON u.id = r.unit_id
JOIN LATERAL (SELECT kind, version FROM papi.approval e WHERE e.action_id = r.action_id
              AND e.year = r.year AND e.period = r.period ORDER BY e.seq DESC LIMIT 1) e ON true
WHERE e.kind = 'accept' AND e.version = r.version
ORDER BY a.plan_id, r.unit_id, r.year, r.action_id, r.period
"""


def export_accepted(con: psycopg.Connection, out_dir: Path) -> list[Path]:
    """Write the accepted reports as filled report templates (one per plan, unit and year) into
    `out_dir`, replacing the previous export there as a whole. The files written."""
    with con.transaction():
        rows = con.execute(ACCEPTED_SQL).fetchall()
    cols = [c.name for c in con.execute("SELECT * FROM papi.report LIMIT 0").description or []]
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        r = row if isinstance(row, dict) else dict(zip([*cols, "plan_id", "text", "fingerprint",
                                                         "unit_name"], row, strict=True))
        groups[(r["plan_id"], r["unit_id"], r["year"])].append(r)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".papi-store-", dir=out_dir))
    try:
        written = [_workbook(tmp / f"{STORE_PREFIX}{plan}-u{unit}-{year}.xlsx", plan, year, items)
                   for (plan, unit, year), items in groups.items()]
        for old in out_dir.glob(f"{STORE_PREFIX}*.xlsx"):
            old.unlink()
        final = []
        for p in written:
            os.replace(p, out_dir / p.name)
            final.append(out_dir / p.name)
        return final
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _text(cell, value: str | None) -> None:
    """Typed text stays text, exactly (a leading '=' is stored as a string, never a formula)."""
    cell.value = value
    if value is not None:
        cell.data_type = "s"


def _workbook(path: Path, plan_id: str, year: int, rows: list[dict]) -> Path:
    """A filled template of format 2: what a department would have typed into Excel."""
    wb = Workbook()
    ws = wb.active
    ws.title = REPORT_SHEET
    ws["A1"] = f"Báo cáo từ hệ thống nhiều người dùng / from the multi-user store: {rows[0]['unit_name']}"
    for i, r in enumerate(rows):
        n = FIRST_ROW + i
        ws[f"{COL['action_id']}{n}"] = r["action_id"]
        _text(ws[f"{COL['text']}{n}"], r["text"])
        ws[f"{COL['period']}{n}"] = PERIODS[r["period"]][0]
        ws[f"{COL['status']}{n}"] = STATUSES[r["status"]][0]
        ws[f"{COL['percent_done']}{n}"] = r["percent_done"]
        _text(ws[f"{COL['result']}{n}"], r["result"])
        _text(ws[f"{COL['notes']}{n}"], r["evidence_note"])
        ws[f"{COL['reported_on']}{n}"] = r["reported_on"]
        ws[f"{COL['reported_on']}{n}"].number_format = "dd/mm/yyyy"
    meta = wb.create_sheet(META_SHEET)
    items = [("marker", MARKER), ("format_version", FORMAT_VERSION), ("plan_id", plan_id),
             ("year", year), ("sheet", REPORT_SHEET), ("first_row", FIRST_ROW),
             ("source", "papi-store")]
    for i, (k, v) in enumerate(items, start=1):
        meta.cell(i, 1, k)
        meta.cell(i, 2, v)
    for i, r in enumerate({r["action_id"]: r for r in rows}.values(), start=len(items) + 2):
        meta.cell(i, 1, "action_id")
        meta.cell(i, 2, r["action_id"])
        meta.cell(i, 3, r["fingerprint"])
    wb.save(path)
    return path


CORRECTIONS_PREFIX = f"{STORE_PREFIX}corrections-"
CORRECTIONS_SQL = """
SELECT f.plan_id, f.fingerprint, f.seq, f.text, f.dimension, f.lead_units,
       f.coordinating_units, f.deadline, f.note, w.name AS author, f.created_at
FROM papi.correction_in_force f
JOIN papi.app_user w ON w.id = f.user_id
ORDER BY f.plan_id, f.seq
"""


def export_corrections(con: psycopg.Connection, out_dir: Path) -> list[Path]:
    """Write the corrections in force (each field's latest value) as filled plan correction sheets
    (the 'papi plan review' format the build applies), one per plan, into `out_dir`, replacing
    the previous ones there. The files written."""
    with con.transaction():
        cur = con.execute(CORRECTIONS_SQL)
        names = [c.name for c in cur.description or []]
        rows = [r if isinstance(r, dict) else dict(zip(names, r, strict=True))
                for r in cur.fetchall()]
    by_plan: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_plan[r["plan_id"]].append(r)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob(f"{CORRECTIONS_PREFIX}*.xlsx"):
        old.unlink()
    return [_review_book(out_dir / f"{CORRECTIONS_PREFIX}{plan}.xlsx", plan, items)
            for plan, items in sorted(by_plan.items())]


def _review_book(path: Path, plan_id: str, rows: list[dict]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = REVIEW_SHEET
    ws["A1"] = f"Hiệu chỉnh từ hệ thống nhiều người dùng / corrections from the store: {plan_id}"
    keys = [k for k, *_ in LAYOUT]
    for j, (_, head, *_rest) in enumerate(LAYOUT, start=1):
        ws.cell(HEADER_ROW, j, head)
    for i, r in enumerate(sorted(rows, key=lambda r: r["seq"]), start=HEADER_ROW + 1):
        note = f"{r['author']} {r['created_at']:%d/%m/%Y %H:%M}" + (
            f": {r['note']}" if r["note"] else "")
        values = {**r, "doubts": "", "kind": "", "note": note}
        for j, k in enumerate(keys, start=1):
            _text(ws.cell(i, j), None if values.get(k) is None else str(values[k]))
    meta = wb.create_sheet(REVIEW_META)
    for i, (k, v) in enumerate([("marker", REVIEW_MARKER), ("plan_id", plan_id),
                                ("source", "papi-store")], start=1):
        meta.cell(i, 1, k)
        meta.cell(i, 2, v)
    tmp = path.with_suffix(".tmp")
    wb.save(tmp)
    os.replace(tmp, path)
    return path
