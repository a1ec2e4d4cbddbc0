"""What a mart's asset page shows: column types, only serializable definition metadata, durations with units."""

import dagster as dg
from dagster._core.definitions.metadata import normalize_metadata

from orchestration.defs import dbt_assets

# Dagster's UI hides these two labels (HIDDEN_METADATA_ENTRY_LABELS in its MetadataEntry.tsx); every other
# unserializable value would be shown to users as "[Class] (unserializable)".
HIDDEN_BY_THE_UI = {"dagster_dbt/manifest", "dagster_dbt/dagster_dbt_translator"}


def test_dbt_assets_carry_no_visible_unserializable_metadata():
    from orchestration.definitions import defs

    graph = defs().resolve_asset_graph()
    marts = [key for key in graph.get_all_asset_keys() if key.path[0] == "marts"]
    assert len(marts) >= 9
    for key in marts:
        metadata = normalize_metadata(graph.get(key).metadata, allow_invalid=True)
        shown = {label for label, value in metadata.items()
                 if "(unserializable)" in str(getattr(value, "value", "")) and label not in HIDDEN_BY_THE_UI}
        assert shown == set(), (key, shown)
        assert "dagster/column_schema" in metadata  # the YAML's column descriptions stay


def test_materialization_gets_catalog_types_and_a_duration_in_seconds():
    declared = dg.TableSchema(columns=[dg.TableColumn("commodity", "?", description="USGS commodity"),
                                       dg.TableColumn("supply_risk", "?", description="SR, EU 2017 method")])
    event = dg.AssetMaterialization(asset_key=["marts", "supply_risk"], metadata={
        "Execution Duration": 0.123456, "dagster/column_schema": dg.MetadataValue.table_schema(declared)})
    facts = dbt_assets.TableFacts(rows=18, columns=[("commodity", "VARCHAR"), ("supply_risk", "DOUBLE")])
    updated = dbt_assets._with_table_metadata(event, facts).metadata
    assert "Execution Duration" not in updated
    assert updated[dbt_assets.DURATION_KEY].value == 0.123
    assert updated["dagster/row_count"].value == 18
    columns = updated["dagster/column_schema"].schema.columns
    assert [(c.name, c.type, c.description) for c in columns] == [
        ("commodity", "VARCHAR", "USGS commodity"), ("supply_risk", "DOUBLE", "SR, EU 2017 method")]


def test_check_results_get_the_unit_too_and_other_events_pass_through():
    check = dg.AssetCheckResult(asset_key=["marts", "supply_risk"], check_name="not_null", passed=True,
                                metadata={"Execution Duration": 2.0})
    assert set(dbt_assets._with_table_metadata(check, None).metadata) == {dbt_assets.DURATION_KEY}
    event = dg.AssetMaterialization(asset_key=["marts", "supply_risk"], metadata={
        "dagster/column_schema": dg.TableSchema(columns=[dg.TableColumn("year", "?")])})
    definition = dg.TableSchema(columns=[dg.TableColumn("year", "?", description="Year of the row")])
    typed = dbt_assets._with_table_metadata(event, dbt_assets.TableFacts(1, [("year", "INTEGER")]), definition)
    assert [(c.type, c.description) for c in typed.metadata["dagster/column_schema"].schema.columns] == [
        ("INTEGER", "Year of the row")]  # the definition's descriptions win over the event's empty ones
    untouched = dg.AssetMaterialization(asset_key=["marts", "x"], metadata={"other": 1})
    assert dbt_assets._with_table_metadata(untouched, None) is untouched


def test_a_marts_definition_shows_its_yaml_types_before_any_build():
    from data_contracts.dbt_columns import declared_columns
    from orchestration.definitions import defs

    metadata = defs().resolve_asset_graph().get(dg.AssetKey(["marts", "supply_risk"])).metadata
    columns = metadata["dagster/column_schema"].columns
    assert {c.name: c.type for c in columns} == declared_columns("marts")["supply_risk"]
    assert {c.name: c.type for c in columns}["year"] == "integer"
