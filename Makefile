# Chokepoint — `make run` builds the warehouse from the embedded snapshot, `make test` runs the test suite.
# Both create the virtual environment and install the pinned stack on first use.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/.dagster_home
# The venv's tools first, so every child process (dagster dev's code server, dbt, tests) finds them unactivated.
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Absolute, for dbt run from here (`make manifest`); the default of orchestration/settings.py (a unit test compares).
export CHOKEPOINT_WAREHOUSE ?= $(CURDIR)/warehouse/chokepoint.duckdb
DBT := $(BIN)/dbt

.PHONY: setup manifest run test test-fast dev clean browser lint hooks quarantine

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the pinned stack into $(VENV)/ (first run only; log: $(VENV)/install.log)..."
	@# uv (its pin in requirements.lock) by pip, then the lock by uv: parallel downloads, 7 s where pip took 2 min 15 s
	@# on a fresh machine (2026-12-08, the same versions installed).
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "$$(grep '^uv==' requirements.lock)" \
		>$(VENV)/install.log 2>&1 || { tail -30 $(VENV)/install.log; exit 1; }
	@$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock >>$(VENV)/install.log 2>&1 \
		|| { tail -30 $(VENV)/install.log; exit 1; }
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e . >>$(VENV)/install.log 2>&1 \
		|| { tail -30 $(VENV)/install.log; exit 1; }
	touch $(STAMP)

# dagster-dbt loads models from target/manifest.json; build it here, never commit it (swapped in whole: the script says why).
manifest: $(STAMP)
	@scripts/parse_manifest.sh $(DBT) $(CURDIR)/dbt_project

run: manifest
	@$(BIN)/python -m orchestration.cli.runner $(if $(FULL),--full)

# Live periods held back by their raw contract: `make quarantine` lists them,
# `make quarantine ARGS="release comtrade_live_records 2023"` (or drop) acts on one (docs/LIVE_SOURCES.md).
quarantine: $(STAMP)
	@$(BIN)/python -m orchestration.refresh.quarantine $(or $(ARGS),list)

# Everything, including the end-to-end tests that start the Dagster webserver, daemon and Chromium. Lint first: it
# compiles the dbt project into target/, which `manifest` then re-parses for the tests. The 25 slowest tests, the 25
# costliest by CPU (on CI's two cores the suite's wall time is about its CPU work halved; tests/cpu_cost.py) and the
# suite's wall time are printed at the end (CI's log), so a slow test is seen the day it lands.
# Two workers (pytest-xdist), one per core of CI's machine: most of the suite's time is Dagster processes, dbt and
# daemons waiting on ticks, which overlap well. A module's tests stay on one worker (--dist loadscope), so a module's
# set-up (a live backfill, the Spark build) runs once; the golden warehouse is built once and shared (tests/conftest.py).
# Modules start in the order tests/conftest.py gives them (costliest first), not xdist's default (most tests first).
# Three workers were measured slower on two cores (2026-12-07: pytest 1,720 s against 1,309 s, user+sys CPU 2,808 s
# against 1,889 s): the idle third of the wall time is spent waiting together, and more processes only add contention.
PYTEST_DURATIONS ?= 25
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder
test: lint manifest browser
	@started=$$(date +%s); $(BIN)/python -m pytest $(PYTEST_PARALLEL) --durations=$(PYTEST_DURATIONS) \
		--cpu-durations=$(PYTEST_DURATIONS); status=$$?; \
		echo "make test: pytest took $$(( $$(date +%s) - started )) s"; exit $$status

# ruff (pyproject.toml [tool.ruff]), sqlfluff with dbt's templater (.sqlfluff, run by scripts/lint_sql.sh) and
# dbt-score on the dbt project's metadata (pyproject.toml [tool.dbt-score], run by scripts/score_dbt.sh).
lint: $(STAMP)
	$(BIN)/ruff check .
	@scripts/lint_sql.sh
	@scripts/score_dbt.sh

# The same two linters as a git pre-commit hook, on staged files (.pre-commit-config.yaml).
hooks: $(STAMP)
	$(BIN)/pre-commit install

# A headless Chromium for the end-to-end tests: found, downloaded by Playwright, or installed by apt-get as root.
browser: $(STAMP)
	@scripts/ensure_browser.sh $(BIN)/python

# The quick loop while coding: tests marked `unit` (tests/conftest.py: no warehouse build, no side env, no browser or
# Dagster processes), on the same two workers as `make test`. Under 3 minutes on 2 cores.
test-fast: manifest
	@started=$$(date +%s); $(BIN)/python -m pytest $(PYTEST_PARALLEL) -m unit -q; status=$$?; \
		echo "make test-fast: pytest took $$(( $$(date +%s) - started )) s"; exit $$status

# One port for the UI and the link `make run` prints (orchestration/settings.py DEV_PORT).
DEV_PORT ?= $(or $(CHOKEPOINT_DEV_PORT),3000)
export CHOKEPOINT_DEV_PORT := $(DEV_PORT)
dev: manifest
	$(BIN)/python -m orchestration.cli.dev_server -w workspace.yaml --host 127.0.0.1 --port $(DEV_PORT)

clean:
	rm -rf warehouse dbt_project/target dbt_project/logs

# Scale benchmark on SYNTHETIC bulk trade data (docs/BENCHMARKS.md): pipeline vs raw DuckDB vs pandas at 1M, 10M
# and 50M rows. Not part of `make test`; needs ~6 GB free under CHOKEPOINT_BENCH_DIR (default /tmp/bench).
.PHONY: bench bench-smoke
BENCH_SIZES ?= 1000000,10000000,50000000
bench: manifest
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES)

# 100k rows, results to /tmp (docs/BENCHMARKS.md is left alone): a few minutes. `make test` runs it too
# (tests/bench/test_bench_smoke.py), so a broken benchmark fails CI.
bench-smoke: manifest
	$(BIN)/python -m bench.run --sizes 100000 --doc $(or $(CHOKEPOINT_BENCH_DIR),/tmp/bench)/BENCHMARKS-smoke.md

# The same dbt project on local Apache Spark (docs/SPARK.md): the DuckDB refresh first (raw load, contracts), then
# its raw schema exported as Parquet and `dbt build --target spark` from the .venv-spark side env (built on first use).
.PHONY: run-spark
run-spark: run
	$(BIN)/python -m orchestration.spark.engine

# docs/CONTRIBUTING.md's "Add a snapshot source" and "Add a mart" recipes walked through on throwaway clones of HEAD
# (tools/recipe_dry_run.py): the files each touches, and the assets, checks, GX suite and guards that follow by
# themselves. About two minutes.
.PHONY: recipe-dry-run
recipe-dry-run: manifest
	$(BIN)/python tools/recipe_dry_run.py
