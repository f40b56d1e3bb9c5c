"""Tables shown as HTML (dashboard.html_table): the cells a user reads, and no grid on a chart page."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import html_table
from tests import shown_tables

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def _frame() -> pd.DataFrame:
    decomposed = unicodedata.normalize("NFD", "Hoàn thành quá hạn")
    return pd.DataFrame({
        "Trạng thái": [decomposed, "Đang thực hiện trong hạn", None],
        "Thời hạn": [dt.date(2026, 6, 30), pd.Timestamp("2026-12-31"), pd.NaT],
        "Số ngày quá hạn": pd.array([12, None, 3], dtype="Int64"),
        "Điểm": [45.678, 1234.5, float("nan")],
        "Nhiệm vụ": ["<script>alert(1)</script> & rà soát", "Tuyên truyền", "Ghi chú \"A\""],
    })


def test_cells_read_as_the_page_shows_them_in_vietnamese() -> None:
    [back] = shown_tables.parse(html_table.to_html(_frame(), "vi", label="Nhiệm vụ"))
    assert list(back.columns) == ["Trạng thái", "Thời hạn", "Số ngày quá hạn", "Điểm", "Nhiệm vụ"]
    assert back.values.tolist() == [
        ["Hoàn thành quá hạn", "30/06/2026", "12", "45,68", "<script>alert(1)</script> & rà soát"],
        ["Đang thực hiện trong hạn", "31/12/2026", "–", "1.234,50", "Tuyên truyền"],
        ["–", "–", "3", "–", "Ghi chú \"A\""],
    ]
    assert all(unicodedata.is_normalized("NFC", c) for c in back.values.ravel())


def test_english_uses_the_decimal_point() -> None:
    [back] = shown_tables.parse(html_table.to_html(_frame(), "en", label="Actions"))
    assert back["Điểm"].tolist() == ["45.68", "1,234.50", "–"]


def test_markup_in_a_cell_is_text_never_markup() -> None:
    text = html_table.to_html(_frame(), "vi", label="a <b> label")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert 'aria-label="a &lt;b&gt; label"' in text


def test_figures_align_right_and_text_wide_enough() -> None:
    text = html_table.to_html(_frame(), "vi", label="x", max_height=300)
    head = text.split("<tbody>")[0]
    assert head.count('<th scope="col" class="num">') == 2  # days overdue, score
    assert 'style="max-height: 300px"' in text
    first_row = text.split("<tbody><tr>")[1].split("</tr>")[0]
    assert first_row.count('class="num"') == 2
    assert '<td class="mid">Hoàn thành quá hạn</td>' in first_row
    assert '<td class="long">&lt;script&gt;' not in first_row  # 36 characters: a middle column


def test_an_empty_frame_is_a_header_only_table() -> None:
    [back] = shown_tables.parse(html_table.to_html(pd.DataFrame({"A": []}), "vi", label="x"))
    assert list(back.columns) == ["A"] and back.empty


@pytest.mark.parametrize(("page", "params"), [
    ("dimensions", {"province": "20", "vintage": "63", "year": "2024", "dimension": "D1"}),
    ("compare", {"province": "01", "year": "2024", "map": "34"}),
    ("tasks", {"province": "20", "vintage": "63", "year": "2024"}),
    ("units", {"province": "20", "vintage": "63", "year": "2024"}),
])
def test_chart_pages_show_tables_without_the_grid(monkeypatch, demo_db: Path, page: str,
                                                  params: dict[str, str]) -> None:
    """The grid's JavaScript (≈ 1.6 MB) would load before the first chart: a page with charts
    shows its tables as HTML, and each still has its downloads."""
    monkeypatch.setenv("PAPI_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("plotly_chart")
    assert len(at.dataframe) == 0
    shown = shown_tables.html_tables(at)
    assert shown and all(len(t.columns) >= 2 and len(t) >= 1 for t in shown)
    csv = [b for b in at.get("download_button") if b.proto.label == "CSV"]
    assert len(csv) >= len(shown)
