"""Dữ liệu và phương pháp / Data and method: sources, what was loaded, warnings, breaks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, view
from dashboard.export.streamlit_buttons import TEXT, table_downloads
from dashboard.i18n import t


def _table(df: pd.DataFrame, key: str, title: str, lang: str) -> None:
    """A warehouse-wide table (no province or year) with its XLSX/CSV downloads."""
    st.dataframe(df, hide_index=True, key=key)
    with st.popover(TEXT.get(lang, TEXT["vi"])["table"]):
        table_downloads(df, f"papi_{key}", {"title": title, "lang": lang}, lang)


def render(v: view.View) -> None:
    lang = v.lang
    st.title(t("page_method", lang))
    info = data.build_info()
    if info.get("is_demo"):
        st.info(t("demo_method", lang))
    st.markdown(t("method_text", lang))
    st.subheader(t("build", lang))
    st.markdown(
        f"- {t('data_path', lang)}: `{data.current_path()}`\n"
        f"- {t('built_at', lang)}: {info.get('built_at', '–')}\n"
        f"- {t('mode', lang)}: {info.get('mode', '–')} · {info.get('tool_version', '')}")
    st.subheader(t("sources", lang))
    _table(data.source_files(), "method_sources", t("sources", lang), lang)
    st.subheader(t("loaded", lang))
    _table(data.loaded_summary(), "method_loaded", t("loaded", lang), lang)
    st.subheader(t("problems", lang))
    problems = data.problems()
    if problems.empty:
        st.success(t("no_problems", lang))
    else:
        _table(problems, "method_problems", t("problems", lang), lang)
    st.subheader(t("breaks", lang))
    mb = data.methodology_breaks()
    col = "note_en" if lang == "en" else "note_vi"
    _table(mb[["year", "item_code", col]].rename(
        columns={"year": t("col_year", lang), "item_code": t("col_code", lang),
                 col: t("col_note", lang)}), "method_breaks", t("breaks", lang), lang)


render(view.current())
