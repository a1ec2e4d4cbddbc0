"""`make dev`'s launcher: a second signal arriving while the first is handled (make forwards the group's SIGTERM)
returns at once, and `dagster dev` gets one SIGINT (tests/e2e/test_make_dev.py stops the real thing)."""

import signal
import subprocess

from orchestration.cli import dev_server


class StartedProcess:
    """A process `dagster dev` started, as the handler sees it. Not a real one: a child of this test inherits the
    worker's signal dispositions, which earlier tests may have changed (in one `make test` a `sleep` child started
    here did not stop on SIGTERM)."""

    def __init__(self):
        self.terminated = 0

    def terminate(self):
        self.terminated += 1


def test_a_second_signal_inside_the_handler_returns_at_once_and_dagster_dev_gets_one_sigint(monkeypatch):
    dev = subprocess.Popen(["true"])
    dev.wait()
    stop = dev_server.StopOnSignal(dev)
    started = StartedProcess()
    sent, reentered = [], []

    def children():  # the first signal lists what `dagster dev` started: the second signal lands here
        reentered.append(stop(signal.SIGTERM, None))
        return [started]

    monkeypatch.setattr(stop, "children", children)
    monkeypatch.setattr(dev, "send_signal", sent.append)
    stop(signal.SIGTERM, None)
    assert reentered == [None] and stop.requested
    assert sent == [signal.SIGINT]  # once, not once per signal
    assert stop.started == [started] and started.terminated == 1  # each listed process asked to stop, once
