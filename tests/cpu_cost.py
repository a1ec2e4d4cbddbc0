"""CPU seconds per test phase: on CI's 2 cores the suite's wall time is its CPU work divided by two, and wall time
alone (``--durations``) misleads both ways. A test that waits on a daemon tick looks costly and costs nothing; a
refresh that shares the cores with the Spark build looks twice as costly as it is.

``--cpu-durations=N`` prints the N costliest phases by CPU: the test process's own time plus that of every child
process it waited for (make, dbt, the Dagster CLI and daemons, Spark's JVM). A child that outlives its test and is
never waited for is not counted; the suite's total is still printed, as the sum over phases."""

from __future__ import annotations

import resource
import time

import pytest

CPU_KEY = "cpu_seconds"


def cpu_seconds_so_far() -> float:
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def pytest_addoption(parser):
    parser.addoption("--cpu-durations", type=int, default=0, metavar="N",
                     help="print the N test phases that used the most CPU (own and waited-for children)")


def pytest_configure(config):
    config.pluginmanager.register(CpuCost(config.getoption("--cpu-durations")), "cpu_cost_report")


class CpuCost:
    def __init__(self, top: int):
        self.top = top
        self.costs: list[tuple[float, str, str]] = []
        self.phase_start: dict[str, float] = {}

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item):
        self.phase_start[item.nodeid] = cpu_seconds_so_far()
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        now = cpu_seconds_so_far()
        report = outcome.get_result()
        spent = round(now - self.phase_start.get(item.nodeid, now), 2)
        # A new list: a report's user_properties is its item's own list, shared by the three phases' reports.
        report.user_properties = [*report.user_properties, (CPU_KEY, spent)]
        self.phase_start[item.nodeid] = now

    def pytest_runtest_logreport(self, report):
        # Under xdist the controller sees every worker's reports here; the workers print nothing.
        self.costs.extend((value, report.when, report.nodeid) for key, value in report.user_properties if key == CPU_KEY)

    def pytest_terminal_summary(self, terminalreporter):
        if not self.top or not self.costs:
            return
        terminalreporter.write_sep("=", f"costliest {self.top} phases by CPU seconds (own + waited-for children)")
        for seconds, when, nodeid in sorted(self.costs, reverse=True)[:self.top]:
            terminalreporter.write_line(f"{seconds:8.2f}s {when:<8} {nodeid}")
        terminalreporter.write_line(f"suite CPU: {sum(cost[0] for cost in self.costs):.0f} s over {len(self.costs)} phases")
