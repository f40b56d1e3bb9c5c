"""Plotly figures to PNG/SVG/PDF bytes through kaleido and Debian's chromium (never a download)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import shutil
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any, Literal

import plotly.graph_objects as go

from dashboard import fmt
from dashboard.charts.common import SOURCE_NAME as SOURCE
from dashboard.charts.common import (
    TOP_PX,
    add_demo_mark,
    place_source,
    room_for_breaks,
    wrap,
)
from dashboard.i18n import source_line

Fmt = Literal["png", "svg", "pdf"]
LOG = logging.getLogger("papi.export")
FONT_FAMILY = "Noto Sans, DejaVu Sans, Arial, sans-serif"
LAYOUT_WIDTH = 1280  # CSS width charts are laid out at; larger outputs are scaled up
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
SOURCE_NAME = "papi-source"
TITLE_CHARS = 80  # longest title line, in characters, at the narrowest export layout
# One chart's render, in seconds (they take 0.03–0.5 s; minutes under the heaviest load seen).
# A chromium that stops answering is killed and the chart tried once more in a fresh one.
RENDER_TIMEOUT = 60.0
# chromium's start and its kaleido page (1–3 s; seen hanging for ever in a full test run on
# 04/12/2026): a start that hangs or fails is killed and tried once more
START_TIMEOUT = 90.0


class RenderTimeout(RuntimeError):
    """chromium rendered no image for a chart within RENDER_TIMEOUT, or did not start within
    START_TIMEOUT, twice."""


def chromium_path() -> str:
    """The system chromium (env BROWSER_PATH first); raises if none: kaleido must not download."""
    env = os.environ.get("BROWSER_PATH")
    candidates = ([env] if env else []) + list(CHROMIUM_CANDIDATES) + [shutil.which("chromium")]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    raise RuntimeError(
        "No chromium found for chart export: run `make setup` (installs Debian's chromium) "
        "or set BROWSER_PATH"
    )


def _kill(k: Any) -> None:
    """Kill a kaleido's chromium without asking it (it may no longer answer)."""
    proc = getattr(k, "subprocess", None)
    if proc is not None:
        with contextlib.suppress(OSError):
            proc.kill()


def use_system_chromium() -> str:
    """Point kaleido/choreographer (also plain `fig.to_image`) at the system chromium."""
    path = chromium_path()
    os.environ.setdefault("BROWSER_PATH", path)
    return path


def _is_source(a: Any) -> bool:
    return a.name in (SOURCE_NAME, SOURCE) or (a.text or "").startswith(("Nguồn:", "Source:"))


def prepare_figure(
    fig: go.Figure,
    *,
    title: str | None = None,
    province: str | None = None,
    year: int | None = None,
    lang: str = "vi",
    demo: bool | None = None,
) -> go.Figure:
    """A copy ready for a file: province in the title, the whole source line at the bottom
    left, the legend at the right (never clipped), number separators of `lang`, a
    Vietnamese-capable font, and the demo mark when `demo` (default: fmt.is_demo())."""
    # the copy skips plotly's re-validation of an already valid figure (most of the cost:
    # the template); the JSON sent to chromium is the same
    out = go.Figure(fig.to_dict(), _validate=False)
    current = out.layout.title.text if out.layout.title else None
    # finish() made room at the top for a title wrapped for a narrow column and for a legend
    # wrapping above the plot; a file has its own width and its legend at the right: the
    # title is re-wrapped for it below, from the one-line margin
    out.update_layout(margin={"t": TOP_PX})
    if current:
        current = current.replace("<br>", " ")
    text = current or title or ""
    if province and fmt.label(province) not in text and province not in text:
        text = f"{text} – {fmt.label(province)}" if text else fmt.label(province)
    if text:
        if "<br>" not in text and len(text) > TITLE_CHARS:
            text = wrap(text, TITLE_CHARS, escape=False)  # wraps instead of running off the edge
        out.update_layout(title={"text": text, "x": 0.01, "xanchor": "left", "xref": "container"})
        extra = text.count("<br>")
        if extra:  # Plotly anchors a title's first line: make room for the others below it
            top = out.layout.margin.t if out.layout.margin and out.layout.margin.t else 95
            line = 1.3 * ((out.layout.title.font.size or 15) if out.layout.title.font else 15)
            out.update_layout(margin={"t": top + line * extra},
                              title={"y": 1, "yanchor": "top", "yref": "container",
                                     "pad": {"t": 8 + line * extra}})
    sources = [a for a in out.layout.annotations if _is_source(a)]
    for a in sources:
        a.name = SOURCE
    margin_b = out.layout.margin.b if out.layout.margin and out.layout.margin.b else 0
    out.update_layout(
        margin={"b": max(margin_b, 110), "r": 30},
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"},
        separators=fmt.separators(lang),
    )
    place_source(out, None if sources else source_line(lang, year))
    if fmt.is_demo() if demo is None else demo:
        add_demo_mark(out)
    size = out.layout.font.size if out.layout.font and out.layout.font.size else 12
    out.update_layout(font={"family": FONT_FAMILY, "size": size})
    return out


@functools.cache
def _kept_page_kaleido() -> type:
    """kaleido.Kaleido that keeps its page between renders.

    Kaleido reloads the page (and re-parses the 4 MB plotly.js) after every chart, which is
    about half of a chart's render time; each render draws into a plot of its own and purges
    it (Plotly.toImage), so the PNGs are byte for byte the same without the reload. After a
    failed render ExportSession starts a fresh chromium instead.
    """
    import kaleido

    class KeptPage(kaleido.Kaleido):
        async def _return_kaleido_tab(self, tab: Any) -> None:  # kaleido 1.x: reload + put
            await self.tabs_ready.put(tab)

    return KeptPage


class ExportSession:
    """One kaleido/chromium session for many figures, in a thread of its own.

    Chromium starts as soon as the session is made, so the caller keeps gathering data and
    building figures while it starts; each `submit` is rendered in order as soon as chromium
    is ready and returns a future of the image bytes. Safe under Streamlit (its own event
    loop). Use it as a context manager, or call `close()`.
    """

    def __init__(self) -> None:
        use_system_chromium()
        self._path = chromium_path()
        self._loop = asyncio.new_event_loop()
        self._queue: asyncio.Queue[tuple[dict, dict, Future[bytes]] | None] = asyncio.Queue()
        self._closed = False
        self._retry: tuple[dict, dict, Future[bytes]] | None = None  # a chart chromium hung on
        self._failed_starts = 0
        self._thread = threading.Thread(target=self._run, name="papi-export", daemon=False)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        finally:  # as asyncio.run: cancel what chromium's driver left running, then close
            left = asyncio.all_tasks(self._loop)
            for task in left:
                task.cancel()
            self._loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()

    async def _serve(self) -> None:
        while not await self._one_chromium():
            pass  # a render failed: a fresh chromium takes the rest of the queue

    async def _one_chromium(self) -> bool:
        """Render queued figures in one chromium until the queue ends (True) or a render
        fails or hangs (False: that page may be broken, so the caller starts a fresh one;
        a hung chart is tried once more there). A chromium that hangs or fails at its start
        is killed and started once more; twice, every queued render fails with the reason."""
        ended = replaced = False
        k = _kept_page_kaleido()(n=1, path=self._path, mathjax=False)
        started = self._loop.time()
        try:
            await asyncio.wait_for(k.__aenter__(), START_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - a start that hangs or fails
            _kill(k)
            with contextlib.suppress(Exception):  # its temporary page and threads, if it can
                await asyncio.wait_for(k.__aexit__(None, None, None), 10)
            self._failed_starts += 1
            if self._failed_starts < 2:
                LOG.warning("chromium did not start (%s): a fresh one is started",
                            type(exc).__name__)
                return False
            # a hung start cancelled by the timeout may surface as chromium's own error
            if isinstance(exc, TimeoutError) or self._loop.time() - started >= START_TIMEOUT:
                exc = RenderTimeout(
                    f"chromium đã không khởi động trong {START_TIMEOUT:.0f} giây, hai lần / "
                    f"chromium did not start within {START_TIMEOUT:.0f} s, twice; try again, or "
                    "close other programs if the machine is very busy")
            await self._fail_queued(exc)
            return True
        try:
            try:
                while (item := self._retry or await self._queue.get()) is not None:
                    second_try, self._retry = item is self._retry, None
                    spec, opts, done = item
                    try:
                        image = await asyncio.wait_for(k.calc_fig(spec, opts=opts),
                                                       RENDER_TIMEOUT)
                    except TimeoutError:
                        replaced = True
                        _kill(k)  # closing would ask chromium, which no longer answers
                        if second_try:
                            done.set_exception(RenderTimeout(
                                f"chromium đã không vẽ xong một biểu đồ trong {RENDER_TIMEOUT:.0f} "
                                f"giây, hai lần / chromium rendered no image for a chart in "
                                f"{RENDER_TIMEOUT:.0f} s, twice; try again, or close other "
                                "programs if the machine is very busy"))
                        else:
                            LOG.warning("a chart's render hung for %.0f s: chromium replaced, "
                                        "the chart tried again", RENDER_TIMEOUT)
                            self._retry = item
                        return False
                    except Exception as exc:  # noqa: BLE001 - handed to the caller
                        done.set_exception(exc)
                        return False
                    done.set_result(image)
                ended = True
            finally:
                await k.__aexit__(None, None, None)
        except Exception as exc:  # noqa: BLE001 - chromium failed: every render fails with it
            if ended or replaced:  # every image delivered, or a hung chromium killed on purpose
                LOG.warning("closing the export chromium failed: %s", exc)
                return ended
            await self._fail_queued(exc)
        return True

    async def _fail_queued(self, exc: BaseException) -> None:
        """Every render waiting (a retried chart first) and every one submitted until the
        session closes fails with `exc`."""
        if self._retry is not None:
            self._retry[2].set_exception(exc)
            self._retry = None
        while (item := await self._queue.get()) is not None:
            item[2].set_exception(exc)

    def submit(self, fig: go.Figure, fmt: Fmt = "png", width: int = 1920, height: int = 1080,
               scale: float = 1, layout_width: int = LAYOUT_WIDTH) -> Future[bytes]:
        """Queue one figure; the future holds its bytes (PNG is `width*scale` pixels wide)."""
        if self._closed:
            raise RuntimeError("export session is closed")
        done: Future[bytes] = Future()
        options = render_options(fmt, width, height, scale, layout_width)
        # the break labels' room at the height drawn (a slide's plot is not the page's); the
        # figures submitted are prepare_figure's copies, never a page's own
        room_for_breaks(fig, options["height"])
        item = (fig.to_dict(), options, done)
        self._loop.call_soon_threadsafe(self._queue.put_nowait, item)
        return done

    def close(self, wait: bool = True) -> None:
        """Render what is queued, then close chromium (in the background unless `wait`)."""
        if not self._closed:
            self._closed = True
            self._loop.call_soon_threadsafe(self._queue.put_nowait, None)
        if wait:
            self._thread.join()

    def __enter__(self) -> ExportSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def render_options(fmt: Fmt, width: int, height: int, scale: float = 1,
                   layout_width: int = LAYOUT_WIDTH) -> dict:
    """Kaleido options: laid out `layout_width` CSS pixels wide, scaled up to `width`."""
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"unsupported format {fmt!r}: png, svg or pdf")
    css_w = min(width, layout_width)
    css_h = round(height * css_w / width)
    # a hair over the exact ratio, so chromium's rounding never yields 1919 px for 1920
    return {"format": fmt, "width": css_w, "height": css_h, "scale": scale * width / css_w + 1e-6}


def figures_bytes(
    figs: Sequence[go.Figure],
    fmt: Fmt = "png",
    width: int = 1920,
    height: int = 1080,
    scale: float = 1,
    layout_width: int = LAYOUT_WIDTH,
) -> list[bytes]:
    """Render figures in one chromium session; PNG is `width*scale` pixels wide.

    Charts are laid out `layout_width` CSS pixels wide and scaled up to `width`, so fonts keep
    their proportion on a large image.
    """
    render_options(fmt, width, height, scale, layout_width)  # a bad format fails before chromium
    with ExportSession() as session:
        done = [session.submit(f, fmt, width, height, scale, layout_width) for f in figs]
        return [d.result() for d in done]


def figure_bytes(
    fig: go.Figure,
    fmt: Fmt = "png",
    width: int = 1920,
    height: int = 1080,
    scale: float = 1,
    *,
    title: str | None = None,
    province: str | None = None,
    year: int | None = None,
    lang: str = "vi",
    demo: bool | None = None,
) -> bytes:
    """One figure as image bytes, with title, province and source line ensured."""
    prepared = prepare_figure(fig, title=title, province=province, year=year, lang=lang,
                              demo=demo)
    return figures_bytes([prepared], fmt, width, height, scale)[0]
