# PAPI analytics workbench: setup, run, ETL, tests, bench.
SHELL := /bin/bash
UV ?= uv
RUN := $(UV) run --frozen
DB_REAL := data/processed/papi.duckdb
DB_DEMO := data/processed/demo.duckdb
PYTEST_ARGS ?=
# pytest-xdist: one worker per core; tests/conftest.py groups the browser, build and export tests
# (each group on one worker at a time). `make test PYTEST_XDIST=` runs the suite serially.
PYTEST_XDIST ?= -n auto --dist loadgroup

.PHONY: help setup setup-system setup-python run run-multiuser demo etl test lint bench clean

help:
	@echo "make setup | run | run-multiuser | etl | test | lint | bench | clean"

setup: setup-system setup-python

setup-system:
	@bash scripts/setup-system.sh

setup-python:
	@bash scripts/setup-python.sh

demo:
	$(RUN) papi demo

# The dashboard on the real warehouse when built, else on the demo warehouse (built if missing).
# The launcher passes the security settings explicitly; PORT and ADDRESS are honoured.
run:
	@if [ -z "$$PAPI_DB" ] && [ ! -f $(DB_REAL) ]; then $(RUN) papi demo; fi  # built or brought up to date
	$(RUN) python -m dashboard.launch

# Multi-user reporting: the PostgreSQL store (data/pg/, socket only; or PAPI_PG), the warehouse's
# plans loaded into it, then the app with sign-in and the report-entry page.
run-multiuser:
	@if [ -z "$$PAPI_DB" ] && [ ! -f $(DB_REAL) ]; then $(RUN) papi demo; fi  # built or brought up to date
	$(RUN) papi db init
	$(RUN) papi db load-plans --db "$${PAPI_DB:-$$(if [ -f $(DB_REAL) ]; then echo $(DB_REAL); else echo $(DB_DEMO); fi)}"
	PAPI_MULTIUSER=1 $(RUN) python -m dashboard.launch

etl:
	$(RUN) papi etl

lint:
	$(RUN) ruff check .

# The whole suite: ruff, then pytest with the browser tests (PAPI_SHARED_DIR honoured), in parallel.
# Both always run; the target fails if either failed (pytest's exit 5, no tests, included).
test:
	@lint=0; $(RUN) ruff check . || lint=$$?; \
	rc=0; $(RUN) pytest -q -rs $(PYTEST_XDIST) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "test: FAILED: pytest collected no tests (exit 5)" >&2; fi; \
	if [ $$lint -ne 0 ]; then echo "test: FAILED: ruff check found problems" >&2; fi; \
	if [ $$rc -ne 0 ]; then exit $$rc; fi; exit $$lint

bench:
	$(RUN) python bench/run.py

clean:
	rm -rf .pytest_cache .ruff_cache .mypy_cache build dist *.egg-info
	find . -path ./.venv -prune -o -type d -name __pycache__ -print0 | xargs -0 rm -rf
	rm -f $(DB_DEMO)
