"""`make manifest` (scripts/parse_manifest.sh) skips dbt parse only when nothing a parse reads has changed, and
never keeps a manifest that something else wrote. A stand-in dbt records each call, so no real parse runs."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from orchestration.settings import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "parse_manifest.sh"
# Writes what `dbt parse --target-path DIR` writes, stamped with the warehouse it saw, and counts its calls.
FAKE_DBT = """#!/usr/bin/env bash
set -eu
echo parse >> "$(dirname "$0")/calls.log"
while [ $# -gt 0 ]; do [ "$1" = --target-path ] && out=$2; shift; done
echo "{\\"warehouse\\": \\"${CHOKEPOINT_WAREHOUSE:-}\\"}" > "$out/manifest.json"
echo state > "$out/partial_parse.msgpack"
"""


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    dbt = bin_dir / "dbt"
    dbt.write_text(FAKE_DBT)
    dbt.chmod(0o755)
    python = bin_dir / "python"  # records the parse state's origin: this venv's, which has the project
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    project = tmp_path / "dbt_project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: p\n")
    (project / "models" / "a.sql").write_text("select 1 as a\n")
    return dbt, project


def _make_manifest(dbt: Path, project: Path, **env: str) -> int:
    """Runs the script; returns how many times dbt parse has been called so far."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CHOKEPOINT_", "DBT_"))}
    done = subprocess.run([str(SCRIPT), str(dbt), str(project)], env={**clean, **env},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return len((dbt.parent / "calls.log").read_text().splitlines())


def test_an_unchanged_project_is_not_parsed_again_and_every_input_change_is(tmp_path):
    dbt, project = _setup(tmp_path)
    manifest = project / "target" / "manifest.json"
    assert _make_manifest(dbt, project, CHOKEPOINT_WAREHOUSE="/w/a.duckdb") == 1
    assert manifest.read_text().strip() == '{"warehouse": "/w/a.duckdb"}'
    assert _make_manifest(dbt, project, CHOKEPOINT_WAREHOUSE="/w/a.duckdb") == 1  # nothing changed
    (project / "target" / "run_results.json").write_text("{}")  # dbt's own output is not an input
    assert _make_manifest(dbt, project, CHOKEPOINT_WAREHOUSE="/w/a.duckdb") == 1

    time.sleep(0.01)
    (project / "models" / "a.sql").write_text("select 2 as a\n")
    assert _make_manifest(dbt, project, CHOKEPOINT_WAREHOUSE="/w/a.duckdb") == 2
    (project / "models" / "b.sql").write_text("select 3 as b\n")
    assert _make_manifest(dbt, project, CHOKEPOINT_WAREHOUSE="/w/a.duckdb") == 3
    origin = project / "target" / "partial_parse.msgpack.origin.json"
    assert json.loads(origin.read_text())["CHOKEPOINT_WAREHOUSE"] == "/w/a.duckdb"  # what the parse state was made for
    # Another warehouse is the same manifest (it holds no path; the parse state is re-labelled for the path where it
    # is used: orchestration/storage/dbt_parse_state.py), so no parse ...
    assert _make_manifest(dbt, project, CHOKEPOINT_WAREHOUSE="/w/b.duckdb") == 3
    # ... but the rest of the environment the project's env_var() calls read is an input: another target.
    assert _make_manifest(dbt, project, CHOKEPOINT_WAREHOUSE="/w/b.duckdb", CHOKEPOINT_ENGINE="spark") == 4
    assert manifest.read_text().strip() == '{"warehouse": "/w/b.duckdb"}'
    assert json.loads(origin.read_text())["CHOKEPOINT_WAREHOUSE"] == "/w/b.duckdb"
    assert _make_manifest(dbt, project, CHOKEPOINT_WAREHOUSE="/w/b.duckdb", CHOKEPOINT_ENGINE="spark") == 4


def test_a_manifest_written_by_something_else_is_replaced(tmp_path):
    dbt, project = _setup(tmp_path)
    assert _make_manifest(dbt, project) == 1
    manifest = project / "target" / "manifest.json"
    manifest.write_text('{"warehouse": "written by dagster dev elsewhere"}')
    assert _make_manifest(dbt, project) == 2
    assert manifest.read_text().strip() == '{"warehouse": ""}'
    manifest.unlink()
    assert _make_manifest(dbt, project) == 3
    assert manifest.exists()
