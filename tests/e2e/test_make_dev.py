"""`make dev` exactly as the README says, from a shell whose PATH knows nothing of the venv: the UI must load the
code location and show the asset graph (it used to start with an empty graph: dbt was not on PATH)."""

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request

from orchestration.settings import PROJECT_ROOT
from tests.e2e.conftest import _free_port

LOAD_TIMEOUT = 180
WORKSPACE_QUERY = """{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus
  locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
ASSETS_QUERY = "{ assetNodes { assetKey { path } } }"


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["data"]


def test_make_dev_from_a_clean_path_shows_the_asset_graph(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    port = _free_port()
    # What a new user's shell has: system tools and a python3.11 somewhere, no activated venv.
    python_dir = os.path.dirname(shutil.which("python3.11") or "/usr/bin/python3.11")
    env = {"HOME": os.environ.get("HOME", str(tmp_path)), "PATH": f"/usr/local/bin:/usr/bin:/bin:{python_dir}",
           "CHOKEPOINT_WAREHOUSE": str(tmp_path / "warehouse" / "chokepoint.duckdb")}
    log = tmp_path / "make-dev.log"
    started = time.monotonic()
    process = subprocess.Popen(["make", "dev", f"DEV_PORT={port}", f"DAGSTER_HOME={home}"], cwd=PROJECT_ROOT, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        entry, assets = None, []
        while time.monotonic() - started < LOAD_TIMEOUT:
            assert process.poll() is None, f"make dev exited:\n{log.read_text()[-3000:]}"
            try:
                entries = _graphql(port, WORKSPACE_QUERY)["workspaceOrError"]["locationEntries"]
            except OSError:
                time.sleep(1)
                continue
            entry = entries[0]
            if entry["loadStatus"] == "LOADED":
                assets = _graphql(port, ASSETS_QUERY)["assetNodes"]
                break
            time.sleep(1)
        elapsed = time.monotonic() - started
        print(f"make dev -> asset graph loaded in {elapsed:.1f} s")
        assert entry is not None, f"UI never answered:\n{log.read_text()[-3000:]}"
        assert entry["locationOrLoadError"]["__typename"] != "PythonError", entry["locationOrLoadError"].get("message")
        keys = {"/".join(node["assetKey"]["path"]) for node in assets}
        assert {"raw/usitc_dataweb", "staging/stg_usitc__trade", "marts/import_dependency", "serve/chokepoint"} <= keys
        assert "not found on PATH" not in log.read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
