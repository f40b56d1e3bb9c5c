"""The layout checks of chart_boxes fail on the faults they look for (they run on every page of
every view in test_one_view_pages, at 1366 and 1920 px)."""

from __future__ import annotations

from chart_boxes import layout_problems

SVG = [0.0, 0.0, 600.0, 400.0]
CLEAN = {"title": "Điểm", "title_box": [10.0, 5.0, 300.0, 25.0], "legend": [10.0, 30.0, 300.0, 50.0],
         "plot": None, "drag": [60.0, 60.0, 580.0, 360.0], "svg": SVG,
         "yticks": [[20.0, 100.0, 55.0, 112.0], [20.0, 150.0, 55.0, 162.0]],
         "annotations": [["Nguồn: PAPI", [10.0, 384.0, 200.0, 398.0]]],
         "bartexts": [["7,49", [500.0, 100.0, 530.0, 112.0], False]],
         "xticks": [[70.0, 362.0, 98.0, 374.0], [120.0, 362.0, 148.0, 374.0]],
         "axis_titles": [["Năm", [300.0, 378.0, 330.0, 392.0]], ["Điểm", [5.0, 150.0, 20.0, 200.0]]],
         "breaks": [["2018: 6 → 8 chỉ số nội dung", [300.0, 62.0, 420.0, 76.0]]],
         "lines": [[[100.0, 200.0], [300.0, 150.0], [500.0, 90.0]]],
         "points": [[96.0, 196.0, 104.0, 204.0], [496.0, 86.0, 504.0, 94.0]]}


def test_a_clean_figure_passes() -> None:
    assert layout_problems(CLEAN) == []


def test_each_fault_is_found() -> None:
    cases = {
        "legend over the title": {"legend": [100.0, 10.0, 300.0, 40.0]},
        "legend over the plot area": {"legend": [100.0, 70.0, 300.0, 90.0]},
        "y labels overlap": {"yticks": [[20.0, 100.0, 55.0, 112.0], [20.0, 105.0, 55.0, 117.0]]},
        "cut at the edge": {"bartexts": [["7,49", [590.0, 100.0, 620.0, 112.0], False]]},
        "title cut at the right edge": {"title_box": [10.0, 5.0, 650.0, 25.0]},
        "outside the picture": {"annotations": [["Nguồn: PAPI", [10.0, 390.0, 200.0, 410.0]]]},
        # the units chart at 1366 px (04/12/2026): 14 years turned vertical, 'Năm' below them
        # on the source line
        "on the source line": {"axis_titles": [["Năm", [150.0, 380.0, 190.0, 396.0]]]},
        "on its tick labels": {"axis_titles": [["Năm", [80.0, 370.0, 120.0, 384.0]]]},
        "x labels on the source line": {"xticks": [[70.0, 362.0, 98.0, 390.0]]},
        # deck slide 3 (04/12/2026): 'Tham gia của người dân ở cấp cơ' ended on the bars
        "y label touches the plot": {"yticks": [[20.0, 100.0, 59.0, 112.0]]},
        # D5's trend (04/12/2026): the 2021 note's white box over the 2019–2020 line
        "break label": {"breaks": [["2021: Nội dung 5", [300.0, 80.0, 450.0, 120.0]]],
                        "lines": [[[280.0, 150.0], [320.0, 100.0], [360.0, 130.0]]]},
        "break label ": {"points": [[396.0, 70.0, 404.0, 78.0]]},  # a point under the 2018 one
    }
    for words, change in cases.items():
        found = layout_problems({**CLEAN, **change})
        assert any(words in b for b in found), (words, found)
