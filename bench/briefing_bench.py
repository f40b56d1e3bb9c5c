"""Section 5: a full briefing deck (build_briefing) against bare chart exports."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from common import Row, judge, skipped, timed

SECTION = "5 briefing"


def run(n: int, db: Path, label: str, work: Path) -> list[Row]:
    import plotly.graph_objects as go

    from dashboard import data
    from dashboard.export import briefing
    from dashboard.export.deck import LAYOUT_WIDTH
    from dashboard.export.figures import ExportSession, chromium_path, figures_bytes

    try:
        chromium_path()
    except RuntimeError as exc:
        return [skipped(SECTION, "briefing pack", str(exc))]
    province = (data.query("SELECT DISTINCT province_code FROM mart.plan ORDER BY 1", (), db,
                           optional_columns=["province_code"])["province_code"].tolist() or ["01"])[0]
    year = max(data.years(db))
    sizes: list[tuple[int, int]] = []  # pixel size of every chart the deck renders (last run)
    charts: list[tuple] = []  # every chart the deck submits, as submitted (last run)
    original, submit = briefing.build_deck, ExportSession.submit

    def recording(*a, **k):
        charts.clear()
        deck = original(*a, **k)
        sizes[:] = [s.image_size for s in deck.slides if s.image is not None]
        return deck

    def recording_submit(self, fig, *a, **k):
        charts.append((fig, a, k))
        return submit(self, fig, *a, **k)

    briefing.build_deck, ExportSession.submit = recording, recording_submit
    try:
        print(f"  briefing: {label} db, province {province}, {year}", flush=True)
        out = work / "briefing.pptx"
        med, runs = timed(lambda: briefing.build_briefing(db, province, year, "vi", out), n,
                          setup=data.clear_cache)
    finally:
        briefing.build_deck, ExportSession.submit = original, submit
    simple = go.Figure(go.Bar(x=list("ABCDEFGH"), y=list(range(8))))
    figures_bytes([simple], "png", 1920, 1080)  # warm: kaleido import, chromium on disk cache
    sessions: list[ExportSession] = []

    def bare() -> None:
        """The deck's number of charts at the deck's sizes, one session; ends when every PNG
        is in hand (chromium closes in the background, as after the deck)."""
        s = ExportSession()
        sessions.append(s)
        done = [s.submit(simple, "png", *size, layout_width=LAYOUT_WIDTH[size]) for size in sizes]
        for d in done:
            d.result()
        s.close(wait=False)

    def settle() -> None:
        while sessions:
            sessions.pop().close()

    def own() -> None:
        """The deck's own charts, as it submitted them (prepared, at its sizes), exported as
        bare PNGs in one session: the issue's floor, "its bare chart exports"."""
        s = ExportSession()
        sessions.append(s)
        done = [s.submit(fig, *a, **k) for fig, a, k in charts]
        for d in done:
            d.result()
        s.close(wait=False)

    floor, fruns = timed(bare, n, setup=settle)
    settle()
    own_floor, oruns = timed(own, n, setup=settle)
    settle()
    by_size = ", ".join(f"{k} at {w}×{h}" for (w, h), k in sorted(Counter(sizes).items()))
    target, ok = judge(med, own_floor, max_ratio=1.3)
    rows = [Row(SECTION, "briefing pack (pptx) vs its own charts", med, own_floor, target, ok,
                f"{label} db; {len(charts)} charts ({by_size}); floor = the deck's own charts "
                "exported as bare PNGs in one export session (the issue's target)",
                runs=runs, floor_runs=oruns)]
    target, ok = judge(med, floor, max_ratio=1.3)
    rows.append(Row(SECTION, "briefing pack (pptx) vs simple charts", med, floor, target, ok,
                    "stricter: floor = as many one-trace bar charts at the same sizes, one "
                    "export session (what chromium alone costs)", runs=runs, floor_runs=fruns))
    return rows
