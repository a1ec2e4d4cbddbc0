"""What every test folder shares: the golden warehouse (built once per session by the real refresh job, copied by the
tests that need one), the raw frames of the snapshot, the dbt manifest the guard tests read, and the suite's markers,
applied here and nowhere else.

Markers follow from a test's folder and from what it costs (the fixtures it uses):

| marker | meaning | how it is given |
|---|---|---|
| unit | no warehouse build, no side env, no browser or Dagster processes | every test not marked below |
| live | runs against the loopback replay server of the live APIs | folder tests/live |
| integration | builds, refreshes or copies a whole warehouse | a fixture tagged ``builds_warehouse``, folder tests/integration, ``INTEGRATION_TESTS`` |
| e2e | starts `make`, the Dagster webserver and daemon, or Chromium | folder tests/e2e, and ``E2E_TESTS`` |
| spark | builds the project on local Spark (Java 17, side env .venv-spark) | ``SPARK_TESTS`` |
| side_env | installs or uses a side virtualenv (.venv-bi, .venv-spark) | ``SIDE_ENV_TESTS``, and every spark test |

`make test` runs everything; `make test-fast` runs ``-m unit`` (or ``-m "not integration and not e2e and not spark
and not side_env"``, the same set)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.contract_harness")

TESTS = Path(__file__).parent
COST_MARKERS = ("integration", "e2e", "spark", "side_env")
# Tests outside tests/e2e that start processes a person would (Superset's webserver).
E2E_TESTS = ("tests/integration/test_superset.py",)
# Tests that build warehouses without a fixture: the benchmark's own runner (`make bench-smoke`), and the issue-30 run
# end to end (a live `make run` from nothing, then a snapshot and a FULL refresh on what it left).
INTEGRATION_TESTS = ("tests/bench/test_bench_smoke.py",
                     "tests/live/test_downstream_quarantine.py::test_make_run_quarantines_publishes_the_rest_and_later_refreshes_pass")
SPARK_TESTS = ("tests/integration/test_spark_engine.py",)
SIDE_ENV_TESTS = ("tests/integration/test_superset.py", "tests/integration/test_bi_recipes.py",
                  "tests/publish/test_serving.py::test_serving_copy_opens_in_the_duckdb_1x_that_bi_tools_bundle",
                  *SPARK_TESTS)
FOLDER_MARKERS = {"integration": "integration", "e2e": "e2e", "live": "live"}


def builds_warehouse(fixture):
    """Tag a fixture whose users pay for a warehouse build or copy: they are marked ``integration``."""
    fixture.builds_warehouse = True
    return fixture


def _uses_warehouse(item: pytest.Item) -> bool:
    definitions = getattr(item, "_fixtureinfo", None)
    if definitions is None:
        return False
    return any(getattr(fixture_def.func, "builds_warehouse", False)
               for name in item.fixturenames for fixture_def in definitions.name2fixturedefs.get(name, ()))


def markers_for(item: pytest.Item) -> set[str]:
    path = Path(str(item.path)).resolve().relative_to(TESTS.parent).as_posix()
    node = f"{path}::{item.name.split('[')[0]}"
    folder = path.split("/")[1] if path.count("/") > 1 else ""
    markers = {FOLDER_MARKERS[folder]} if folder in FOLDER_MARKERS else set()
    if _uses_warehouse(item):
        markers.add("integration")
    for names, marker in ((INTEGRATION_TESTS, "integration"), (E2E_TESTS, "e2e"), (SPARK_TESTS, "spark"),
                          (SIDE_ENV_TESTS, "side_env")):
        if any(node == name or path == name for name in names):
            markers.add(marker)
    if "spark" in markers:
        markers.add("side_env")
    if not markers & set(COST_MARKERS):
        markers.add("unit")
    return markers


# The order modules start in: costliest first, so `make test`'s two workers (each takes the next module when it is
# nearly done with its own) do not end with one of them alone in the Spark build or a daemon-bound e2e module. Within
# a cost, modules that do not need the golden build go first: one worker builds it while the other gets on with them.
START_ORDER = ("spark", "e2e", "integration", "live", "unit")


def _start_rank(item: pytest.Item, markers: set[str]) -> tuple[int, bool]:
    cost = next(rank for rank, marker in enumerate(START_ORDER) if marker in markers or marker == "unit")
    return cost, "golden" in item.fixturenames


def pytest_collection_modifyitems(config, items):
    ranks = {}
    for item in items:
        markers = markers_for(item)
        for marker in sorted(markers):
            item.add_marker(marker)
        ranks[item.nodeid] = _start_rank(item, markers)
    # A module's tests keep their order and stay together: the module ranks by its costliest test.
    module_rank = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        module_rank[module] = min(module_rank.get(module, ranks[item.nodeid]), ranks[item.nodeid])
    position = {item.nodeid: index for index, item in enumerate(items)}
    items.sort(key=lambda item: (module_rank[item.nodeid.split("::")[0]], position[item.nodeid]))


@dataclass(frozen=True)
class Golden:
    """A warehouse built by `make run` from nothing (snapshot mode), with the Dagster instance that recorded the build
    and what `make run` printed."""

    root: Path
    result: object  # dagster ExecuteInProcessResult of the build, read back from the instance's event log

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse" / "chokepoint.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def make_run_output(self) -> str:
        """stdout and stderr of the `make run` that built it (tests/e2e/test_make_run.py reads it)."""
        return (self.root / MAKE_RUN_OUTPUT).read_text()

    def copy_to(self, destination: Path) -> Golden:
        """A private copy (build file, serving copy, report, instance history): the refresh planner sees it as the
        golden build left it, so a test's refresh rebuilds only what the test changes."""
        destination.mkdir(parents=True, exist_ok=True)
        for folder in ("warehouse", "dagster_home"):
            shutil.copytree(self.root / folder, destination / folder, symlinks=True)
        return Golden(destination, self.result)

    def instance(self):
        return instance_at(self.dagster_home)


MAKE_RUN_OUTPUT = "make_run.out"


def readme_env(warehouse: Path) -> dict[str, str]:
    """What a new user's shell gives `make run`: HOME, a PATH with python3.11 and make, no venv activated, nothing of
    the test session's; only the warehouse is put under the test's temporary folder."""
    python_dir = os.path.dirname(shutil.which("python3.11") or "/usr/bin/python3.11")
    return {"HOME": os.environ.get("HOME", str(warehouse.parent)), "PATH": f"/usr/local/bin:/usr/bin:/bin:{python_dir}",
            "CHOKEPOINT_WAREHOUSE": str(warehouse)}


def make_run(home: Path, warehouse: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """`make run` in this checkout as the README says it, with its own Dagster instance (``home``) and warehouse."""
    from orchestration.settings import PROJECT_ROOT

    return subprocess.run(["make", "run", f"DAGSTER_HOME={home}", *args], cwd=PROJECT_ROOT, env=readme_env(warehouse),
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
@builds_warehouse
def golden(tmp_path_factory) -> Golden:
    """The whole graph materialized once, by `make run` from nothing into a temporary warehouse: the one full build of
    the suite. tests/integration/test_pipeline.py asserts every asset and check of it, tests/e2e/test_make_run.py what
    `make run` printed. Not asserted here: a failed build must fail the tests that read it, each naming it, not error
    them all at set-up.

    Under `make test`'s parallel workers (pytest-xdist) the first worker to ask builds it, under a file lock, in the
    folder the workers share; the others wait for it. Every worker reads the run back from its Dagster instance."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return _build_golden(tmp_path_factory.mktemp("golden"))
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent / "golden"
    with FileLock(f"{shared}.lock"):
        if (shared / MAKE_RUN_OUTPUT).exists():
            return _golden_from_history(shared)
        return _build_golden(shared)


def _build_golden(root: Path) -> Golden:
    from orchestration.settings import PROJECT_ROOT

    home = root / "dagster_home"
    home.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    done = make_run(home, root / "warehouse" / "chokepoint.duckdb")
    (root / MAKE_RUN_OUTPUT).write_text(done.stdout + done.stderr)
    return _golden_from_history(root)


@dataclass(frozen=True)
class NoRun:
    """The result of a golden build that never started a run (`make run` failed before it): its output says why."""

    output: str
    success: bool = False


def _golden_from_history(root: Path) -> Golden:
    """The golden build's run, as the in-process result the refresh job returns: the run `make run` names, its events
    read from the Dagster instance that recorded them."""
    from dagster._core.execution.execute_in_process_result import ExecuteInProcessResult

    from orchestration.definitions import defs

    output = (root / MAKE_RUN_OUTPUT).read_text()
    named = re.search(r"\(run ([0-9a-f-]{36})\)", output)
    if named is None:
        return Golden(root, NoRun(output[-3000:]))
    instance = instance_at(root / "dagster_home")
    try:
        run = instance.get_run_by_id(named.group(1))
        events = [entry.dagster_event for entry in instance.all_logs(run.run_id) if entry.is_dagster_event]
    finally:
        instance.dispose()
    job = defs().resolve_job_def("refresh_warehouse")
    return Golden(root, ExecuteInProcessResult(event_list=events, dagster_run=run, output_capture=None, job_def=job))


def instance_at(home: Path):
    """The Dagster instance kept in ``home``. Its storage finds its folder through DAGSTER_HOME
    (.dagster_home/dagster.yaml), so that variable names ``home`` while the instance is made."""
    import dagster as dg

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        return dg.DagsterInstance.from_config(str(home))


@pytest.fixture
@builds_warehouse
def golden_copy(golden, tmp_path, monkeypatch) -> Golden:
    """This test's own copy of the golden warehouse, selected for the test (CHOKEPOINT_WAREHOUSE, DAGSTER_HOME)."""
    assert golden.result.success, "the golden refresh_warehouse build failed; see tests/integration/test_pipeline.py"
    copy = golden.copy_to(tmp_path / "golden")
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(copy.warehouse))
    monkeypatch.setenv("DAGSTER_HOME", str(copy.dagster_home))
    return copy


# the dbt manifest the guard tests read (models, tests, columns); `make manifest` writes it without a warehouse
DBT_MANIFEST = Path(__file__).resolve().parents[1] / "dbt_project" / "target" / "manifest.json"


@pytest.fixture(scope="module")
def manifest() -> dict:
    import json

    if not DBT_MANIFEST.exists():
        pytest.fail(f"{DBT_MANIFEST} missing: run `make manifest` (make test does)")
    return json.loads(DBT_MANIFEST.read_text())


@pytest.fixture(scope="session")
def raw_frames():
    """Every raw DataFrame built from the real embedded snapshot (parsed once per session)."""
    from orchestration.extract.raw_loaders import RAW_TABLES

    return {table: spec.load() for table, spec in RAW_TABLES.items()}


def planned_refresh(instance, definitions=None):
    """Run the refresh job as `make run` and the nightly schedule do: only what the planner selects. Returns (plan,
    result); result is None when the plan is "nothing changed"."""
    from orchestration.definitions import defs
    from orchestration.refresh.plan import plan_refresh

    definitions = definitions or defs()
    plan = plan_refresh(instance, definitions.get_repository_def())
    if plan.nothing_to_do:
        return plan, None
    selection = None if plan.selection is None else list(plan.selection)
    result = definitions.resolve_job_def("refresh_warehouse").execute_in_process(
        instance=instance, raise_on_error=False, asset_selection=selection)
    return plan, result
