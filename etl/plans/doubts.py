"""What the plan reader is unsure of, per action (Vietnamese), and the unit names a plan's own
header gives."""

from __future__ import annotations

from etl.plans.model import Plan
from etl.plans.text import fold
from etl.plans.units import is_known_unit
from etl.problems import Problem

_NOT_UNITS = ("cong hoa", "doc lap", "so:", "so ", "ke hoach", "uy ban nhan dan", "ubnd",
              "tinh ", "thanh pho ")


def header_names(plan: Plan, paras: list[str]) -> tuple[str, ...]:
    """Unit names the plan's own header gives: its agency and the issuer lines above 'Số:'."""
    names = [plan.agency] if plan.agency else []
    for p in paras[:6]:
        f = fold(p)
        if f.startswith(("so:", "so :")) or "ngay" in f:
            break
        if p.isupper() and 2 <= len(f.split()) <= 10 and (
                not f.startswith(_NOT_UNITS) or f.startswith("so ") and ":" not in f):
            names.append(p)
    return tuple(dict.fromkeys(n for n in names if n))


def review(plan: Plan) -> None:
    """Each action's doubts (unknown unit, impossible or before-issue deadline), the deadline
    problems as warnings naming the action."""
    for a in plan.actions:
        for u in (*a.lead_units, *a.coordinating_units):
            if not is_known_unit(u):
                a.doubts.append(f"đơn vị chưa có trong danh mục: {u}")
        where = f"nhiệm vụ {a.seq}: {a.text[:60]}"
        if a.due is not None and a.due.invalid:
            a.doubts.append(f"hạn không hợp lệ: {a.due.text}")
            plan.problems.append(Problem(
                str(plan.source), "Hạn hoàn thành không có thật (ngày, tháng hoặc quý không tồn "
                "tại) / impossible deadline", "warning", cell=where, found=a.due.text,
                action="Sửa hạn trong tệp hiệu chỉnh (papi plan review) / correct it"))
        elif a.due is not None and a.due.on and plan.issued_on and a.due.on < plan.issued_on:
            a.doubts.append(f"hạn trước ngày ban hành kế hoạch: {a.due.text}")
            plan.problems.append(Problem(
                str(plan.source), f"Hạn hoàn thành trước ngày ban hành kế hoạch "
                f"({plan.issued_on:%d/%m/%Y}) / deadline before the plan's own date", "warning",
                cell=where, found=a.due.text,
                action="Sửa hạn trong tệp hiệu chỉnh (papi plan review) / correct it"))
