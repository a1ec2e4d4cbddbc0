"""The suite's markers come from one place (tests/conftest.py): `make test-fast` (-m unit) must never build a
warehouse, start Dagster or a browser, or install a side env."""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from tests.conftest import TESTS, builds_warehouse, markers_for


def _item(path: str, name: str, fixtures: dict | None = None):
    fixtures = fixtures or {}
    return SimpleNamespace(path=TESTS.parent / path, name=name, fixturenames=list(fixtures),
                           _fixtureinfo=SimpleNamespace(name2fixturedefs={
                               key: (SimpleNamespace(func=func),) for key, func in fixtures.items()}))


def test_a_fixture_that_builds_a_warehouse_makes_its_users_integration_tests_wherever_they_are():
    def cheap():
        return None

    expensive = builds_warehouse(lambda: None)
    assert markers_for(_item("tests/live/test_x.py", "test_a", {"replay": cheap})) == {"live", "unit"}
    assert markers_for(_item("tests/live/test_x.py", "test_b", {"replay": cheap, "golden_copy": expensive})) == {"live", "integration"}


def test_folders_and_the_named_exceptions_set_the_cost_markers():
    assert markers_for(_item("tests/e2e/test_x.py", "test_a")) == {"e2e"}
    assert markers_for(_item("tests/bench/test_bench_smoke.py", "test_a")) == {"integration"}
    assert markers_for(_item("tests/integration/test_spark_engine.py", "test_a[1]")) == {"integration", "spark", "side_env"}
    assert markers_for(_item("tests/publish/test_serving.py",
                             "test_serving_copy_opens_in_the_duckdb_1x_that_bi_tools_bundle")) == {"side_env"}
    assert markers_for(_item("tests/publish/test_serving.py", "test_publish_copies_every_mart")) == {"unit"}


def test_no_test_of_the_costly_folders_is_collected_as_unit():
    """The real collection: every test under tests/e2e and tests/integration, and every test of tests/live that uses
    the golden warehouse, is outside `make test-fast`."""
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", "unit",
                           "tests/e2e", "tests/integration", "tests/live/test_end_to_end.py"],
                          cwd=TESTS.parent, capture_output=True, text=True, timeout=300)
    collected = [line for line in done.stdout.splitlines() if "::" in line]
    assert all(Path(line.split("::")[0]).parts[1] == "live" for line in collected), collected
    assert not any("test_nightly_live_run_then_refresh" in line for line in collected), collected
    assert any("test_schedules_skip_in_snapshot_mode" in line for line in collected), done.stdout[-2000:]
