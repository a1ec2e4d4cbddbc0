"""The refresh planner on a small graph shaped like ours: two raw assets -> staging -> mart -> serving copy.

Each case materializes for real in a Dagster instance and asks the planner what the next refresh must rebuild. Code
versions and data versions are Dagster's own: each asset declares a code version, each raw asset its input (the tag
``chokepoint/input``) and returns the input's fingerprint as its DataVersion, as the real ones do. Definitions are
rebuilt from the world whenever code "changes", as a code location reload (or a new run process) would."""

import dagster as dg
import pytest

from orchestration.refresh.plan import PUBLISH_KEY, REFRESH_JOB, plan_refresh
from orchestration.versioning.inputs import input_tags

RAW_A, RAW_B = dg.AssetKey(["raw", "a"]), dg.AssetKey(["raw", "b"])
STAGING, MART = dg.AssetKey(["staging", "stg"]), dg.AssetKey(["marts", "mart"])
ALL = {RAW_A, RAW_B, STAGING, MART, PUBLISH_KEY}
INPUT_OF = {RAW_A: "snapshot", RAW_B: "register"}  # two of the real input names (inputs.INPUTS)


class World:
    """What the fake sources and code currently look like."""

    def __init__(self):
        self.inputs: dict[str, str | None] = {"snapshot": "a-v1", "register": "b-v1"}
        self.code = {key: "v1" for key in ALL}
        self.staging_fails = False
        self.edit_during_mart: str | None = None  # mart code someone saves while the mart builds


def build_definitions(world: World) -> dg.Definitions:
    code = dict(world.code)  # fixed when the definitions load, as Dagster fixes them at run start

    def raw(key):
        @dg.asset(key=key, code_version=code[key], tags=input_tags(INPUT_OF[key]))
        def _raw():
            fingerprint = world.inputs[INPUT_OF[key]]
            return dg.MaterializeResult(data_version=None if fingerprint is None else dg.DataVersion(fingerprint))

        _raw.__name__ = f"raw_{key.path[-1]}"
        return _raw

    @dg.asset(key=STAGING, deps=[RAW_A, RAW_B], code_version=code[STAGING])
    def staging():
        if world.staging_fails:
            raise dg.Failure("contract failed")

    @dg.asset(key=MART, deps=[STAGING], code_version=code[MART])
    def mart():
        if world.edit_during_mart:
            world.code[MART] = world.edit_during_mart

    @dg.asset(key=PUBLISH_KEY, deps=[MART], code_version=code[PUBLISH_KEY])
    def publish():
        pass

    return dg.Definitions(assets=[raw(RAW_A), raw(RAW_B), staging, mart, publish], executor=dg.in_process_executor,
                          jobs=[dg.define_asset_job(REFRESH_JOB, selection=dg.AssetSelection.all()),
                                dg.define_asset_job("raw_b_only", selection=dg.AssetSelection.assets(RAW_B))])


@pytest.fixture
def world():
    return World()


@pytest.fixture
def paths(tmp_path, monkeypatch):
    warehouse = tmp_path / "chokepoint.duckdb"
    warehouse.write_bytes(b"stands in for the build file")
    serve = tmp_path / "serve"
    serve.mkdir()
    (serve / "chokepoint.duckdb").write_bytes(b"stands in for the serving copy")
    monkeypatch.setenv("CHOKEPOINT_SERVE_DIR", str(serve))
    return warehouse, serve


@pytest.fixture
def instance():
    with dg.instance_for_test() as test_instance:
        yield test_instance


def _plan(instance, world, warehouse):
    fingerprints = {name: (lambda name=name: world.inputs[name]) for name in world.inputs}
    return plan_refresh(instance, build_definitions(world).get_repository_def(), fingerprints=fingerprints,
                        warehouse=warehouse)


def _refresh(world, instance, plan=None, job=REFRESH_JOB):
    selection = None if plan is None or plan.selection is None else list(plan.selection)
    return build_definitions(world).resolve_job_def(job).execute_in_process(
        instance=instance, asset_selection=selection, raise_on_error=False)


def test_first_refresh_builds_everything_then_nothing_is_left(instance, world, paths):
    first = _plan(instance, world, paths[0])
    assert first.selection == ALL and "never materialized" in first.describe()
    assert _refresh(world, instance, first).success
    second = _plan(instance, world, paths[0])
    assert second.nothing_to_do and second.selection == frozenset()
    assert "nothing changed" in second.describe()


def test_a_changed_source_rebuilds_it_and_its_downstream_only(instance, world, paths):
    assert _refresh(world, instance).success
    world.inputs["snapshot"] = "a-v2"
    plan = _plan(instance, world, paths[0])
    assert plan.selection == {RAW_A, STAGING, MART, PUBLISH_KEY}
    assert plan.reasons == ("raw/a: input snapshot changed",)
    result = _refresh(world, instance, plan)
    assert result.success
    assert {e.asset_key for e in result.get_asset_materialization_events()} == {RAW_A, STAGING, MART, PUBLISH_KEY}
    assert _plan(instance, world, paths[0]).nothing_to_do


def test_an_upstream_materialized_by_another_job_makes_its_children_stale(instance, world, paths):
    """As when the DataWeb drop sensor or a live partition lands new raw rows between two nightly refreshes."""
    assert _refresh(world, instance).success
    assert _refresh(world, instance, job="raw_b_only").success
    plan = _plan(instance, world, paths[0])
    assert plan.selection == {STAGING, MART, PUBLISH_KEY}
    assert plan.reasons == ("staging/stg: newer upstream raw/b",)


def test_a_source_that_can_only_be_known_by_fetching_is_always_refetched(instance, world, paths):
    assert _refresh(world, instance).success
    world.inputs["register"] = None  # live API
    plan = _plan(instance, world, paths[0])
    assert plan.selection == {RAW_B, STAGING, MART, PUBLISH_KEY}


def test_a_code_change_rebuilds_what_that_code_affects_not_everything(instance, world, paths):
    assert _refresh(world, instance).success
    world.code[MART] = "v2"
    plan = _plan(instance, world, paths[0])
    assert plan.selection == {MART, PUBLISH_KEY}
    assert plan.reasons == ("marts/mart: code version changed (v1 -> v2)",)
    assert _refresh(world, instance, plan).success
    assert _plan(instance, world, paths[0]).nothing_to_do

    world.code[RAW_B] = "v2"  # an extractor edit: that raw asset and everything built on it
    assert _plan(instance, world, paths[0]).selection == {RAW_B, STAGING, MART, PUBLISH_KEY}


def test_failed_run_or_missing_files_rebuild_everything(instance, world, paths):
    warehouse, serve = paths
    assert _refresh(world, instance).success
    world.staging_fails = True
    world.inputs["snapshot"] = "a-v2"
    assert not _refresh(world, instance, _plan(instance, world, warehouse)).success
    world.staging_fails = False
    after_failure = _plan(instance, world, warehouse)
    assert after_failure.selection is None and "FAILURE" in after_failure.describe()
    assert _refresh(world, instance, after_failure).success
    assert _plan(instance, world, warehouse).nothing_to_do

    (serve / "chokepoint.duckdb").unlink()
    assert _plan(instance, world, warehouse).selection == {PUBLISH_KEY}
    warehouse.unlink()
    assert _plan(instance, world, warehouse).selection is None


def test_code_edited_during_a_run_is_not_recorded_as_built(instance, world, paths):
    """Dagster records the code version the run loaded at its start: the mart built before the edit is rebuilt by
    the next refresh, and only it (and what depends on it)."""
    world.edit_during_mart = "v2"
    assert _refresh(world, instance).success  # no plan: as "Materialize all" in the UI
    assert world.code[MART] == "v2"
    assert instance.get_latest_materialization_code_versions([MART]) == {MART: "v1"}
    world.edit_during_mart = None
    plan = _plan(instance, world, paths[0])
    assert plan.selection == {MART, PUBLISH_KEY} and "code version changed (v1 -> v2)" in plan.describe()
    assert _refresh(world, instance, plan).success
    assert _plan(instance, world, paths[0]).nothing_to_do


def test_the_recorded_versions_are_dagsters_own(instance, world, paths):
    """What the UI shows on each materialization: the code version, and the input's fingerprint as data version."""
    assert _refresh(world, instance).success
    raw_a = instance.get_latest_materialization_event(RAW_A).asset_materialization
    assert raw_a.tags["dagster/code_version"] == "v1" and raw_a.tags["dagster/data_version"] == "a-v1"
