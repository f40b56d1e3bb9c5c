"""One export session for many charts: order, sizes, failures that end instead of hanging."""

from __future__ import annotations

import io
import threading

import plotly.graph_objects as go
import pytest
from PIL import Image

from dashboard.export import figures
from dashboard.export.figures import ExportSession
from tests.test_export_figures import need_chromium


def _bar(n: int) -> go.Figure:
    return go.Figure(go.Bar(x=list("ABC"), y=[n, n + 1, n + 2]))


def test_one_session_renders_in_order_at_each_size() -> None:
    need_chromium()
    sizes = [(1920, 1272, 820), (1920, 876, 1100), (640, 480, 1280)]
    with ExportSession() as session:
        done = [session.submit(_bar(i), "png", w, h, layout_width=lw)
                for i, (w, h, lw) in enumerate(sizes)]
        pngs = [d.result(timeout=180) for d in done]
    got = [Image.open(io.BytesIO(p)).size for p in pngs]
    assert [w for w, _ in got] == [w for w, _, _ in sizes]  # in order: each its own width
    # heights within a pixel: the CSS height is rounded before scaling (1272 → 1271)
    assert all(abs(g[1] - h) <= 1 for g, (_, h, _) in zip(got, sizes, strict=True))
    assert not any(t.name == "papi-export" and t.is_alive() for t in threading.enumerate())


def test_svg_and_png_in_one_session() -> None:
    need_chromium()
    with ExportSession() as session:
        svg, png = session.submit(_bar(1), "svg"), session.submit(_bar(2), "png", 800, 600)
        assert svg.result(timeout=180).lstrip().startswith(b"<svg")
        assert png.result(timeout=180)[:8] == b"\x89PNG\r\n\x1a\n"


def test_closed_session_refuses_work() -> None:
    need_chromium()
    session = ExportSession()
    session.close()
    with pytest.raises(RuntimeError, match="closed"):
        session.submit(_bar(1))


def test_chromium_that_fails_fails_every_render(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figures, "chromium_path", lambda: "/bin/false")
    session = ExportSession()
    done = [session.submit(_bar(i)) for i in range(3)]
    for d in done:
        with pytest.raises(Exception):  # noqa: B017,PT011 - whatever choreographer raises
            d.result(timeout=120)
    session.close()  # returns: nothing is left waiting


def test_bad_format_fails_before_chromium() -> None:
    with pytest.raises(ValueError, match="unsupported format"):
        figures.render_options("gif", 100, 100)  # type: ignore[arg-type]


def test_page_kept_between_renders_same_pngs(monkeypatch: pytest.MonkeyPatch) -> None:
    """No page reload between charts (kaleido's default costs half a render), and the PNGs
    are the same as a fresh session's: nothing of one chart leaks into the next."""
    need_chromium()
    from kaleido._kaleido_tab._tab import _KaleidoTab

    reloads: list[int] = []
    original = _KaleidoTab.reload

    async def counting(self: _KaleidoTab) -> None:
        reloads.append(1)
        await original(self)

    monkeypatch.setattr(_KaleidoTab, "reload", counting)
    a, b = _bar(1), go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2], name="x"))
    b.update_layout(title="Một biểu đồ khác", legend={"x": 1.02})
    pngs = figures.figures_bytes([a, b, a], "png", 960, 540)
    assert reloads == []
    assert pngs[0] == pngs[2]
    assert figures.figures_bytes([a], "png", 960, 540)[0] == pngs[0]


def test_failed_render_then_fresh_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    """A render that fails fails alone: the next ones are drawn by a fresh chromium."""
    need_chromium()
    import kaleido

    opened: list[int] = []
    open_, calc = kaleido.Kaleido.open, kaleido.Kaleido.calc_fig

    async def counting_open(self: kaleido.Kaleido) -> None:
        opened.append(1)
        await open_(self)

    async def failing_calc(self: kaleido.Kaleido, fig: dict, *a: object, **k: object) -> bytes:
        if fig["layout"].get("title", {}).get("text") == "boom":
            raise RuntimeError("boom")
        return await calc(self, fig, *a, **k)

    monkeypatch.setattr(kaleido.Kaleido, "open", counting_open)
    monkeypatch.setattr(kaleido.Kaleido, "calc_fig", failing_calc)
    bad = _bar(1).update_layout(title="boom")
    with ExportSession() as session:
        done = [session.submit(f, "png", 640, 360) for f in (_bar(1), bad, _bar(2), _bar(3))]
        with pytest.raises(RuntimeError, match="boom"):
            done[1].result(timeout=180)
        assert all(done[i].result(timeout=180)[:4] == b"\x89PNG" for i in (0, 2, 3))
    assert len(opened) == 2


class _Chromium:
    """A stand-in for kaleido's chromium: renders[i] of each call in turn, 'hang' never
    answers (as a stuck chromium did in a full test run on 04/12/2026); records kills."""

    renders: list[str] = []
    starts: list[str] = []  # 'hang' or 'fail' for the first starts, then every start works
    started = 0
    killed = 0

    def __init__(self, **_: object) -> None:
        cls = type(self)

        class Proc:
            def kill(self) -> None:
                cls.killed += 1

        self.subprocess = Proc()

    async def __aenter__(self) -> _Chromium:
        import asyncio

        cls = type(self)
        cls.started += 1
        how = cls.starts.pop(0) if cls.starts else "ok"
        if how == "hang":
            await asyncio.sleep(3600)
        if how == "fail":
            raise RuntimeError("The browser seemed to close immediately after starting.")
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def calc_fig(self, spec: dict, opts: dict) -> bytes:
        import asyncio

        if type(self).renders.pop(0) == "hang":
            await asyncio.sleep(3600)
        return spec["data"][0]["y"][0].to_bytes(1, "big")


def _stand_in(monkeypatch: pytest.MonkeyPatch, renders: list[str],
              starts: tuple[str, ...] = ()) -> type[_Chromium]:
    fake = type("Fake", (_Chromium,), {"renders": renders, "starts": list(starts), "started": 0,
                                       "killed": 0})
    monkeypatch.setattr(figures, "_kept_page_kaleido", lambda: fake)
    monkeypatch.setattr(figures, "use_system_chromium", lambda: "/bin/true")
    monkeypatch.setattr(figures, "chromium_path", lambda: "/bin/true")
    monkeypatch.setattr(figures, "RENDER_TIMEOUT", 0.2)
    monkeypatch.setattr(figures, "START_TIMEOUT", 0.2)
    return fake


def test_a_hung_render_is_tried_again_in_a_fresh_chromium(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _stand_in(monkeypatch, ["ok", "hang", "ok", "ok"])
    with ExportSession() as session:
        done = [session.submit(_bar(i)) for i in range(3)]
        assert [d.result(timeout=30) for d in done] == [b"\x00", b"\x01", b"\x02"]
    assert (fake.started, fake.killed) == (2, 1)


def test_a_chart_that_hangs_twice_fails_and_the_rest_still_render(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _stand_in(monkeypatch, ["hang", "hang", "ok"])
    with ExportSession() as session:
        first, second = session.submit(_bar(5)), session.submit(_bar(6))
        with pytest.raises(figures.RenderTimeout, match="twice"):
            first.result(timeout=30)
        assert second.result(timeout=30) == b"\x06"
    assert (fake.started, fake.killed) == (3, 2)


@pytest.mark.parametrize("how", ["hang", "fail"])
def test_a_chromium_that_hangs_or_fails_at_its_start_is_started_again(
        monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """A full test run on 04/12/2026 waited for ever on a kaleido chromium that never finished
    starting (its page never came): the start is bounded, killed and tried once more."""
    fake = _stand_in(monkeypatch, ["ok", "ok"], starts=(how,))
    with ExportSession() as session:
        done = [session.submit(_bar(i)) for i in (7, 8)]
        assert [d.result(timeout=30) for d in done] == [b"\x07", b"\x08"]
    assert (fake.started, fake.killed) == (2, 1)


def test_a_chromium_that_never_starts_fails_every_chart_with_the_reason(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _stand_in(monkeypatch, [], starts=("hang", "hang"))
    with ExportSession() as session:
        done = [session.submit(_bar(i)) for i in (1, 2)]
        for d in done:
            with pytest.raises(figures.RenderTimeout, match="did not start within"):
                d.result(timeout=30)
    assert (fake.started, fake.killed) == (2, 2)
