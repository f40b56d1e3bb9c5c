"""Dữ liệu và phương pháp / Data and method: sources, what was loaded, warnings, breaks."""

from __future__ import annotations

import streamlit as st

from dashboard import data, view
from dashboard.i18n import t


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
    st.dataframe(data.source_files(), hide_index=True, key="method_sources")
    st.subheader(t("loaded", lang))
    st.dataframe(data.loaded_summary(), hide_index=True, key="method_loaded")
    st.subheader(t("problems", lang))
    problems = data.problems()
    if problems.empty:
        st.success(t("no_problems", lang))
    else:
        st.dataframe(problems, hide_index=True, key="method_problems")
    st.subheader(t("breaks", lang))
    mb = data.methodology_breaks()
    col = "note_en" if lang == "en" else "note_vi"
    st.dataframe(mb[["year", "item_code", col]].rename(
        columns={"year": t("col_year", lang), "item_code": t("col_code", lang),
                 col: t("col_note", lang)}), hide_index=True, key="method_breaks")


render(view.current())
