"""A local PostgreSQL cluster in a folder: unix socket only, run as an unprivileged system user."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PG_USER = os.environ.get("PAPI_PG_OS_USER", "papi-pg")  # created by scripts/setup-system.sh
SUPERUSER = "papi_owner"
DBNAME = "papi"
DEFAULT_PORT = 5432


class ClusterError(RuntimeError):
    """The cluster cannot be created or started; the message says why and what to do."""


def bin_dir() -> Path | None:
    """Folder of Debian's PostgreSQL binaries (env PAPI_PG_BIN, else the newest installed)."""
    env = os.environ.get("PAPI_PG_BIN")
    if env:
        return Path(env) if (Path(env) / "initdb").exists() else None
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_user() -> list[str]:
    """Command prefix that drops root to PG_USER (postgres refuses to run as root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        raise ClusterError(f"system user {PG_USER} missing: PostgreSQL refuses to run as root; "
                           "run `make setup-system` (it creates it)") from None
    return ["setpriv", f"--reuid={PG_USER}", f"--regid={PG_USER}", "--init-groups",
            "--reset-env"]


def _chown(path: Path) -> None:
    if os.geteuid() == 0:
        pw = pwd.getpwnam(PG_USER)
        os.chown(path, pw.pw_uid, pw.pw_gid)


@dataclass
class Cluster:
    """A cluster in `data_dir`; its socket lives in the same folder."""

    data_dir: Path
    port: int = DEFAULT_PORT
    tcp: str | None = None  # a listen address (e.g. 127.0.0.1) only when asked

    def dsn(self, user: str = SUPERUSER) -> str:
        return f"host={self.data_dir.resolve()} port={self.port} dbname={DBNAME} user={user}"

    @property
    def exists(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def _bin(self, name: str) -> str:
        b = bin_dir()
        if b is None:
            raise ClusterError("PostgreSQL binaries not found (install Debian's `postgresql` "
                               "package: `make setup-system`)")
        return str(b / name)

    def init(self) -> bool:
        """Create the cluster if absent (True when created)."""
        if self.exists:
            return False
        if os.geteuid() == 0 and _as_user():  # the server's user must reach its folder
            uid = pwd.getpwnam(PG_USER).pw_uid
            for parent in self.data_dir.resolve().parents:
                st = parent.stat() if parent.exists() else None
                if st and not st.st_mode & 0o001 and st.st_uid != uid:
                    raise ClusterError(f"{parent} is closed to other users, so {PG_USER} cannot "
                                       f"reach {self.data_dir}: choose a folder below an open one "
                                       f"(e.g. /srv/papi-pg) or `chmod o+x {parent}`")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)
        _chown(self.data_dir)
        run = subprocess.run(
            [*_as_user(), self._bin("initdb"), "-D", str(self.data_dir.resolve()), "-U", SUPERUSER,
             "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"],
            capture_output=True, text=True, check=False)
        if run.returncode != 0:
            raise ClusterError(f"initdb failed in {self.data_dir}: {run.stderr.strip()[-800:]}")
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as f:
            f.write("\n# papi: socket only (TCP only when asked with --tcp)\n"
                    f"unix_socket_directories = '{self.data_dir.resolve()}'\n"
                    "unix_socket_permissions = 0700\n"
                    "max_connections = 300\n")
        return True

    @property
    def pid(self) -> int | None:
        """The postmaster's process id if it is running."""
        try:
            pid = int((self.data_dir / "postmaster.pid").read_text().split()[0])
            os.kill(pid, 0)
        except (FileNotFoundError, ValueError, IndexError, ProcessLookupError):
            return None
        except PermissionError:
            pass
        return pid

    def _options(self) -> list[str]:
        listen = self.tcp or ""
        return ["-c", f"listen_addresses={listen}", "-p", str(self.port)]

    def start(self, timeout: float = 60.0) -> int:
        """Start the server in the background (no-op when running); its pid."""
        if (pid := self.pid) is not None:
            return pid
        log = self.data_dir / "server.log"
        cmd = [*_as_user(), self._bin("pg_ctl"), "start", "-D", str(self.data_dir.resolve()),
               "-l", str(log.resolve()), "-w", "-t", str(int(timeout)),
               "-o", " ".join(f"'{o}'" if "=" in o else o for o in self._options())]
        run = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if run.returncode != 0 or self.pid is None:
            tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
            raise ClusterError(f"PostgreSQL did not start in {self.data_dir}: "
                               f"{run.stderr.strip()} {tail}")
        return self.pid

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the server by its pid (fast shutdown, then immediate if it hangs)."""
        pid = self.pid
        if pid is None:
            return
        os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pid is None:
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGQUIT)
