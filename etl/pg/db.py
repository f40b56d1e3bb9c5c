"""Where the write store is: env PAPI_PG (an existing server) or the local cluster in data/pg/."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from etl.paths import PROJECT_ROOT
from etl.pg import migrate
from etl.pg.cluster import DBNAME, Cluster

DEFAULT_DIR = PROJECT_ROOT / "data" / "pg"
APP_ROLE = "papi_app"


def local_cluster(data_dir: Path | None = None) -> Cluster:
    return Cluster(Path(data_dir or os.environ.get("PAPI_PG_DIR") or DEFAULT_DIR))


def admin_dsn(data_dir: Path | None = None) -> str:
    """The owner's connection (migrations, `papi users`, `papi db`): PAPI_PG, else the local one."""
    return os.environ.get("PAPI_PG") or local_cluster(data_dir).dsn()


def app_dsn(data_dir: Path | None = None) -> str:
    """The app's connection: role papi_app (owns nothing, under row-level security).
    PAPI_PG_APP when set, else the admin connection with user=papi_app (and no password)."""
    if os.environ.get("PAPI_PG_APP"):
        return os.environ["PAPI_PG_APP"]
    params = conninfo_to_dict(admin_dsn(data_dir))
    params.pop("password", None)
    params["user"] = APP_ROLE
    return make_conninfo("", **params)


def ensure_database(dsn: str) -> bool:
    """Create the database named in `dsn` if missing (connecting to 'postgres'); True if made."""
    params = conninfo_to_dict(dsn)
    name = params.get("dbname") or DBNAME
    with psycopg.connect(make_conninfo("", **{**params, "dbname": "postgres"}),
                         autocommit=True) as con:
        if con.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(name))))
    return True


def init(data_dir: Path | None = None, tcp: str | None = None, port: int | None = None) -> dict:
    """Create/start the local cluster (unless PAPI_PG), create the database, apply migrations.
    Idempotent; what was done."""
    done: dict[str, object] = {}
    if not os.environ.get("PAPI_PG"):
        c = local_cluster(data_dir)
        if tcp:
            c.tcp = tcp
        if port:
            c.port = port
        done["created"] = c.init()
        done["pid"] = c.start()
        done["dir"] = str(c.data_dir)
    done["database_created"] = ensure_database(admin_dsn(data_dir))
    done["migrations"] = migrate.apply(admin_dsn(data_dir))
    return done
