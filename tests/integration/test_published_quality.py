"""On the real snapshot: every mart's GX suite runs on the published copy, the result is an asset check, the site
is self-contained, and mart materializations carry the catalog's column types."""

from pathlib import Path

import dagster as dg

from data_contracts.marts import MART_CONTRACTS
from orchestration.defs.dbt_assets import DURATION_KEY
from orchestration.defs.publish_assets import GX_CHECK, SERVING_KEY
from orchestration.publish.data_docs import FAILED_KEY, RESULTS_KEY, quality_summary
from tests.publish.test_data_docs import assert_site_is_self_contained


def _materialization(result, key: dg.AssetKey):
    found = [e.event_specific_data.materialization for e in result.get_asset_materialization_events()
             if e.event_specific_data.materialization.asset_key == key]
    assert len(found) == 1, key
    return found[0]


def test_every_mart_suite_ran_on_the_published_copy_as_an_asset_check(pipeline_run):
    result, _ = pipeline_run
    evaluations = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"
                   and e.event_specific_data.asset_key == SERVING_KEY and e.event_specific_data.check_name == GX_CHECK]
    assert len(evaluations) == 1 and evaluations[0].passed
    check_metadata = evaluations[0].metadata
    assert set(check_metadata[RESULTS_KEY].value) == set(MART_CONTRACTS)
    assert check_metadata["failed_expectations"].value == 0 and check_metadata[FAILED_KEY].value == {}

    metadata = _materialization(result, SERVING_KEY).metadata
    assert metadata["data_docs_remote_urls"].value == {}
    assert metadata["expectations_reused_for"].value == []  # the first publish: every suite ran
    counts = [tuple(map(int, v.split("/"))) for v in metadata[RESULTS_KEY].value.values()]
    assert all(passed == total > 1 for passed, total in counts)
    assert quality_summary(metadata) == (f"Data Docs: {len(MART_CONTRACTS)} suites, {sum(t for _, t in counts)}/"
                                         f"{sum(t for _, t in counts)} expectations passed")
    site = Path(metadata["data_docs"].value).parent
    assert assert_site_is_self_contained(site) > 100
    pages = {p.name for p in (site / "validations").rglob("*.html")}
    assert {f"marts-{mart}.html" for mart in MART_CONTRACTS} <= pages


def test_mart_materializations_carry_catalog_types_and_durations_in_seconds(pipeline_run, warehouse):
    result, _ = pipeline_run
    for mart in MART_CONTRACTS:
        metadata = _materialization(result, dg.AssetKey(["marts", mart])).metadata
        columns = metadata["dagster/column_schema"].schema.columns
        catalog = warehouse.execute("""select column_name, data_type from information_schema.columns
                                       where table_schema = 'marts' and table_name = ? order by ordinal_position""",
                                    [mart]).fetchall()
        assert [(c.name, c.type) for c in columns] == catalog, mart
        assert metadata[DURATION_KEY].value >= 0 and "Execution Duration" not in metadata
    risk = _materialization(result, dg.AssetKey(["marts", "supply_risk"])).metadata["dagster/column_schema"].schema
    by_name = {c.name: c for c in risk.columns}
    assert by_name["supply_risk"].type == "DOUBLE" and by_name["year"].type == "INTEGER"
    assert by_name["supply_risk"].description  # the dbt YAML's description survives
