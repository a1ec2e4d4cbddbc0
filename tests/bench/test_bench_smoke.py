"""`make bench-smoke` inside `make test`: the benchmark's own runner at 100k SYNTHETIC rows (pipeline full refresh,
raw-DuckDB lower bound, pandas baseline, their agreement, the no-change and the +1 year refresh) exits 0, so a broken
benchmark fails CI the day it breaks instead of when someone next runs `make bench`. Its figures are printed, not
asserted: timings on a shared 2-core runner say nothing about a regression (docs/BENCHMARKS.md has the real runs)."""

import subprocess
import sys

from orchestration.settings import PROJECT_ROOT

SMOKE_ROWS = 100_000


def test_bench_smoke_runs_and_the_three_variants_agree(tmp_path):
    done = subprocess.run([sys.executable, "-m", "bench.run", "--sizes", str(SMOKE_ROWS), "--data", str(tmp_path / "data"),
                           "--work", str(tmp_path / "runs"), "--doc", str(tmp_path / "BENCHMARKS-smoke.md")],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=840)
    print(done.stdout[-4000:])
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "| yes |" in (tmp_path / "BENCHMARKS-smoke.md").read_text()  # the marts of the three variants agree
