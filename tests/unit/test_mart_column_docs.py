"""Every column a mart exposes to BI has a description in the mart's dbt YAML: an undocumented column fails here,
named as mart.column.

No warehouse (and no dbt catalog) is needed: the columns a mart exposes are read from the final select of its SQL
in the manifest (sqlglot, Jinja blanked out), together with those its Pandera contract declares
(data_contracts/marts/<domain>.py; not strict, so often fewer) and those its YAML lists. tests/integration/
test_mart_column_docs.py runs the same check against the columns of the built marts."""

import re

import pytest
import sqlglot

from data_contracts.marts import MART_CONTRACTS


def mart_nodes(manifest: dict) -> dict[str, dict]:
    return {node["name"]: node for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["fqn"][1] == "marts"}


JINJA_PLACEHOLDER = "jinja_expression"


def final_select_columns(raw_code: str) -> list[str] | None:
    """Output columns of a model's outermost select; None when they cannot be read (a star, an unaliased macro)."""
    sql = re.sub(r"\{\{\s*config\(.*?\)\s*\}\}", "", raw_code, flags=re.S)
    sql = re.sub(r"\{#.*?#\}|\{%.*?%\}", "", sql, flags=re.S)
    sql = re.sub(r"\{\{.*?\}\}", JINJA_PLACEHOLDER, sql, flags=re.S)
    try:
        columns = sqlglot.parse_one(sql, read="duckdb").named_selects
    except sqlglot.errors.ParseError:
        return None
    return None if not columns or {"*", JINJA_PLACEHOLDER} & set(columns) else columns


def contract_columns(mart: str) -> list[str]:
    return list(MART_CONTRACTS[mart].to_schema().columns) if mart in MART_CONTRACTS else []


def undocumented_columns(manifest: dict, columns_by_mart: dict[str, list[str]]) -> list[str]:
    """`mart.column` for every column given, and every column the mart's YAML lists, without a description."""
    nodes = mart_nodes(manifest)
    missing = []
    for mart in sorted({*nodes, *columns_by_mart}):
        documented = {name.lower(): (column.get("description") or "").strip()
                      for name, column in nodes.get(mart, {}).get("columns", {}).items()}
        exposed = dict.fromkeys([*columns_by_mart.get(mart, []), *documented])
        missing += [f"{mart}.{column}" for column in exposed if not documented.get(column.lower())]
    return missing


def test_every_mart_column_has_a_description(manifest):
    marts = mart_nodes(manifest)
    assert marts, "no marts in the manifest"
    columns = {mart: [*(final_select_columns(node["raw_code"]) or []), *contract_columns(mart)]
               for mart, node in marts.items()}
    missing = undocumented_columns(manifest, columns)
    assert not missing, f"mart columns without a description in dbt_project/models/marts: {', '.join(missing)}"


def test_every_mart_names_its_columns_in_its_final_select(manifest):
    # what the check above reads: a mart ending in `select *` would hide its columns from it
    assert [mart for mart, node in mart_nodes(manifest).items() if final_select_columns(node["raw_code"]) is None] == []


def test_every_mart_lists_its_columns_in_yaml(manifest):
    # a mart whose YAML lists no column would pass the check above on its contract alone only if that is empty too
    assert [mart for mart, node in mart_nodes(manifest).items() if not node["columns"]] == []


def _fixture_manifest(columns: dict[str, dict[str, str | None]]) -> dict:
    return {"nodes": {
        f"model.chokepoint.{mart}": {
            "name": mart, "resource_type": "model", "fqn": ["chokepoint", "marts", mart],
            "columns": {name: {"name": name, "description": text} for name, text in described.items()},
        } for mart, described in columns.items()
    }}


def test_a_column_without_description_is_named():
    manifest = _fixture_manifest({"supply_risk": {"commodity": "USGS commodity.", "si_sr_source": "  ",
                                                  "eol_rir_source": None}})
    exposed = {"supply_risk": ["commodity", "si_sr_source", "global_supply_max_trade_factor"]}
    assert undocumented_columns(manifest, exposed) == [
        "supply_risk.si_sr_source", "supply_risk.global_supply_max_trade_factor", "supply_risk.eol_rir_source"]


def test_a_mart_missing_from_yaml_is_named_by_column():
    assert undocumented_columns(_fixture_manifest({}), {"restriction_event_study": ["pre_periods_requested"]}) == [
        "restriction_event_study.pre_periods_requested"]


def test_documented_columns_pass_whatever_the_case():
    manifest = _fixture_manifest({"net_trade": {"reporter_iso3": "Reporter ISO3.", "trade_balance": "Label."}})
    assert undocumented_columns(manifest, {"net_trade": ["REPORTER_ISO3", "trade_balance"]}) == []


def test_final_select_columns_read_through_jinja():
    sql = """{{ config(materialized='view') }}
    {% set pre = var('event_study_pre_periods', 3) %}
    with flows as (select * from {{ ref('fct_trade_flows') }})
    select flows.year, {{ dbt.concat(['a', 'b']) }} as pre_period_years, {{ pre }} as pre_periods_requested,
        sum(value_usd) as value_usd
    from flows group by 1"""
    assert final_select_columns(sql) == ["year", "pre_period_years", "pre_periods_requested", "value_usd"]


@pytest.mark.parametrize("sql", ["with renamed as (select 1 as a) select * from renamed",
                                 "select year, {{ mineral_columns() }} from {{ ref('x') }}",
                                 "select from where"])
def test_unreadable_final_select_is_reported_as_such(sql):
    assert final_select_columns(sql) is None


def test_contract_columns_are_read_from_the_pandera_model():
    # every YAML column, in YAML order: the contract's ruled columns and those it only types (dbt_columns.py)
    columns = contract_columns("supply_risk")
    assert columns[:4] == ["commodity", "mineral", "year", "global_supply_stage"] and len(columns) == 28
    assert {"governance_basis", "sr_status", "global_supply_wgi_missing_countries"} <= set(columns)
    assert contract_columns("no_such_mart") == []
