"""Start a code server, the Dagster webserver and the daemon on loopback, as `make dev` does, against temporary paths."""

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
# workspace.yaml's location name: runs are tagged with it, and the UI lists them under it.
LOCATION_NAME = "chokepoint"


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


def _wait_for_code_server(port: int, process: subprocess.Popen, log: Path) -> None:
    """Until the code server answers: `dagster api grpc` serves only once the code location has loaded."""
    from dagster._grpc.client import DagsterGrpcClient

    client = DagsterGrpcClient(port=port, host="127.0.0.1")
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"code server exited early:\n{log.read_text()[-3000:]}")
        try:
            if client.health_check_query() == "SERVING":
                return
        except Exception:  # not listening yet
            pass
        time.sleep(0.5)
    raise TimeoutError(f"code server not ready after {STARTUP_SECONDS}s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def dagster_processes(root: Path, extra_env: dict[str, str | None],
                      before_daemon: Callable[[int], None] | None = None) -> Iterator[dict]:
    """A code server, a webserver and a daemon with their own DAGSTER_HOME under ``root``, stopped on exit.

    One code server for both, as `make dev` (`dagster dev`) has: given the workspace.yaml module instead, the webserver
    and the daemon each started a code server of their own, and the daemon replaced its own every 60 s (Dagster
    reloads the servers it manages), loading the code location again each time (~5 s of CPU a minute, for as long as
    the services run). A ``None`` in ``extra_env`` removes that variable. ``before_daemon(port)`` runs once the
    webserver answers and before the daemon starts, e.g. to stop schedules through the API so the daemon never ticks
    them."""
    home = root / "dagster_home"
    home.mkdir(exist_ok=True)  # already there when the test seeded it with a copy of the golden build's instance
    shutil.copy(PROJECT_ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    port, code_port = _free_port(), _free_port()
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        **extra_env,
    }
    env = {name: value for name, value in env.items() if value is not None}
    workspace = root / "workspace.yaml"
    workspace.write_text("load_from:\n  - grpc_server:\n      host: 127.0.0.1\n"
                         f"      port: {code_port}\n      location_name: {LOCATION_NAME}\n")
    logs = {name: root / f"{name}.log" for name in ("code_server", "webserver", "daemon")}
    commands = {
        "code_server": [str(bin_dir / "dagster"), "api", "grpc", "-h", "127.0.0.1", "-p", str(code_port),
                        "-m", "orchestration.definitions", "-d", str(PROJECT_ROOT), "--location-name", LOCATION_NAME],
        "webserver": [str(bin_dir / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w", str(workspace)],
        "daemon": [str(bin_dir / "dagster-daemon"), "run", "-w", str(workspace)],
    }

    def start(name: str) -> subprocess.Popen:
        return subprocess.Popen(commands[name], cwd=PROJECT_ROOT, env=env, stdout=logs[name].open("w"),
                                stderr=subprocess.STDOUT)

    processes = {}
    try:
        processes["code_server"] = start("code_server")
        _wait_for_code_server(code_port, processes["code_server"], logs["code_server"])
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
        _stop(processes, root / "teardown.log")


# Every service gets SIGTERM at once and one short deadline. The webserver and the daemon exit at once; a code server
# that has launched runs does not exit on SIGTERM at all (teardown.log, 2026-12-08: killed after 20 s in both modules
# that launch runs), and waiting 30 s for each service in turn cost 60 s after the schedules test.
STOP_SECONDS = 5


def _stop(processes: dict[str, subprocess.Popen], log: Path) -> None:
    for process in processes.values():
        process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    lines = []
    for name, process in processes.items():
        started = time.monotonic()
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
            outcome = f"exited {process.returncode}"
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            outcome = "killed"
        lines.append(f"{name}: {outcome} after {time.monotonic() - started:.1f} s")
    log.write_text("\n".join(lines) + "\n")


# Package scope: shared by the end-to-end modules a worker runs, and stopped when that worker moves on to other
# modules. For the whole session, its daemon ticked the every-minute schedule below until the suite ended (443 s of
# CPU measured at teardown, the runs the tests launch included).
@pytest.fixture(scope="package")
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
