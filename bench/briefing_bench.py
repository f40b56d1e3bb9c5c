"""Section 5: a full briefing deck (build_briefing) against bare chart exports."""

from __future__ import annotations

from pathlib import Path

from common import Row, judge, skipped, timed

SECTION = "5 briefing"


def run(n: int, db: Path, label: str, work: Path) -> list[Row]:
    import plotly.graph_objects as go

    from dashboard import data
    from dashboard.export import briefing
    from dashboard.export.figures import chromium_path, figures_bytes

    try:
        chromium_path()
    except RuntimeError as exc:
        return [skipped(SECTION, "briefing pack", str(exc))]
    province = (data.query("SELECT DISTINCT province_code FROM mart.plan ORDER BY 1", (), db,
                           optional_columns=["province_code"])["province_code"].tolist() or ["01"])[0]
    year = max(data.years(db))
    counted: list[int] = []
    original = briefing.figures_bytes

    def counting(figs, *a, **k):
        counted.append(len(figs))
        return original(figs, *a, **k)

    briefing.figures_bytes = counting
    try:
        print(f"  briefing: {label} db, province {province}, {year}", flush=True)
        out = work / "briefing.pptx"
        med, runs = timed(lambda: briefing.build_briefing(db, province, year, "vi", out), n,
                          setup=data.clear_cache)
    finally:
        briefing.figures_bytes = original
    n_figs = sum(counted) // max(1, len(runs))  # summed over size groups, per run
    simple = [go.Figure(go.Bar(x=list("ABCDEFGH"), y=list(range(8)))) for _ in range(n_figs)]
    figures_bytes(simple[:1], "png", 1920, 1080)  # warm: kaleido import, chromium on disk cache
    floor, fruns = timed(lambda: figures_bytes(simple, "png", 1920, 1080), n)
    target, ok = judge(med, floor, max_ratio=1.3)
    return [Row(SECTION, "briefing pack (pptx)", med, floor, target, ok,
                f"{label} db; {n_figs} charts; floor = {n_figs} bare figures_bytes PNGs",
                runs=runs, floor_runs=fruns)]
