"""dbt unit tests (SQL logic on fixed inputs) run here, in `make test`, rather than in every refresh."""

import json
import os
import shutil
import subprocess

from orchestration.defs.dbt_assets import dbt_executable
from orchestration.settings import DBT_PROJECT_DIR

EXPECTED_UNIT_TESTS = 42  # issue 28 report split: rpt_monthly_event_windows counts each HS6 once, rpt_chip_equipment_suppliers groups every dollar once; issue 31: bulk rows skip the per-partner GROUP BY with the same result; issue 26 Comtrade areas: partner_kind of declarations, mirror_flows pairs no non-country partner; issue 26 live: a live vintage replaces the snapshot unit; issue 27: monthly exposure days in force per month, monthly_flows aggregation rule per source, unit-value outlier rule, event-window months and comparison rule, DiD estimator by hand; issue 26: total-row rule, mirror gap class, China/Hong Kong side, declared dependency reasons; 15 + the event-study split (+1); issue 25: status periods, effective dates, event windows; supply_concentration labels/HHI, non-country importer, element view; net_trade stage mix, USGS on quantity, USITC coverage; exposure pro-rating, trade factor and flow parts by commodity legal type


def test_every_dbt_unit_test_passes(pipeline_run, tmp_path):
    _, warehouse = pipeline_run
    # A copy: unit tests introspect the built tables, and the session's other tests hold the file open read-only.
    copy = tmp_path / "chokepoint.duckdb"
    shutil.copyfile(warehouse, copy)
    target = tmp_path / "target"
    completed = subprocess.run(
        [dbt_executable(), "test", "--select", "test_type:unit", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target)],
        env={**os.environ, "CHOKEPOINT_WAREHOUSE": str(copy)}, capture_output=True, text=True, timeout=300,
    )
    results = json.loads((target / "run_results.json").read_text())["results"]
    # Only unit tests: run_results also lists the on-run-start hook (the Spark raw-table registration, a no-op here).
    statuses = {r["unique_id"].split(".")[-1]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert len(statuses) == EXPECTED_UNIT_TESTS and set(statuses.values()) == {"pass"}, statuses
    assert "test_import_dependency_hhi_two_suppliers_60_40" in statuses
