"""Accounts (argon2 password hashes), units, and sessions stored server-side with an expiry."""

from __future__ import annotations

import csv
import hashlib
import secrets
from datetime import timedelta
from typing import Any

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from etl.paths import REF_DIR

ROLES = ("reporter", "approver", "province_office", "viewer")
SESSION_TTL = timedelta(hours=8)
_HASHER = PasswordHasher()


def provinces_34() -> dict[str, str]:
    """The 34 provinces since 01/07/2025: code → Vietnamese name."""
    with open(REF_DIR / "provinces.csv", encoding="utf-8") as f:
        return {r["code"]: r["name_vi"] for r in csv.DictReader(f) if r["vintage"] == "34"}


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ValueError("mật khẩu cần ít nhất 8 ký tự / the password needs at least 8 characters")
    return _HASHER.hash(password)


def ensure_unit(con: psycopg.Connection, province_code: str, name: str | None) -> int:
    """The id of unit `name` of the province (the province office's unit when name is None),
    created with the province as parent when missing."""
    provinces = provinces_34()
    if province_code not in provinces:
        raise ValueError(f"mã tỉnh {province_code!r} không thuộc 34 tỉnh, thành phố / not one of "
                         f"the 34 province codes ({', '.join(sorted(provinces))})")
    top = f"Văn phòng UBND {provinces[province_code]}"
    row = con.execute("INSERT INTO papi.unit (province_code, kind, name) VALUES (%s, 'province', "
                      "%s) ON CONFLICT (province_code, name) DO UPDATE SET kind = EXCLUDED.kind "
                      "RETURNING id", (province_code, top)).fetchone()
    parent = _one(row)
    if name is None or name.strip() == top:
        return parent
    kind = "commune" if name.strip().lower().startswith(("xã", "phường", "đặc khu")) else "department"
    row = con.execute("INSERT INTO papi.unit (province_code, kind, name, parent_id) VALUES (%s, %s, "
                      "%s, %s) ON CONFLICT (province_code, name) DO UPDATE SET parent_id = "
                      "papi.unit.parent_id RETURNING id", (province_code, kind, name.strip(), parent)
                      ).fetchone()
    return _one(row)


def _one(row: Any) -> Any:
    """The first value of a row that INSERT … RETURNING or a scalar function always gives."""
    if row is None:
        raise RuntimeError("the database returned no row")
    return row[0] if not isinstance(row, dict) else next(iter(row.values()))


def add_user(con: psycopg.Connection, name: str, password: str | None, province_code: str,
             unit: str | None, role: str, oidc: str | None = None) -> int:
    """Create user `name` (admin connection); its id. `oidc`: the identity provider's e-mail or
    subject that signs in as this account; such an account may have no password (None)."""
    if role not in ROLES:
        raise ValueError(f"vai trò {role!r} không hợp lệ / unknown role; one of {', '.join(ROLES)}")
    with con.transaction():
        unit_id = ensure_unit(con, province_code, None if role == "province_office" else unit)
        row = con.execute("INSERT INTO papi.app_user (name, password_hash, unit_id, role, "
                          "oidc_subject) VALUES (%s, %s, %s, %s, %s) RETURNING id",
                          (name, _password_or_none(password, oidc), unit_id, role,
                           oidc_key(oidc) if oidc else None)).fetchone()
    return _one(row)


def _password_or_none(password: str | None, oidc: str | None) -> str:
    """The hash of `password`; an OIDC-only account gets one of a random secret nobody knows."""
    if password is None or (oidc and password == ""):
        if not oidc:
            raise ValueError("cần mật khẩu hoặc --oidc / a password or --oidc is needed")
        password = secrets.token_urlsafe(32)
    return hash_password(password)


def oidc_key(value: str) -> str:
    """How an identity provider's identifier is stored and compared: trimmed; an e-mail lower-case."""
    value = value.strip()
    return value.lower() if "@" in value else value


def oidc_candidates(user: Any) -> list[str]:
    """The identifiers of a person signed in through OIDC (st.user or its dict), e-mail first
    (unless the provider says it is unverified), then the subject; empty when there is none."""
    get = user.get if hasattr(user, "get") else (lambda k: getattr(user, k, None))
    email = get("email") if get("email_verified") is not False else None  # unverified: not theirs
    out = [oidc_key(str(v)) for v in (email, get("sub")) if isinstance(v, str) and v.strip()]
    return list(dict.fromkeys(out))


def login_oidc(con: psycopg.Connection, user: Any, ttl: timedelta = SESSION_TTL) -> str | None:
    """A new session token for the enabled account linked to an OIDC user, else None (an
    unknown subject or a disabled account)."""
    subjects = oidc_candidates(user)
    if not subjects:
        return None
    with con.transaction():
        row = con.execute("SELECT * FROM papi.oidc_login_info(%s)", (subjects,)).fetchone()
    if row is None:
        return None
    uid, enabled = (row["id"], row["enabled"]) if isinstance(row, dict) else row
    if not enabled:
        return None
    return _open_session(con, uid, ttl)


def disable_user(con: psycopg.Connection, name: str) -> bool:
    """Disable `name` and revoke their sessions (admin connection); False if unknown."""
    with con.transaction():
        row = con.execute("UPDATE papi.app_user SET enabled = false WHERE name = %s RETURNING id",
                          (name,)).fetchone()
        if row is None:
            return False
        con.execute("UPDATE papi.session SET revoked = true WHERE user_id = %s", (_one(row),))
    return True


def _open_session(con: psycopg.Connection, uid: int, ttl: timedelta) -> str:
    """A new session of user `uid`: the token for the browser, only its hash stored."""
    token = secrets.token_urlsafe(32)
    with con.transaction():
        con.execute("SELECT papi.session_open(%s, %s, %s)", (uid, _token_hash(token), ttl))
    return token


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login(con: psycopg.Connection, name: str, password: str,
          ttl: timedelta = SESSION_TTL) -> str | None:
    """A new session token for a right name and password of an enabled user, else None.
    Only the token's hash is stored; the token goes to the browser."""
    with con.transaction():
        row = con.execute("SELECT * FROM papi.login_info(%s)", (name,)).fetchone()
    if row is None:
        _HASHER.hash(password)  # same time whether or not the name exists
        return None
    uid, stored, enabled = (row["id"], row["password_hash"], row["enabled"]) if isinstance(
        row, dict) else row
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if not enabled:
        return None
    return _open_session(con, uid, ttl)


def session_user(con: psycopg.Connection, token: str | None) -> int | None:
    """The user id of a live session token (None: unknown, expired, revoked, user disabled)."""
    if not isinstance(token, str) or not token:
        return None
    with con.transaction():
        row = con.execute("SELECT papi.session_user_id(%s) AS uid", (_token_hash(token),)).fetchone()
    uid = _one(row)
    return int(uid) if uid is not None else None


def logout(con: psycopg.Connection, token: str) -> None:
    with con.transaction():
        con.execute("SELECT papi.session_close(%s)", (_token_hash(token),))
