"""Dữ liệu và phương pháp / Data and method: sources, what was loaded, warnings, breaks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, fmt, view
from dashboard.export.streamlit_buttons import table_downloads
from dashboard.i18n import code_name, t

COLUMNS = {  # warehouse column → UI string key
    "path": "col_path", "kind": "col_kind", "status": "col_file_status", "rows": "col_rows",
    "message": "col_message", "severity": "col_severity", "file": "col_path",
    "sheet": "col_sheet", "cell": "col_cell", "found": "col_found", "allowed": "col_allowed",
    "action": "col_todo", "year": "col_year", "n_provinces": "col_n_provinces",
    "n_items": "col_n_items", "n_published": "col_n_published",
    "n_not_published": "col_n_not_published", "item_code": "col_code",
}
CODED = {"kind": "kind", "status": "status", "severity": "severity"}


def shown(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A meta table as the page shows it: coded values by name, columns in the language, an
    empty text cell as '–' (never Streamlit's 'None')."""
    out = df.copy()
    for col in ("path", "file"):  # never the server's absolute paths
        if col in out.columns:
            out[col] = [fmt.short_path(p) if isinstance(p, str) and p.startswith("/") else p
                        for p in out[col]]
    for col, prefix in CODED.items():
        if col in out.columns:
            out[col] = [code_name(prefix, v, lang) for v in out[col]]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) and out[col].isna().any():
            out[col] = out[col].astype(object).where(out[col].notna(), fmt.MISSING)
    return out.rename(columns={c: t(k, lang) for c, k in COLUMNS.items() if c in out.columns})


def in_language(problems: pd.DataFrame, lang: str) -> pd.DataFrame:
    """meta.problem with message, allowed and what to do in the language (Vietnamese where the
    build wrote it, else the text as written) and without the *_vi columns."""
    out = problems.drop(columns=[c for c in problems.columns if c.endswith("_vi")])
    if lang == "vi":
        for col in ("message", "allowed", "action"):
            if f"{col}_vi" in problems.columns:
                out[col] = problems[f"{col}_vi"].where(problems[f"{col}_vi"].notna(),
                                                       problems[col])
    return out


def _table(df: pd.DataFrame, key: str, title: str, lang: str) -> None:
    """A warehouse-wide table (no province or year) with its XLSX/CSV downloads."""
    st.dataframe(df, hide_index=True, key=key)
    if fmt.is_demo():
        st.caption(fmt.DEMO_MARK)
    with st.popover(t("btn_table", lang)):
        table_downloads(df, f"papi_{key}", {"title": title, "lang": lang}, lang)


def build_lines(info: dict, lang: str) -> list[str]:
    """The 'how the warehouse was built' lines: path, dd/mm/yyyy HH:MM, mode, version."""
    built = fmt.datetime(info.get("built_at"), lang) or fmt.MISSING
    mode = code_name("mode", info.get("mode"), lang) or fmt.MISSING
    return [f"{t('data_path', lang)}: `{fmt.short_path(data.current_path())}`",
            f"{t('built_at', lang)}: {built}",
            f"{t('mode', lang)}: {mode}",
            f"{t('tool_version', lang)}: {info.get('tool_version') or fmt.MISSING}"]


def _doubts(lang: str) -> None:
    """The actions the plan reader was unsure of, and how to correct them."""
    st.subheader(t("plan_doubts", lang))
    try:
        df = data.plan_doubts()
    except Exception:  # noqa: BLE001 - a warehouse built before doubts were stored
        df = pd.DataFrame()
    if df.empty:
        st.success(t("no_plan_doubts", lang))
        return
    st.caption(t("plan_doubts_help", lang))
    out = df.assign(lead_units=["; ".join(u) for u in df["lead_units"]],
                    doubts=["; ".join(d) for d in df["doubts"]],
                    due_on=[fmt.date(d, lang) or fmt.MISSING for d in df["due_on"]])
    out = out.rename(columns={"plan_id": t("col_plan", lang), "seq": "STT",
                              "dimension_code": t("col_dimension", lang),
                              "text": t("col_action", lang), "lead_units": t("col_units", lang),
                              "due_on": t("col_due_on", lang), "doubts": t("col_doubts", lang),
                              "is_corrected": t("col_corrected", lang)})
    _table(out, "method_plan_doubts", t("plan_doubts", lang), lang)


def render(v: view.View) -> None:
    lang = v.lang
    st.title(t("page_method", lang))
    info = data.build_info()
    if info.get("is_demo"):
        st.info(t("demo_method", lang))
    st.markdown(t("method_text", lang))
    st.subheader(t("build", lang))
    st.markdown("\n".join(f"- {line}" for line in build_lines(info, lang)))
    st.subheader(t("sources", lang))
    _table(shown(data.source_files(), lang), "method_sources", t("sources", lang), lang)
    st.subheader(t("loaded", lang))
    _table(shown(data.loaded_summary(), lang), "method_loaded", t("loaded", lang), lang)
    st.subheader(t("problems", lang))
    problems = data.problems()
    if problems.empty:
        st.success(t("no_problems", lang))
    else:
        _table(shown(in_language(problems, lang), lang), "method_problems", t("problems", lang),
               lang)
    _doubts(lang)
    st.subheader(t("breaks", lang))
    mb = data.methodology_breaks()
    col = "note_en" if lang == "en" else "note_vi"
    _table(mb[["year", "item_code", col]].rename(
        columns={"year": t("col_year", lang), "item_code": t("col_code", lang),
                 col: t("col_note", lang)}), "method_breaks", t("breaks", lang), lang)


render(view.current())
