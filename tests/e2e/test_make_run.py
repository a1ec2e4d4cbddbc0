"""`make run` as the README says it: one screen, plan first, a line per stage, detail in a named log file, paths at
the end that exist, and a run the UI lists under the job (not only under Runs)."""

import re
from pathlib import Path

import dagster as dg
import duckdb

from tests.conftest import make_run

# One screen: stage lines, rows per mart and every measure part's status today (issue 11) included.
SCREEN_LINES = 50
STAGES = ("raw", "staging", "marts", "report", "publish", "checks")  # intermediate models build in the marts step


def test_make_run_fits_one_screen_and_ends_with_the_paths(golden, tmp_path, monkeypatch):
    """The first `make run` from nothing is the session's golden build (tests/conftest.py: README's environment, its
    own warehouse and Dagster instance); the second runs on a copy of what it left."""
    output = golden.make_run_output
    assert golden.result.success, output[-3000:]
    lines = output.rstrip("\n").splitlines()
    # Piped, a stage still running prints a heartbeat line every 30 s (so CI logs show life); a terminal redraws it
    # in place instead (cli/progress.py ProgressPrinter). The screen a person sees has the other lines.
    heartbeats = [line for line in lines if re.match(r"  \w+\s+\d+\.\d s   running \S+ \(\d+ s\) \.\.\.$", line)]
    assert len(lines) - len(heartbeats) <= SCREEN_LINES, output
    assert lines[0].startswith("Chokepoint refresh, plan: full refresh: no build warehouse"), output
    for stage in STAGES:
        assert any(re.match(rf"  {stage}\s+(\d+\.\d s)?\s+", line) for line in lines), (stage, output)
    assert re.search(r"^  checks\s+(\d+) of \1 passed$", output, re.M), output
    assert re.search(r"^  freshness\s+live sources not configured \(snapshot mode", output, re.M), output
    assert re.search(r"^  quality\s+Data Docs: \d+ suites, (\d+)/\1 expectations passed$", output, re.M), output
    assert "Warning" not in output and "AssetObservation" not in output and " START " not in output, output

    build = duckdb.connect(str(golden.warehouse), read_only=True)
    try:
        as_of, parts = build.execute("select max(status_as_of), count(*) from marts.export_measures").fetchall()[0]
    finally:
        build.close()
    assert f"  measure parts on {as_of} ({parts}, status · basis" in output, output

    paths = dict(re.findall(r"^    (\S.*?\S)\s{2,}(/\S+)$", output, re.M))
    for label in ("serving copy for BI (read-only)", "Parquet exports", "data-quality site (GX)", "report", "full log"):
        assert Path(paths[label]).exists(), (label, output)
    assert "Running with dbt=" in Path(paths["full log"]).read_text()  # dbt's detail went to the file it names

    run_id = re.search(r"\(run ([0-9a-f-]{36})\)", output).group(1)
    monkeypatch.setenv("DAGSTER_HOME", str(golden.dagster_home))
    instance = dg.DagsterInstance.get()
    try:
        # The job page's Runs tab and the Overview timeline filter by job name and the code location's label.
        shown = instance.get_runs(dg.RunsFilter(job_name="refresh_warehouse",
                                                tags={".dagster/repository": "__repository__@chokepoint"}))
        assert [run.run_id for run in shown] == [run_id]
    finally:
        instance.dispose()

    copy = golden.copy_to(tmp_path / "again")
    again = make_run(copy.dagster_home, copy.warehouse)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    # One line, plus the live sources' freshness (warn-only) that every refresh prints.
    nothing, freshness = (again.stdout + again.stderr).strip().splitlines()
    assert "nothing changed" in nothing and freshness.startswith("  freshness"), again.stdout
