"""Plotly figures built once per distinct input (hashed by content) and shared by every rerun."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dashboard import fmt

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


def clear() -> None:
    """Forget every built figure (tests)."""
    _built.clear()
