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
    # deck slide D8 (04/12/2026): a change of -0.004 read "Thay đổi so với 2023: -0,00"
    assert fmt_num(-0.004, "vi", sign=True) == "+0,00" and fmt_num(-0.001, "en") == "0.00"
    assert fmt_num(-0.006, "vi", sign=True) == "-0,01"
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


# --- the formatting layer (dashboard.fmt) ------------------------------------------------

def test_fmt_numbers_both_languages() -> None:
    from dashboard import fmt

    assert fmt.num(47.8234, "vi") == "47,82" and fmt.num(47.8234, "en") == "47.82"
    assert fmt.num(1234.5, "vi", 1) == "1.234,5" and fmt.num(1234.5, "en", 1) == "1,234.5"
    assert fmt.num(-0.3, "vi", 1) == "-0,3" and fmt.num(0.44, "vi", sign=True) == "+0,44"
    assert fmt.num(float("nan")) == "–" and fmt.num(None) == "–"
    assert fmt.integer(12345, "vi") == "12.345"
    assert fmt.pct(0.856, "vi") == "85,6%" and fmt.pct(0.856, "en") == "85.6%"
    assert fmt.separators("vi") == ",." and fmt.separators("en") == ".,"


def test_fmt_dates_and_timestamps() -> None:
    import datetime as dt

    import pandas as pd

    from dashboard import fmt

    assert fmt.date(dt.date(2025, 7, 1)) == "01/07/2025"
    assert fmt.date("2025-07-01") == "01/07/2025" and fmt.date(pd.NaT) == ""
    stamp = dt.datetime(2026, 11, 30, 4, 57, 28, 662735)
    assert fmt.datetime(stamp) == "30/11/2026 04:57"
    assert fmt.datetime(pd.Timestamp(stamp)) == "30/11/2026 04:57"
    assert fmt.datetime("2026-11-30 04:57:28.662735") == "30/11/2026 04:57"
    assert fmt.datetime(None) == ""


def test_fmt_excel_formats_and_labels() -> None:
    from dashboard import fmt

    assert fmt.excel_number_format(2) == "#,##0.00" and fmt.excel_number_format(0) == "#,##0"
    assert fmt.excel_percent_format(1) == "0.0%"
    assert fmt.label("<b>Sở</b> & <a href=x>") == "&lt;b&gt;Sở&lt;/b&gt; &amp; &lt;a href=x&gt;"


def test_score_axis_never_points_twice() -> None:
    assert t("score_axis", "vi", unit=t("points", "vi")) == "Điểm"
    assert t("score_axis", "vi", unit="%") == "Điểm (%)"
    assert t("score_axis", "en", unit="points") == "Score (points)"


def test_completion_text_says_why() -> None:
    from dashboard.i18n import completion_text

    assert completion_text(0.0, 3, 3, "vi") == "– (chưa có báo cáo)"
    assert completion_text(None, None, None, "en") == "– (nothing reported yet)"
    assert completion_text(0.0, 3, 1, "vi") == "0,0%"
    assert completion_text(0.75, 4, 0, "vi") == "75,0%"


def test_task_source_line() -> None:
    from dashboard.i18n import source_line

    assert source_line("vi", 2024, "tasks") == (
        "Nguồn: báo cáo của các sở, ngành, 2024")
    assert source_line("vi", [2011, 2024]) == "Nguồn: PAPI – CECODES, VFF-CRT, RTA, UNDP, 2011–2024"
