"""Pandera contracts on staging and mart tables, as blocking asset checks evaluated inside DuckDB.

The ibis backend turns each check into SQL, so a 50M-row table is validated where it lives instead of being
loaded into pandas; only the failing rows travel back, into the check's metadata."""

from collections.abc import Iterator

import dagster as dg
import ibis

from data_contracts.marts import MART_CONTRACTS
from data_contracts.sources.baci import BULK
from data_contracts.sources.registry import STAGING_CONTRACTS
from orchestration.refresh.recheck_scope import bulk_scope, pass_observation, years_loaded_since
from orchestration.settings import memory_limit, warehouse_path
from orchestration.storage.warehouse import WRITER_POOL, open_duckdb
from orchestration.validation import CONTRACT_CHECK, validate, validate_rows_unless_empty
from orchestration.versioning.code_versions import code_version, lineage_code_version

# Tables that hold the bulk source's rows (tens of millions): after a pass, re-check only the bulk rows loaded since,
# plus every row of the small sources (orchestration/refresh/recheck_scope.py says when that is sound). The fact is
# scoped by the years loaded since, the staging view by the rows' own loaded_at.
BULK_YEAR_SCOPED = {("marts", "fct_trade_flows")}
BULK_LOAD_SCOPED_STAGING = "stg_cepii__trade_flows"
# Fixed when the code location loads, like every asset's code version: an edit saved during a run is not validated.
CHECK_CODE = code_version(__name__)


def _contract_check(schema: str, table: str, contract) -> dg.AssetChecksDefinition:
    check_key = dg.AssetCheckKey(dg.AssetKey([schema, table]), CONTRACT_CHECK)
    scoped = (schema, table) in BULK_YEAR_SCOPED

    @dg.asset_check(
        asset=check_key.asset_key,
        name=CONTRACT_CHECK,
        blocking=True,
        description=f"{schema}.{table} satisfies data_contracts.{schema}.{contract.__name__}"
                    + (" (after a pass, only bulk years loaded since, unless the code changed)" if scoped else ""),
        # Read-only, but DuckDB refuses a reader while another process writes: queue with the writers.
        pool=WRITER_POOL,
    )
    def _check(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult | dg.AssetObservation]:
        connection = ibis.duckdb.connect(str(warehouse_path()), read_only=True)
        connection.raw_sql(f"set memory_limit = '{memory_limit()}'")
        try:
            rows = connection.table(table, database=schema)
            scope, scope_metadata = None, {}
            if scoped:
                rows, scope, scope_metadata = _bulk_years_since_last_pass(context, check_key, connection.con, rows)
            outcome = validate(rows, contract)
        finally:
            connection.disconnect()
        if scope is not None and outcome.passed:
            yield pass_observation(check_key, scope)
        yield dg.AssetCheckResult(passed=outcome.passed, metadata={**outcome.metadata, **scope_metadata},
                                  description=outcome.summary)

    _check.__name__ = f"{schema}_{table}_contract"
    return _check


STAGING_BULK_CHECK_KEY = dg.AssetCheckKey(dg.AssetKey(["staging", BULK_LOAD_SCOPED_STAGING]), CONTRACT_CHECK)
STAGING_BULK_CONTRACT = STAGING_CONTRACTS[BULK_LOAD_SCOPED_STAGING]


@dg.asset_check(
    asset=STAGING_BULK_CHECK_KEY.asset_key,
    name=CONTRACT_CHECK,
    blocking=True,
    description=f"staging.{BULK_LOAD_SCOPED_STAGING} satisfies data_contracts.sources.baci."
                f"{STAGING_BULK_CONTRACT.__name__} (evaluated in DuckDB; after a pass, only the bulk rows loaded "
                "since and every snapshot row, unless the code changed: orchestration/refresh/recheck_scope.py)",
    pool=WRITER_POOL,  # read-only, but DuckDB refuses a reader while another process writes
)
def stg_cepii_trade_flows_contract(
        context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult | dg.AssetObservation]:
    """Scoped by load time (``loaded_at``) rather than by year, and an empty view passes."""
    connection = open_duckdb(warehouse_path(), read_only=True)
    try:
        code = lineage_code_version(STAGING_BULK_CHECK_KEY.asset_key, CHECK_CODE)
        scope = bulk_scope(context, STAGING_BULK_CHECK_KEY, connection, code)
        view = ibis.duckdb.from_connection(connection).table(BULK_LOAD_SCOPED_STAGING, database="staging")
        if scope.since is not None:
            view = view.filter((view.source != BULK) | (view.loaded_at > scope.since))
        rows = view.count().execute()
        outcome = validate_rows_unless_empty(view, STAGING_BULK_CONTRACT, rows)
    finally:
        connection.close()
    if outcome.passed:
        yield pass_observation(STAGING_BULK_CHECK_KEY, scope)
    yield dg.AssetCheckResult(passed=outcome.passed, description=outcome.summary,
                              metadata={**outcome.metadata, "rows_checked": rows, **scope.metadata()})


defs = dg.Definitions(
    asset_checks=[
        *(_contract_check("staging", table, model) for table, model in STAGING_CONTRACTS.items()
          if table != BULK_LOAD_SCOPED_STAGING),
        *(_contract_check("marts", table, model) for table, model in MART_CONTRACTS.items()),
        stg_cepii_trade_flows_contract,
    ]
)


def _bulk_years_since_last_pass(context: dg.AssetCheckExecutionContext, check_key: dg.AssetCheckKey,
                                duckdb_connection, rows):
    code = lineage_code_version(check_key.asset_key, CHECK_CODE)
    scope = bulk_scope(context, check_key, duckdb_connection, code)
    if scope.since is None:
        return rows, scope, scope.metadata()
    years = years_loaded_since(duckdb_connection, scope.since)
    in_scope = rows.source != BULK
    if years:
        in_scope = in_scope | rows.year.isin(years)
    return rows.filter(in_scope), scope, {**scope.metadata(), "bulk_years_checked": ", ".join(map(str, years)) or "none"}
