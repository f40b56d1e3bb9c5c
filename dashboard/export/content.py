"""What the briefing says: warehouse rows (via dashboard.data) into a Deck of slides."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from dashboard import change, data, fmt, prep, style, task_table
from dashboard.charts import dimension_bars, movers_bars, score_trend, status_bars
from dashboard.export.deck import Slide, Table
from dashboard.i18n import completion_text, fmt_date, fmt_num, name, source_line, t

L = {
    "deck": ("Báo cáo tóm tắt PAPI {year}", "PAPI briefing {year}"),
    "headline": ("Tổng điểm {year}: {total} – xếp hạng {rank}/{n}",
                 "Total {year}: {total} – rank {rank} of {n}"),
    "generated": ("Ngày xuất: {d}", "Generated: {d}"),
    "demo": ("Dữ liệu minh họa – không phải số liệu PAPI chính thức.",
             "Illustrative data – not official PAPI figures."),
    "total_rank": ("Tổng điểm và xếp hạng qua các năm", "Total score and rank over the years"),
    "movers": ("Chỉ số thành phần thay đổi nhiều nhất {y0} → {y1}",
               "Sub-dimensions that moved most {y0} → {y1}"),
    "units": ("Tình hình thực hiện nhiệm vụ theo đơn vị chủ trì, {year}",
              "Task status by lead unit, {year}"),
    "sources": ("Nguồn dữ liệu và phương pháp", "Sources and method"),
    "vs_median": ("{year}: {v} điểm; trung vị toàn quốc {m}", "{year}: {v} points; median {m}"),
    "n_total": ("Tổng số nhiệm vụ", "Total actions"),
    "warehouse": ("Kho dữ liệu: {p} (xây dựng {d})", "Warehouse: {p} (built {d})"),
    "tool": ("Tạo bằng lệnh papi briefing từ kho dữ liệu PAPI.",
             "Made with the papi briefing command from the PAPI warehouse."),
    "more": ("… và {n} đơn vị khác", "… and {n} more units"),
    "no_plan": ("Chưa có kế hoạch cho {prov}: không có nhiệm vụ để báo cáo.",
                "{prov} has no plan yet: no actions to report."),
    "no_dim_actions": ("Kế hoạch chưa giao nhiệm vụ nào cho chỉ số nội dung này.",
                       "The plan assigns no action to this dimension."),
    "unit_slide": ("Đơn vị: {unit} – nhiệm vụ quá hạn, {year}",
                   "Unit: {unit} – overdue actions, {year}"),
    "unit_overdue": ("{n} nhiệm vụ quá hạn / {total} nhiệm vụ",
                     "{n} overdue of {total} actions"),
    "unit_last": ("Báo cáo gần nhất: {d}", "Last report: {d}"),
    "vs_prev": ("Thay đổi so với {y}", "Change from {y}"),
    "margin": ("Biên sai số", "Margin of error"),
    "no_movers": ("Không có chỉ số thành phần nào so sánh được giữa {y0} và {y1} "
                  "(thay đổi phương pháp hoặc năm không công bố).",
                  "No sub-dimension is comparable between {y0} and {y1} (methodology change "
                  "or a year not published)."),
    "subject": ("Báo cáo tóm tắt PAPI {year} – {prov}", "PAPI briefing {year} – {prov}"),
}
STATUS_COLS = ["n_done_on_time", "n_done_late", "n_in_progress", "n_overdue", "n_not_reported"]


def s(key: str, lang: str, **kw: object) -> str:
    """A briefing string in `lang`."""
    vi, en = L[key]
    return (en if lang == "en" else vi).format(**kw)


def province_name(code: str, lang: str, db: Path) -> str:
    """The province's name in `lang` (the code if unknown)."""
    p = data.provinces("63", db)
    row = p[p["code"] == code]
    return name(row.iloc[0].to_dict(), lang) if not row.empty else code


def title_slide(code: str, year: int, lang: str, db: Path, prov: str) -> Slide:
    py = data.province_year(year, code, db)
    bullets = []
    if not py.empty and pd.notna(py["total"].iat[0]):
        r = py.iloc[0]
        bullets.append(s("headline", lang, year=year, total=fmt_num(r["total"], lang),
                         rank=int(r["rank"]), n=int(r["n_ranked"])))
    bullets.append(s("generated", lang, d=fmt_date(date.today(), lang)))
    if data.is_demo(db):
        bullets.append(s("demo", lang))
    return Slide(s("deck", lang, year=year), subtitle=prov, bullets=bullets, kind="title")


def total_slide(code: str, year: int, lang: str, db: Path, prov: str) -> Slide:
    sc = data.scores(code, ["TOTAL"], path=db)
    sc = sc[sc["year"] <= year]
    med = data.national(["TOTAL"], path=db)[["year", "median"]]
    breaks = prep.breaks_for(data.methodology_breaks(db), "TOTAL", lang,
                             [int(y) for y in sc["year"]])
    fig = score_trend(sc, lang, title=f"{t('trend_total', lang)} – {prov}", series_label=prov,
                      median=med[med["year"] <= year], breaks=breaks)
    py = data.province_year(None, code, db)
    py = py[py["year"] <= year]
    rows = [[str(int(r.year)), fmt_num(r.total, lang),
             "–" if pd.isna(r.rank) else f"{int(r.rank)}/{int(r.n_ranked)}"]
            for r in py.itertuples()]
    header = [t("col_year", lang), t("total", lang), t("col_rank", lang)]
    line = total_change_line(code, year, lang, db)
    return Slide(s("total_rank", lang), figure=fig, table=Table(header, rows),
                 bullets=[line] if line else [])


def dimension_frame(code: str, year: int, lang: str, db: Path) -> pd.DataFrame:
    sc = data.scores(code, year=year, path=db)
    d = sc[sc["level"] == "dimension"].copy()
    names = data.provinces("63", db).set_index("code")
    d["label"] = [name(r, lang) for r in d.to_dict("records")]
    d["best_name"] = [name(names.loc[c].to_dict(), lang) if c in names.index else ""
                      for c in d["best_province_code"]]
    return d.reset_index(drop=True)


def dims_slide(dims: pd.DataFrame, year: int, lang: str, prov: str) -> Slide:
    fig = dimension_bars(dims, lang, title=t("dims_vs", lang, year=year), year=year,
                         province_label=prov)
    rows = [[r.label, fmt_num(r.value, lang), fmt_num(r.median, lang),
             f"{fmt_num(r.best_value, lang)} ({r.best_name})"] for r in dims.itertuples()]
    header = [t("col_dimension", lang), prov, t("national_median", lang), t("best_province", lang)]
    return Slide(t("dims_vs", lang, year=year), figure=fig, table=Table(header, rows))


def _status_table(acts: pd.DataFrame, lang: str, db: Path) -> Table:
    st = style.statuses(data.task_statuses(db))
    counts = acts["status_code"].value_counts() if not acts.empty else pd.Series(dtype=int)
    rows = [[name(r, lang), str(int(counts.get(r["status_code"], 0)))]
            for r in st.to_dict("records")]
    rows.append([s("n_total", lang), str(len(acts))])
    return Table([t("col_status", lang), t("n_actions", lang)], rows)


def dim_slide(row: pd.Series, code: str, year: int, lang: str, db: Path, prov: str) -> Slide:
    dim = row["item_code"]
    sc = data.scores(code, [dim], path=db)
    sc = sc[sc["year"] <= year]
    med = data.national([dim], path=db)[["year", "median"]]
    by_year = task_table.status_by_year(code, dim, db)
    breaks = prep.breaks_for(data.methodology_breaks(db), dim, lang, [int(y) for y in sc["year"]])
    acts_years = by_year[by_year["year"] <= year]
    key = "dim_trend" if not acts_years.empty else "dim_trend_only"
    fig = score_trend(sc, lang, title=t(key, lang, dim=row["label"]), series_label=prov,
                      median=med[med["year"] <= year], actions=by_year[by_year["year"] <= year],
                      statuses=data.task_statuses(db), breaks=breaks)
    bullets = [s("vs_median", lang, year=year, v=fmt_num(row["value"], lang),
                 m=fmt_num(row["median"], lang))]
    line = total_change_line(code, year, lang, db, dim)
    bullets += [line] if line else []
    title = f"{t('dimension', lang)} {dim.removeprefix('D')}: {row['label']}"
    if data.actions(code, path=db).empty:
        return Slide(title, bullets=[*bullets, s("no_plan", lang, prov=prov)], figure=fig)
    acts = data.actions(code, year, dim, db)
    if acts.empty:
        return Slide(title, bullets=[*bullets, s("no_dim_actions", lang)], figure=fig)
    return Slide(title, bullets=bullets, figure=fig, table=_status_table(acts, lang, db))


def _point(r: object, year: int, code: str) -> change.Point:
    def num(x: object) -> float | None:
        return None if fmt.is_missing(x) else float(x)  # type: ignore[arg-type]

    return change.Point(year, "63", code, num(r["value"]), num(r["ci_low"]),  # type: ignore[index]
                        num(r["ci_high"]), num(r["std_error"]))  # type: ignore[index]


def movers(code: str, year: int, lang: str, db: Path) -> tuple[pd.DataFrame, int | None]:
    """Comparable sub-dimension changes from the latest earlier year with data to `year`,
    largest first: item_code, label, change, margin (text: beyond/within the margin of
    error, or none published). Changes across a methodology break are left out."""
    cols = ["item_code", "label", "change", "margin"]
    sc = data.scores(code, path=db)
    sub = sc[(sc["level"] == "subdimension") & sc["value"].notna()]
    earlier = sorted(y for y in sub["year"].unique() if y < year)
    if not earlier or sub[sub["year"] == year].empty:
        return pd.DataFrame(columns=cols), None
    y0 = int(earlier[-1])
    a = sub[sub["year"] == y0].set_index("item_code")
    rows = []
    for r in sub[sub["year"] == year].to_dict("records"):
        item = r["item_code"]
        if item not in a.index:
            continue
        ch = change.compare(_point(r, year, code), _point(a.loc[item], y0, code), item, y0)
        if ch.comparable and ch.delta is not None:
            rows.append({"item_code": item, "label": f"{item} {name(r, lang)}",
                         "change": ch.delta, "margin": ch.margin_text(lang)})
    out = pd.DataFrame(rows, columns=cols)
    out = out.loc[out["change"].abs().sort_values(ascending=False, kind="stable").index]
    return out.head(10).reset_index(drop=True), y0


def total_change_line(code: str, year: int, lang: str, db: Path,
                      item: str = "TOTAL") -> str | None:
    """'Thay đổi so với 2023: +1,07 – vượt biên sai số', or why it cannot be compared."""
    earlier = [y for y in data.years(db) if y < year]
    if not earlier:
        return None
    ch = change.score_change(code, "63", item, year, max(earlier), db)
    head = s("vs_prev", lang, y=ch.prev_year)
    if not ch.comparable or ch.delta is None:
        reason = ch.reason(lang)
        first = reason.split(". ")[0].rstrip(".")  # the verdict; the full note is on the last slide
        return f"{head}: {first}."
    return f"{head}: {fmt_num(ch.delta, lang, sign=True)} – {ch.margin_text(lang)}"


def movers_slide(code: str, year: int, lang: str, db: Path) -> Slide | None:
    df, y0 = movers(code, year, lang, db)
    if y0 is None:
        return None
    title = s("movers", lang, y0=y0, y1=year)
    if df.empty:
        return Slide(title, bullets=[s("no_movers", lang, y0=y0, y1=year)])
    fig = movers_bars(df, lang, title=title, years=(y0, year))
    rows = [[r.label, fmt_num(r.change, lang, sign=True), r.margin] for r in df.itertuples()]
    return Slide(title, figure=fig, table=Table(
        [t("subdimension", lang), t("col_change", lang), s("margin", lang)], rows))


def units_slide(code: str, year: int, lang: str, db: Path, prov: str = "") -> Slide:
    title = s("units", lang, year=year)
    up = data.unit_progress(code, year, db)
    if up.empty:
        return Slide(title, bullets=[s("no_plan", lang, prov=prov or code)],
                     footer=source_line(lang, year, "tasks"))
    up = up.sort_values(["n_actions", "unit"], ascending=[False, True]).reset_index(drop=True)
    top = up.head(15)
    fig = status_bars(top, lang, title=title, category="unit", years=year,
                      statuses=data.task_statuses(db))
    rows = [[r.unit, str(int(r.n_actions)), completion_text(r.completion_rate, r.n_actions,
                                                              r.n_not_reported, lang)]
            for r in top.itertuples()]
    if len(up) > len(top):
        rows.append([s("more", lang, n=len(up) - len(top)), "", ""])
    header = [t("col_unit", lang), t("n_actions", lang), t("completion", lang)]
    return Slide(title, figure=fig, table=Table(header, rows),
                 footer=source_line(lang, year, "tasks"))


def unit_slides(code: str, year: int, lang: str, db: Path) -> list[Slide]:
    """One slide per lead unit with overdue actions in `year`: its actions by dimension and
    status (chart), its counts and last report, and the overdue actions."""
    up = data.unit_progress(code, year, db)
    if up.empty or "n_overdue" not in up.columns:
        return []
    acts = data.actions(code, year, path=db)
    dims = task_table.dimension_names(lang, db)
    slides = []
    for r in up[up["n_overdue"] > 0].sort_values(["n_overdue", "unit"],
                                                 ascending=[False, True]).itertuples():
        mine = acts[[r.unit in list(u if u is not None else []) for u in acts["lead_units"]]]
        late = mine[mine["status_code"] == "overdue"]
        table = Table([t("col_action", lang), t("col_dimension", lang)],
                      [[str(x.text), dims.get(x.dimension_code, str(x.dimension_code))]
                       for x in late.head(8).itertuples()])
        counts = task_table.status_counts(mine, "dimension_code")
        counts["label"] = [dims.get(c, c) for c in counts["dimension_code"]]
        title = s("unit_slide", lang, unit=r.unit, year=year)
        fig = status_bars(counts, lang, title=t("unit_status_dims", lang, unit=fmt.label(r.unit)),
                          category="label", years=year, statuses=data.task_statuses(db))
        bullets = [s("unit_overdue", lang, n=int(r.n_overdue), total=int(r.n_actions)),
                   f"{t('completion', lang)}: "
                   f"{completion_text(r.completion_rate, r.n_actions, r.n_not_reported, lang)}",
                   s("unit_last", lang, d=fmt_date(r.last_reported_on, lang) or "–")]
        slides.append(Slide(title, bullets=bullets, figure=fig, table=table,
                            footer=source_line(lang, year, "tasks")))
    return slides


def sources_slide(year: int, lang: str, db: Path) -> Slide:
    info = data.build_info(db)
    built = fmt_date(info.get("built_at"), lang) if info.get("built_at") is not None else "–"
    bullets = [source_line(lang, data.years(db)), source_line(lang, None, "tasks"),
               s("warehouse", lang, p=Path(db).name, d=built)]
    br = data.methodology_breaks(db)
    for r in br[br["year"] <= year].to_dict("records"):
        bullets.append(f"{t('methodology_change', lang)} {r['year']} ({r['item_code']}): "
                       f"{r['note_en'] if lang == 'en' else r['note_vi']}")
    if info.get("is_demo"):
        bullets.append(s("demo", lang))
    bullets.append(s("tool", lang))
    return Slide(s("sources", lang), bullets=bullets[:12])
