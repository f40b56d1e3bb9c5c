"""Download buttons for the dashboard: chart images, tables, and the briefing pack."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from dashboard.export.tables import TableMeta, to_csv_bytes, to_xlsx_bytes
from dashboard.i18n import t

MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _t(key: str, lang: str) -> str:
    return t(f"btn_{key}", lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _chart_bytes(fig_json: str, fmt: str, province: str | None = None, lang: str = "vi",
                 demo: bool = False) -> bytes:
    from dashboard.export.figures import figure_bytes

    return figure_bytes(pio.from_json(fig_json), fmt,  # type: ignore[arg-type]
                        province=province, lang=lang, demo=demo)


def _on_click(fig: go.Figure, fmt: str, province: str | None, lang: str,
              demo: bool) -> Callable[[], bytes]:
    """The image's bytes, made only when its button is clicked."""
    return lambda: _chart_bytes(fig.to_json(), fmt, province, lang, demo)


def _view_province() -> str | None:
    view = st.session_state.get("_papi_view")  # dashboard.view.VIEW_KEY
    return getattr(view, "province_name", None)


def chart_downloads(fig: go.Figure, basename: str, lang: str = "vi",
                    province: str | None = None) -> None:
    """PNG (1920 px), SVG and PDF download buttons; each image is rendered when clicked.

    The file's title names the province (default: the page's), and a chart of the demo
    warehouse carries the demo mark."""
    from dashboard import fmt as f

    province = province or _view_province()
    demo = f.is_demo()
    with st.popover(_t("chart", lang)):
        for fmt in ("png", "svg", "pdf"):  # the figure is serialised on click, not per rerun
            st.download_button(
                fmt.upper(), _on_click(fig, fmt, province, lang, demo),
                file_name=f"{basename}.{fmt}", mime=MIME[fmt], key=f"dl-{basename}-{fmt}",
                on_click="ignore")


def table_downloads(df: pd.DataFrame | Callable[[], pd.DataFrame], basename: str,
                    meta: TableMeta | Mapping[str, Any] | None = None, lang: str = "vi") -> None:
    """XLSX (with title/province/year/date/source header) and CSV (UTF-8 BOM) buttons.

    `df` may be a function making the frame: it then runs only when a button is clicked."""
    m = TableMeta.of(meta, default_title=basename)
    frame = df if callable(df) else lambda: df
    if m.province is None:
        m.province = _view_province()
    c1, c2 = st.columns(2)
    with c1:
        st.download_button("XLSX", lambda: to_xlsx_bytes(frame(), m),
                           file_name=f"{basename}.xlsx",
                           mime=MIME["xlsx"], key=f"dl-{basename}-xlsx", on_click="ignore")
    with c2:
        st.download_button("CSV", lambda: to_csv_bytes(frame()), file_name=f"{basename}.csv",
                           mime=MIME["csv"], key=f"dl-{basename}-csv", on_click="ignore")


def briefing_button(province: str, year: int, lang: str = "vi",
                    db_path: Path | str | None = None, vintage: str | None = None) -> None:
    """A button that builds the briefing with a live status, then offers PPTX and PDF.

    `province` is a code of `vintage` (the view's; default: that of `year`)."""
    from dashboard import data
    from dashboard.export.briefing import build_both_bytes
    from etl.ref import vintage_for_year

    default = vintage_for_year(year)
    vintage = vintage or default
    # the geography in the key only where it is not the year's own (same code, other province)
    key = f"briefing-{province}-{year}{'' if vintage == default else '-' + vintage}-{lang}"
    if st.button(_t("make", lang), key=f"btn-{key}"):
        with st.status(_t("busy", lang), expanded=True) as status:
            bar = st.progress(0.0)

            def progress(message: str, fraction: float) -> None:
                bar.progress(fraction, text=message)

            try:  # made in memory: no file is left behind in /tmp
                pptx, pdf = build_both_bytes(data.current_path(db_path), province, year, lang,
                                             progress, vintage=vintage)
                base = f"PAPI_{province}_{year}" if vintage == default else \
                    f"PAPI_{province}_{vintage}_{year}"
                st.session_state[key] = (f"{base}.pptx", pptx, f"{base}.pdf", pdf)
                status.update(label=_t("done", lang), state="complete", expanded=False)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                status.update(label=f"{_t('fail', lang)}: {exc}", state="error")
    if key in st.session_state:
        pptx_name, pptx_bytes, pdf_name, pdf_bytes = st.session_state[key]
        c1, c2 = st.columns(2)
        with c1:
            st.download_button("PPTX", pptx_bytes, file_name=pptx_name, mime=MIME["pptx"],
                               key=f"dl-{key}-pptx")
        with c2:
            st.download_button("PDF", pdf_bytes, file_name=pdf_name, mime=MIME["pdf"],
                               key=f"dl-{key}-pdf")
