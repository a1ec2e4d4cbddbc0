"""The Spark build's two stages (orchestration/spark/build.py: staging and upstream, contracts, then the rest) are one
`dbt build` split in two: every node of the project in exactly one stage, and no test in stage 1 that reads a model
only stage 2 builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.spark.build import staged_selections

DBT = Path(sys.executable).parent / "dbt"


def _ls(*selection: str) -> list[str]:
    done = subprocess.run([str(DBT), "ls", "--quiet", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
                           str(DBT_PROJECT_DIR), *selection], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_stages_partition_the_project():
    everything = _ls()
    first, second = (_ls(*stage) for stage in staged_selections(None))
    assert not set(first) & set(second), sorted(set(first) & set(second))[:5]
    assert sorted(first + second) == sorted(everything)
    assert any(".staging." in node for node in first) and not any(".marts." in node for node in first)
    # The singular test of published trade figures reads marts.fct_trade_flows and import_dependency: stage 2.
    assert "chokepoint.assert_trade_sanity_figures" in second

