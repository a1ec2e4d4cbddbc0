"""Start the Dagster webserver and daemon on loopback, as `make dev` does, against temporary paths."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
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


def wait_until(condition: Callable[[], object], what: str, timeout: float, explain: Callable[[], str]):
    """Poll ``condition`` every 3 s; return its first truthy value, or fail with ``what`` and ``explain()`` (log tails)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(3)
    pytest.fail(f"{what} within {timeout:.0f}s:\n{explain()}")


@contextlib.contextmanager
def dagster_processes(root: Path, extra_env: dict[str, str | None],
                      before_daemon: Callable[[int], None] | None = None) -> Iterator[dict]:
    """A webserver and a daemon with their own DAGSTER_HOME under ``root``, stopped on exit.

    A ``None`` in ``extra_env`` removes that variable. ``before_daemon(port)`` runs once the webserver answers and
    before the daemon starts, e.g. to stop schedules through the API so the daemon never ticks them."""
    home = root / "dagster_home"
    home.mkdir(exist_ok=True)  # already there when the test seeded it with a copy of the golden build's instance
    shutil.copy(PROJECT_ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        **extra_env,
    }
    env = {name: value for name, value in env.items() if value is not None}
    logs = {name: root / f"{name}.log" for name in ("webserver", "daemon")}
    commands = {
        "webserver": [str(bin_dir / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w", "workspace.yaml"],
        "daemon": [str(bin_dir / "dagster-daemon"), "run", "-w", "workspace.yaml"],
    }

    def start(name: str) -> subprocess.Popen:
        return subprocess.Popen(commands[name], cwd=PROJECT_ROOT, env=env, stdout=logs[name].open("w"),
                                stderr=subprocess.STDOUT)

    processes = {}
    try:
        processes["webserver"] = start("webserver")
        # The daemon starts once the webserver answers, never beside it: both create the instance's SQLite storage on
        # first use, and two processes doing it at once can fail one with "table alembic_version already exists" (seen
        # on a loaded 2-core machine: the daemon died, and every run the UI queued waited for it until the timeout).
        _wait_until_ready(f"http://127.0.0.1:{port}/server_info", processes["webserver"], logs["webserver"])
        if before_daemon is not None:
            before_daemon(port)
        processes["daemon"] = start("daemon")
        yield {"port": port, "root": root, "env": env, "logs": logs}
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def dagster_services(tmp_path_factory):
    root = tmp_path_factory.mktemp("dagster_e2e")
    bulk = root / "bulk"
    bulk.mkdir()
    extra_env = {
        "CHOKEPOINT_WAREHOUSE": str(root / "warehouse" / "chokepoint.duckdb"),
        "CHOKEPOINT_SERVE_DIR": str(root / "warehouse" / "serve"),
        # Every minute, so the daemon fires the real nightly schedule while the tests watch. A tick while a refresh
        # is running, or with nothing changed, launches nothing, so the other tests' runs are not queued behind it.
        "CHOKEPOINT_NIGHTLY_CRON": "* * * * *",
        # The nightly test drops a synthetic bulk file here to give the schedule something new to refresh.
        "CHOKEPOINT_BULK_TRADE_DIR": str(bulk),
    }
    with dagster_processes(root, extra_env) as services:
        yield services
