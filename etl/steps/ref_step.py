"""Step: write the reference facts of etl/ref into the `ref` schema."""

from __future__ import annotations

import pandas as pd

from etl import ref
from etl.steps.context import BuildContext

ERA_END = 2100  # the latest era applies until PAPI revises its structure again


def item_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ref.item, ref.item_era): latest-era names per item, and every era's names."""
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
    items = pd.DataFrame(latest.values())
    items["sort_order"] = items["item_code"].map(order)
    cols = ["item_code", "level", "parent_code", "number", "name_vi", "name_en", "scale_min",
            "scale_max", "unit", "first_year", "last_year", "sort_order"]
    return items[cols].sort_values("sort_order"), pd.DataFrame(era_rows)


def run(ctx: BuildContext) -> None:
    con = ctx.con
    items, item_era = item_frames()
    tables = {
        "item": items,
        "item_era": item_era,
        "province": pd.DataFrame(ref.read_csv("provinces.csv")),
        "province_alias": pd.DataFrame(ref.read_csv("province_aliases.csv")),
        "province_merge_2025": pd.DataFrame(ref.read_csv("merge_2025.csv")),
        "province_lineage": pd.DataFrame(list(ref.lineage())),
        "performance_group": pd.DataFrame(ref.read_csv("performance_groups.csv")).astype({"group_no": int}),
        "task_status": pd.DataFrame(ref.read_csv("task_status.csv")).astype(
            {"sort_order": int}).assign(is_done=lambda d: d["is_done"] == "true"),
        "methodology_break": pd.DataFrame(ref.read_csv("methodology_breaks.csv")).astype({"year": int}),
    }
    for name, frame in tables.items():
        con.register("frame", frame)
        con.execute(f"CREATE OR REPLACE TABLE ref.{name} AS SELECT * FROM frame")  # noqa: S608
        con.unregister("frame")
