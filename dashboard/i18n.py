"""UI strings (Vietnamese first, English) and number/date formatting for both languages."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from dashboard import fmt

LANGS: tuple[str, ...] = ("vi", "en")
LANG_NAMES: dict[str, str] = {"vi": "Tiếng Việt", "en": "English"}

SOURCE = {
    "vi": "Nguồn: PAPI – CECODES, VFF-CRT, RTA, UNDP",
    "en": "Source: PAPI – CECODES, VFF-CRT, RTA, UNDP",
}
TASK_SOURCE = {
    "vi": "Nguồn: báo cáo của các sở, ngành",
    "en": "Source: reports of the departments",
}
ODM_CREDIT = "Open Development Mekong, CC BY-SA 4.0"

_STRINGS: dict[str, tuple[str, str]] = {
    # app and sidebar
    "app_title": ("PAPI – Bảng điều khiển phân tích", "PAPI analytics dashboard"),
    "app_subtitle": (
        "Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh",
        "Provincial Governance and Public Administration Performance Index",
    ),
    "lang": ("Ngôn ngữ / Language", "Ngôn ngữ / Language"),
    "province": ("Tỉnh/thành phố", "Province"),
    "year": ("Năm", "Year"),
    "dimension": ("Chỉ số nội dung", "Dimension"),
    "view_link": ("Đường dẫn này tái tạo đúng góc nhìn hiện tại.",
                  "This page's link reproduces the current view."),
    "demo_banner": (
        "Số liệu giả định để trình diễn công cụ, không phải số liệu PAPI chính thức.",
        "Made-up figures to demonstrate the tool, not official PAPI data.",
    ),
    "demo_method": (
        "Kho dữ liệu này được tạo từ bộ dữ liệu minh họa tổng hợp (meta.build.is_demo = true): "
        "điểm số, kế hoạch và báo cáo đều là số liệu giả định để trình diễn công cụ.",
        "This warehouse was built from the synthetic demo dataset (meta.build.is_demo = true): "
        "scores, plans and reports are made up to demonstrate the tool.",
    ),
    "no_db": (
        "Chưa có kho dữ liệu. Hãy chạy `uv run papi etl --input <thư mục> --db {path}` "
        "hoặc đặt biến môi trường PAPI_DB.",
        "No warehouse found. Run `uv run papi etl --input <folder> --db {path}` "
        "or set the PAPI_DB environment variable.",
    ),
    "empty_db": (
        "Kho dữ liệu {path} chưa có điểm PAPI. Hãy đặt các tệp điểm PAPI vào data/raw/ rồi "
        "chạy `uv run papi etl`, hoặc xóa tệp này để dùng dữ liệu minh họa.",
        "The warehouse {path} holds no PAPI scores. Put the PAPI score files in data/raw/ and "
        "run `uv run papi etl`, or delete this file to use the demo data.",
    ),
    "outdated_db": (
        "Kho dữ liệu {path} được xây bằng phiên bản cũ của công cụ. Hãy chạy lại "
        "`uv run papi etl` (dữ liệu minh họa: `uv run papi demo --force`).",
        "The warehouse {path} was built by an older version of the tool. Run `uv run papi etl` "
        "again (the demo: `uv run papi demo --force`).",
    ),
    "app_error": (
        "Không hiển thị được trang này do lỗi dữ liệu hoặc lỗi hệ thống. Hãy thử lại sau, hoặc "
        "báo quản trị viên mã lỗi {ref} (chi tiết ở nhật ký máy chủ).",
        "This page could not be shown because of a data or system error. Try again later, or "
        "give the administrator the reference {ref} (details are in the server log).",
    ),
    "bad_db": ("Không đọc được kho dữ liệu {path}: {error}",
               "Could not read the warehouse {path}: {error}"),
    "no_data": ("Không có dữ liệu cho lựa chọn này.", "No data for this selection."),
    "not_published": ("không công bố", "not published"),
    "not_reported": ("Chưa báo cáo", "Not reported"),
    "no_report_yet": ("chưa có báo cáo", "nothing reported yet"),
    # page titles
    "page_overview": ("Tổng quan", "Overview"),
    "page_dimensions": ("Chỉ số nội dung và hành động", "Dimensions and actions"),
    "page_drill": ("Chỉ số thành phần", "Drill-down"),
    "page_compare": ("So sánh và xếp hạng", "Compare and rank"),
    "page_tasks": ("Theo dõi nhiệm vụ", "Task tracker"),
    "page_method": ("Dữ liệu và phương pháp", "Data and method"),
    "page_units": ("Đơn vị", "Units"),
    # unit scorecard
    "unit_pick": ("Đơn vị chủ trì", "Lead unit"),
    "task_source": (TASK_SOURCE["vi"], TASK_SOURCE["en"]),
    "unit_none_year": ("Năm {year} không có nhiệm vụ nào; các năm có nhiệm vụ: {years}. Chọn "
                       "năm ở thanh bên.", "No actions in {year}; years with actions: {years}. "
                       "Choose the year in the sidebar."),
    "unit_none": ("Tỉnh này chưa có đơn vị nào được giao nhiệm vụ.",
                  "No unit of this province has been assigned an action."),
    "unit_status": ("{unit}: nhiệm vụ theo trạng thái qua các năm",
                    "{unit}: actions by status over the years"),
    "unit_status_dims": ("{unit}: nhiệm vụ theo chỉ số nội dung và trạng thái",
                         "{unit}: actions by dimension and status"),
    "unit_dims": ("{unit}: điểm các chỉ số nội dung do đơn vị chủ trì",
                  "{unit}: scores of the dimensions the unit leads"),
    "unit_actions": ("Nhiệm vụ của {unit}", "Actions of {unit}"),
    "unit_no_dims": ("Đơn vị chưa chủ trì nhiệm vụ gắn với chỉ số nội dung nào.",
                     "The unit leads no action tied to a dimension."),
    # overview
    "total": ("Tổng điểm PAPI", "PAPI total score"),
    "rank": ("Xếp hạng", "Rank"),
    "group": ("Nhóm", "Group"),
    "vs_prev": ("so với {year}", "vs {year}"),
    "rank_of": ("trên {n}", "of {n}"),
    "completion": ("Tỷ lệ hoàn thành kế hoạch", "Plan completion"),
    "n_actions": ("Số nhiệm vụ", "Actions"),
    "overdue": ("Quá hạn", "Overdue"),
    "no_plan": ("Chưa có kế hoạch/nhiệm vụ cho tỉnh và năm này.",
                "No plan actions for this province and year."),
    "dims_vs": ("Điểm các chỉ số nội dung so với trung vị toàn quốc và tỉnh cao nhất, {year}",
                "Dimension scores against the national median and the best province, {year}"),
    "trend_total": ("Diễn biến tổng điểm PAPI", "PAPI total score over time"),
    "national_median": ("Trung vị toàn quốc", "National median"),
    "best_province": ("Tỉnh cao nhất", "Best province"),
    "ci95": ("Khoảng tin cậy 95%", "95% confidence interval"),
    "points": ("điểm", "points"),
    "percent": ("%", "%"),
    "year_axis": ("Năm", "Year"),
    "score_axis": ("Điểm ({unit})", "Score ({unit})"),
    "change_axis": ("Thay đổi ({unit})", "Change ({unit})"),
    "n_axis": ("Số nhiệm vụ", "Number of actions"),
    "status": ("Trạng thái", "Status"),
    "break_2018": ("2018: 6 → 8 chỉ số nội dung", "2018: 6 → 8 dimensions"),
    "methodology_change": ("Thay đổi phương pháp", "Methodology change"),
    # dimensions page
    "dim_trend_only": ("{dim}: điểm qua các năm", "{dim}: score over the years"),
    "dim_trend": ("{dim}: điểm qua các năm và nhiệm vụ theo trạng thái",
                  "{dim}: score over the years and actions by status"),
    "actions_of": ("Nhiệm vụ của chỉ số nội dung", "Actions for this dimension"),
    "no_actions": ("Chưa có nhiệm vụ nào cho chỉ số này.", "No actions for this dimension."),
    "breaks_of": ("Thay đổi phương pháp liên quan", "Related methodology changes"),
    "col_action": ("Nhiệm vụ", "Action"),
    "col_units": ("Đơn vị chủ trì", "Lead units"),
    "col_coord": ("Đơn vị phối hợp", "Coordinating units"),
    "col_status": ("Trạng thái", "Status"),
    "col_evidence": ("Kết quả/minh chứng", "Result/evidence"),
    "col_reported": ("Ngày báo cáo", "Reported on"),
    "col_percent": ("% hoàn thành", "% done"),
    "col_plan": ("Kế hoạch", "Plan"),
    "col_year": ("Năm", "Year"),
    "col_dimension": ("Chỉ số nội dung", "Dimension"),
    "col_overdue": ("Quá hạn", "Overdue"),
    "col_unit": ("Đơn vị", "Unit"),
    "col_province": ("Tỉnh/thành phố", "Province"),
    "col_score": ("Điểm", "Score"),
    "col_rank": ("Hạng", "Rank"),
    "col_group": ("Nhóm", "Group"),
    "col_item": ("Chỉ tiêu", "Item"),
    "col_code": ("Mã", "Code"),
    "col_change": ("Thay đổi", "Change"),
    "col_note": ("Ghi chú", "Note"),
    "general": ("Chung", "General"),
    # drill-down
    "subdims": ("{dim}: chỉ số thành phần qua các năm (nét liền: tỉnh, nét đứt: trung vị)",
                "{dim}: sub-dimensions over the years (solid: province, dashed: median)"),
    "indicators": ("Chỉ tiêu", "Indicators"),
    "indicators_of": ("{sub}: các chỉ tiêu", "{sub}: indicators"),
    "subdimension": ("Chỉ số thành phần", "Sub-dimension"),
    "movers": ("Thay đổi lớn nhất {y0} → {y1}", "Biggest movers {y0} → {y1}"),
    "no_movers": ("Cần ít nhất hai năm có dữ liệu để tính thay đổi.",
                  "At least two years with data are needed to compute changes."),
    # compare
    "item": ("Chỉ tiêu", "Item"),
    "ranking": ("Xếp hạng {item}, {year}", "Ranking: {item}, {year}"),
    "map": ("Bản đồ", "Map"),
    "map_title": ("{item}, {year}", "{item}, {year}"),
    "map_vintage": ("Đơn vị hành chính", "Administrative units"),
    "vintage_63": ("63 tỉnh (PAPI)", "63 provinces (PAPI)"),
    "vintage_34": ("34 tỉnh từ 01/07/2025", "34 provinces since 01/07/2025"),
    "color_by": ("Tô màu theo", "Colour by"),
    "by_score": ("Điểm", "Score"),
    "by_group": ("Nhóm", "Group"),
    "predecessors_note": (
        "Bản đồ 34 tỉnh hiển thị điểm của các tỉnh cũ hợp thành (trước 01/07/2025); "
        "PAPI không công bố một điểm chung cho tỉnh mới.",
        "The 34-province map shows the scores of each new province's predecessors "
        "(before 01/07/2025); PAPI publishes no single score for a merged province.",
    ),
    "predecessors": ("Tỉnh cũ hợp thành", "Predecessor provinces"),
    "new_province": ("Tỉnh mới (2025)", "New province (2025)"),
    "compare_provinces": ("Tỉnh so sánh", "Provinces to compare"),
    "compare_title": ("So sánh các chỉ số nội dung, {year}", "Dimensions side by side, {year}"),
    "compare_trend": ("So sánh {item} qua các năm", "{item} over the years"),
    "groups_legend": ("Nhóm hiệu quả", "Performance group"),
    "group_ranked_note": (
        "Nhóm: chia theo tứ phân vị điểm của năm.",
        "Groups: quartiles of the year's scores.",
    ),
    # tasks
    "unit": ("Đơn vị", "Unit"),
    "all": ("Tất cả", "All"),
    "by_unit": ("Nhiệm vụ theo đơn vị chủ trì", "Actions by lead unit"),
    "by_dimension": ("Nhiệm vụ theo chỉ số nội dung", "Actions by dimension"),
    "shared_leads": ("Nhiệm vụ có nhiều đơn vị chủ trì được tính cho mỗi đơn vị: {n} nhiệm vụ, "
                     "{places} lượt đơn vị chủ trì.",
                     "An action with several lead units counts for each of them: {n} actions, "
                     "{places} lead-unit assignments."),
    "download_csv": ("Tải bảng (CSV)", "Download table (CSV)"),
    "last_report": ("Báo cáo gần nhất", "Last report"),
    "overdue_only": ("Chỉ nhiệm vụ quá hạn", "Overdue only"),
    "n_shown": ("{n} nhiệm vụ", "{n} actions"),
    "page": ("Trang (trên {n})", "Page (of {n})"),
    # method
    "build": ("Thông tin xây dựng kho dữ liệu", "How the warehouse was built"),
    "built_at": ("Thời điểm xây dựng", "Built at"),
    "mode": ("Chế độ", "Mode"),
    "sources": ("Tệp nguồn", "Source files"),
    "problems": ("Cảnh báo khi nạp dữ liệu", "Load warnings"),
    "no_problems": ("Không có cảnh báo.", "No warnings."),
    "breaks": ("Các thay đổi phương pháp", "Methodology breaks"),
    "loaded": ("Dữ liệu đã nạp", "What was loaded"),
    "method_text": (
        "Điểm PAPI là điểm không trọng số: điểm chỉ số nội dung bằng tổng điểm các chỉ số "
        "thành phần; tổng điểm bằng tổng các chỉ số nội dung (6–60 điểm giai đoạn 2011–2017, "
        "8–80 điểm từ 2018). Năm/tỉnh PAPI không công bố được để trống, không bằng 0 và không "
        "nội suy. Nhóm hiệu quả chia theo tứ phân vị.",
        "PAPI scores are unweighted: a dimension score is the sum of its sub-dimensions; the "
        "total is the sum of the dimensions (6–60 points in 2011–2017, 8–80 from 2018). "
        "Province-years PAPI did not publish are left blank, never zero and never "
        "interpolated. Performance groups are quartiles.",
    ),
    "data_path": ("Kho dữ liệu", "Warehouse"),
    "tool_version": ("Phiên bản công cụ", "Tool version"),
    "col_path": ("Tệp", "File"),
    "col_kind": ("Loại", "Kind"),
    "col_file_status": ("Tình trạng", "Status"),
    "col_rows": ("Số dòng", "Rows"),
    "col_message": ("Thông báo", "Message"),
    "col_severity": ("Mức độ", "Severity"),
    "col_sheet": ("Trang tính", "Sheet"),
    "col_cell": ("Ô", "Cell"),
    "col_found": ("Giá trị gặp", "Found"),
    "col_allowed": ("Giá trị hợp lệ", "Allowed"),
    "col_todo": ("Cần làm", "What to do"),
    "col_n_provinces": ("Số tỉnh", "Provinces"),
    "col_n_items": ("Số chỉ tiêu", "Items"),
    "col_n_published": ("Số điểm công bố", "Published scores"),
    "col_n_not_published": ("Số điểm không công bố", "Scores not published"),
    "plan_doubts": ("Nhiệm vụ cần xem lại (kết quả đọc kế hoạch)",
                    "Actions to review (how the plans were read)"),
    "plan_doubts_help": ("Máy đọc kế hoạch không chắc chắn ở các nhiệm vụ này. Sửa bằng bảng "
                         "hiệu chỉnh: papi plan review TỆP_KẾ_HOẠCH, điền rồi đặt vào thư mục "
                         "đầu vào.", "The plan reader was unsure of these actions. Correct them "
                         "with a correction sheet: papi plan review PLAN_FILE, fill it in and "
                         "drop it into the input folder."),
    "no_plan_doubts": ("Không có nhiệm vụ nào cần xem lại.", "No action to review."),
    "col_doubts": ("Nghi vấn", "Doubts"),
    "col_due_on": ("Hạn hoàn thành", "Due date"),
    "col_corrected": ("Đã hiệu chỉnh", "Corrected"),
    # codes stored in meta tables, shown by name
    "kind_score_workbook": ("Sổ điểm PAPI (Excel)", "PAPI score workbook"),
    "kind_tidy_csv": ("Bảng điểm dạng dài (CSV)", "Tidy score table (CSV)"),
    "kind_plan": ("Kế hoạch", "Plan"),
    "kind_report": ("Báo cáo", "Report"),
    "kind_plan_corrections": ("Bảng hiệu chỉnh kế hoạch", "Plan correction sheet"),
    "kind_unrecognised": ("Không nhận dạng được", "Not recognised"),
    "status_loaded": ("Đã nạp", "Loaded"),
    "status_skipped": ("Bỏ qua", "Skipped"),
    "status_refused": ("Từ chối", "Refused"),
    "severity_info": ("Thông tin", "Info"),
    "severity_warning": ("Cảnh báo", "Warning"),
    "severity_error": ("Lỗi", "Error"),
    "mode_strict": ("nghiêm ngặt", "strict"),
    "mode_lenient": ("nới lỏng", "lenient"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
}


def code_name(prefix: str, code: Any, lang: str = "vi") -> str:
    """The UI name of a stored code ('status', 'loaded' → 'Đã nạp'); the code if unknown."""
    key = f"{prefix}_{code}"
    return t(key, lang) if key in _STRINGS else ("" if fmt.is_missing(code) else str(code))


def t(key: str, lang: str = "vi", **kwargs: Any) -> str:
    """The UI string `key` in `lang` ('vi' or 'en'), formatted with kwargs."""
    if key == "score_axis" and lang != "en" and kwargs.get("unit") == _STRINGS["points"][0]:
        return "Điểm"  # never "Điểm (điểm)"
    vi, en = _STRINGS[key]
    text = en if lang == "en" else vi
    return text.format(**kwargs) if kwargs else text


def nfc(text: str) -> str:
    """Unicode NFC form (how every Vietnamese string is stored and compared)."""
    return unicodedata.normalize("NFC", text)


def _missing(x: Any) -> bool:
    return fmt.is_missing(x)


def fmt_num(x: Any, lang: str = "vi", digits: int = 2, sign: bool = False) -> str:
    """A number with decimal comma (vi) or point (en); '–' if missing (see dashboard.fmt)."""
    return fmt.num(x, lang, digits, sign)


def fmt_int(x: Any, lang: str = "vi") -> str:
    """An integer with the language's thousands separator; '–' if missing."""
    return fmt.integer(x, lang)


def fmt_pct(x: Any, lang: str = "vi", digits: int = 1) -> str:
    """A share 0–1 as a percentage: 0.856 → '85,6%' (vi) / '85.6%' (en)."""
    return fmt.pct(x, lang, digits)


def fmt_date(d: Any, lang: str = "vi") -> str:
    """A date as dd/mm/yyyy (both languages); '' if missing."""
    return fmt.date(d, lang)


def completion_text(rate: Any, n_actions: Any = None, n_not_reported: Any = None,
                    lang: str = "vi") -> str:
    """'85,0%'; '– (chưa có báo cáo)' where no action has a report (never '0,0%')."""
    nothing = fmt.is_missing(rate) or (
        not fmt.is_missing(n_actions) and not fmt.is_missing(n_not_reported)
        and int(n_not_reported) >= int(n_actions))
    return f"{fmt.MISSING} ({t('no_report_yet', lang)})" if nothing else fmt.pct(rate, lang)


def years_label(years: Any) -> str:
    """'2023' for one year, '2011–2024' for a span, '' for none."""
    ys = sorted({int(y) for y in years if not _missing(y)}) if years is not None else []
    if not ys:
        return ""
    return str(ys[0]) if ys[0] == ys[-1] else f"{ys[0]}–{ys[-1]}"


def source_line(lang: str = "vi", years: Any = None, kind: str = "papi") -> str:
    """'Nguồn: PAPI – CECODES, VFF-CRT, RTA, UNDP, 2011–2024' (years optional).

    kind 'tasks': the departments' reports, which task charts and tables come from.
    """
    span = years_label(years if not isinstance(years, int) else [years])
    base = (TASK_SOURCE if kind == "tasks" else SOURCE)["en" if lang == "en" else "vi"]
    return f"{base}{', ' + span if span else ''}"


def name(row: Mapping[str, Any], lang: str = "vi", base: str = "name") -> str:
    """The `name_vi`/`name_en` of a row (falls back to the other language)."""
    first, second = (f"{base}_en", f"{base}_vi") if lang == "en" else (f"{base}_vi", f"{base}_en")
    for key in (first, second):
        value = row.get(key)
        if isinstance(value, str) and value:
            return nfc(value)
    return str(row.get("code", row.get("item_code", "")))


def unit_label(unit: str | None, lang: str = "vi") -> str:
    """The axis unit for a ref.item unit ('points' → 'điểm')."""
    if unit in ("percent", "share"):
        return "%"
    return t("points", lang)


# --- helper E: year-on-year changes, merger and vintages (issue 11, 14) ------------------
_STRINGS.update({
    "chg_rank_vs": ("{rank}/{of} so với {prev}/{prev_of}", "{rank}/{of} vs {prev}/{prev_of}"),
    "chg_margin_exceeds": ("vượt biên sai số", "exceeds the margin of error"),
    "chg_margin_within": ("trong biên sai số", "within the margin of error"),
    "chg_margin_unknown": ("không có biên sai số công bố", "no published margin of error"),
    "chg_merged": (
        "Không so sánh được: tỉnh mới sáp nhập từ {date} (tỉnh tiền thân: {names}).",
        "Not comparable: a new province merged on {date} (predecessors: {names}).",
    ),
    "chg_absorbed": (
        "Không so sánh được: tỉnh đã sáp nhập vào {name} từ {date}.",
        "Not comparable: the province became part of {name} on {date}.",
    ),
    "chg_missing": ("Không so sánh được: năm {year} không công bố.",
                    "Not comparable: {year} not published."),
    "chg_method": ("Không so sánh được: thay đổi phương pháp năm {year}. {note}",
                   "Not comparable: methodology change in {year}. {note}"),
    "chg_scale": ("Không so sánh được: thang điểm đổi năm {year}.",
                  "Not comparable: the scale changed in {year}."),
    "chg_unchanged": (
        "Địa giới không đổi khi sáp nhập {date}; thứ hạng tính trên số tỉnh khác nhau.",
        "Territory unchanged by the {date} merger; ranks are out of different numbers of "
        "provinces.",
    ),
    # province selector and continuity view (issue 11)
    "sel_34": ("{name} (34)", "{name} (34)"),
    "sel_63_merged": ("{name} (cũ, đến 2024 – nay thuộc {new})",
                      "{name} (former, until 2024 – now part of {new})"),
    "sel_note": (
        "34 tỉnh/thành từ 01/07/2025, mỗi tỉnh kèm lịch sử của mình; tỉnh không đổi địa giới "
        "có điểm 2011–2024 của chính mình. Các tỉnh cũ đã sáp nhập ở cuối danh sách.",
        "The 34 provinces from 01/07/2025, each with its own history; a province whose "
        "territory did not change has its own 2011–2024 scores. Former provinces that were "
        "merged are at the end of the list.",
    ),
    # the view object (issue 19)
    "score_year_note": ("Năm {year} chưa có điểm PAPI: điểm dưới đây là của năm {sy}.",
                        "No PAPI scores for {year} yet: the scores shown are {sy}'s."),
    "new_no_scores": ("{name} được thành lập từ {date} (hợp nhất từ {names}): chưa có điểm "
                      "PAPI của chính tỉnh trước năm 2025; xem các tỉnh tiền thân ở biểu đồ "
                      "xu hướng.",
                      "{name} exists from {date} (merged from {names}): no PAPI scores of its "
                      "own before 2025; see its predecessors in the trend chart."),
    "no_scores_year": ("Chưa có điểm PAPI của {name} cho năm {year} hay năm nào trước đó.",
                       "No PAPI scores of {name} for {year} or any year before."),
    "nearest_year": ("Năm gần nhất có điểm: {year}.", "Nearest year with scores: {year}."),
    "as_of": ("tính đến {d}", "as of {d}"),
    "predecessor_of": ("{name} (tiền thân của {new})", "{name} (predecessor of {new})"),
    "predecessor_pick": ("Lịch sử đến 2024 của tỉnh tiền thân", "History to 2024 of the predecessor"),
    "not_published_year": ("PAPI không công bố tổng điểm của tỉnh năm {year}.",
                           "PAPI did not publish the province's total for {year}."),
    "col_due": ("Thời hạn", "Due"),
    "col_days_overdue": ("Số ngày quá hạn", "Days overdue"),
    "overdue_count": ("{n} quá hạn", "{n} overdue"),
    "overdue_banner": ("⚠ {n} nhiệm vụ quá hạn ({asof})", "⚠ {n} overdue actions ({asof})"),
    "no_overdue_banner": ("Không có nhiệm vụ quá hạn ({asof})", "No overdue actions ({asof})"),
    "merger_break": ("01/07/2025: 63 → 34 tỉnh", "01/07/2025: 63 → 34 provinces"),
    "predecessor_series": ("{name} (tỉnh tiền thân)", "{name} (predecessor)"),
    "same_province_63": ("{name} (63 tỉnh, đến 2024)", "{name} (63 provinces, until 2024)"),
    "series_no_score": ("{label}: chưa có điểm", "{label}: no score yet"),
    "continuity_title": ("Chuỗi liên tục – {name} (34) và các tỉnh tiền thân",
                         "Continuity view – {name} (34) and its predecessors"),
    "continuity_note": (
        "Chuỗi liên tục: đường của từng tỉnh tiền thân (điểm PAPI của chính tỉnh đó) đến 2024 và "
        "đường của tỉnh mới từ 2025; không cộng gộp, không tính thay đổi qua mốc sáp nhập.",
        "Continuity view: each predecessor's own PAPI line up to 2024 and the new province's line "
        "from 2025; nothing aggregated, no change computed across the merger.",
    ),
    "absorbed_note": ("{name} đã sáp nhập vào {new} từ {date}; chọn {new} (34) để xem từ 2025.",
                      "{name} became part of {new} on {date}; choose {new} (34) from 2025 on."),
    "before_province": ("{name} (34) được thành lập từ {date}; trước đó xem các tỉnh tiền thân.",
                        "{name} (34) exists from {date}; before that see its predecessors."),
    "vs_prev_margin": ("{delta} so với {year} · {margin}", "{delta} vs {year} · {margin}"),
    "margin_col": ("Biên sai số", "Margin of error"),
    "rank_vs_caption": ("Thứ hạng {text}", "Rank {text}"),
    "map_own_34": ("{year}: điểm của 34 tỉnh/thành (sau sáp nhập 01/07/2025).",
                   "{year}: scores of the 34 provinces (after the 01/07/2025 merger)."),
    "hoang_sa": ("QĐ. Hoàng Sa<br>(Đà Nẵng)", "Hoang Sa archipelago<br>(Da Nang)"),
    "truong_sa": ("QĐ. Trường Sa<br>(Khánh Hòa)", "Truong Sa archipelago<br>(Khanh Hoa)"),
    "nothing_reported": ("{n} nhiệm vụ, chưa có báo cáo: chưa tính được tỷ lệ hoàn thành.",
                         "{n} actions, none reported yet: no completion rate."),
    "margin_legend": ("Thay đổi so với năm trước; ◆ = vượt biên sai số, ○ = trong biên sai "
                      "số, · = không có biên sai số công bố",
                      "Change on the previous year; ◆ = exceeds the margin of error, ○ = within "
                      "it, · = no published margin"),
})


# --- the briefing deck, its progress, the download buttons and exported tables (issue 19:
# one table of UI strings) ----------------------------------------------------------------
_STRINGS.update({
    "deck_deck": ("Báo cáo tóm tắt PAPI {year}", "PAPI briefing {year}"),
    "deck_headline": ("Tổng điểm {year}: {total} – xếp hạng {rank}/{n}",
                 "Total {year}: {total} – rank {rank} of {n}"),
    "deck_generated": ("Ngày xuất: {d}", "Generated: {d}"),
    "deck_demo": ("Dữ liệu minh họa – không phải số liệu PAPI chính thức.",
             "Illustrative data – not official PAPI figures."),
    "deck_total_rank": ("Tổng điểm và xếp hạng qua các năm", "Total score and rank over the years"),
    "deck_movers": ("Chỉ số thành phần thay đổi nhiều nhất {y0} → {y1}",
               "Sub-dimensions that moved most {y0} → {y1}"),
    "deck_units": ("Tình hình thực hiện nhiệm vụ theo đơn vị chủ trì, {year}",
              "Task status by lead unit, {year}"),
    "deck_sources": ("Nguồn dữ liệu và phương pháp", "Sources and method"),
    "deck_vs_median": ("{year}: {v} điểm; trung vị toàn quốc {m}", "{year}: {v} points; median {m}"),
    "deck_n_total": ("Tổng số nhiệm vụ", "Total actions"),
    "deck_src_scores": ("Điểm PAPI {years}: số liệu chính thức công bố tại papi.org.vn (CECODES, "
                   "VFF-CRT, RTA, UNDP); năm không công bố để trống, không ước tính.",
                   "PAPI scores {years}: the official figures published on papi.org.vn "
                   "(CECODES, VFF-CRT, RTA, UNDP); years not published are left empty, "
                   "never estimated."),
    "deck_src_tasks": ("Nhiệm vụ và trạng thái: theo kế hoạch và báo cáo của các sở, ngành; "
                  "quá hạn tính đến {d} theo thời hạn của từng nhiệm vụ.",
                  "Actions and statuses: from the departments' plans and reports; overdue as "
                  "of {d} by each action's deadline."),
    "deck_src_updated": ("Số liệu cập nhật ngày {d}.", "Figures updated on {d}."),
    "deck_more": ("… và {n} đơn vị khác", "… and {n} more units"),
    "deck_all_units": ("Cả kế hoạch (mỗi nhiệm vụ tính một lần)",
                       "Whole plan (each action once)"),
    "deck_no_plan": ("Chưa có kế hoạch cho {prov}: không có nhiệm vụ để báo cáo.",
                "{prov} has no plan yet: no actions to report."),
    "deck_no_dim_actions": ("Kế hoạch chưa giao nhiệm vụ nào cho chỉ số nội dung này.",
                       "The plan assigns no action to this dimension."),
    "deck_unit_slide": ("Đơn vị: {unit} – nhiệm vụ quá hạn, {year}",
                   "Unit: {unit} – overdue actions, {year}"),
    "deck_unit_overdue": ("{n} nhiệm vụ quá hạn / {total} nhiệm vụ",
                     "{n} overdue of {total} actions"),
    "deck_unit_last": ("Báo cáo gần nhất: {d}", "Last report: {d}"),
    "deck_vs_prev": ("Thay đổi so với {y}", "Change from {y}"),
    "deck_margin": ("Biên sai số", "Margin of error"),
    "deck_no_movers": ("Không có chỉ số thành phần nào so sánh được giữa {y0} và {y1} "
                  "(thay đổi phương pháp hoặc năm không công bố).",
                  "No sub-dimension is comparable between {y0} and {y1} (methodology change "
                  "or a year not published)."),
    "deck_subject": ("Báo cáo tóm tắt PAPI {year} – {prov}", "PAPI briefing {year} – {prov}"),
    "deck_latest": ("Năm {year} chưa có điểm PAPI: điểm dưới đây là của năm {sy}.",
               "No PAPI scores for {year} yet: the scores shown are {sy}'s."),
    "deck_merged_from": ("Tỉnh mới từ {d}, hợp nhất từ: {names}.",
                    "A new province from {d}, merged from: {names}."),
    "deck_unchanged": ("Địa giới không đổi khi sáp nhập {d}.",
                  "Territory unchanged by the merger of {d}."),
    "deck_merger_note": ("01/07/2025: 63 → 34 tỉnh (Nghị quyết 202/2025/QH15). Không tính thay đổi "
                    "qua mốc sáp nhập cho tỉnh hợp nhất; không cộng gộp điểm các tỉnh tiền thân.",
                    "01/07/2025: 63 → 34 provinces (Resolution 202/2025/QH15). No change is "
                    "computed across the merger for a merged province; predecessors' scores are "
                    "never aggregated."),
    "deck_actions": ("Nhiệm vụ kế hoạch {year}: trạng thái và thời hạn",
                "Plan actions {year}: status and due dates"),
    "deck_n_overdue": ("{n}/{total} nhiệm vụ quá hạn (tính đến {d})",
                  "{n} of {total} actions overdue (as of {d})"),
    "deck_col_due": ("Thời hạn", "Due"),
    "deck_more_actions": ("… và {n} nhiệm vụ khác", "… and {n} more actions"),
    "step_read": ("Đọc dữ liệu", "Reading data"),
    "step_dims": ("Chỉ số nội dung", "Dimensions"),
    "step_tasks": ("Nhiệm vụ và nguồn", "Tasks and sources"),
    "step_render": ("Vẽ {n} biểu đồ", "Rendering {n} charts"),
    "step_write": ("Ghi tệp", "Writing file"),
    "btn_make": ("Tạo báo cáo tóm tắt (PPTX + PDF)", "Make the briefing pack (PPTX + PDF)"),
    "btn_busy": ("Đang tạo báo cáo…", "Making the briefing…"),
    "btn_done": ("Đã tạo xong", "Done"),
    "btn_fail": ("Không tạo được báo cáo", "Could not make the briefing"),
    "btn_chart": ("Tải biểu đồ", "Download chart"),
    "btn_table": ("Tải bảng", "Download table"),
    "briefing_pack": ("Báo cáo tóm tắt cho cuộc họp", "Briefing pack"),
    "tbl_province": ("Tỉnh/thành phố", "Province"),
    "tbl_year": ("Năm", "Year"),
    "tbl_generated": ("Ngày xuất", "Generated"),
})


# --- multi-user reporting: sign-in and report entry (issue 22) ---------------------------
_STRINGS.update({
    "mu_login_title": ("Đăng nhập", "Sign in"),
    "mu_login_intro": ("Đăng nhập bằng tài khoản do Văn phòng UBND tỉnh cấp để báo cáo nhiệm vụ.",
                       "Sign in with the account the provincial office gave you to report tasks."),
    "mu_name": ("Tên đăng nhập", "User name"),
    "mu_password": ("Mật khẩu", "Password"),
    "mu_login": ("Đăng nhập", "Sign in"),
    "mu_logout": ("Đăng xuất", "Sign out"),
    "mu_bad_login": ("Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa.",
                     "Wrong user name or password, or the account is disabled."),
    "mu_expired": ("Phiên làm việc đã hết hạn hoặc tài khoản đã bị khóa. Hãy đăng nhập lại.",
                   "Your session has expired or the account was disabled. Please sign in again."),
    "mu_no_store": ("Không kết nối được cơ sở dữ liệu báo cáo. Hãy báo quản trị viên (mã {ref}).",
                    "The reporting database cannot be reached. Tell the administrator (ref {ref})."),
    "mu_signed_in": ("{name} — {role}, {unit}", "{name} — {role}, {unit}"),
    "mu_role_reporter": ("người báo cáo", "reporter"),
    "mu_role_approver": ("lãnh đạo đơn vị (phê duyệt)", "unit approver"),
    "mu_role_province_office": ("Văn phòng UBND tỉnh", "province office"),
    "mu_role_viewer": ("người xem", "viewer"),
    "page_report_entry": ("Báo cáo nhiệm vụ", "Report tasks"),
    "mu_year": ("Năm", "Year"),
    "mu_period": ("Kỳ báo cáo", "Reporting period"),
    "mu_no_tasks": ("Đơn vị của bạn chưa có nhiệm vụ nào trong kỳ này.",
                    "Your unit has no tasks for this period."),
    "mu_status": ("Tình trạng", "Status"),
    "mu_percent": ("% hoàn thành", "% done"),
    "mu_result": ("Kết quả", "Result"),
    "mu_evidence": ("Minh chứng (số văn bản, đường dẫn…)", "Evidence (document number, link…)"),
    "mu_reported_on": ("Ngày báo cáo", "Report date"),
    "mu_save": ("Lưu báo cáo", "Save report"),
    "mu_saved": ("Đã lưu phiên bản {version}.", "Saved as version {version}."),
    "mu_stale": ("Người khác đã lưu phiên bản mới hơn ({version}, {who}): {status}, {pct}%, "
                 "“{result}”. Báo cáo của bạn CHƯA được lưu; hãy xem lại rồi lưu lại.",
                 "Someone saved a newer version first ({version}, {who}): {status}, {pct}%, "
                 "“{result}”. Your report was NOT saved; review it and save again."),
    "mu_refused": ("Không lưu được: {reason}", "Not saved: {reason}"),
    "mu_step": ("Bước hiện tại", "Current step"),
    "mu_step_": ("chờ phê duyệt", "awaiting approval"),
    "mu_step_none": ("chưa báo cáo", "not reported"),
    "mu_step_approve": ("đã phê duyệt, chờ tỉnh chấp nhận", "approved, awaiting acceptance"),
    "mu_step_return": ("bị trả lại", "returned"),
    "mu_step_accept": ("đã chấp nhận (khóa)", "accepted (locked)"),
    "mu_step_reopen": ("mở lại", "reopened"),
    "mu_reason": ("Lý do (bắt buộc khi trả lại hoặc mở lại)", "Reason (needed to return or reopen)"),
    "mu_approve": ("Phê duyệt", "Approve"),
    "mu_return": ("Trả lại", "Return"),
    "mu_accept": ("Chấp nhận", "Accept"),
    "mu_reopen": ("Mở lại", "Reopen"),
    "mu_done": ("Đã ghi: {what}.", "Recorded: {what}."),
    "mu_version": ("Phiên bản {version}, lưu bởi {who}", "Version {version}, saved by {who}"),
    "mu_need_reason": ("Hãy ghi lý do.", "Please give a reason."),
    "mu_err_Forbidden": ("nhiệm vụ không thuộc đơn vị của bạn hoặc vai trò của bạn không được làm "
                         "việc này; không có gì thay đổi", "the task is not your unit's or your "
                         "role may not do this; nothing changed"),
    "mu_err_Locked": ("nhiệm vụ đã được phê duyệt hoặc chấp nhận nên đang khóa; chỉ sửa được sau "
                      "khi bị trả lại hoặc mở lại", "the task is approved or accepted and locked; "
                      "it can change only after it is returned or reopened"),
    "mu_err_NotSignedIn": ("phiên làm việc hết hạn hoặc tài khoản đã bị khóa",
                           "the session expired or the account was disabled"),
    "mu_err_StaleEdit": ("đã có phiên bản mới hơn; tải lại trang để xem",
                         "a newer version exists; reload to see it"),
})

_STRINGS.update({
    "mu_plan_title": ("Kế hoạch", "Plans"),
    "mu_plan_upload": ("Nạp tệp kế hoạch (.docx, .pdf, .xlsx, .txt)",
                       "Load a plan file (.docx, .pdf, .xlsx, .txt)"),
    "mu_plan_unreadable": ("Không đọc được kế hoạch {name}: {why}",
                           "The plan {name} cannot be read: {why}"),
    "mu_plan_read": ("Kế hoạch {number}: {n} nhiệm vụ, {doubtful} cần xem lại (cột 'Nghi vấn'). "
                     "Kiểm tra bảng rồi bấm lưu.",
                     "Plan {number}: {n} tasks, {doubtful} to check ('Doubts' column). Check "
                     "the table, then store it."),
    "mu_plan_seq": ("STT", "No."),
    "mu_plan_action": ("Nhiệm vụ", "Task"),
    "mu_plan_dimension": ("Lĩnh vực", "Dimension"),
    "mu_plan_lead": ("Chủ trì (cách nhau bởi ;)", "Lead (separated by ;)"),
    "mu_plan_coord": ("Phối hợp (cách nhau bởi ;)", "Coordinating (separated by ;)"),
    "mu_plan_deadline": ("Hạn", "Deadline"),
    "mu_plan_deadline_in": ("Hạn (dd/mm/yyyy, Quý II/2026, thường xuyên)",
                            "Deadline (dd/mm/yyyy, Quý II/2026, thường xuyên)"),
    "mu_plan_doubts": ("Nghi vấn", "Doubts"),
    "mu_plan_due_invalid": ("không hợp lệ", "invalid"),
    "mu_plan_due_ongoing": ("thường xuyên", "ongoing"),
    "mu_plan_store": ("Lưu kế hoạch", "Store the plan"),
    "mu_plan_stored": ("Đã lưu kế hoạch {plan}: {n} nhiệm vụ, người nạp {who}.",
                       "Plan {plan} stored: {n} tasks, loaded by {who}."),
    "mu_plan_fix_title": ("Hiệu chỉnh nhiệm vụ", "Correct a task"),
    "mu_plan_pick": ("Kế hoạch", "Plan"),
    "mu_plan_note": ("Ghi chú", "Note"),
    "mu_plan_fix": ("Lưu hiệu chỉnh", "Save the correction"),
    "mu_plan_fixed": ("Đã lưu hiệu chỉnh (người sửa {who}); áp dụng ở lần làm mới dữ liệu sau.",
                      "Correction saved (by {who}); applied at the next refresh."),
    "mu_plan_corrected_by": ("Hiệu chỉnh gần nhất: {who}, {at}", "Last corrected by {who}, {at}"),
    "mu_plan_unchanged": ("Chưa thay đổi gì so với hiện tại; không lưu.",
                          "Nothing differs from the current values; nothing saved."),
    "mu_err_exists": ("kế hoạch này đã được lưu; hãy hiệu chỉnh nhiệm vụ của nó bên dưới",
                      "this plan is already stored; correct its tasks below"),
    "mu_plan_bad_deadline": ("Không đọc được hạn {value!r}: ghi dd/mm/yyyy, Quý II/2026, Tháng "
                             "6/2026, Năm 2026 hoặc thường xuyên.",
                             "Deadline {value!r} unreadable: write dd/mm/yyyy, Quý II/2026, "
                             "Tháng 6/2026, Năm 2026 or thường xuyên."),
})

_STRINGS.update({
    "mu_oidc_login": ("Đăng nhập bằng tài khoản của tỉnh", "Sign in with the province's account"),
    "mu_oidc_unknown": ("Tài khoản {who} của hệ thống đăng nhập tỉnh chưa được gắn với người dùng "
                        "nào của ứng dụng. Đề nghị quản trị viên chạy `papi users add … --oidc "
                        "{who}`.", "The province sign-in account {who} is not linked to any user "
                        "of this app. Ask the administrator to run `papi users add … --oidc "
                        "{who}`."),
    "mu_oidc_logout": ("Đăng xuất khỏi tài khoản của tỉnh", "Sign out of the province's account"),
})
