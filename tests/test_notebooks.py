"""Issue 6: the analysis notebooks run top to bottom and agree with the dashboard's numbers.

The jupytext percent `.py` files in notebooks/ are the source of truth (no .ipynb is
committed); each is converted with jupytext and executed with nbclient in a python3 kernel
running this venv's interpreter, all notebooks of one warehouse concurrently.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dashboard.i18n import fmt_num

ROOT = Path(__file__).resolve().parent.parent
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(p.name for p in NB_DIR.glob("[0-9][0-9]_*.py"))
EXPECTED = ["01_vi_tri_tinh.py", "02_bien_dong_chi_so.py", "03_hanh_dong_va_diem.py",
            "04_sap_nhap_2025.py"]
PLAN_PROVINCE = "20"  # the demo dataset's province with plans and progress reports
SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ATTACH|COPY)\s|\bFROM\s+\w+\.\w+"
                       r"|read_only|\.execute\(|\bquery\(")


def fmt(value: object, sign: bool = False) -> str:
    """As the notebooks print: 2 decimals, 'NA' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NA"
    return f"{float(value):{'+' if sign else ''}.2f}"


# --- static checks ----------------------------------------------------------------------

def test_the_four_notebooks_exist_as_percent_scripts() -> None:
    assert NOTEBOOKS == EXPECTED
    for name in NOTEBOOKS:
        text = (NB_DIR / name).read_text(encoding="utf-8")
        assert "format_name: percent" in text and "# %%" in text, name
    assert not list(NB_DIR.glob("*.ipynb")) or "*.ipynb" in (NB_DIR / ".gitignore").read_text()


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_reads_only_through_the_query_layer(name: str) -> None:
    text = (NB_DIR / name).read_text(encoding="utf-8")
    imports = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", text, flags=re.M)
    assert "duckdb" not in text.lower(), "no duckdb in notebooks"
    assert not SQL_WORDS.search(text), f"SQL in {name}: {SQL_WORDS.search(text)}"
    assert set(imports) <= {"os", "pandas", "dashboard", "dashboard.notebook_view"}, imports
    assert "from dashboard import charts, data" in text
    assert "VIEW = from_env()" in text, "the view comes from dashboard.notebook_view"
    shared_setup = (NB_DIR.parent / "dashboard" / "notebook_view.py").read_text(encoding="utf-8")
    for env in ("PAPI_DB", "PAPI_PROVINCE", "PAPI_YEAR"):
        assert env in shared_setup, env
    assert "go.Figure(" not in text and "add_trace(" not in text, "use dashboard.charts"


# --- execution --------------------------------------------------------------------------

WARM_UP = """
import ipykernel.kernelapp, jupyter_client, pandas, plotly.graph_objects as go, plotly.io
import dashboard.charts, dashboard.data, dashboard.prep, duckdb
fig = go.Figure(go.Bar(x=[1], y=[1]))
fig.add_scatter(x=[1], y=[1]); fig.add_vline(x=1); fig.add_annotation(text="x")
fig.update_layout(title="t", legend={"orientation": "h"}); fig.to_json()
"""


@pytest.fixture(scope="session")
def kernel_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for the kernels: a python3 kernelspec running this interpreter (found first
    through JUPYTER_PATH) and a warmed bytecode cache (PYTHONDONTWRITEBYTECODE would otherwise
    make every kernel recompile pandas and plotly)."""
    from ipykernel.kernelspec import write_kernel_spec

    base = tmp_path_factory.mktemp("jupyter")
    spec = Path(write_kernel_spec(str(base / "kernels" / "python3")))
    argv = json.loads((spec / "kernel.json").read_text())["argv"]
    assert argv[0] == sys.executable
    dropped = {"PYTHONDONTWRITEBYTECODE", "PAPI_DB", "PAPI_PROVINCE", "PAPI_YEAR"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({
        "JUPYTER_PATH": os.pathsep.join([str(base), *filter(None, [os.environ.get("JUPYTER_PATH")])]),
        "PYTHONPYCACHEPREFIX": str(tmp_path_factory.mktemp("pycache")),
        "PLOTLY_RENDERER": "json",
        "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    })
    subprocess.run([sys.executable, "-c", WARM_UP], env=env, cwd=ROOT, check=True, timeout=300)
    return env


def _execute_all(runs: list[tuple[str, dict[str, str]]], kernel_env: dict[str, str]) -> list[dict]:
    """Execute (notebook, env) runs concurrently; per run: RESULT fields and cell errors."""
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    async def one(name: str, extra: dict[str, str]) -> dict:
        nb = jupytext.read(NB_DIR / name)
        client = NotebookClient(nb, kernel_name="python3", timeout=180,
                                resources={"metadata": {"path": str(NB_DIR)}})
        try:
            await client.async_execute(env={**kernel_env, **extra})
        except CellExecutionError as exc:
            return {"name": name, "error": str(exc)[:3000], "result": None}
        lines = [line for cell in nb.cells if cell.cell_type == "code"
                 for out in cell.get("outputs", []) if out.get("output_type") == "stream"
                 for line in out.get("text", "").splitlines() if line.startswith("RESULT ")]
        result = dict(kv.split("=", 1) for kv in lines[-1].split()[1:]) if lines else None
        vi = [line for cell in nb.cells if cell.cell_type == "code"
              for out in cell.get("outputs", []) if out.get("output_type") == "stream"
              for line in out.get("text", "").splitlines() if line.startswith("VI: ")]
        return {"name": name, "error": None, "result": result, "n_result_lines": len(lines),
                "vi": vi}

    async def main() -> list[dict]:
        # One kernel at a time: kernels started together can race for the same free TCP port
        # ("Address already in use"), which killed a kernel once in CI.
        return [await one(n, e) for n, e in runs]

    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = kernel_env["JUPYTER_PATH"]  # the kernelspec lookup runs here
    try:
        # In a fresh thread: an earlier test (Playwright's sync API) may leave an event loop
        # running in the main thread, where asyncio.run() refuses to start.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, main()).result()
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = saved


def _check(outcomes: list[dict], db: Path, year: int | None = None) -> None:
    """Every notebook ran and its RESULT equals the data module (for `year`, else the latest)."""
    from dashboard import data

    errors = [f"{o['name']}: {o['error']}" for o in outcomes if o["error"]]
    assert not errors, "\n\n".join(errors)
    latest = year or data.years(db)[-1]
    for o in outcomes:
        r = o["result"]
        assert r is not None and o["n_result_lines"] == 1, f"{o['name']}: one RESULT line"
        province, year = r["province"], int(r["year"])
        assert year == latest
        py = data.province_year(year, province, db)
        assert len(py) == 1
        row = py.iloc[0]
        assert r["total"] == fmt(row["total"]), o["name"]
        assert r["rank"] == ("NA" if row["rank"] is None or math.isnan(row["rank"])
                             else str(int(row["rank"]))), o["name"]
        name = o["name"]
        vi_text = " ".join(o["vi"])
        assert not re.search(r"(?<![\w.])\d{1,3}\.\d{2}(?![\d.])", vi_text), vi_text
        if name[:2] in {"01", "04"}:  # their Vietnamese sentence gives the total, comma decimal
            assert fmt_num(row["total"], "vi") in vi_text, vi_text
        if name.startswith("01"):
            assert r["n_ranked"] == str(int(row["n_ranked"]))
            nat = data.national(["TOTAL"], year, db).iloc[0]
            assert r["gap_median"] == fmt(row["total"] - nat["median"], sign=True)
            assert r["gap_best"] == fmt(row["total"] - nat["best_value"], sign=True)
        elif name.startswith("02"):
            hist = data.province_year(province_code=province, path=db).dropna(subset=["total"])
            prev = hist[hist["year"] < year].iloc[-1]
            assert r["prev_year"] == str(int(prev["year"]))
            assert r["total_change"] == fmt(row["total"] - prev["total"], sign=True)
            assert r["ci"] in {"inside", "outside", "none"}
        elif name.startswith("03"):
            prog = data.dimension_progress(province, year, db)
            assert r["n_actions"] == str(int(prog["n_actions"].sum()))
            assert r["n_done"] == str(int((prog["n_done_on_time"] + prog["n_done_late"]).sum()))
        elif name.startswith("04"):
            merge = data.merge_2025(db)
            new = merge.loc[merge["old_code"] == province, "new_code"].iat[0]
            assert r["new_code"] == new
            assert r["n_predecessors"] == str(int((merge["new_code"] == new).sum()))
            assert (r["n_new"], r["n_old"]) == ("34", "63")


def test_notebooks_run_on_demo_db(demo_db: Path, kernel_env: dict[str, str]) -> None:
    """The demo province with plans (PAPI_PROVINCE), so notebook 03 has pairs to show."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:  # the latest year of that province's plans, so notebook 03 has actions to show
        year = con.execute("SELECT max(year) FROM mart.plan WHERE province_code = ?",
                           [PLAN_PROVINCE]).fetchone()[0]
    finally:
        con.close()
    runs = [(n, {"PAPI_DB": str(demo_db), "PAPI_PROVINCE": PLAN_PROVINCE,
                 "PAPI_YEAR": str(year)}) for n in EXPECTED]
    outcomes = _execute_all(runs, kernel_env)
    _check(outcomes, demo_db, year)
    with_plans = outcomes[2]["result"]
    assert with_plans["province"] == PLAN_PROVINCE and int(with_plans["n_actions"]) > 0
    assert int(with_plans["n_pairs"]) > 0


@pytest.mark.shared
def test_notebooks_run_on_real_db(real_db: Path, kernel_env: dict[str, str]) -> None:
    """Defaults: PAPI_PROVINCE unset (→ '01'), PAPI_YEAR unset (→ latest year)."""
    outcomes = _execute_all([(n, {"PAPI_DB": str(real_db)}) for n in EXPECTED], kernel_env)
    _check(outcomes, real_db)


@pytest.fixture(scope="module")
def vintage_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small warehouse of both geographies, built once for the view's tests (they read it)."""
    from tests.vintage_db import build_vintage_db

    return build_vintage_db(tmp_path_factory.mktemp("vintage") / "v.duckdb")


@pytest.mark.parametrize(("env", "expected"), [
    ({"PAPI_PROVINCE": "Phú Thọ", "PAPI_VINTAGE": "34"}, ("34", "25", "Phú Thọ", 2025)),
    ({"PAPI_PROVINCE": "Phú Thọ", "PAPI_VINTAGE": "63", "PAPI_YEAR": "2024"},
     ("63", "25", "Phú Thọ", 2024)),
    ({"PAPI_PROVINCE": "15", "PAPI_YEAR": "2024"}, ("63", "15", "Yên Bái", 2024)),
    ({"PAPI_PROVINCE": "15"}, ("34", "15", "Lào Cai", 2025)),  # latest year 2025 → 34
    ({"PAPI_PROVINCE": "Vinh Phuc", "PAPI_YEAR": "2023"}, ("63", "26", "Vĩnh Phúc", 2023)),
])
def test_notebook_view_accepts_either_vintage(monkeypatch, vintage_db: Path, env: dict,
                                              expected: tuple) -> None:
    from dashboard.notebook_view import from_env

    db = vintage_db
    for key in ("PAPI_PROVINCE", "PAPI_VINTAGE", "PAPI_YEAR"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("PAPI_DB", str(db))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    v = from_env()
    assert (v.vintage, v.province, v.province_name, v.year) == expected


def test_notebook_view_refuses_a_vintage_the_name_is_not_in(monkeypatch, vintage_db: Path
                                                            ) -> None:
    from dashboard.notebook_view import from_env

    monkeypatch.setenv("PAPI_DB", str(vintage_db))
    monkeypatch.setenv("PAPI_PROVINCE", "Vĩnh Phúc")
    monkeypatch.setenv("PAPI_VINTAGE", "34")
    monkeypatch.delenv("PAPI_YEAR", raising=False)
    with pytest.raises(ValueError, match="PAPI_PROVINCE='Vĩnh Phúc'.*vintage 34"):
        from_env()
