"""Contracts over the bulk rows re-check only what was loaded since their last pass, unless the code changed.

Real raw loads (the bulk asset, SYNTHETIC generated files) and the real checks, run by Dagster on one instance so each
evaluation sees the previous one. The staging view and fact table are stand-ins written here: a transformation
that breaks only the new year's rows is how a staging contract fails on rows raw accepted."""

from unittest import mock

import dagster as dg
import duckdb
import pytest

from bench import generate
from data_contracts.marts import MART_CONTRACTS
from data_contracts.sources.baci import StgCepiiTradeFlows
from orchestration.defs import bulk_assets, contract_checks
from orchestration.defs.contract_checks import defs as contract_defs
from orchestration.refresh import recheck_scope
from orchestration.refresh.recheck_scope import CODE_VERSION
from orchestration.settings import warehouse_path
from orchestration.versioning import code_versions
from tests.contract_harness import add_unruled_columns, with_unruled_columns

OLD_YEAR, NEW_YEAR = 2020, 2021
OLD_ROWS, NEW_ROWS = 1_000, 500
# The transformation under test: correct, or one that flips the sign of the new year's values.
GOOD_VALUE = "v * 1000"
BROKEN_FOR_NEW_YEAR = f"case when t = {NEW_YEAR} then -v else v end * 1000"


@pytest.fixture
def warehouse(tmp_path, monkeypatch):
    path = tmp_path / "w.duckdb"
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(path))
    monkeypatch.setenv(bulk_assets.BULK_DIR_ENV, str(tmp_path / "bulk"))
    generate.write_year(tmp_path / "bulk", OLD_YEAR, OLD_ROWS, seed=3)
    return {"path": path, "bulk": tmp_path / "bulk", "instance": dg.DagsterInstance.ephemeral()}


def _staging_view(value_sql: str, version: str = "v1") -> dg.AssetsDefinition:
    @dg.asset(key=["staging", "stg_cepii__trade_flows"], deps=[bulk_assets.KEY], code_version=version)
    def view() -> None:
        connection = duckdb.connect(str(warehouse_path()))
        connection.execute("create schema if not exists staging")
        stand_in = f"""select 'bulk_trade' as source, t as year, i as exporter_code, j as importer_code,
            cast(null as varchar) as hs_revision, 'CHN' as exporter_iso3, 'USA' as importer_iso3,
            false as is_unmapped_country, 'fob_baci' as value_basis,
            lpad(cast(k as varchar), 6, '0') as hs6, {value_sql} as value_usd, q as quantity_t, _loaded_at as loaded_at
            from raw.bulk_trade_flows"""
        connection.execute("create or replace view staging.stg_cepii__trade_flows as "
                           + with_unruled_columns(connection, stand_in, StgCepiiTradeFlows))
        connection.close()

    return view


def _evaluate(warehouse, table_asset: dg.AssetsDefinition, check, check_key: dg.AssetCheckKey,
              tags: dict | None = None) -> dict:
    """Load the bulk folder, build ``table_asset``, run ``check`` on the shared instance; its verdict and metadata."""
    assets = [bulk_assets.bulk_trade_flows, table_asset, check]
    # The checks read code versions from the code location's graph; here that is these stand-ins.
    with mock.patch.object(code_versions, "location_asset_graph", dg.Definitions(assets=assets).resolve_asset_graph):
        result = dg.materialize(assets, instance=warehouse["instance"], raise_on_error=False, tags=tags)
    (evaluation,) = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"
                     and e.event_specific_data.asset_check_key == check_key]
    return {"passed": evaluation.passed, **{k: getattr(v, "value", v) for k, v in evaluation.metadata.items()}}


def _load_and_check_staging(warehouse, value_sql: str = GOOD_VALUE, version: str = "v1") -> dict:
    return _evaluate(warehouse, _staging_view(value_sql, version), contract_checks.stg_cepii_trade_flows_contract,
                     contract_checks.STAGING_BULK_CHECK_KEY)


def test_after_a_pass_only_newly_loaded_rows_are_checked(warehouse):
    first = _load_and_check_staging(warehouse)
    assert first["passed"] and first["rows_checked"] == OLD_ROWS and first["scope"].startswith("every row")
    generate.write_year(warehouse["bulk"], NEW_YEAR, NEW_ROWS, seed=3)
    second = _load_and_check_staging(warehouse)
    assert second["passed"] and second["rows_checked"] == NEW_ROWS
    assert second["scope"] == f"bulk rows loaded after {first[recheck_scope.WATERMARK]} (earlier rows passed with this code)"
    assert second[recheck_scope.WATERMARK] > first[recheck_scope.WATERMARK]
    third = _load_and_check_staging(warehouse)  # nothing loaded since: nothing to check, nothing to fail
    assert third["passed"] and third["rows_checked"] == 0


def test_bad_rows_in_the_new_load_fail_the_scoped_check(warehouse):
    assert _load_and_check_staging(warehouse, BROKEN_FOR_NEW_YEAR)["passed"]  # the old year is unaffected
    generate.write_year(warehouse["bulk"], NEW_YEAR, NEW_ROWS, seed=3)
    failed = _load_and_check_staging(warehouse, BROKEN_FOR_NEW_YEAR)
    assert not failed["passed"] and failed["rows_checked"] == NEW_ROWS
    # Every new row with a non-zero value is reported (zero stays zero when the sign flips), and no old row.
    connection = duckdb.connect(str(warehouse["path"]), read_only=True)
    flipped = connection.execute(f"select count(*) from raw.bulk_trade_flows where t = {NEW_YEAR} and v > 0").fetchone()[0]
    connection.close()
    assert 0 < flipped < NEW_ROWS and failed["failure_count"] == flipped
    assert failed["failing_checks"] == ["greater_than_or_equal_to(0)"] and "{'value_usd': -" in failed["failure_cases"]
    # A failure records no pass: the next evaluation re-checks the same rows, and fails again.
    assert not _load_and_check_staging(warehouse, BROKEN_FOR_NEW_YEAR)["passed"]


def test_changed_code_checks_every_row_again(warehouse):
    """A new code version of the checked model (or of anything upstream of it) voids the earlier pass."""
    first = _load_and_check_staging(warehouse)
    assert first["passed"]
    assert _load_and_check_staging(warehouse)["scope"].startswith("bulk rows loaded after")
    again = _load_and_check_staging(warehouse, version="v2")
    assert again["passed"] and again["rows_checked"] == OLD_ROWS and again[CODE_VERSION] != first[CODE_VERSION]
    assert again["scope"] == "every row: the code changed since the last pass"


# ---------------------------------------------------------------- the fact: bulk years scoped, reported rows always

FCT_CHECK = dg.AssetCheckKey(dg.AssetKey(["marts", "fct_trade_flows"]), "pandera_contract")
REPORTED_ROWS = 3


def _fact(reported_value: float) -> dg.AssetsDefinition:
    @dg.asset(key=["marts", "fct_trade_flows"], deps=[bulk_assets.KEY])
    def fact() -> None:
        connection = duckdb.connect(str(warehouse_path()))
        connection.execute("create schema if not exists marts")
        connection.execute(f"""create or replace table marts.fct_trade_flows as
            select 'bulk_trade' as source, 'USA' as reporter_iso3, 'CHN' as partner_iso3, true as partner_in_china_incl_hk,
                'import' as flow, lpad(cast(k as varchar), 6, '0') as commodity_code, lpad(cast(k as varchar), 6, '0') as hs6,
                'rare_earths' as mineral, t as year, 'annual' as period_kind, cast(null as integer) as month,
                cast(null as integer) as ytd_through_month, v * 1000 as value_usd, q as quantity, 't' as quantity_unit
            from raw.bulk_trade_flows
            union all
            select 'us_census', 'USA', 'CHN', true, 'import', '284690', '284690', 'rare_earths', 2024, 'monthly', cast(m as integer), null,
                {reported_value}, null, null
            from range(1, {REPORTED_ROWS + 1}) as months(m)""")
        add_unruled_columns(connection, "marts.fct_trade_flows", MART_CONTRACTS["fct_trade_flows"])
        connection.close()

    return fact


def _check_fact(warehouse, reported_value: float = 10.0) -> dict:
    (check,) = [c for c in contract_defs.asset_checks if FCT_CHECK in c.check_keys]
    return _evaluate(warehouse, _fact(reported_value), check, FCT_CHECK)


def test_fact_contract_rechecks_new_bulk_years_and_every_reported_row(warehouse):
    first = _check_fact(warehouse)
    assert first["passed"] and first["scope"].startswith("every row") and "bulk_years_checked" not in first
    generate.write_year(warehouse["bulk"], NEW_YEAR, NEW_ROWS, seed=3)
    second = _check_fact(warehouse)
    assert second["passed"] and second["bulk_years_checked"] == str(NEW_YEAR)
    # A bad reported-source row is caught in a scoped evaluation too: those rows are always checked.
    bad = _check_fact(warehouse, reported_value=-1.0)
    assert not bad["passed"] and bad["failure_count"] == REPORTED_ROWS and bad["bulk_years_checked"] == "none"
    assert "{'value_usd': -1.0}" in bad["failure_cases"]
