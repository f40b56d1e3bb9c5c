"""Section 2: each dashboard page's data + figure building for a typical view, without Streamlit.

Each function follows the page's render() in dashboard/app_pages/ call for call (data.* and the
chart builders, with the widgets at their defaults) but skips the st.* drawing. The warehouse is
the one in env PAPI_DB, exactly as the app reads it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from common import Row, judge, timed

SECTION = "2 pages"


@dataclass(frozen=True)
class V:
    """The same fields as dashboard.view.View (which needs Streamlit to import)."""

    lang: str
    province: str
    year: int
    dimension: str
    province_name: str
    dimension_name: str


def typical_view(lang: str = "vi") -> V:
    """The sidebar state the app starts with: a province with plans if any, latest year, D1."""
    from dashboard import data
    from dashboard.i18n import name

    provs = data.provinces("63")
    names = {r["code"]: name(r, lang) for _, r in provs.iterrows()}
    planned = data.query("SELECT DISTINCT province_code FROM mart.plan ORDER BY 1", (),
                         optional_columns=["province_code"])["province_code"].tolist()
    province = planned[0] if planned else "01"
    year = max(data.years())
    dims = data.items(level="dimension")
    dim_names = {r["item_code"]: f"{r['item_code']} – {name(r, lang)}" for _, r in dims.iterrows()}
    return V(lang, province, int(year), "D1", names.get(province, province), dim_names["D1"])


def overview(v: V) -> list:
    from dashboard import charts, data, prep, style
    from dashboard.i18n import t

    lang, figs = v.lang, []
    data.province_year(province_code=v.province)
    style.groups(data.performance_groups())
    data.dimension_progress(v.province, v.year)
    codes = list(data.items(level="dimension")["item_code"])
    sc = data.scores(v.province, codes, v.year)
    if not sc.empty:
        frame = prep.dimension_frame(sc, data.provinces("63"), lang)
        figs.append(charts.dimension_bars(frame, lang, title=t("dims_vs", lang, year=v.year),
                                          year=v.year, province_label=v.province_name))
    sc = data.scores(v.province, ["TOTAL"])
    first = prep.BREAK_2018 if v.year >= prep.BREAK_2018 else 0
    sc = sc[(sc["year"] <= v.year) & (sc["year"] >= max(first, v.year - 5))]
    if not sc.empty:
        figs.append(charts.score_trend(sc, lang, title=t("trend_total", lang),
                                       series_label=v.province_name,
                                       median=sc[["year", "median"]]))
    prog = data.dimension_progress(v.province, v.year)
    if not prog.empty:
        dims = {r["item_code"]: prep.item_label(r, lang)
                for _, r in data.items(level="dimension").iterrows()}
        prog = prog.assign(label=[dims.get(c, c) for c in prog["dimension_code"]])
        figs.append(charts.status_bars(prog, lang, category="label", years=v.year,
                                       title=t("by_dimension", lang),
                                       statuses=data.task_statuses()))
    return figs


def dimensions(v: V) -> list:
    from dashboard import charts, data, prep
    from dashboard.i18n import t

    lang, figs = v.lang, []
    sc = prep.displayed(data.scores(v.province, [v.dimension]))
    mb = data.methodology_breaks()
    statuses = data.task_statuses()
    acts_by_year = data.action_status_by_year(v.province, v.dimension)
    if not sc.empty:
        unit = "%" if sc["unit"].iat[0] == "percent" else t("points", lang)
        years = sorted(set(sc["year"]) | set(acts_by_year["year"]))
        figs.append(charts.score_trend(
            sc, lang, title=t("dim_trend", lang, dim=v.dimension_name),
            series_label=v.province_name, unit=unit, median=sc[["year", "median"]],
            breaks=prep.breaks_for(mb, v.dimension, lang, years),
            actions=acts_by_year, statuses=statuses))
    prep.break_notes(mb, v.dimension, lang)
    acts = data.actions(v.province, dimension_code=v.dimension)
    if not acts.empty:
        prep.task_export_frame(acts, lang, statuses, {v.dimension: v.dimension_name})
    return figs


def drilldown(v: V) -> list:
    from dashboard import charts, data, prep
    from dashboard.i18n import t

    lang, figs = v.lang, []

    def trends(codes: list[str], title: str, unit: str) -> None:
        sc = prep.displayed(data.scores(v.province, codes))
        sc = sc[sc["year"] <= v.year]
        if sc.empty:
            return
        d = sc.assign(label=[prep.item_label(r, lang) for _, r in sc.iterrows()])
        years = sorted(d["year"].unique())
        figs.append(charts.subitem_trends(d, lang, title=title, unit=unit, breaks=prep.breaks_for(
            data.methodology_breaks(), v.dimension, lang, years)))

    subs = data.items(level="subdimension", parent_code=v.dimension)
    trends(list(subs["item_code"]), t("subdims", lang, dim=v.dimension_name), t("points", lang))
    if not subs.empty:
        sub = subs["item_code"].iat[0]
        inds = data.items(level="indicator", parent_code=sub)
        if not inds.empty:
            unit = "%" if inds["unit"].iat[0] == "percent" else t("points", lang)
            trends(list(inds["item_code"]), t("indicators_of", lang, sub=sub), unit)
    all_subs = data.items(level="subdimension")
    moved, years = prep.movers(data.scores(v.province, list(all_subs["item_code"])), lang,
                               upto=v.year)
    if years is not None and not moved.empty:
        figs.append(charts.movers_bars(moved, lang, title=t("movers", lang, y0=years[0],
                                                              y1=years[1]), years=years))
    return figs


def compare(v: V) -> list:
    from dashboard import charts, data, prep, style
    from dashboard.charts.maps import geojson_path
    from dashboard.i18n import fmt_num, name, t

    lang, figs = v.lang, []
    its = data.items()
    its = its[its["level"].isin(["total", "dimension"]) & (its["item_code"] != "TOTAL_W")]
    labels = {r["item_code"]: prep.item_label(r, lang) for _, r in its.iterrows()}
    item = "TOTAL" if "TOTAL" in labels else next(iter(labels))
    groups = style.groups(data.performance_groups())
    rank = data.ranking(v.year, item)
    # ranking_table (the st.dataframe on the left)
    gname = {int(r["group_no"]): name(r, lang) for _, r in groups.iterrows()}
    pd.DataFrame({
        "rank": [str(int(r)) if pd.notna(r) else "–" for r in rank["rank"]],
        "province": [name(r, lang) for _, r in rank.iterrows()],
        "score": [fmt_num(x, lang) if pd.notna(x) else "" for x in rank["value"]],
        "group": [gname.get(int(g), "") if pd.notna(g) else "" for g in rank["performance_group"]],
    })
    # the map (vintage 63, coloured by value)
    d = rank.assign(label=[name(r, lang) for _, r in rank.iterrows()])
    title = t("map_title", lang, item=labels[item], year=v.year)
    path63 = geojson_path("63")
    if path63 is not None:
        figs.append(charts.geo_map(d, charts.load_geojson(str(path63)), lang, title=title,
                                   year=v.year, color_by="value", groups=groups, outline=None))
    else:
        figs.append(charts.tile_map(d, lang, title=title, year=v.year, color_by="value",
                                    groups=groups, vintage="63"))
    # provinces side by side
    provs = data.provinces("63")
    names = {r["code"]: name(r, lang) for _, r in provs.iterrows()}
    best = rank["province_code"].iat[0] if len(rank) else v.province
    chosen = list(dict.fromkeys([v.province, best]))
    dims = list(data.items(level="dimension")["item_code"])
    sc = data.scores(None, dims, v.year)
    sc = sc[sc["province_code"].isin(chosen)]
    order = {c: i for i, c in enumerate(chosen)}
    sc = sc.sort_values(["province_code", "sort_order"], key=lambda s: s.map(order)
                        if s.name == "province_code" else s)
    bars = pd.DataFrame({"item_label": sc["item_code"], "value": sc["value"],
                         "province_label": sc["province_code"].map(names)})
    figs.append(charts.compare_bars(bars, lang, title=t("compare_title", lang, year=v.year),
                                    year=v.year))
    tr = data.scores(None, [item])
    tr = tr[tr["province_code"].isin(chosen)].sort_values(
        "province_code", key=lambda s: s.map(order), kind="stable")
    lines = pd.DataFrame({"year": tr["year"], "value": tr["value"],
                          "province_label": tr["province_code"].map(names)})
    figs.append(charts.compare_trend(lines, lang, title=t("compare_trend", lang, item=labels[item])))
    figs.append(charts.ranking_bars(d, lang, title=t("ranking", lang, item=labels[item],
                                                     year=v.year),
                                    year=v.year, groups=groups, highlight=v.province))
    return figs


def tasks(v: V) -> list:
    from dashboard import charts, data, style, task_table

    lang, figs = v.lang, []
    all_acts = data.actions(v.province)
    if all_acts.empty:
        return figs
    # _filters: the option lists of the five select boxes (all at their defaults)
    sorted({u for us in all_acts["lead_units"] if us is not None for u in us})
    dim_names = task_table.dimension_names(lang)
    style.statuses(data.task_statuses())
    filters = {"unit": task_table.ALL, "dimension": task_table.ALL, "status": task_table.ALL,
               "year": task_table.ALL, "overdue": "0"}
    # _charts(v, None)
    statuses = data.task_statuses()
    units = data.unit_progress(v.province, None)
    dims = data.dimension_progress(v.province, None)
    measures = [c for c in charts.tasks.STATUS_COUNT_COLUMNS.values() if c in units.columns]
    if not units.empty:
        u = units.groupby("unit", as_index=False)[measures].sum()
        figs.append(charts.status_bars(u, lang, title="by unit", category="unit",
                                       years=sorted(units["year"].unique()), statuses=statuses))
    if not dims.empty:
        d = dims.groupby("dimension_code", as_index=False)[measures].sum()
        d["label"] = d["dimension_code"].map(dim_names).fillna(d["dimension_code"])
        figs.append(charts.status_bars(d, lang, title="by dimension", category="label",
                                       years=sorted(dims["year"].unique()), statuses=statuses))
    task_table.filtered_actions(v.province, filters)
    table = task_table.export_frame(v.province, filters, lang)
    table.to_csv(index=False).encode("utf-8-sig")
    return figs


def method(v: V) -> list:
    from dashboard import data

    data.build_info()
    data.source_files()
    data.loaded_summary()
    data.problems()
    data.methodology_breaks()
    return []


def _app_shell(v: V) -> None:
    """What app.py runs before every page: status, sidebar lists, demo flag."""
    from dashboard import data

    data.status()
    data.provinces("63")
    data.years()
    data.items(level="dimension")
    data.is_demo()


PAGES: dict[str, Callable[[V], list]] = {
    "overview": overview, "dimensions": dimensions, "drilldown": drilldown,
    "compare": compare, "tasks": tasks, "method": method,
}


def page_run(fn: Callable[[V], list], v: V) -> Callable[[], list]:
    def go() -> list:
        _app_shell(v)
        return fn(v)
    return go


@contextlib.contextmanager
def recording() -> Iterator[list[tuple[str, tuple]]]:
    """Record every (sql, params) the data layer sends to DuckDB (cache misses included)."""
    from dashboard import data

    seen: list[tuple[str, tuple]] = []
    original = data._cached

    def spy(sig, sql, params):
        seen.append((sql, params))
        return original.__wrapped__(sig, sql, params)

    spy.cache_clear = original.cache_clear  # type: ignore[attr-defined]
    data._cached = spy
    try:
        yield seen
    finally:
        data._cached = original


def raw_queries(db: Path, queries: list[tuple[str, tuple]]) -> None:
    """The floor: the same SQL and parameters on one read-only DuckDB connection, to pandas."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True, config={"python_enable_replacements": False})
    try:
        for sql, params in queries:
            try:
                con.execute(sql, [list(p) if isinstance(p, tuple) else p for p in params]).df()
            except duckdb.CatalogException:
                pass
    finally:
        con.close()


@contextlib.contextmanager
def using_db(db: Path) -> Iterator[None]:
    from dashboard import data

    old = os.environ.get("PAPI_DB")
    os.environ["PAPI_DB"] = str(db)
    data.clear_cache()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PAPI_DB", None)
        else:
            os.environ["PAPI_DB"] = old
        data.clear_cache()


def run(n: int, db: Path, label: str) -> list[Row]:
    from dashboard import data

    rows: list[Row] = []
    with using_db(db):
        v = typical_view()
        for page, fn in PAGES.items():
            go = page_run(fn, v)
            data.clear_cache()
            with recording() as seen:
                figs = go()
            queries = list(dict.fromkeys(seen))
            cold, cold_runs = timed(go, n, setup=data.clear_cache)
            warm, warm_runs = timed(go, n)
            floor, floor_runs = timed(lambda q=queries: raw_queries(db, q), n)
            note = (f"{label} db, province {v.province}, {v.year}, {v.dimension}: "
                    f"{len(queries)} queries, {len(figs)} figures")
            target, ok = judge(cold, floor, max_s=0.150)
            rows.append(Row(SECTION, f"{page} (cold cache)", cold, floor, target, ok, note,
                            runs=cold_runs, floor_runs=floor_runs))
            target, ok = judge(warm, floor, max_s=0.150)
            rows.append(Row(SECTION, f"{page} (warm cache)", warm, floor, target, ok,
                            "lru cache hit: copies + figures", runs=warm_runs,
                            floor_runs=floor_runs))
    return rows
