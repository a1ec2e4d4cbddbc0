"""The refresh planner on a small graph shaped like ours: two raw assets -> staging -> mart -> serving copy.

Each case materializes for real in a Dagster instance and asks the planner what the next refresh must rebuild."""

import dagster as dg
import pytest

from orchestration import refresh_plan
from orchestration.refresh_plan import CODE_FINGERPRINT, INPUT_FINGERPRINT, PUBLISH_KEY, REFRESH_JOB, RUN_CODE, plan_refresh, run_code

RAW_A, RAW_B = dg.AssetKey(["raw", "a"]), dg.AssetKey(["raw", "b"])
STAGING, MART = dg.AssetKey(["staging", "stg"]), dg.AssetKey(["marts", "mart"])
ALL = {RAW_A, RAW_B, STAGING, MART, PUBLISH_KEY}


class World:
    """What the fake sources and code currently look like; the assets record it as the real ones do."""

    def __init__(self):
        self.inputs: dict[dg.AssetKey, str | None] = {RAW_A: "a-v1", RAW_B: "b-v1"}
        self.code = "code-v1"
        self.staging_fails = False
        self.edit_during_mart: str | None = None  # code someone saves while the mart builds


@pytest.fixture
def world(monkeypatch):
    current = World()
    # The publish records what the real run_code resource reads: the code on disk, here this world's.
    monkeypatch.setattr(refresh_plan, "code_fingerprint", lambda: current.code)
    return current


@pytest.fixture
def definitions(world):
    def raw(key):
        @dg.asset(key=key)
        def _raw():
            return dg.MaterializeResult(metadata={INPUT_FINGERPRINT: world.inputs[key] or ""})

        _raw.__name__ = f"raw_{key.path[-1]}"
        return _raw

    @dg.asset(key=STAGING, deps=[RAW_A, RAW_B])
    def staging():
        if world.staging_fails:
            raise dg.Failure("contract failed")

    @dg.asset(key=MART, deps=[STAGING])
    def mart():
        if world.edit_during_mart:
            world.code = world.edit_during_mart

    @dg.asset(key=PUBLISH_KEY, deps=[MART], required_resource_keys={RUN_CODE})
    def publish(context: dg.AssetExecutionContext):
        # As the real publish (defs/publish_assets.py) does.
        return dg.MaterializeResult(metadata={CODE_FINGERPRINT: context.resources.run_code})

    assets = [raw(RAW_A), raw(RAW_B), staging, mart, publish]
    return dg.Definitions(assets=assets, resources={RUN_CODE: run_code}, executor=dg.in_process_executor, jobs=[
        dg.define_asset_job(REFRESH_JOB, selection=dg.AssetSelection.all()),
        dg.define_asset_job("raw_b_only", selection=dg.AssetSelection.assets(RAW_B)),
    ])


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


def _plan(instance, definitions, world, warehouse):
    inputs = {key: (lambda key=key: world.inputs[key]) for key in world.inputs}
    return plan_refresh(instance, definitions.get_repository_def(), raw_inputs=inputs,
                        current_code=lambda: world.code, warehouse=warehouse)


def _refresh(definitions, instance, plan=None, job=REFRESH_JOB):
    selection = None if plan is None or plan.selection is None else list(plan.selection)
    return definitions.resolve_job_def(job).execute_in_process(instance=instance, asset_selection=selection,
                                                               raise_on_error=False,
                                                               tags=None if plan is None else plan.run_tags)


def _published_code(instance) -> str:
    return instance.get_latest_materialization_event(PUBLISH_KEY).asset_materialization.metadata[CODE_FINGERPRINT].value


def test_first_refresh_builds_everything_then_nothing_is_left(definitions, instance, world, paths):
    first = _plan(instance, definitions, world, paths[0])
    assert first.selection is None and "code changed" in first.describe()  # never published
    assert _refresh(definitions, instance).success
    second = _plan(instance, definitions, world, paths[0])
    assert second.nothing_to_do and second.selection == frozenset()
    assert "nothing changed" in second.describe()


def test_a_changed_source_rebuilds_it_and_its_downstream_only(definitions, instance, world, paths):
    assert _refresh(definitions, instance).success
    world.inputs[RAW_A] = "a-v2"
    plan = _plan(instance, definitions, world, paths[0])
    assert plan.selection == {RAW_A, STAGING, MART, PUBLISH_KEY}
    assert plan.reasons == ("raw/a: input changed",)
    result = _refresh(definitions, instance, plan)
    assert result.success
    assert {e.asset_key for e in result.get_asset_materialization_events()} == {RAW_A, STAGING, MART, PUBLISH_KEY}
    assert _plan(instance, definitions, world, paths[0]).nothing_to_do


def test_an_upstream_materialized_by_another_job_makes_its_children_stale(definitions, instance, world, paths):
    """As when the DataWeb drop sensor or a live partition lands new raw rows between two nightly refreshes."""
    assert _refresh(definitions, instance).success
    assert _refresh(definitions, instance, job="raw_b_only").success
    plan = _plan(instance, definitions, world, paths[0])
    assert plan.selection == {STAGING, MART, PUBLISH_KEY}
    assert plan.reasons == ("staging/stg: newer upstream raw/b",)


def test_a_source_that_can_only_be_known_by_fetching_is_always_refetched(definitions, instance, world, paths):
    assert _refresh(definitions, instance).success
    world.inputs[RAW_B] = None  # live API
    plan = _plan(instance, definitions, world, paths[0])
    assert plan.selection == {RAW_B, STAGING, MART, PUBLISH_KEY}


def test_code_change_failed_run_or_missing_files_rebuild_everything(definitions, instance, world, paths):
    warehouse, serve = paths
    assert _refresh(definitions, instance).success
    world.code = "code-v2"
    assert _plan(instance, definitions, world, warehouse).selection is None
    assert _refresh(definitions, instance).success

    world.staging_fails = True
    world.inputs[RAW_A] = "a-v2"
    assert not _refresh(definitions, instance, _plan(instance, definitions, world, warehouse)).success
    world.staging_fails = False
    after_failure = _plan(instance, definitions, world, warehouse)
    assert after_failure.selection is None and "FAILURE" in after_failure.describe()
    assert _refresh(definitions, instance, after_failure).success
    assert _plan(instance, definitions, world, warehouse).nothing_to_do

    (serve / "chokepoint.duckdb").unlink()
    assert _plan(instance, definitions, world, warehouse).selection == {PUBLISH_KEY}
    warehouse.unlink()
    assert _plan(instance, definitions, world, warehouse).selection is None


def test_code_edited_during_a_run_is_not_recorded_as_built(definitions, instance, world, paths):
    """The publish records the code of run start: marts built before the edit must be rebuilt by the next refresh."""
    world.edit_during_mart = "code-v2"
    assert _refresh(definitions, instance).success  # no plan, no tag: as "Materialize all" in the UI
    assert world.code == "code-v2" and _published_code(instance) == "code-v1"
    world.edit_during_mart = None
    plan = _plan(instance, definitions, world, paths[0])
    assert plan.selection is None and "code changed" in plan.describe() and plan.code == "code-v2"
    assert _refresh(definitions, instance, plan).success
    assert _published_code(instance) == "code-v2"
    assert _plan(instance, definitions, world, paths[0]).nothing_to_do


def test_a_planned_run_records_the_code_its_plan_compared(definitions, instance, world, paths):
    """Code saved between the plan and the run's start (a queued nightly run): the partial rebuild the plan chose
    was decided for the old code, so the publish records the old code and the next plan rebuilds everything."""
    assert _refresh(definitions, instance).success
    world.inputs[RAW_A] = "a-v2"
    plan = _plan(instance, definitions, world, paths[0])
    assert plan.selection == {RAW_A, STAGING, MART, PUBLISH_KEY} and plan.run_tags == {refresh_plan.CODE_TAG: "code-v1"}
    world.code = "code-v2"
    assert _refresh(definitions, instance, plan).success
    assert _published_code(instance) == "code-v1"
    assert _plan(instance, definitions, world, paths[0]).selection is None
