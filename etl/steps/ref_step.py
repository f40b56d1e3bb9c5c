"""Step: write the reference facts of etl/ref into the `ref` schema."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from etl import ref
from etl.steps import table
from etl.steps.context import BuildContext

ERA_END = 2100  # the latest era applies until PAPI revises its structure again


Columns = dict[str, list[object]]


def columns(records: Sequence[Mapping[str, object]]) -> Columns:
    """Records as columns, in the order their keys first appear; a key a record lacks is None."""
    names = list(dict.fromkeys(k for r in records for k in r))
    return {n: [r.get(n) for r in records] for n in names}


def item_frames() -> tuple[Columns, Columns]:
    """(ref.item, ref.item_era) as columns: latest-era names per item, and every era's names."""
    era_rows: list[dict[str, object]] = []
    latest: dict[str, dict[str, object]] = {}  # item code → its row of ref.item
    order: dict[str, int] = {}
    for era in ref.eras():
        for n, (code, it) in enumerate(era.items.items()):
            era_rows.append({"era": era.era, "first_year": era.first_year,
                             "last_year": era.last_year, "item_code": code, "name_vi": it.name_vi,
                             "name_en": it.name_en, "scale_min": it.scale_min,
                             "scale_max": it.scale_max})
            first = latest.get(code, {}).get("first_year", era.first_year)
            latest[code] = {**it.__dict__, "first_year": first, "last_year": era.last_year}
            order.setdefault(code, n)
    years = ref.indicator_years()
    for n, it in enumerate(ref.indicators()):
        first, last = years[it.item_code]
        latest[it.item_code] = {**it.__dict__, "name_en": it.name_en or it.name_vi,
                                "first_year": first, "last_year": last}
        order[it.item_code] = 1000 + n
    items = columns(list(latest.values()))
    items["sort_order"] = [order[code] for code in latest]  # latest: one record per item code
    cols = ["item_code", "level", "parent_code", "number", "name_vi", "name_en", "scale_min",
            "scale_max", "unit", "first_year", "last_year", "sort_order"]
    # the row order pandas' sort_values gave (numpy's quicksort: ties in an order of its own)
    rank = np.array(items["sort_order"], dtype=np.int64).argsort(kind="quicksort").tolist()
    return {c: [items[c][i] for i in rank] for c in cols}, columns(era_rows)


def run(ctx: BuildContext) -> None:
    con = ctx.con
    items, item_era = item_frames()
    groups = columns([{**r, "group_no": int(r["group_no"])}
                      for r in ref.read_csv("performance_groups.csv")])
    status = columns([{**r, "sort_order": int(r["sort_order"]), "is_done": r["is_done"] == "true"}
                      for r in ref.read_csv("task_status.csv")])
    breaks = columns([{**r, "year": int(r["year"])} for r in ref.read_csv("methodology_breaks.csv")])
    tables = {
        "item": items,
        "item_era": item_era,
        "province": columns(ref.read_csv("provinces.csv")),
        "province_alias": columns(ref.read_csv("province_aliases.csv")),
        "province_merge_2025": columns(ref.read_csv("merge_2025.csv")),
        "province_lineage": columns(list(ref.lineage())),
        "performance_group": groups,
        "task_status": status,
        "methodology_break": breaks,
    }
    for name, cols in tables.items():
        table.store(con, f"ref.{name}", cols)
