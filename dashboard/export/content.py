"""What the briefing says: warehouse rows (via dashboard.data) into a Deck of slides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from dashboard import change, continuity, data, fmt, style, task_table
from dashboard.charts import dimension_bars, movers_bars, status_bars
from dashboard.export.deck import Slide, Table
from dashboard.i18n import completion_text, fmt_date, fmt_num, name, source_line, t, years_label
from dashboard.subject import Subject
from dashboard.subject import subject as make_subject
from etl import ref

STATUS_COLS = ["n_done_on_time", "n_done_late", "n_in_progress", "n_overdue", "n_not_reported"]


def s(key: str, lang: str, **kw: object) -> str:
    """A briefing string in `lang` (dashboard.i18n, keys 'deck_…')."""
    return t(f"deck_{key}", lang, **kw)


@dataclass(frozen=True)
class Who:
    """The briefed view: the view object every page reads (dashboard.subject), and the
    deck's names for it."""

    s: Subject
    prov: str

    @property
    def code(self) -> str:
        return self.s.code

    @property
    def vintage(self) -> str:
        return self.s.vintage

    @property
    def year(self) -> int:
        return self.s.year

    @property
    def lang(self) -> str:
        return self.s.lang

    @property
    def db(self) -> Path:
        return Path(self.s.db) if self.s.db is not None else data.current_path()

    @property
    def score_year(self) -> int:
        """The pages' rule (Subject.score_year); the view's year when it has no scores."""
        return self.s.score_year if self.s.score_year is not None else self.s.year

    @property
    def is_new(self) -> bool:
        return self.vintage == ref.NEW


def who(db: Path, code: str, vintage: str, year: int, lang: str,
        as_of: date | None = None) -> Who:
    """The context of a deck: the same view object as the page of this province and year
    (`as_of` None: the warehouse's own day, as on the pages)."""
    s = make_subject(code, vintage, year, lang, as_of, db)
    return Who(s, province_name(code, lang, db, vintage))


def province_name(code: str, lang: str, db: Path, vintage: str) -> str:
    """The province's name in `lang` (the code if unknown)."""
    p = data.provinces(vintage, db)
    row = p[p["code"] == code]
    return name(row.iloc[0].to_dict(), lang) if not row.empty else code


def _old_names(w: Who) -> str:
    return ", ".join(ref.province_name(c, ref.OLD, w.lang) for c in ref.predecessors(w.code))


def title_slide(w: Who) -> Slide:
    lang, h = w.lang, w.s.headline
    bullets = [h.note] if h.note else []
    if h.total is not None:
        bullets.append(s("headline", lang, year=h.score_year, total=fmt_num(h.total, lang),
                         rank=h.rank if h.rank is not None else "–",
                         n=h.n_ranked if h.n_ranked is not None else "–"))
        line = total_change_line(w)
        bullets += [line] if line else []
    n = w.s.counts
    if n.n:
        bullets.append(s("n_overdue", lang, n=n.n_overdue, total=n.n,
                         d=fmt_date(w.s.as_of, lang)))
    if w.is_new:
        d = fmt_date(ref.MERGER_DATE, lang)
        bullets.append(s("unchanged", lang, d=d) if ref.is_unchanged(w.code)
                       else s("merged_from", lang, d=d, names=_old_names(w)))
    bullets.append(s("generated", lang, d=fmt_date(date.today(), lang)))
    if data.is_demo(w.db):
        bullets.append(s("demo", lang))
    return Slide(s("deck", lang, year=w.year), subtitle=w.prov, bullets=bullets, kind="title")


def trend(w: Who, item: str, title: str, actions: pd.DataFrame | None = None,
          statuses: pd.DataFrame | None = None) -> go.Figure | None:
    """The item's trend as the pages draw it (dashboard.continuity on the view object): for a
    34-province the continuity view, for a 63-province its own line; None if nothing."""
    inputs = continuity.trend_inputs(w.s, item, title=title, actions=actions,
                                     statuses=statuses, wide=True)  # a slide: the whole width
    return None if inputs is None else continuity.trend_chart(**inputs)


def _rank(r: object) -> str:
    return "–" if pd.isna(r.rank) else f"{int(r.rank)}/{int(r.n_ranked)}"  # type: ignore[attr-defined]


def total_slide(w: Who) -> Slide:
    lang = w.lang
    fig = trend(w, "TOTAL", f"{t('trend_total', lang)} – {w.prov}")
    header = [t("col_year", lang), t("total", lang), t("col_rank", lang)]
    own = data.province_year(None, w.code, w.db, vintage=w.vintage)
    own = own[own["year"] <= w.score_year]
    if w.is_new:  # the predecessors' last two years, each named, then the province's own
        header.insert(0, t("col_province", lang))  # the widest column first
        rows = []
        for old in ref.predecessors(w.code):
            py = data.province_year(None, old, w.db, vintage=ref.OLD)
            label = t("same_province_63" if ref.is_unchanged(w.code) else "predecessor_series",
                      lang, name=ref.province_name(old, ref.OLD, lang))
            rows += [[label, str(int(r.year)), fmt_num(r.total, lang), _rank(r)]
                     for r in py[py["year"] >= ref.MERGER_DATE.year - 2].itertuples()]
        rows += [[t("sel_34", lang, name=w.prov), str(int(r.year)), fmt_num(r.total, lang),
                  _rank(r)]
                 for r in own.itertuples()]
    else:
        rows = [[str(int(r.year)), fmt_num(r.total, lang), _rank(r)] for r in own.itertuples()]
    line = total_change_line(w)
    return Slide(s("total_rank", lang), figure=fig, table=Table(header, rows),
                 bullets=[line] if line else [])


def dimension_frame(w: Who) -> pd.DataFrame:
    sc = w.s.dimension_scores()
    d = sc[sc["level"] == "dimension"].copy()
    names = data.provinces(sc["vintage"].iat[0] if len(sc) else w.vintage, w.db).set_index("code")
    d["label"] = [name(r, w.lang) for r in d.to_dict("records")]
    d["best_name"] = [name(names.loc[c].to_dict(), w.lang) if c in names.index else ""
                      for c in d["best_province_code"]]
    return d.reset_index(drop=True)


def dims_slide(dims: pd.DataFrame, w: Who) -> Slide:
    lang, year = w.lang, w.score_year
    fig = dimension_bars(dims, lang, title=t("dims_vs", lang, year=year), year=year,
                         province_label=w.prov)
    rows = [[r.label, fmt_num(r.value, lang), fmt_num(r.median, lang),
             f"{fmt_num(r.best_value, lang)} ({r.best_name})"] for r in dims.itertuples()]
    header = [t("col_dimension", lang), w.prov, t("national_median", lang),
              t("best_province", lang)]
    return Slide(t("dims_vs", lang, year=year), figure=fig, table=Table(header, rows))


def _status_table(acts: pd.DataFrame, lang: str, db: Path) -> Table:
    st = style.statuses(data.task_statuses(db))
    counts = acts["status_code"].value_counts() if not acts.empty else pd.Series(dtype=int)
    rows = [[name(r, lang), str(int(counts.get(r["status_code"], 0)))]
            for r in st.to_dict("records")]
    rows.append([s("n_total", lang), str(len(acts))])
    return Table([t("col_status", lang), t("n_actions", lang)], rows)


def dim_slide(row: pd.Series, w: Who) -> Slide:
    lang, db, dim = w.lang, w.db, row["item_code"]
    by_year = w.s.status_by_year(dim)
    acts_years = by_year[by_year["year"] <= w.year]
    key = "dim_trend" if not acts_years.empty else "dim_trend_only"
    fig = trend(w, dim, t(key, lang, dim=row["label"]), actions=acts_years,
                statuses=data.task_statuses(db))
    bullets = [s("vs_median", lang, year=w.score_year, v=fmt_num(row["value"], lang),
                 m=fmt_num(row["median"], lang))]
    line = total_change_line(w, dim)
    bullets += [line] if line else []
    title = f"{t('dimension', lang)} {dim.removeprefix('D')}: {row['label']}"
    if not w.s.has_plan:
        return Slide(title, bullets=[*bullets, s("no_plan", lang, prov=w.prov)], figure=fig)
    acts = w.s.actions[w.s.actions["dimension_code"] == dim]
    if acts.empty:
        return Slide(title, bullets=[*bullets, s("no_dim_actions", lang)], figure=fig)
    return Slide(title, bullets=bullets, figure=fig, table=_status_table(acts, lang, db))


def _point(r: object, year: int, vintage: str, code: str) -> change.Point:
    def num(x: object) -> float | None:
        return None if fmt.is_missing(x) else float(x)  # type: ignore[arg-type]

    return change.Point(year, vintage, code, num(r["value"]),  # type: ignore[index]
                        num(r["ci_low"]), num(r["ci_high"]),  # type: ignore[index]
                        num(r["std_error"]))  # type: ignore[index]


def _prev_score_year(w: Who) -> int | None:
    earlier = [y for y in data.years(w.db) if y < w.score_year]
    return max(earlier) if earlier else None


def movers(w: Who) -> tuple[pd.DataFrame, int | None, str]:
    """Comparable sub-dimension changes from the latest earlier year with scores to the score
    year, largest first: item_code, label, change, margin (beyond/within the margin of error,
    or none published); the previous year; and, when the province has no counterpart that
    year (a merged province before 01/07/2025), why nothing is compared (else '').
    Changes across a methodology break are left out."""
    cols = ["item_code", "label", "change", "margin"]
    none = pd.DataFrame(columns=cols)
    y0, year = _prev_score_year(w), w.score_year
    if y0 is None:
        return none, None, ""
    code, vintage = w.s.score_source(year) or (w.code, w.vintage)
    prev_vintage, prev_code = change.counterpart(code, vintage, y0)
    if prev_code is None:
        ch = change.compare(change.Point(year, vintage, code), None, "TOTAL", y0)
        return none, y0, ch.reason(w.lang)
    sc = data.scores(code, year=year, path=w.db, vintage=vintage)
    sub = sc[(sc["level"] == "subdimension") & sc["value"].notna()]
    pv = data.scores(prev_code, year=y0, path=w.db, vintage=prev_vintage)
    a = pv[(pv["level"] == "subdimension") & pv["value"].notna()].set_index("item_code")
    rows = []
    for r in sub.to_dict("records"):
        item = r["item_code"]
        if item not in a.index:
            continue
        ch = change.compare(_point(r, year, vintage, code),
                            _point(a.loc[item], y0, prev_vintage, prev_code), item, y0)
        if ch.comparable and ch.delta is not None:
            rows.append({"item_code": item, "label": f"{item} {name(r, w.lang)}",
                         "change": ch.delta, "margin": ch.margin_text(w.lang)})
    out = pd.DataFrame(rows, columns=cols)
    out = out.loc[out["change"].abs().sort_values(ascending=False, kind="stable").index]
    return out.head(10).reset_index(drop=True), y0, ""


def total_change_line(w: Who, item: str = "TOTAL") -> str | None:
    """'Thay đổi so với 2023: +1,07 – vượt biên sai số' (with '12/34 so với 15/61' across the
    merger for an unchanged province), or why it cannot be compared."""
    ch = w.s.headline.change if item == "TOTAL" else w.s.change_of(item)
    if ch is None:
        return None
    head = s("vs_prev", w.lang, y=ch.prev_year)
    if not ch.comparable or ch.delta is None:
        first = ch.reason(w.lang).split(". ")[0].rstrip(".")  # full note on the last slide
        return f"{head}: {first}."
    line = f"{head}: {fmt_num(ch.delta, w.lang, sign=True)} – {ch.margin_text(w.lang)}"
    if item == "TOTAL" and ch.vintage != ch.prev_vintage and ch.rank_text(w.lang):
        line += f"; {t('col_rank', w.lang).lower()} {ch.rank_text(w.lang)}"
    return line


def movers_slide(w: Who) -> Slide | None:
    df, y0, why = movers(w)
    if y0 is None:
        return None
    title = s("movers", w.lang, y0=y0, y1=w.score_year)
    if why:
        return Slide(title, bullets=[why, s("merger_note", w.lang)])
    if df.empty:
        return Slide(title, bullets=[s("no_movers", w.lang, y0=y0, y1=w.score_year)])
    fig = movers_bars(df, w.lang, title=title, years=(y0, w.score_year))
    rows = [[r.label, fmt_num(r.change, w.lang, sign=True), r.margin] for r in df.itertuples()]
    return Slide(title, figure=fig, table=Table(
        [t("subdimension", w.lang), t("col_change", w.lang), s("margin", w.lang)], rows))
def _unit_table(acts: pd.DataFrame) -> pd.DataFrame:
    """Per lead unit of the view's actions: status counts, n_actions, n_overdue, completion,
    last report — the tracker's unit chart, counted from the same frame."""
    up = task_table.unit_counts(acts)
    if up.empty:
        return up
    cols = [f"n_{c}" for c in task_table.STATUSES]
    up["n_actions"] = up[cols].sum(axis=1)
    up["completion_rate"] = (up["n_done_on_time"] + up["n_done_late"]) / up["n_actions"]
    last = {}
    for unit in up["unit"]:
        mine = task_table.apply_filters(acts, {"unit": unit})
        last[unit] = mine["reported_on"].dropna().max() if len(mine) else None
    up["last_reported_on"] = up["unit"].map(last)
    return up.sort_values(["n_actions", "unit"], ascending=[False, True]).reset_index(drop=True)


def units_slide(w: Who) -> Slide:
    lang, year = w.lang, w.year
    title = s("units", lang, year=year)
    up = _unit_table(w.s.actions)
    if up.empty:
        return Slide(title, bullets=[s("no_plan", lang, prov=w.prov)],
                     footer=source_line(lang, year, "tasks"))
    top = up.head(15)
    fig = status_bars(top, lang, title=title, category="unit", years=year,
                      statuses=data.task_statuses(w.db))
    rows = [[r.unit, str(int(r.n_actions)), str(int(r.n_overdue)),
             completion_text(r.completion_rate, r.n_actions, r.n_not_reported, lang)]
            for r in top.itertuples()]
    if len(up) > len(top):
        rows.append([s("more", lang, n=len(up) - len(top)), "", "", ""])
    n, places = task_table.shared_leads(w.s.actions)
    if places > n:  # the units' rows add up to more than the actions: the plan's own figures
        whole = w.s.counts  # the view's own counts: the tracker's and the title slide's
        rows.append([s("all_units", lang), str(whole.n), str(whole.n_overdue),
                     completion_text(whole.completion_rate, whole.n, whole.n_not_reported, lang)])
    header = [t("col_unit", lang), t("n_actions", lang), t("col_overdue", lang),
              t("completion", lang)]
    return Slide(title, figure=fig, table=Table(header, rows),
                 footer=source_line(lang, year, "tasks"))


def _due(acts: pd.DataFrame, w: Who) -> dict[str, str]:
    """{action_id: 'dd/mm/yyyy'} of the actions with a due date."""
    return {r.action_id: fmt_date(r.due_on, w.lang) for r in acts.itertuples()
            if not fmt.is_missing(r.due_on)}


def actions_slide(w: Who) -> Slide | None:
    """The year's plan actions: text, lead units, due date, status (overdue first)."""
    acts = w.s.actions  # overdue first, as on the tracker
    if acts.empty:
        return None
    lang = w.lang
    st = {r["status_code"]: name(r, lang) for r in data.task_statuses(w.db).to_dict("records")}
    due = _due(acts, w)
    rows = [[_short(str(a.text)), ", ".join(list(a.lead_units) if a.lead_units is not None
                                              else []) or "–",
             due.get(a.action_id, "–"), st.get(a.status_code, str(a.status_code))]
            for a in acts.head(12).itertuples()]
    if len(acts) > 12:
        rows.append([s("more_actions", lang, n=len(acts) - 12), "", "", ""])
    n = w.s.counts
    bullets = [s("n_overdue", lang, n=n.n_overdue, total=n.n, d=fmt_date(w.s.as_of, lang))]
    return Slide(s("actions", lang, year=w.year), bullets=bullets, table=Table(
        [t("col_action", lang), t("col_units", lang), s("col_due", lang),
         t("col_status", lang)], rows), footer=source_line(lang, w.year, "tasks"))


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def unit_slides(w: Who) -> list[Slide]:
    """One slide per lead unit with overdue actions in the year: its actions by dimension and
    status (chart), its counts and last report, and the overdue actions with due dates."""
    lang, year = w.lang, w.year
    acts = w.s.actions
    up = _unit_table(acts)
    if up.empty:
        return []
    due = _due(acts, w)
    dims = task_table.dimension_names(lang, w.db)
    slides = []
    for r in up[up["n_overdue"] > 0].sort_values(["n_overdue", "unit"],
                                                 ascending=[False, True]).itertuples():
        mine = task_table.apply_filters(acts, {"unit": r.unit})
        late = mine[mine["status_code"] == "overdue"]
        table = Table([t("col_action", lang), t("col_dimension", lang), s("col_due", lang)],
                      [[_short(str(x.text)), dims.get(x.dimension_code, str(x.dimension_code)),
                        due.get(x.action_id, "–")] for x in late.head(8).itertuples()])
        counts = task_table.status_counts(mine, "dimension_code")
        counts["label"] = [dims.get(c, c) for c in counts["dimension_code"]]
        title = s("unit_slide", lang, unit=r.unit, year=year)
        fig = status_bars(counts, lang, title=t("unit_status_dims", lang, unit=fmt.label(r.unit)),
                          category="label", years=year, statuses=data.task_statuses(w.db))
        bullets = [s("unit_overdue", lang, n=int(r.n_overdue), total=int(r.n_actions)),
                   f"{t('completion', lang)}: "
                   f"{completion_text(r.completion_rate, r.n_actions, r.n_not_reported, lang)}",
                   s("unit_last", lang, d=fmt_date(r.last_reported_on, lang) or "–")]
        slides.append(Slide(title, bullets=bullets, figure=fig, table=table,
                            footer=source_line(lang, year, "tasks")))
    return slides


def sources_slide(w: Who) -> Slide:
    """Where the figures come from and what changed in the method or the map, for leaders."""
    lang, db = w.lang, w.db
    info = data.build_info(db)
    built = fmt_date(info.get("built_at"), lang) if info.get("built_at") is not None else "–"
    bullets = [s("src_scores", lang, years=years_label(data.years(db))),
               s("src_tasks", lang, d=fmt_date(w.s.as_of, lang)),
               s("src_updated", lang, d=built)]
    if w.is_new:
        bullets.append(s("merger_note", lang))
    br = data.methodology_breaks(db)
    for r in br[br["year"] <= w.score_year].to_dict("records"):
        what = t("total", lang) if r["item_code"] == "TOTAL" else r["item_code"]
        bullets.append(f"{t('methodology_change', lang)} {r['year']} ({what}): "
                       f"{r['note_en'] if lang == 'en' else r['note_vi']}")
    if info.get("is_demo"):
        bullets.append(s("demo", lang))
    return Slide(s("sources", lang), bullets=bullets[:12])
