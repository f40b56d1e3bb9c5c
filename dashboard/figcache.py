"""Plotly figures built once per distinct input and shared by every rerun.

Two keys: `figure` hashes the builder's arguments by content (DataFrames included) on every
call; `of_view` keys a page's figure by the view (dashboard.view.View: province, vintage,
year, dimension, language …), the widget values that shape it, the day its statuses are
counted on, the warehouse version (data.signature, the key of the data module's own caches)
and the demo mark, so a warm rerun neither fetches nor hashes the figure's frames.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import plotly.graph_objects as go
import streamlit as st

from dashboard import data, fmt

if TYPE_CHECKING:
    from dashboard.view import View

MAX_FIGURES = 256  # a page draws up to 4 figures; this is many views of every page


@st.cache_resource(show_spinner=False, max_entries=MAX_FIGURES)
def _built(module: str, name: str, demo: bool, args: tuple, kwargs: dict[str, Any]) -> go.Figure:
    """The builder's figure; the key is every argument's content plus the demo mark."""
    builder = getattr(importlib.import_module(module), name)
    with fmt.demo(demo):
        return builder(*args, **kwargs)


def figure(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """builder(*args, **kwargs), built once for each distinct content of its arguments.

    `builder` must be a pure function of an importable module (dashboard.charts.…): the same
    arguments (DataFrames compared by value, the language, titles, years …) and the same demo
    mark give the same figure. DataFrames must hash by value (no list cells). The figure is
    shared between reruns and sessions: draw it or serialise it, never change it.
    """
    return _built(builder.__module__, builder.__qualname__, fmt.is_demo(), args, kwargs)


ViewKey = tuple[Hashable, ...]
F = TypeVar("F", bound=go.Figure | None)


def view_key(v: View, part: str, *widgets: Hashable) -> ViewKey:
    """The key of one figure of a page for the view `v`: `part` names the figure (one page
    draws several), `widgets` the values of the page's own widgets that shape it (item,
    map geography, colouring, chosen provinces …). Everything else a figure is drawn from is
    in the key: every field of the view, the as-of day of its statuses, the warehouse
    version (a rebuilt or swapped file is another signature) and the demo mark."""
    s = v.subject
    return (part, dataclasses.astuple(v), tuple(widgets), s.as_of, data.signature(s.db),
            fmt.is_demo())


@st.cache_resource(show_spinner=False, max_entries=MAX_FIGURES)
def _of_view(key: ViewKey, _make: Callable[[], go.Figure | None]) -> go.Figure | None:
    """_make()'s figure (None: nothing to draw), under the demo mark of the key."""
    with fmt.demo(bool(key[-1])):
        return _make()


def of_view(v: View, part: str, make: Callable[[], F], *widgets: Hashable) -> F:
    """make() built once per view_key(v, part, *widgets): a warm rerun returns the figure
    without calling make (no query, frame or hash). `make` must draw from the view, the
    widgets given and the warehouse only (through dashboard.data / the view object), and
    call the builder directly (not figure()); it may return None when there is nothing to
    draw (cached too). Shared between reruns and sessions: draw it, never change it."""
    return cast(F, _of_view(view_key(v, part, *widgets), make))


def clear() -> None:
    """Forget every built figure (tests, the bench)."""
    _built.clear()
    _of_view.clear()
