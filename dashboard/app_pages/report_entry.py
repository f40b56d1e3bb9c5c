"""Báo cáo nhiệm vụ / Report tasks: a unit reports its own tasks; approvers and the province
office decide. Every rule (unit, version, lock) is the database's; this page only asks."""

from __future__ import annotations

import uuid
from datetime import date

import streamlit as st

from dashboard import auth, fmt, plan_entry
from dashboard.i18n import t
from etl.pg import store
from etl.plans.status import PERIODS, STATUSES

STATUS_CODES = list(STATUSES)
FLASH = "mu_flash"


def _label(code: str, lang: str) -> str:
    return STATUSES[code][lang == "en"]


def _why(exc: store.StoreError, lang: str) -> str:
    """The database's refusal in the user's language (its own words kept in brackets)."""
    key = f"mu_err_{type(exc).__name__}"
    try:
        return f"{t(key, lang)} ({exc})"
    except KeyError:
        return str(exc)


def _entry_id(key: str) -> str:
    """One id per form and version shown: a double submit or a retry re-sends the same id."""
    ids = st.session_state.setdefault("mu_entry_ids", {})
    return ids.setdefault(key, str(uuid.uuid4()))


def _report_form(con, me: dict, task: dict, year: int, period: str, lang: str) -> None:
    key = f"{task['action_id']}/{year}/{period}"
    bases = st.session_state.setdefault("mu_bases", {})
    base = bases.setdefault(key, int(task["version"] or 0))  # the version this form was made from
    with st.form(f"mu_form_{key}"):
        status = st.selectbox(t("mu_status", lang), STATUS_CODES,
                              index=STATUS_CODES.index(task["status"]) if task["status"] else 2,
                              format_func=lambda c: _label(c, lang), key=f"st_{key}")
        pct = st.number_input(t("mu_percent", lang), 0, 100, int(task["percent_done"] or 0),
                              key=f"pc_{key}")
        result = st.text_area(t("mu_result", lang), task["result"] or "", key=f"rs_{key}")
        note = st.text_input(t("mu_evidence", lang), task["evidence_note"] or "", key=f"ev_{key}")
        on = st.date_input(t("mu_reported_on", lang), task["reported_on"] or date.today(),
                           format="DD/MM/YYYY", key=f"on_{key}")
        go = st.form_submit_button(t("mu_save", lang))
    if not go:
        return
    e = store.Entry(task["action_id"], year, period, base, status, int(pct),
                    result.strip() or None, note.strip() or None, on, id=_entry_id(f"{key}/{base}"))
    try:
        saved = store.save_report(con, me["id"], e)
    except store.StaleEdit as exc:
        d = exc.detail
        st.error(t("mu_stale", lang, version=d.get("version"), who=d.get("user_name"),
                   status=_label(d["status"], lang) if d.get("status") else "–",
                   pct=d.get("percent_done"), result=d.get("result") or "–"))
        bases[key] = int(d.get("version") or base)  # shown: the next save is based on it
        return
    except store.StoreError as exc:
        st.error(t("mu_refused", lang, reason=_why(exc, lang)))
        return
    bases.pop(key, None)
    st.session_state[FLASH] = t("mu_saved", lang, version=saved)
    st.rerun()  # the list again, from the database


def _decide(con, me: dict, task: dict, year: int, period: str, lang: str) -> None:
    step = task["step"]
    kinds = {"approver": ["approve", "return"] if step != "accept" else [],
             "province_office": ["accept", "return"] if step == "approve" else
             ["reopen"] if step == "accept" else []}.get(me["role"], [])
    if not kinds or not task["version"]:
        return
    base = f"{task['action_id']}/{year}/{period}/{task['version']}"
    key = f"{base}/{step}"  # a new step: an empty reason field and new event ids
    reason = st.text_input(t("mu_reason", lang), key=f"rn_{key}")
    cols = st.columns(len(kinds))
    for col, kind in zip(cols, kinds, strict=True):  # the database decides whether it may be done
        if col.button(t(f"mu_{kind}", lang), key=f"{kind}_{base}"):
            if kind in ("return", "reopen") and not reason.strip():
                st.warning(t("mu_need_reason", lang))
                return
            try:
                store.decide(con, me["id"], task["action_id"], year, period, int(task["version"]),
                             kind, reason.strip() if kind in ("return", "reopen") else None,
                             _entry_id(f"{kind}/{key}"))
            except store.StoreError as exc:
                st.error(t("mu_refused", lang, reason=_why(exc, lang)))
                return
            st.session_state[FLASH] = t("mu_done", lang, what=t(f"mu_{kind}", lang))
            st.rerun()


def main() -> None:
    lang = st.session_state.get("lang", "vi")  # the sidebar's language switch (app.py)
    me = st.session_state.get(auth.USER_KEY)
    if not me:
        return
    st.title(t("page_report_entry", lang))
    if flash := st.session_state.pop(FLASH, None):  # what the last click did, after its rerun
        st.success(flash)
    with auth.db() as con:
        c1, c2 = st.columns(2)
        try:
            years = store.years(con, me["id"]) or [date.today().year]
            now = [y for y in years if y <= date.today().year]  # the latest plan year begun
            year = c1.selectbox(t("mu_year", lang), years, key="mu_year",
                                index=years.index(now[0]) if now else 0)
            period = c2.selectbox(t("mu_period", lang), list(PERIODS),
                                  format_func=lambda p: PERIODS[p][lang == "en"], key="mu_period")
            tasks = store.tasks(con, me["id"], int(year), period)
        except store.NotSignedIn:
            auth.signed_out()
            st.warning(t("mu_expired", lang))
            return
        if not tasks:
            st.info(t("mu_no_tasks", lang))
        for task in tasks:
            step = task["step"] if task["version"] else "none"
            head = f"{task['action_id']} — {task['text'][:90]} · {task['unit']}"
            with st.expander(head, expanded=me["role"] == "reporter"):
                st.caption(f"{t('mu_step', lang)}: {t('mu_step_' + step, lang)}"
                           + (f" — {task['step_reason']}" if task["step_reason"] else ""))
                if task["version"]:
                    pct = "–" if task["percent_done"] is None else task["percent_done"]
                    who = t("mu_version", lang, version=task["version"], who=task["saved_by"])
                    st.caption(f"{who} · {_label(task['status'], lang)} · {pct}% · "
                               f"{fmt.date(task['reported_on'], lang)}")
                if me["role"] == "reporter" and step not in ("approve", "accept"):
                    _report_form(con, me, task, int(year), period, lang)
                elif me["role"] in ("approver", "province_office"):
                    _decide(con, me, task, int(year), period, lang)
        plan_entry.section(con, me, lang)


main()
