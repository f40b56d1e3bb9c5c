"""Formatting and strings: decimal comma in Vietnamese, dd/mm/yyyy dates, NFC, both languages."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pandas as pd

from dashboard import i18n, style
from dashboard.i18n import fmt_date, fmt_num, fmt_pct, source_line, t


def test_numbers() -> None:
    assert fmt_num(43.9612, "vi") == "43,96"
    assert fmt_num(43.9612, "en") == "43.96"
    assert fmt_num(1234.5, "vi", 1) == "1.234,5"
    assert fmt_num(1234.5, "en", 1) == "1,234.5"
    assert fmt_num(1.2, "vi", sign=True) == "+1,20"
    assert fmt_num(None) == "–" and fmt_num(float("nan")) == "–"
    assert fmt_pct(0.856, "vi") == "85,6%" and fmt_pct(0.856, "en") == "85.6%"


def test_dates() -> None:
    assert fmt_date(dt.date(2025, 7, 1), "vi") == "01/07/2025"
    assert fmt_date("2025-07-01", "vi") == "01/07/2025"
    assert fmt_date(pd.Timestamp("2025-07-01 10:00"), "vi") == "01/07/2025"
    assert fmt_date(None) == "" and fmt_date(pd.NaT) == ""


def test_source_line() -> None:
    assert source_line("vi", [2011, 2024, 2015]) == (
        "Nguồn: PAPI – CECODES, VFF-CRT, RTA, UNDP, 2011–2024")
    assert source_line("en", 2023) == "Source: PAPI – CECODES, VFF-CRT, RTA, UNDP, 2023"


def test_strings_both_languages_and_nfc() -> None:
    for key, (vi, en) in i18n._STRINGS.items():
        assert vi and en, key
        assert unicodedata.normalize("NFC", vi) == vi, key
    assert t("page_overview") == "Tổng quan" and t("page_overview", "en") == "Overview"
    assert t("not_published") == "không công bố"


def test_style_fallback_and_ref_override() -> None:
    g = style.groups(None)
    assert list(g["name_vi"]) == ["Nhóm đạt điểm cao nhất", "Nhóm đạt điểm trung bình cao",
                                  "Nhóm đạt điểm trung bình thấp", "Nhóm đạt điểm thấp nhất"]
    ref = pd.DataFrame({"group_no": [1], "name_vi": ["X"], "name_en": ["Y"], "color": ["#000"]})
    assert style.group_colors(ref)[1] == "#000" and style.group_colors(ref)[4] == "#d7191c"
    s = style.statuses(None)
    assert list(s["name_vi"]) == ["Hoàn thành đúng hạn", "Hoàn thành quá hạn",
                                  "Đang thực hiện trong hạn", "Quá hạn chưa hoàn thành",
                                  "Chưa báo cáo"]
