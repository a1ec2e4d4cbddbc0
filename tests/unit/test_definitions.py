"""The code location loads, the schedule targets the refresh job, and contracts are blocking checks."""

import dagster as dg
import pytest

from orchestration.defs.refresh_job import NIGHTLY_TIMEZONE
from orchestration.defs.report_assets import REPORT_KEY


@pytest.fixture(scope="module")
def definitions():
    from orchestration.definitions import defs

    return defs()


def test_definitions_load(definitions):
    dg.Definitions.validate_loadable(definitions)


def test_nightly_schedule_targets_the_refresh_job(definitions):
    schedule = definitions.resolve_schedule_def("nightly_refresh")
    assert schedule.job_name == "refresh_warehouse"
    assert schedule.cron_schedule == "0 3 * * *"
    assert schedule.execution_timezone == NIGHTLY_TIMEZONE == "UTC"


def test_refresh_job_covers_every_asset(definitions):
    job = definitions.resolve_job_def("refresh_warehouse")
    graph_keys = set(definitions.resolve_asset_graph().get_all_asset_keys())
    # executable keys, not the job's asset graph: that graph also lists upstreams the job only reads.
    job_keys = set(job.asset_layer.executable_asset_keys)
    # Partitioned live extracts run in their own jobs (one unpartitioned run cannot carry their partitions).
    # So do unpartitioned live fetches (tag chokepoint/own_run): a failed fetch must not skip the refresh.
    partitioned = {k for k in graph_keys if definitions.resolve_asset_graph().get(k).tags.get("chokepoint/partitioned") == "true"
                   or definitions.resolve_asset_graph().get(k).tags.get("chokepoint/own_run") == "true"}
    assert graph_keys - partitioned <= job_keys
    for key in partitioned:
        assert any(key in j.asset_layer.executable_asset_keys for j in definitions.resolve_all_job_defs()
                   if j.name != "refresh_warehouse"), key


def external_assets(definitions) -> set[str]:
    graph = definitions.resolve_asset_graph()
    return {key.to_user_string() for key in graph.get_all_asset_keys() if not graph.get(key).is_executable}


def test_every_dbt_source_is_materialized_by_an_asset(definitions):
    # A raw table declared in dbt but never registered in raw_loaders.RAW_TABLES (or another defs module) would
    # appear as an external asset that nothing materializes, and its staging model would fail in dbt build.
    assert external_assets(definitions) == set()


def test_an_unregistered_raw_table_is_found():
    unregistered = dg.AssetSpec(dg.AssetKey(["raw", "new_source"]))
    stg = dg.AssetSpec(dg.AssetKey(["staging", "stg_new__source"]), deps=[unregistered.key])
    materialized = dg.asset(key=stg.key, deps=[unregistered.key])(lambda: None)
    assert external_assets(dg.Definitions(assets=[unregistered, materialized])) == {"raw/new_source"}


def test_assets_grouped_by_layer_with_table_like_keys(definitions):
    graph = definitions.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["raw/usitc_dataweb"] == "raw"
    # marts by their domain folder (models/marts/<domain>/), keys unchanged
    assert groups["marts/fct_trade_flows"] == "marts_trade"
    assert groups["marts/supply_risk"] == "marts_supply"
    assert groups["marts/export_measures"] == "marts_measures"
    assert groups["marts/chip_equipment_dependency"] == "marts_chip_equipment"
    assert groups["intermediate/int_trade__flows_mapped"] == "intermediate"
    assert groups["staging/stg_comtrade__records"] == "staging"


def test_pandera_contracts_are_blocking_checks(definitions):
    graph = definitions.resolve_asset_graph()
    keys = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    assert ("raw/usitc_dataweb", "pandera_contract") in keys
    assert ("marts/import_dependency", "pandera_contract") in keys
    assert ("staging/stg_usitc__trade", "pandera_contract") in keys


def test_dbt_models_carry_docs_as_descriptions_and_column_schema(definitions):
    graph = definitions.resolve_asset_graph()
    node = graph.get(dg.AssetKey(["marts", "import_dependency"]))
    assert "denominator_scope" in (node.description or "")
    columns = node.metadata["dagster/column_schema"].columns
    described = {c.name: c.description for c in columns}
    assert "10,000" in described["hhi"] or "10000" in described["hhi"]


def test_every_job_runs_in_process_like_the_refresh(definitions):
    """UI one-asset Materialize, Materialize all, the schedule and `make run`: one executor for all."""
    jobs = definitions.resolve_all_job_defs()
    assert {job.name for job in jobs} >= {"__ASSET_JOB", "refresh_warehouse"}
    assert {job.name: job.executor_def.name for job in jobs} == {job.name: "in_process" for job in jobs}


def test_a_mart_rebuilt_alone_is_followed_by_the_publish(definitions):
    """After a refresh, rebuilding one mart (a one-asset Materialize) makes the publish's automation request a run
    that publishes and redraws the report; with nothing rebuilt since, it requests none."""
    serve = dg.AssetKey(["serve", "chokepoint"])
    sensor = definitions.get_repository_def().get_sensor_def("publish_after_marts")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    graph = definitions.resolve_asset_graph()
    marts = sorted(graph.get(serve).parent_keys, key=lambda key: key.to_user_string())
    assert dg.AssetKey(["marts", "import_dependency"]) in marts
    with dg.instance_for_test() as instance:
        for key in [*marts, serve, REPORT_KEY]:  # a whole refresh
            instance.report_runless_asset_event(dg.AssetMaterialization(key))
        first = dg.evaluate_automation_conditions(defs=definitions, instance=instance)
        assert first.total_requested == 0
        instance.report_runless_asset_event(dg.AssetMaterialization(dg.AssetKey(["marts", "import_dependency"])))
        second = dg.evaluate_automation_conditions(defs=definitions, instance=instance, cursor=first.cursor)
        # the publish and, after it in the same run, the report drawn from the serving copy (issue 29)
        requested = {r.key for r in second.results if r.true_subset.size}
        assert requested == {serve, REPORT_KEY}
        instance.report_runless_asset_event(dg.AssetMaterialization(serve))
        instance.report_runless_asset_event(dg.AssetMaterialization(REPORT_KEY))
        third = dg.evaluate_automation_conditions(defs=definitions, instance=instance, cursor=second.cursor)
        assert third.total_requested == 0


def test_every_raw_asset_of_the_refresh_declares_its_input(definitions):
    """The planner reloads a raw asset only when its declared input changes: one without the ``chokepoint/input``
    tag would be loaded once and never again. Roots of the job count too (an input under another schema), dbt seeds
    excepted: their CSVs are part of their code version (orchestration/versioning/dbt_versions.py)."""
    from orchestration.versioning.inputs import INPUT_TAG, INPUTS

    job = definitions.resolve_job_def("refresh_warehouse")
    graph = definitions.resolve_asset_graph()
    keys = set(job.asset_layer.executable_asset_keys)
    roots = {key for key in keys if not graph.get(key).parent_keys & keys and "dbt" not in graph.get(key).kinds}
    needs_input = {key for key in keys if key.path[0] == "raw"} | roots
    assert len(needs_input) >= 13
    undeclared = sorted(key.to_user_string() for key in needs_input if INPUT_TAG not in graph.get(key).tags)
    assert not undeclared, f"raw assets of refresh_warehouse without a {INPUT_TAG} tag (orchestration/versioning/inputs.py): {undeclared}"
    unknown = sorted(graph.get(key).tags[INPUT_TAG] for key in needs_input if graph.get(key).tags[INPUT_TAG] not in INPUTS)
    assert not unknown


def test_every_executable_asset_has_a_code_version(definitions):
    """Without one Dagster records the run id as the code version, and the planner could not tell what an edit
    affects; dbt models carry dbt_versions.dbt_code_version, not dagster-dbt's SQL-only hash."""
    from orchestration.defs.dbt_assets import dbt_project
    from orchestration.versioning.dbt_versions import dbt_code_version

    graph = definitions.resolve_asset_graph()
    executable = [key for key in graph.get_all_asset_keys() if graph.get(key).is_executable]
    missing = sorted(key.to_user_string() for key in executable if not graph.get(key).code_version)
    assert not missing, f"assets without a code version: {missing}"
    import json
    manifest = json.loads(dbt_project().manifest_path.read_text())
    fact = graph.get(dg.AssetKey(["marts", "fct_trade_flows"]))
    assert fact.code_version == dbt_code_version(manifest, "model.chokepoint.fct_trade_flows", "orchestration.defs.dbt_assets")


def test_the_dbt_resource_skips_the_adapter_and_version_probe_dagster_dbt_still_has():
    """orchestration.defs.dbt_assets.DbtCli overrides two dagster-dbt internals: if an upgrade renames them, the
    overrides would silently stop saving the time (and this fails, naming them)."""
    from dagster_dbt import DbtCliResource

    from orchestration.defs.dbt_assets import DbtCli, dbt_executable, dbt_project

    assert callable(getattr(DbtCliResource, "_initialize_dbt_core_adapter", None))
    assert "_cli_version" in vars(DbtCliResource)
    resource = DbtCli(project_dir=dbt_project(), dbt_executable=dbt_executable())
    assert resource._initialize_dbt_core_adapter(["build"]) is None
    assert resource._cli_version.major == 1  # dbt-core, not Fusion: dbt-duckdb's adapter exists for it


def test_loading_the_code_location_leaves_the_drawing_and_validation_libraries_unimported():
    """Every Dagster process loads the code location (webserver, daemon, each run, `make run`): matplotlib (~0.5 s)
    and Great Expectations (~2 s) are imported only by the steps that draw the report and validate the publish."""
    import subprocess
    import sys

    from orchestration.settings import PROJECT_ROOT

    probe = ("import sys; from orchestration.definitions import defs; defs(); "
             "print(sorted(m for m in ('matplotlib', 'great_expectations') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
