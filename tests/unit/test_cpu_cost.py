"""`make test`'s CPU summary (tests/cpu_cost.py) counts what a test's children burn and not the time it waits."""

import os
import re
import subprocess
import sys
import textwrap

from orchestration.settings import PROJECT_ROOT


def test_the_cpu_summary_counts_a_waited_for_child_and_not_a_wait(tmp_path):
    (tmp_path / "test_costs.py").write_text(textwrap.dedent("""
        import subprocess, sys, time

        def test_burns_in_a_child():
            subprocess.run([sys.executable, "-c", "x = 0\\nfor i in range(10_000_000): x += i"], check=True)

        def test_waits():
            time.sleep(1.0)
    """))
    # The inner run's own options only: PYTEST_ADDOPTS=--durations=N (or a plugin) from the outer run would add a
    # section of wall times with the same line format, or fail the run on a plugin it cannot import.
    env = {name: value for name, value in os.environ.items() if name != "PYTEST_ADDOPTS"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.cpu_cost", "--cpu-durations=6", "-q",
                           "-p", "no:cacheprovider", str(tmp_path)],
                          cwd=tmp_path, env={**env, "PYTHONPATH": str(PROJECT_ROOT)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    seconds = {name: float(cpu) for cpu, name in
               re.findall(r"^\s*(\d+\.\d+)s call\s+\S+::(\w+)$", done.stdout, re.M)}
    assert seconds["test_burns_in_a_child"] >= 0.3, done.stdout
    assert seconds["test_waits"] < 0.1, done.stdout  # a second of wall time, no CPU
    assert re.search(r"^suite CPU: \d+ s over 6 phases$", done.stdout, re.M), done.stdout
