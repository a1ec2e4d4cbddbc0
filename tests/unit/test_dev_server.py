"""`make dev`'s launcher: a second signal arriving while the first is handled (make forwards the group's SIGTERM)
returns at once, and `dagster dev` gets one SIGINT (tests/e2e/test_make_dev.py stops the real thing)."""

import signal
import subprocess

import psutil

from orchestration.cli import dev_server


def test_a_second_signal_inside_the_handler_returns_at_once_and_dagster_dev_gets_one_sigint(monkeypatch):
    dev = subprocess.Popen(["sleep", "30"])
    child = psutil.Process(dev.pid)
    stop = dev_server.StopOnSignal(dev)
    sent, reentered = [], []


    def children():  # the first signal lists what `dagster dev` started: the second signal lands here
        reentered.append(stop(signal.SIGTERM, None))
        return [child]

    monkeypatch.setattr(stop, "children", children)
    monkeypatch.setattr(dev, "send_signal", sent.append)
    try:
        stop(signal.SIGTERM, None)
        assert reentered == [None] and stop.requested
        assert sent == [signal.SIGINT]  # once, not once per signal
        assert stop.started == [child]
        assert dev.wait(timeout=5) == -signal.SIGTERM  # every listed process was asked to stop
    finally:
        dev.kill()
