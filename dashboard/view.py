"""The view (language, province, year, dimension, page options) kept in st.query_params."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data, fmt, style
from dashboard.i18n import LANG_NAMES, LANGS, name, t
from dashboard.subject import Subject
from dashboard.subject import subject as make_subject
from etl import ref

VIEW_KEY = "_papi_view"
SHADOW_KEY = "_papi_last"
DEFAULT_PROVINCE = "01"
DEMO_TITLE = "Dữ liệu minh họa / Illustrative data"


@dataclass(frozen=True)
class View:
    """What every page shows: the sidebar choices and the names that go with them."""

    lang: str
    province: str
    year: int
    dimension: str
    province_name: str
    dimension_name: str
    vintage: str  # geography of `province`: '63' (until 30/06/2025) or '34'

    @property
    def subject(self) -> Subject:
        """The view object every page reads (dashboard.subject): one per view and warehouse."""
        return make_subject(self.province, self.vintage, self.year, self.lang, None, None)


def _restore(key: str, options: list[Any], default: Any, parse: Callable[[str], Any]) -> None:
    """Seed a widget's state: kept value, else the URL, else the last value of this session.

    Streamlit clears the query parameters on a page change and drops the state of a widget in
    some reruns (language switch + page change reset the province, issue 14); the last value
    is therefore also kept under SHADOW_KEY, which no widget owns.
    """
    if st.session_state.get(key) in options:
        return
    shadow = st.session_state.setdefault(SHADOW_KEY, {})
    raw = st.query_params.get(key)
    try:
        value = parse(raw) if raw is not None else shadow.get(key, default)
    except ValueError:
        value = shadow.get(key, default)
    if value not in options:
        value = shadow.get(key, default)
    st.session_state[key] = value if value in options else (
        default if default in options else options[0])


def synced(widget: Callable[..., Any], key: str, options: Sequence[Any], default: Any,
           label: str, parse: Callable[[str], Any] = str, **kwargs: Any) -> Any:
    """A single-choice widget whose value starts from and is written back to st.query_params."""
    options = list(options)
    if not options:
        return None
    _restore(key, options, default, parse)
    # not the language switch itself: language() re-sets the others once it is drawn, and a
    # drawn widget's state cannot be set in the same run
    if "format_func" in kwargs and key != "lang":
        LABELLED.add(key)
    value = widget(label, options=options, key=key, **kwargs)
    st.query_params[key] = str(value)
    st.session_state.setdefault(SHADOW_KEY, {})[key] = value
    return value


def synced_multi(key: str, options: Sequence[str], default: Sequence[str], label: str,
                 **kwargs: Any) -> list[str]:
    """A multiselect kept in st.query_params as a comma-separated list."""
    options = list(options)
    if key not in st.session_state:
        raw = st.query_params.get(key)
        chosen = raw.split(",") if raw else list(default)
        st.session_state[key] = [c for c in chosen if c in options]
    else:
        st.session_state[key] = [c for c in st.session_state[key] if c in options]
    value = st.multiselect(label, options=options, key=key, **kwargs)
    st.query_params[key] = ",".join(value)
    return value


# Selectboxes whose option labels are in the language (their values are not): the browser
# keeps a selectbox's choice as its label, so a switch of language must send each one its
# label in the new language, or the browser finds its old label among none of the options
# and falls back to the first option (seen: "Overview: Hanoi" after a switch, then a page).
LABELLED: set[str] = {"province"}


def language() -> str:
    """The language switch (Tiếng Việt default / English)."""
    before = st.session_state.get(SHADOW_KEY, {}).get("lang")
    lang = synced(st.sidebar.radio, "lang", LANGS, "vi", t("lang"),
                  format_func=lambda c: LANG_NAMES[c], horizontal=True)
    if before is not None and before != lang:
        for key in LABELLED & set(st.session_state.keys()):
            st.session_state[key] = st.session_state[key]  # set again: sent with its new label
    return lang


_OPTIONS: dict[tuple, dict[str, str]] = {}


def canonical(vintage: str, code: str) -> str:
    """'vintage:code' of the selector: an old province whose territory did not change on
    01/07/2025 is the current province of the same code (one entry, its whole history)."""
    if vintage == ref.OLD and ref.is_unchanged(ref.successor(code)) and ref.successor(code) == code:
        return f"{ref.NEW}:{code}"
    return f"{vintage}:{code}"


def province_options(lang: str) -> dict[str, str]:
    """'vintage:code' → label: the 34 current provinces (each with its predecessors), then
    the old provinces merged into them (2011–2024), reachable as predecessors. A province
    unchanged by the merger appears once. Made once per language and province tables."""
    new, old = data.provinces(ref.NEW), data.provinces(ref.OLD)
    key = (lang, style.frame_key(new), style.frame_key(old))
    if key not in _OPTIONS:
        if len(_OPTIONS) >= 16:
            _OPTIONS.clear()
        _OPTIONS[key] = _province_options(lang, new, old)
    return dict(_OPTIONS[key])


def _province_options(lang: str, new: pd.DataFrame, old: pd.DataFrame) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, r in new.iterrows():
        olds = ref.predecessors(r["code"])
        label = t("sel_34", lang, name=name(r, lang))
        if olds and olds != [r["code"]]:
            label += " ← " + ", ".join(ref.province_name(c, ref.OLD, lang) for c in olds)
        out[f"{ref.NEW}:{r['code']}"] = label
    for _, r in old.iterrows():
        if canonical(ref.OLD, r["code"]) == f"{ref.OLD}:{r['code']}":
            new = ref.province_name(ref.successor(r["code"]), ref.NEW, lang)
            out[f"{ref.OLD}:{r['code']}"] = t("sel_63_merged", lang, name=name(r, lang), new=new)
    return out


def default_province(years: list[int]) -> str:
    """'vintage:code' the app opens on: the province of the latest plan (the demo's merged
    Phú Thọ), else Hà Nội in the geography of the latest year."""
    plans = data.plan_provinces()
    if len(plans):
        r = plans.iloc[0]
        return canonical(r["vintage"], r["province_code"])
    return canonical(ref.vintage_for_year(years[-1]) if years else ref.OLD, DEFAULT_PROVINCE)


def province_from_url(options: list[str], years: list[int]) -> str | None:
    """?province=25&vintage=34 → '34:25'; without vintage, the code is read in the geography
    of ?year= (else the latest year), as etl.ref.resolve_province decides."""
    raw = st.query_params.get("province")
    if not raw:
        return None
    vintage = st.query_params.get("vintage")
    try:
        year = int(st.query_params.get("year") or (years[-1] if years else ref.LAST_OLD_YEAR))
        v, code = ref.resolve_province(raw, vintage=vintage if vintage in ref.VINTAGES else None,
                                       year=year)
    except (ValueError, ref.ProvinceError):
        return None
    key = canonical(v, code)
    return key if key in options else None


def province_choice(lang: str, years: list[int]) -> tuple[str, str]:
    """The province selector (URL ?province=…&vintage=…): (vintage, code)."""
    labels = province_options(lang)
    options = list(labels)
    key = "province"
    if st.session_state.get(key) not in options:
        shadow = st.session_state.setdefault(SHADOW_KEY, {})
        st.session_state[key] = (province_from_url(options, years) or shadow.get(key)
                                 or default_province(years))
        if st.session_state[key] not in options:
            st.session_state[key] = options[0]
    value = st.sidebar.selectbox(t("province", lang), options=options, key=key,
                                 format_func=lambda c: labels.get(c, c))
    st.sidebar.caption(t("sel_note", lang))
    vintage, code = value.split(":")
    st.query_params["province"] = code
    st.query_params["vintage"] = vintage
    st.session_state[SHADOW_KEY][key] = value
    return vintage, code


def sidebar(lang: str) -> View:
    """Province, year and dimension selectors; the view is stored for the pages."""
    years = data.view_years()
    vintage, province = province_choice(lang, years)
    years_desc = sorted(years, reverse=True)
    year = synced(st.sidebar.selectbox, "year", years_desc,
                  years_desc[0] if years_desc else None, t("year", lang), parse=int)
    dims = data.items(level="dimension")
    dim_names = {r["item_code"]: f"{r['item_code']} – {name(r, lang)}"
                 for _, r in dims.iterrows()}
    dimension = synced(st.sidebar.selectbox, "dimension", list(dim_names), "D1",
                       t("dimension", lang), format_func=lambda c: dim_names.get(c, c))
    v = View(lang, province, int(year), dimension, ref.province_name(province, vintage, lang),
             dim_names.get(dimension, dimension), vintage)
    st.session_state[VIEW_KEY] = v
    return v


def current() -> View:
    """The view set by app.py for this run."""
    return st.session_state[VIEW_KEY]


def demo_banner(lang: str) -> None:
    """The 'illustrative data' banner, shown on every page of a demo warehouse."""
    st.warning(f"**{DEMO_TITLE}** — {t('demo_banner', lang)}", icon="⚠️")


def unavailable(status: data.Status, lang: str) -> None:
    """A clear message (never a traceback) when the warehouse cannot be shown."""
    path = fmt.short_path(status.path)
    if status.state == "missing":
        st.error(t("no_db", lang, path=path))
    elif status.state == "empty":
        st.error(t("empty_db", lang, path=path))
    elif status.state == "outdated":
        st.error(t("outdated_db", lang, path=path))
    else:
        st.error(t("bad_db", lang, path=path, error=str(status.error).replace(
            str(status.path), path)))


def overdue_metric(where: object, n: int, lang: str, as_of_text: str) -> None:
    """The overdue count, red when any (no arrow: it is a count, not a rise), with the day it
    is counted on; in the first screen of every page that shows actions."""
    where.metric(t("overdue", lang), n, delta=as_of_text,  # type: ignore[attr-defined]
                 delta_color="red" if n else "gray", delta_arrow="off", border=True)
