"""Pandera contracts on staging and mart tables, as blocking asset checks evaluated inside DuckDB.

The ibis backend turns each check into SQL, so a 50M-row table is validated where it lives instead of being
loaded into pandas; only the failing rows travel back, into the check's metadata."""


import dagster as dg
import ibis

from data_contracts.marts import MART_CONTRACTS
from data_contracts.staging import STAGING_CONTRACTS
from orchestration.contracts import validate
from orchestration.settings import warehouse_path
from orchestration.warehouse import WRITER_POOL, memory_limit

CONTRACT_CHECK = "pandera_contract"


def _contract_check(schema: str, table: str, contract) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey([schema, table]),
        name=CONTRACT_CHECK,
        blocking=True,
        description=f"{schema}.{table} satisfies data_contracts.{schema}.{contract.__name__}",
        # Read-only, but DuckDB refuses a reader while another process writes: queue with the writers.
        pool=WRITER_POOL,
    )
    def _check() -> dg.AssetCheckResult:
        connection = ibis.duckdb.connect(str(warehouse_path()), read_only=True)
        connection.raw_sql(f"set memory_limit = '{memory_limit()}'")
        try:
            outcome = validate(connection.table(table, database=schema), contract)
        finally:
            connection.disconnect()
        return dg.AssetCheckResult(passed=outcome.passed, metadata=outcome.metadata, description=outcome.summary)

    _check.__name__ = f"{schema}_{table}_contract"
    return _check


defs = dg.Definitions(
    asset_checks=[
        *(_contract_check("staging", table, model) for table, model in STAGING_CONTRACTS.items()),
        *(_contract_check("marts", table, model) for table, model in MART_CONTRACTS.items()),
    ]
)
