"""What the app does in the write store, as one end user per transaction, under the database's rules."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from psycopg.rows import dict_row


class StoreError(Exception):
    """A save the database refused; `message` is for the user, `sqlstate` says which rule."""

    def __init__(self, message: str, sqlstate: str | None = None, detail: dict | None = None):
        super().__init__(message)
        self.sqlstate, self.detail = sqlstate, detail or {}


class StaleEdit(StoreError):
    """Someone saved a newer version first; `detail` holds it (nothing of theirs was lost)."""


class Forbidden(StoreError):
    """Not this user's unit or role: nothing changed."""


class Locked(StoreError):
    """Approved or accepted: the task-period cannot change now."""


class NotSignedIn(StoreError):
    """No session, an expired one, or a disabled user."""


_KINDS = {"40001": StaleEdit, "42501": Forbidden, "55000": Locked, "28000": NotSignedIn}


def connect(dsn: str) -> psycopg.Connection[Any]:
    return psycopg.connect(dsn, row_factory=dict_row)


@contextlib.contextmanager
def as_user(con: psycopg.Connection[Any], user_id: int) -> Iterator[psycopg.Connection[Any]]:
    """One transaction as end user `user_id` (set_config … local: gone at commit/rollback).
    A refusal by the database becomes a StoreError subclass; the transaction rolls back."""
    try:
        with con.transaction():
            con.execute("SELECT set_config('papi.user_id', %s, true)", (str(int(user_id)),))
            yield con
    except psycopg.errors.Error as exc:
        diag = exc.diag
        kind = _KINDS.get(exc.sqlstate or "", StoreError)
        detail: dict = {}
        if diag.message_detail:
            with contextlib.suppress(ValueError):
                detail = json.loads(diag.message_detail)
        raise kind(diag.message_primary or str(exc), exc.sqlstate, detail) from exc


@dataclass
class Entry:
    """One save of a task's report for a period, based on the version the user saw."""

    action_id: str
    year: int
    period: str
    based_on: int
    status: str
    percent_done: int | None
    result: str | None
    evidence_note: str | None
    reported_on: date
    id: str = ""

    def __post_init__(self) -> None:
        self.id = self.id or str(uuid.uuid4())  # made once by the client; a retry reuses it


def save_report(con: psycopg.Connection[Any], user_id: int, e: Entry) -> int:
    """Save `e` as `user_id`; the new version (a retry of the same id: the version it made)."""
    with as_user(con, user_id):
        con.execute(
            "INSERT INTO papi.report (id, action_id, year, period, version, based_on, status, "
            "percent_done, result, evidence_note, reported_on, unit_id, user_id) VALUES (%s, %s, "
            "%s, %s, %s, %s, %s, %s, %s, %s, %s, 0, 0)",
            (e.id, e.action_id, e.year, e.period, e.based_on + 1, e.based_on, e.status,
             e.percent_done, e.result, e.evidence_note, e.reported_on))
        row = con.execute("SELECT version FROM papi.report WHERE id = %s", (e.id,)).fetchone()
    if row is None:
        raise Forbidden(f"report {e.id} not saved", "42501")
    return int(row["version"])


def decide(con: psycopg.Connection[Any], user_id: int, action_id: str, year: int, period: str,
           version: int, kind: str, reason: str | None = None, event_id: str | None = None) -> str:
    """Approve / return / accept / reopen version `version` of a task-period; the event id."""
    event_id = event_id or str(uuid.uuid4())
    with as_user(con, user_id):
        con.execute(
            "INSERT INTO papi.approval (id, action_id, year, period, version, kind, reason, "
            "unit_id, user_id) VALUES (%s, %s, %s, %s, %s, %s, %s, 0, 0)",
            (event_id, action_id, year, period, version, kind, reason))
    return event_id


TASKS_SQL = """
SELECT a.action_id, a.plan_id, a.seq, a.dimension, a.text, a.due_on, a.lead_unit,
       u.name AS unit, r.version, r.status, r.percent_done, r.result, r.evidence_note,
       r.reported_on, r.created_at AS saved_at, w.name AS saved_by,
       coalesce(e.kind, '') AS step, e.reason AS step_reason
FROM papi.action a
JOIN papi.unit u ON u.id = a.unit_id
LEFT JOIN LATERAL (SELECT * FROM papi.report r WHERE r.action_id = a.action_id AND r.year = %(y)s
                   AND r.period = %(p)s ORDER BY r.version DESC LIMIT 1) r ON true
LEFT JOIN papi.app_user w ON w.id = r.user_id
LEFT JOIN LATERAL (SELECT kind, reason FROM papi.approval e WHERE e.action_id = a.action_id
                   AND e.year = %(y)s AND e.period = %(p)s ORDER BY e.seq DESC LIMIT 1) e ON true
ORDER BY a.action_id
"""


def tasks(con: psycopg.Connection[Any], user_id: int, year: int, period: str) -> list[dict]:
    """The tasks this user may see (row-level security decides), each with its latest report
    for the period and the last workflow step."""
    with as_user(con, user_id):
        return con.execute(TASKS_SQL, {"y": year, "p": period}).fetchall()


def years(con: psycopg.Connection[Any], user_id: int) -> list[int]:
    """The plan years this user can see, latest first."""
    with as_user(con, user_id):
        rows = con.execute("SELECT DISTINCT year FROM papi.plan ORDER BY year DESC").fetchall()
    return [int(r["year"]) for r in rows]


def me(con: psycopg.Connection[Any], user_id: int) -> dict | None:
    """The signed-in user's name, role, unit and province (None: unknown or disabled)."""
    with as_user(con, user_id):
        return con.execute(
            "SELECT m.id, u.name, m.role, m.province_code, un.name AS unit FROM papi.me() m "
            "JOIN papi.app_user u ON u.id = m.id JOIN papi.unit un ON un.id = m.unit_id").fetchone()


def save_plan(con: psycopg.Connection[Any], user_id: int, plan: dict, actions: list[dict]) -> int:
    """Store a plan read in the app as the province office `user_id` (its province only, the
    author recorded); the number of tasks stored. A plan already stored is refused."""
    with as_user(con, user_id):
        row = con.execute("SELECT papi.store_plan(%s, %s) AS n",
                          (json.dumps(plan, default=str), json.dumps(actions, default=str))
                          ).fetchone()
    return int(row["n"]) if row else 0


@dataclass
class Fix:
    """A person's correction of one action: the values changed (None: unchanged)."""

    action_id: str
    dimension: str | None
    lead_units: str | None
    coordinating_units: str | None
    deadline: str | None
    note: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        self.id = self.id or str(uuid.uuid4())


def correct_action(con: psycopg.Connection[Any], user_id: int, f: Fix) -> str:
    """Record correction `f` as `user_id` (append-only; a retry of the same id is a no-op)."""
    with as_user(con, user_id):
        con.execute(
            "INSERT INTO papi.plan_correction (id, action_id, dimension, lead_units, "
            "coordinating_units, deadline, note, unit_id, user_id) VALUES (%s, %s, %s, %s, %s, "
            "%s, %s, 0, 0)", (f.id, f.action_id, f.dimension, f.lead_units,
                               f.coordinating_units, f.deadline, f.note))
    return f.id


PLAN_ACTIONS_SQL = """
SELECT a.action_id, a.plan_id, a.seq, a.text,
       coalesce(f.dimension, a.dimension) AS dimension,
       coalesce(f.lead_units, a.lead_unit) AS lead_units,
       coalesce(f.coordinating_units, a.coordinating_units) AS coordinating_units,
       coalesce(f.deadline, to_char(a.due_on, 'DD/MM/YYYY')) AS deadline,
       w.name AS corrected_by, f.created_at AS corrected_at
FROM papi.action a
LEFT JOIN papi.correction_in_force f USING (action_id)
LEFT JOIN papi.app_user w ON w.id = f.user_id
WHERE a.plan_id = %s
ORDER BY a.seq
"""


def plan_actions(con: psycopg.Connection[Any], user_id: int, plan_id: str) -> list[dict]:
    """A plan's actions as they stand: the latest correction over what was read, and who made it."""
    with as_user(con, user_id):
        return con.execute(PLAN_ACTIONS_SQL, (plan_id,)).fetchall()


def plans(con: psycopg.Connection[Any], user_id: int) -> list[dict]:
    """The plans this user can see, latest year first, with who loaded them."""
    with as_user(con, user_id):
        return con.execute("SELECT plan_id, number, year, loaded_by FROM papi.plan "
                           "ORDER BY year DESC, plan_id").fetchall()
