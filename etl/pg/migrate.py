"""Apply the versioned SQL files of etl/pg/migrations in order, once each (schema_migrations)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import psycopg

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCK_KEY = 71_222_022  # one migrator at a time


def migrations() -> list[Path]:
    return sorted(MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql"))


def apply(dsn: str) -> list[str]:
    """Apply every migration not yet recorded; the versions applied now (empty: up to date).
    A file that changed after it was applied is an error (a migration is never edited)."""
    done: list[str] = []
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        try:
            con.execute("CREATE TABLE IF NOT EXISTS public.schema_migrations (version text "
                        "PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL "
                        "DEFAULT now())")
            applied: dict[str, str] = dict(con.execute(
                "SELECT version, checksum FROM public.schema_migrations").fetchall())
            for path in migrations():
                version, sql = path.stem, path.read_text(encoding="utf-8")
                digest = hashlib.sha256(sql.encode()).hexdigest()
                if version in applied:
                    if applied[version] != digest:
                        raise RuntimeError(f"migration {path.name} changed after it was applied; "
                                           "add a new numbered file instead")
                    continue
                with con.transaction():
                    con.execute(sql.encode())  # our own files, never user text
                    con.execute("INSERT INTO public.schema_migrations (version, checksum) "
                                "VALUES (%s, %s)", (version, digest))
                done.append(version)
        finally:
            con.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    return done
