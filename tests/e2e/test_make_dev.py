"""`make dev` exactly as the README says, from a shell whose PATH knows nothing of the venv: the UI must load the
code location and show the asset graph (it used to start with an empty graph: dbt was not on PATH), and stop within
10 s of a SIGTERM or a Ctrl-C, every process it started included (its code server used to linger 45-60 s)."""

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request

import psutil
import pytest

from orchestration.settings import PROJECT_ROOT
from tests.e2e.conftest import _free_port

LOAD_TIMEOUT = 180
STOP_TIMEOUT = 10
WORKSPACE_QUERY = """{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus
  locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
ASSETS_QUERY = "{ assetNodes { assetKey { path } } }"


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["data"]


def _start_make_dev(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    port = _free_port()
    # What a new user's shell has: system tools and a python3.11 somewhere, no activated venv.
    python_dir = os.path.dirname(shutil.which("python3.11") or "/usr/bin/python3.11")
    env = {"HOME": os.environ.get("HOME", str(tmp_path)), "PATH": f"/usr/local/bin:/usr/bin:/bin:{python_dir}",
           "CHOKEPOINT_WAREHOUSE": str(tmp_path / "warehouse" / "chokepoint.duckdb")}
    log = tmp_path / "make-dev.log"
    # its own session, like a terminal: Ctrl-C and SIGTERM go to the whole foreground process group
    process = subprocess.Popen(["make", "dev", f"DEV_PORT={port}", f"DAGSTER_HOME={home}"], cwd=PROJECT_ROOT, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    return process, port, log


def _wait_until_loaded(process, port, log):
    started = time.monotonic()
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
    print(f"make dev -> asset graph loaded in {time.monotonic() - started:.1f} s")
    assert entry is not None, f"UI never answered:\n{log.read_text()[-3000:]}"
    return entry, assets


def _command(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:  # exited (or a zombie) since it was listed
        return ""


def _stop(process, signum) -> tuple[float, list[str]]:
    """Send the signal to make's process group; return how long until make and everything it started had exited."""
    family = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    assert any("code-server" in _command(p) for p in family[1:]), [_command(p) for p in family]
    started = time.monotonic()
    os.killpg(process.pid, signum)
    _, alive = psutil.wait_procs(family, timeout=STOP_TIMEOUT)
    elapsed = time.monotonic() - started
    left = [_command(p)[:120] or str(p.pid) for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    for p in alive:
        p.kill()
    process.wait(timeout=5)
    return elapsed, left


def test_make_dev_from_a_clean_path_shows_the_asset_graph_and_stops_on_sigterm(tmp_path):
    process, port, log = _start_make_dev(tmp_path)
    try:
        entry, assets = _wait_until_loaded(process, port, log)
        assert entry["locationOrLoadError"]["__typename"] != "PythonError", entry["locationOrLoadError"].get("message")
        keys = {"/".join(node["assetKey"]["path"]) for node in assets}
        assert {"raw/usitc_dataweb", "staging/stg_usitc__trade", "marts/import_dependency", "serve/chokepoint"} <= keys
        assert "not found on PATH" not in log.read_text()
        elapsed, left = _stop(process, signal.SIGTERM)
        print(f"make dev stopped {elapsed:.1f} s after SIGTERM")
        assert not left, f"still running {STOP_TIMEOUT} s after SIGTERM: {left}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.mark.parametrize("signum", [signal.SIGINT], ids=["ctrl-c"])
def test_make_dev_stops_on_ctrl_c_with_everything_it_started(tmp_path, signum):
    process, port, log = _start_make_dev(tmp_path)
    try:
        _wait_until_loaded(process, port, log)
        elapsed, left = _stop(process, signum)
        print(f"make dev stopped {elapsed:.1f} s after Ctrl-C")
        assert not left, f"still running {STOP_TIMEOUT} s after Ctrl-C: {left}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
