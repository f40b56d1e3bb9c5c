"""Security checks as tests: parameterised SQL, XSRF protection, no secrets, neutralised exports."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

from dashboard.export.tables import neutralise

ROOT = Path(__file__).resolve().parents[2]
# Statements whose SQL text is built with an f-string from constants we control (schema and
# table names of the build itself, never user text): file:function they appear in.
CONSTANT_IDENTIFIERS = {
    "etl/steps/warehouse.py:_build", "etl/steps/warehouse.py:write_meta",
    "etl/steps/table.py:store_frame",  # the build's own table and column names
    "etl/readers/tidy_stream.py:read",  # column names c0, c1, … built from integers only
    "etl/pg/db.py:ensure_database",  # CREATE DATABASE takes no parameter: sql.Identifier quotes it
}


def _sql_calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    funcs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    for func in funcs:
        for node in ast.walk(func):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("execute", "executemany", "sql", "query")
                    and node.args):
                yield func.name, node.lineno, node.args[0]


def _dynamic(arg: ast.expr) -> bool:
    if isinstance(arg, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in arg.values)
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod | ast.Add):
        return not (isinstance(arg.left, ast.Constant) and isinstance(arg.right, ast.Constant))
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format":
        return True
    return False


def test_no_sql_built_from_user_text() -> None:
    found = []
    for path in sorted([*ROOT.glob("etl/**/*.py"), *ROOT.glob("dashboard/**/*.py")]):
        rel = path.relative_to(ROOT).as_posix()
        for func, line, arg in _sql_calls(path):
            if _dynamic(arg) and f"{rel}:{func}" not in CONSTANT_IDENTIFIERS:
                found.append(f"{rel}:{line} in {func}()")
    assert found == [], "SQL text built dynamically (use ? parameters): " + ", ".join(found)


def test_dashboard_queries_are_parameterised() -> None:
    """dashboard/data.py is the only duckdb importer and passes params separately."""
    importers = [p.relative_to(ROOT).as_posix() for p in ROOT.glob("dashboard/**/*.py")
                 if re.search(r"^\s*(import duckdb|from duckdb)", p.read_text(encoding="utf-8"), re.M)]
    assert importers == ["dashboard/data.py"]


def _tracked() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / p for p in out.decode().split("\0") if p]


def test_streamlit_xsrf_protection_not_disabled() -> None:
    pattern = re.compile(r"enableXsrfProtection\s*[=:]\s*[\"']?false", re.IGNORECASE)
    flag = re.compile(r"(server\.enable_?xsrf_?protection|enableXsrfProtection)[\s=]+false", re.I)
    bad = []
    for path in _tracked() + list(ROOT.glob(".streamlit/*.toml")) + list(ROOT.glob("*/.streamlit/*.toml")):
        if not path.is_file() or path.suffix in (".xlsx", ".xlsm", ".duckdb", ".png", ".pdf"):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if "tests/reliability/" in path.as_posix():
            continue
        if pattern.search(text) or flag.search(text):
            bad.append(path.relative_to(ROOT).as_posix())
    assert bad == []


SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY"),
    "AWS key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "GitHub token": re.compile(r"gh[pousr]_[A-Za-z0-9]{36}"),
    "Slack token": re.compile(r"xox[abpr]-[A-Za-z0-9-]{10,}"),
    "password assignment": re.compile(
        r"(?i)\b(password|passwd|pwd|secret|api_?key|token)\b\s*[:=]\s*[\"'][^\"'\s]{6,}[\"']"),
}


def test_no_secrets_in_tracked_files() -> None:
    hits = []
    for path in _tracked():
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        if "tests/reliability/" in path.as_posix():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for what, rx in SECRET_PATTERNS.items():
            if m := rx.search(text):
                hits.append(f"{path.relative_to(ROOT)}: {what}: {m.group(0)[:20]}…")
    assert hits == []


@pytest.mark.parametrize("value", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1",
                                   "=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0"])
def test_exported_formula_text_is_neutralised(value: str) -> None:
    out = neutralise(value)
    assert out == "'" + value


@pytest.mark.parametrize("value", ["Hà Nội", "1.5", 1.5, 3, None, "", "a=b"])
def test_harmless_values_unchanged(value) -> None:
    assert neutralise(value) == value


# --- issue 13: friendly errors, links out of the input folder, launcher settings ------------

APP = ROOT / "dashboard" / "app.py"
LEAKS = ("Traceback", "SELECT", "mart.", "duckdb", ".duckdb", "/tmp", "Error:")


def _app_text(monkeypatch, db: Path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PAPI_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    shown = [str(e.value) for e in (*at.error, *at.markdown, *at.warning, *at.info, *at.title)]
    return at, shown


def test_incomplete_warehouse_shows_a_friendly_error(monkeypatch, tmp_path: Path, demo_db: Path,
                                                     caplog) -> None:
    """A warehouse whose marts exist but whose reference tables are gone: no traceback, path
    or SQL in the page; the details are in the server log."""
    import shutil

    import duckdb

    db = tmp_path / "incomplete.duckdb"
    shutil.copy(demo_db, db)
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE ref.province")
    con.execute("DROP TABLE ref.item")
    con.close()
    with caplog.at_level("ERROR", logger="papi.dashboard"):
        at, shown = _app_text(monkeypatch, db)
    assert not at.exception, [e.value for e in at.exception]
    [err] = [e.value for e in at.error]
    assert err.startswith("Không hiển thị được trang này") and "mã lỗi" in err
    assert not [s for s in shown for leak in LEAKS if leak in s], shown
    assert any("page failed" in r.getMessage() and r.exc_info for r in caplog.records)


def test_truncated_warehouse_shows_a_friendly_error(monkeypatch, tmp_path: Path,
                                                    demo_db: Path, caplog) -> None:
    db = tmp_path / "truncated.duckdb"
    db.write_bytes(demo_db.read_bytes()[:100_000])
    with caplog.at_level("ERROR", logger="papi.dashboard"):
        at, shown = _app_text(monkeypatch, db)
    assert not at.exception
    assert [e.value[:29] for e in at.error] == ["Không hiển thị được trang này"]
    assert not [s for s in shown for leak in LEAKS if leak in s], shown
    assert any(str(db) in r.getMessage() for r in caplog.records)  # the server log has it


def test_streamlit_config_hides_error_details() -> None:
    import tomllib

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["client"]["showErrorDetails"] == "none"
    assert cfg["server"]["enableXsrfProtection"] is True


def test_launcher_passes_security_settings_and_port_address() -> None:
    from dashboard import launch

    cmd = launch.command({"PORT": "9123", "ADDRESS": "0.0.0.0"})
    pairs = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert cmd[1:5] == ["-m", "streamlit", "run", str(APP)]
    assert pairs == {"--server.enableXsrfProtection": "true", "--server.enableCORS": "true",
                     "--server.maxUploadSize": "20", "--client.showErrorDetails": "none",
                     "--client.toolbarMode": "minimal", "--browser.gatherUsageStats": "false",
                     "--server.port": "9123", "--server.address": "0.0.0.0"}
    defaults = dict(zip(*[iter(launch.command({})[5:])] * 2, strict=True))
    assert (defaults["--server.port"], defaults["--server.address"]) == ("8501", "localhost")
    with pytest.raises(SystemExit, match="PORT must be a port number"):
        launch.command({"PORT": "80; rm -rf /"})
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "python -m dashboard.launch" in makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]


def test_launcher_serves_from_another_folder_on_port_and_address(tmp_path: Path,
                                                                 demo_db: Path) -> None:
    """Started outside the repository (no .streamlit/ there), PORT and ADDRESS still apply."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from bench.processes import die_with_parent, stop

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PORT": str(port), "ADDRESS": "127.0.0.1", "PAPI_DB": str(demo_db)}
    log = tmp_path / "launch.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "dashboard.launch", "--server.headless",
                                 "true", "--server.fileWatcherType", "none"], cwd=tmp_path,
                                env={**env, "PYTHONPATH": str(ROOT)}, stdout=out,
                                stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
    try:
        deadline, ok = time.monotonic() + 90, False
        while time.monotonic() < deadline and not ok and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as r:
                    ok = r.status == 200
            except OSError:
                time.sleep(0.5)
        assert ok, log.read_text()[-2000:]
    finally:
        stop([proc.pid], grace=15)
        proc.wait(timeout=5)
