"""The side environments (Spark's .venv-spark, the BI clients' .venv-bi) installed in the background from the start
of a parallel run of the whole suite, so the worker that reaches the Spark build or Superset finds them ready instead
of installing them then (on a fresh machine: ~50 s for Spark, its pyspark built from source, while both cores may be
busy later on). The install takes each environment's file lock (orchestration/cli/pinned_env.py): a test that asks
for one before it is ready waits for it, as it waits for the other worker today. Nothing is started for `-m` runs
(`make test-fast` needs none) or a single process (a developer running one file).

    python -m tests.side_env_prefetch      # what the background process runs
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from orchestration.settings import PROJECT_ROOT

LOG = PROJECT_ROOT / ".venv-bi" / "prefetch.log"
_process: subprocess.Popen | None = None


def pytest_configure(config):
    global _process
    if os.environ.get("PYTEST_XDIST_WORKER") or not getattr(config.option, "numprocesses", None):
        return
    if config.option.markexpr or config.option.keyword:
        return
    LOG.parent.mkdir(exist_ok=True)
    with LOG.open("w") as log:
        _process = subprocess.Popen([sys.executable, "-m", "tests.side_env_prefetch"], cwd=PROJECT_ROOT,
                                    stdout=log, stderr=subprocess.STDOUT)


def pytest_unconfigure(config):
    if _process is not None and _process.poll() is None:
        _process.kill()
        _process.wait()


def main() -> None:
    from tests.bi.side_env import ENVS, python_of

    if shutil.which("java"):  # the Spark tests skip without Java; their env would go unused
        from orchestration.spark.engine import spark_python

        print("spark:", spark_python(), flush=True)
    for requirements in sorted(ENVS.glob("*.txt")):
        print(f"{requirements.stem}:", python_of(requirements.stem), flush=True)


if __name__ == "__main__":
    main()
