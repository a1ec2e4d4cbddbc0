"""`make dev`: `dagster dev`, stopped within seconds by Ctrl-C or SIGTERM.

On a Ctrl-C or SIGTERM `dagster dev` stops the webserver and the daemon one after the other, and its code server
lingered until its 45 s heartbeat timeout, so a supervisor waiting for the group ended up sending SIGKILL. This
launcher gives `dagster dev` one SIGINT (its clean shutdown) and every process it started a SIGTERM at the same time
(each handles it as its own Ctrl-C), then kills whatever is still running after a grace period.

psutil lists the descendants: they must be known before `dagster dev` exits and its orphans are re-parented."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import psutil

# `dagster dev` stops its webserver and daemon in about 3 s on 2 cores.
GRACE_SECONDS = 5.0
KILL_AFTER_SECONDS = 2.0
POLL_SECONDS = 0.2


def _stop_leftovers(processes: list[psutil.Process]) -> None:
    alive = [process for process in processes if process.is_running()]
    for process in alive:
        try:
            process.terminate()
        except psutil.NoSuchProcess:
            pass
    _, still = psutil.wait_procs(alive, timeout=KILL_AFTER_SECONDS)
    for process in still:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass


class StopOnSignal:
    """The SIGINT/SIGTERM handler: one SIGINT to `dagster dev`, a SIGTERM to every process it started.

    No lock anywhere in it. make forwards the group's SIGTERM to this launcher, so a second signal can arrive while the
    first is being handled, in the same thread: the threading.Event this used to set was re-entered inside its own
    lock and deadlocked, and `make dev` then ignored every signal (2 runs in 5 on a quiet machine). A plain flag,
    set before anything else, lets the second signal return at once."""

    def __init__(self, dev: subprocess.Popen):
        self.dev = dev
        self.requested = False
        self.started: list[psutil.Process] = []

    def __call__(self, signum: int, _frame: object) -> None:
        if self.requested:
            return
        self.requested = True
        self.started.extend(self.children())
        self.dev.send_signal(signal.SIGINT)
        # dagster dev stops its children one after the other (6-9 s on a loaded 2-core machine), and the code server
        # not at all: interrupt them all at once; each handles SIGTERM as its own Ctrl-C.
        for process in self.started:
            try:
                process.terminate()
            except psutil.NoSuchProcess:
                pass

    def children(self) -> list[psutil.Process]:
        """Everything `dagster dev` started, listed before it exits and its orphans are re-parented."""
        try:
            return psutil.Process(self.dev.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []


def main(argv: list[str]) -> int:
    # Its own process group: a Ctrl-C or a group SIGTERM reaches this launcher, which forwards exactly one SIGINT.
    dev = subprocess.Popen([sys.executable, "-m", "dagster", "dev", *argv], process_group=0)
    stop = StopOnSignal(dev)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    # Polled, not a blocking wait: a wait entered before the signal would go on waiting without the grace period.
    stop_deadline = None
    while dev.poll() is None:
        if stop.requested:
            stop_deadline = stop_deadline or time.monotonic() + GRACE_SECONDS
            if time.monotonic() > stop_deadline:
                dev.kill()
        time.sleep(POLL_SECONDS)
    if stop.requested:
        _stop_leftovers(stop.started)
        return 0
    return dev.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
