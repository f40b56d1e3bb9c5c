"""Kế hoạch / Plans, in the report-entry page for the province office: load a plan file (the
review table first, stored on confirm) and correct an action; the author is the database's."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from etl.pg import bridge, store
from etl.plans.corrections import ONGOING
from etl.plans.due import parse_due
from etl.plans.model import Plan
from etl.plans.text import fold

PARSED = "mu_plan_parsed"  # (upload id, Plan or error text) of the file in the uploader
DIMENSIONS = [f"D{i}" for i in range(1, 9)] + ["GENERAL"]


def review_frame(plan: Plan, lang: str) -> pd.DataFrame:
    """The review table of `papi plan parse`: action, dimension, lead, coordinating, deadline,
    doubts."""
    def due(a) -> str:
        if a.due is None:
            return "–"
        if a.due.on:
            return a.due.on.strftime("%d/%m/%Y")
        return t("mu_plan_due_invalid" if a.due.invalid else "mu_plan_due_ongoing", lang)

    return pd.DataFrame({
        t("mu_plan_seq", lang): [a.seq for a in plan.actions],
        t("mu_plan_action", lang): [a.text for a in plan.actions],
        t("mu_plan_dimension", lang): [a.dimension for a in plan.actions],
        t("mu_plan_lead", lang): ["; ".join(a.lead_units) or "–" for a in plan.actions],
        t("mu_plan_coord", lang): ["; ".join(a.coordinating_units) or "–" for a in plan.actions],
        t("mu_plan_deadline", lang): [due(a) for a in plan.actions],
        t("mu_plan_doubts", lang): ["; ".join(a.doubts) or "–" for a in plan.actions]})


def _parse(upload) -> Plan | str:
    """The uploaded file read by etl.plans.parse (a clear message when it cannot be)."""
    from etl.plans.parse import parse_plan
    from etl.problems import InputError

    with tempfile.TemporaryDirectory(prefix="papi-upload-") as tmp:
        path = Path(tmp) / f"upload{Path(upload.name).suffix.lower()}"
        path.write_bytes(upload.getvalue())
        try:
            return parse_plan(path)
        except InputError as exc:
            return "; ".join(p.describe().replace(str(path), upload.name) for p in exc.problems)


def _load(con, me: dict, lang: str) -> None:
    upload = st.file_uploader(t("mu_plan_upload", lang), type=["docx", "pdf", "xlsx", "txt"],
                              key="mu_plan_file")
    if upload is None:
        st.session_state.pop(PARSED, None)
        return
    got = st.session_state.get(PARSED)
    if not got or got[0] != upload.file_id:
        got = st.session_state[PARSED] = (upload.file_id, _parse(upload))
    plan = got[1]
    if isinstance(plan, str):
        st.error(t("mu_plan_unreadable", lang, name=upload.name, why=plan))
        return
    doubtful = sum(bool(a.doubts) for a in plan.actions)
    st.caption(t("mu_plan_read", lang, number=plan.number or plan.plan_id, n=len(plan.actions),
                 doubtful=doubtful))
    st.dataframe(review_frame(plan, lang), hide_index=True, key="mu_plan_review")
    if st.button(t("mu_plan_store", lang), key="mu_plan_store"):
        try:
            head, acts = bridge.plan_rows(plan)
            n = store.save_plan(con, me["id"], head, acts)
        except ValueError as exc:
            st.error(str(exc))
            return
        except store.StoreError as exc:
            st.error(t("mu_refused", lang, reason=_why(exc, lang)))
            return
        st.success(t("mu_plan_stored", lang, plan=head["plan_id"], n=n, who=me["name"]))


def _why(exc: store.StoreError, lang: str) -> str:
    """The database's refusal in the user's language (its own words kept in brackets)."""
    key = "mu_err_exists" if exc.sqlstate == "23505" else f"mu_err_{type(exc).__name__}"
    try:
        return f"{t(key, lang)} ({exc})"
    except KeyError:
        return str(exc)


def _deadline_ok(value: str, year: int) -> bool:
    if not value or fold(value) in ONGOING:
        return True
    due = parse_due(value, year)
    return due is not None and not due.invalid


def _correct(con, me: dict, lang: str) -> None:
    plans = store.plans(con, me["id"])
    if not plans:
        return
    pick = st.selectbox(t("mu_plan_pick", lang), plans, key="mu_fix_plan",
                        format_func=lambda p: f"{p['number'] or '–'} ({p['year']}) · {p['plan_id']}")
    acts = store.plan_actions(con, me["id"], pick["plan_id"])
    if not acts:
        return
    a = st.selectbox(t("mu_plan_action", lang), acts, key="mu_fix_action",
                     format_func=lambda x: f"{x['seq']}. {x['text'][:90]}")
    if a["corrected_by"]:
        st.caption(t("mu_plan_corrected_by", lang, who=a["corrected_by"],
                     at=f"{a['corrected_at']:%d/%m/%Y %H:%M}"))
    key = a["action_id"]
    with st.form(f"mu_fix_{key}"):
        dim = st.selectbox(t("mu_plan_dimension", lang), DIMENSIONS, key=f"fd_{key}",
                           index=DIMENSIONS.index(a["dimension"]) if a["dimension"] in
                           DIMENSIONS else 0)
        lead = st.text_input(t("mu_plan_lead", lang), a["lead_units"] or "", key=f"fl_{key}")
        coord = st.text_input(t("mu_plan_coord", lang), a["coordinating_units"] or "",
                              key=f"fc_{key}")
        deadline = st.text_input(t("mu_plan_deadline_in", lang), a["deadline"] or "",
                                 key=f"fdl_{key}")
        note = st.text_input(t("mu_plan_note", lang), key=f"fn_{key}")
        go = st.form_submit_button(t("mu_plan_fix", lang))
    if not go:
        return
    if not _deadline_ok(deadline.strip(), int(pick["year"])):
        st.error(t("mu_plan_bad_deadline", lang, value=deadline))
        return
    given = {"dimension": dim, "lead_units": lead, "coordinating_units": coord,
             "deadline": deadline}
    changed = {k: v.strip() for k, v in given.items() if v.strip() != (a[k] or "").strip()}
    if not any(changed.values()):  # only what was changed is stored: the rest stays as read
        st.info(t("mu_plan_unchanged", lang))
        return
    ids = st.session_state.setdefault("mu_fix_ids", {})
    slot = f"{key}/{sorted(changed.items())}/{note}"
    fix = store.Fix(key, changed.get("dimension") or None, changed.get("lead_units") or None,
                    changed.get("coordinating_units") or None, changed.get("deadline") or None,
                    note.strip() or None, id=ids.get(slot, ""))
    try:
        store.correct_action(con, me["id"], fix)
    except store.StoreError as exc:
        st.error(t("mu_refused", lang, reason=_why(exc, lang)))
        return
    ids[slot] = fix.id  # the same submit again re-sends this id: a no-op
    st.success(t("mu_plan_fixed", lang, who=me["name"]))


def section(con, me: dict, lang: str) -> None:
    """The plans section: the province office only (the database refuses anyone else)."""
    if me["role"] != "province_office":
        return
    st.header(t("mu_plan_title", lang))
    _load(con, me, lang)
    st.subheader(t("mu_plan_fix_title", lang))
    _correct(con, me, lang)
