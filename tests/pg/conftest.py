"""A throwaway PostgreSQL cluster for the session (initdb in a temp dir as the unprivileged
user, unix socket only), one fresh database per test cloned from a migrated template."""

from __future__ import annotations

import copy
import itertools
import os
import pwd
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from etl.pg import db, migrate
from etl.pg.cluster import PG_USER, Cluster, _chown, bin_dir

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
TEMPLATE = "papi_template"
SEEDED = "papi_seeded"  # TEMPLATE with pg_seed's province
_serial = itertools.count(1)


def _unavailable() -> str | None:
    if bin_dir() is None:
        return "PostgreSQL binaries not found (Debian package `postgresql`: run `make setup-system`)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(PG_USER)
        except KeyError:
            return f"system user {PG_USER} missing (PostgreSQL refuses root): run `make setup-system`"
    return None


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    why = _unavailable()
    if why:
        if IN_CI:
            pytest.fail(f"CI: {why}")
        pytest.skip(why)

    base = Path(tempfile.mkdtemp(prefix="papi-pgt-"))  # short: a socket path has ≤ 107 bytes
    _chown(base)
    cluster = Cluster(base / "pg")
    try:
        cluster.init()
        cluster.start()
        template = cluster.dsn().replace("dbname=papi", f"dbname={TEMPLATE}")
        db.ensure_database(template)
        migrate.apply(template)
        yield cluster
    finally:
        cluster.stop()  # by the postmaster's pid, even when a test failed
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class Store:
    """One test's database: the owner's and the app's connection strings."""

    cluster: Cluster
    name: str

    def dsn(self, user: str = "papi_owner") -> str:
        return self.cluster.dsn(user).replace("dbname=papi", f"dbname={self.name}")

    @property
    def admin(self) -> str:
        return self.dsn()

    @property
    def app(self) -> str:
        return self.dsn("papi_app")


def _database(cluster: Cluster, template: str) -> Iterator[Store]:
    """A fresh database cloned from `template`, dropped after the test."""
    import psycopg

    name = f"t{os.getpid()}_{next(_serial)}"
    admin = cluster.dsn().replace("dbname=papi", "dbname=postgres")
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    yield Store(cluster, name)
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def store(pg_cluster: Cluster) -> Iterator[Store]:
    yield from _database(pg_cluster, TEMPLATE)


@pytest.fixture(scope="session")
def seeded_template(pg_cluster: Cluster):
    """The migrated template with the small province of pg_seed written once (its six users'
    password hashes took a second a test): the template of store_db, and its Seed."""
    import psycopg
    from pg_seed import seed

    admin = pg_cluster.dsn().replace("dbname=papi", "dbname=postgres")
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {SEEDED} TEMPLATE {TEMPLATE}")
    return seed(pg_cluster.dsn().replace("dbname=papi", f"dbname={SEEDED}"))


@pytest.fixture
def store_db(pg_cluster: Cluster, seeded_template):
    """The test's database with the small province of pg_seed: (store, seed)."""
    for store in _database(pg_cluster, SEEDED):
        yield store, copy.deepcopy(seeded_template)
