"""Plan versions by content and dates: 'thay thế Kế hoạch số …' supersedes that plan; the
actions of an earlier version mapped to what they became."""

from __future__ import annotations

import difflib

from etl.plans.model import Plan
from etl.problems import Problem


def replaced(plans: dict[str, Plan]
             ) -> tuple[dict[str, Plan], list[tuple[Problem, Plan | None, Plan]]]:
    """Plans superseded by a later one saying 'thay thế Kế hoạch số …' (removed from `plans`):
    old id → new plan, and what to report (problem, superseded plan or None, new plan)."""
    out: dict[str, Plan] = {}
    notes: list[tuple[Problem, Plan | None, Plan]] = []
    for new in list(plans.values()):
        if not new.replaces:
            continue
        for pid, old in list(plans.items()):
            if old is new or old.number != new.replaces or old.province_code != new.province_code:
                continue
            if old.issued_on and new.issued_on and old.issued_on > new.issued_on:
                notes.append((Problem(str(new.source), f"Kế hoạch ghi thay thế {old.number} nhưng "
                                      "ban hành trước kế hoạch đó; giữ cả hai / replaces a later "
                                      "plan: both kept", "warning", found=new.replaces), None, new))
                continue
            del plans[pid]
            out[pid] = new
            notes.append((Problem(str(new.source), f"Kế hoạch {new.number} thay thế Kế hoạch "
                                  f"{old.number} ({old.source.name}); kế hoạch cũ lưu trong lịch "
                                  "sử / replaces the older plan, kept in history", "info"),
                          old, new))
    return out, notes


def align(plan: Plan, older: list[Plan]) -> None:
    """Map each action of an earlier version that was rewritten to the action it became (the
    same place among unchanged neighbours), so reports made on that version keep matching."""
    new_prints = [a.fingerprint for a in plan.actions]
    for old in older:
        old_prints = [a.fingerprint for a in old.actions]
        matcher = difflib.SequenceMatcher(a=old_prints, b=new_prints, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "replace" and i2 - i1 == j2 - j1:
                for k in range(i2 - i1):
                    plan.changed_from.setdefault(old_prints[i1 + k], plan.actions[j1 + k])
