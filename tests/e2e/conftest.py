"""Start the Dagster webserver and daemon on loopback, as `make dev` does, against temporary paths."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from orchestration.settings import PROJECT_ROOT

STARTUP_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"webserver exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"webserver not ready after {STARTUP_SECONDS}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def dagster_services(tmp_path_factory):
    root = tmp_path_factory.mktemp("dagster_e2e")
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    bulk = root / "bulk"
    bulk.mkdir()
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "CHOKEPOINT_WAREHOUSE": str(root / "warehouse" / "chokepoint.duckdb"),
        "CHOKEPOINT_SERVE_DIR": str(root / "warehouse" / "serve"),
        # Every minute, so the daemon fires the real nightly schedule while the tests watch. A tick while a refresh
        # is running, or with nothing changed, launches nothing, so the other tests' runs are not queued behind it.
        "CHOKEPOINT_NIGHTLY_CRON": "* * * * *",
        # The nightly test drops a synthetic bulk file here to give the schedule something new to refresh.
        "CHOKEPOINT_BULK_TRADE_DIR": str(bulk),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    logs = {name: root / f"{name}.log" for name in ("webserver", "daemon")}
    commands = {
        "webserver": [str(bin_dir / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w", "workspace.yaml"],
        "daemon": [str(bin_dir / "dagster-daemon"), "run", "-w", "workspace.yaml"],
    }
    processes = {
        name: subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=logs[name].open("w"), stderr=subprocess.STDOUT)
        for name, command in commands.items()
    }
    try:
        _wait_until_ready(f"http://127.0.0.1:{port}/server_info", processes["webserver"], logs["webserver"])
        yield {"port": port, "root": root, "env": env, "logs": logs}
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
