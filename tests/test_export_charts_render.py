"""Every chart builder exported as PNG, SVG and PDF: province in the title, the whole source
line, decimal commas, the demo mark, and labels shown literally (never as markup)."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from dashboard import charts
from dashboard.charts.common import SOURCE_NAME
from dashboard.export.figures import LAYOUT_WIDTH, ExportSession, figure_bytes, prepare_figure
from tests import render_checks as rc
from tests.test_export_briefing import need_chromium

PROV = "Lạng Sơn"
EVIL = ["<a href=x>Sở Nội vụ</a>", "<b>Thanh tra</b>"]


def _status_frame(units: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"unit": units, "n_done_on_time": [3, 1], "n_done_late": [1, 0],
                         "n_in_progress": [0, 2], "n_overdue": [2, 1], "n_not_reported": [0, 4]})


def builders() -> dict[str, object]:
    years = list(range(2015, 2021))
    trend = pd.DataFrame({"year": years, "value": [36.1, 35.42, 36.05, 44.7, 45.25, 46.5],
                          "status": "published", "ci_low": [None] * 4 + [44.5, None],
                          "ci_high": [None] * 4 + [46.0, None]})
    med = pd.DataFrame({"year": years, "median": [35.0, 35.5, 35.2, 43.9, 44.1, 44.0]})
    dims = pd.DataFrame({"label": ["Tham gia của người dân ở cấp cơ sở", "Công khai, minh bạch"],
                         "value": [5.53, None], "median": [4.93, 5.33], "best_value": [5.95, 6.23],
                         "best_name": ["Bắc Giang", "Bình Thuận"]})
    movers = pd.DataFrame({"label": ["D1.1 Tri thức công dân", "D3.2 Giải đáp khiếu nại"],
                           "change": [0.58, -0.31]})
    lines = pd.DataFrame({"year": years * 2, "label": ["D1 – Tham gia"] * 6 + ["D5 – TTHC"] * 6,
                          "value": [5.1, 5.2, 5.0, 5.5, 5.4, 5.6, 7.1, 7.0, 7.3, 7.2, 7.4, 7.5]})
    brk = [(2017.5, "2018: 6 → 8 chỉ số nội dung")]
    return {
        "trend": charts.score_trend(trend, "vi", title="Diễn biến tổng điểm PAPI",
                                    series_label=PROV, median=med, breaks=brk),
        "dims": charts.dimension_bars(dims, "vi", title="Điểm các chỉ số nội dung, 2024",
                                      year=2024, province_label=PROV),
        "movers": charts.movers_bars(movers, "vi", title="Thay đổi lớn nhất 2023 → 2024",
                                     years=(2023, 2024)),
        "status": charts.status_bars(_status_frame(["Văn phòng Sở", "Thanh tra Sở"]), "vi",
                                     title="Nhiệm vụ theo đơn vị chủ trì", category="unit",
                                     years=2024),
        "unit_dims": charts.dimension_lines(lines, "vi", title="Các chỉ số nội dung",
                                            breaks=brk),
    }


@pytest.fixture(scope="module")
def prepared() -> dict[str, object]:
    return {k: prepare_figure(f, province=PROV, year=2024, lang="vi", demo=True)
            for k, f in builders().items()}


def test_prepared_figures_text(prepared) -> None:
    for key, f in prepared.items():
        assert PROV in f.layout.title.text.replace("<br>", " "), key
        assert f.layout.separators == ",.", key
        assert rc.has_demo_mark(f), key
        assert not rc.text_problems(rc.figure_texts(f), "vi"), key
        assert not rc.unbroken_breaks(f), key
        src = rc.source_annotation(f)
        assert src.text.startswith("Nguồn: "), key
    task_src = rc.source_annotation(prepared["status"]).text
    assert task_src == "Nguồn: báo cáo của các sở, ngành, 2024"


def test_source_line_whole_in_png(prepared) -> None:
    need_chromium()
    problems = rc.source_clipping(list(prepared.values()), 1920, 1080, LAYOUT_WIDTH)
    assert not problems, "\n".join(problems)


def test_bar_labels_keep_clear_of_their_bars(prepared) -> None:
    """Deck slide 3 (04/12/2026): the dimension names ended on the bars' left edge (the movers'
    bars start at zero mid-plot, away from their labels)."""
    need_chromium()
    problems = rc.label_gaps([prepared[k] for k in ("dims", "status")], 1920, 1080,
                             LAYOUT_WIDTH)
    assert not problems, "\n".join(problems)


def test_source_line_whole_in_a_narrow_dashboard_column() -> None:
    """As the app draws them (no export preparation), in a half-width column of 420 px."""
    need_chromium()
    with_demo = []
    for f in builders().values():
        f.update_layout(height=450)
        with_demo.append(f)
    problems = rc.source_clipping(with_demo, 840, 900, 420)
    assert not problems, "\n".join(problems)


def test_svg_and_pdf_exports(prepared, tmp_path: Path) -> None:
    need_chromium()
    figs = builders()
    # each builder's figure as figure_bytes exports it (prepare_figure with the same arguments,
    # then the default 1920×1080 render), the ten images in one export session, as
    # figures_bytes renders a deck's charts: a chromium started per image (figure_bytes) took
    # 3/4 of this test's time; figure_bytes itself is checked in test_export_figures
    ready = {k: prepare_figure(f, province=PROV, year=2024, lang="vi") for k, f in figs.items()}
    with ExportSession() as session:
        done = {(k, fmt): session.submit(f, fmt) for k, f in ready.items() for fmt in ("svg", "pdf")}
        images = {kf: d.result(timeout=300) for kf, d in done.items()}
    for key in figs:
        svg = images[(key, "svg")].decode()
        texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
        joined = " ".join(re.sub(r"<[^>]+>", " ", t) for t in texts)
        assert PROV in joined, key
        assert "Nguồn:" in joined, key
        assert not re.search(r"\b(nan|None)\b", joined), key
        ticks = [re.sub(r"<[^>]+>", "", t) for t in texts]
        assert not [t for t in ticks if re.fullmatch(r"[−-]?\d+\.\d+", t.strip())], key
        assert rc.legend_overflow(svg) is None, (key, rc.legend_overflow(svg))
        assert key == "movers" or '<g class="legend"' in svg, key  # the check saw a legend
        pdf = tmp_path / f"{key}.pdf"
        pdf.write_bytes(images[(key, "pdf")])
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert PROV in text and "Nguồn:" in text, key
        out = tmp_path / key
        out.mkdir()
        pages = rc.pdf_pages_png(pdf, out)
        assert len(pages) == 1


def test_unit_names_are_shown_literally(tmp_path: Path) -> None:
    fig = charts.status_bars(_status_frame(EVIL), "vi", title="Nhiệm vụ", category="unit",
                             years=2024)
    ys = [y.replace("<br>", " ") for y in fig.data[0].y]
    assert "&lt;a href=x&gt;Sở Nội vụ&lt;/a&gt;" in ys and "&lt;b&gt;Thanh tra&lt;/b&gt;" in ys
    need_chromium()
    svg = figure_bytes(fig, "svg", province=PROV, lang="vi").decode()
    shown = [html.unescape(t) for t in re.findall(r">([^<>]*)</tspan>", svg)]
    shown += [html.unescape(t) for t in re.findall(r">([^<>]*)</text>", svg)]
    assert "<a href=x>Sở Nội" in shown and "vụ</a>" in shown  # drawn as typed
    assert "<b>Thanh" in shown and "tra</b>" in shown
    assert "<a " not in svg and "<b>" not in svg  # no element made from a label


def test_source_line_is_the_only_one_after_prepare() -> None:
    f = builders()["trend"]
    twice = prepare_figure(prepare_figure(f, province=PROV), province=PROV)
    assert [a.name for a in twice.layout.annotations].count(SOURCE_NAME) == 1
    assert twice.layout.title.text.count(PROV) == 1
