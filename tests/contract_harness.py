"""The contract-damage harness the unit contract tests share: a good fixture frame becomes a DuckDB table and is
validated by a Pandera contract on the ibis backend (as the pipeline does), and a copy of it with one field damaged
must fail. One home, so every contract test damages and loads its rows the same way."""

import duckdb
import ibis
import pandas as pd
import pytest

from orchestration.validation import rules_hold_in_one_query, validate


def validate_frame(table: str, frame: pd.DataFrame, contract, rows: int | None = None, judge=validate):
    """Validate ``frame`` loaded as DuckDB table ``table``; ``rows=0`` gives an empty table with the frame's types.
    ``judge`` is the pipeline's ``validate`` unless a test asks the one-query verdict alone."""
    connection = duckdb.connect()
    try:
        connection.register("frame", frame)
        limit = "" if rows is None else f" limit {rows}"
        connection.execute(f"create table {table} as select * from frame{limit}")
        add_unruled_columns(connection, table, contract)
        return judge(ibis.duckdb.from_connection(connection).table(table), contract)
    finally:
        connection.close()


def unruled_columns(connection, relation_sql: str, contract) -> dict[str, str]:
    """column -> DuckDB type of each column ``contract`` only types (its model's YAML lists it; the contract has no rule
    for it: data_contracts/dbt_columns.py) that ``relation_sql`` lacks. A fixture names the columns the contract has
    rules for; these are added as NULLs of their type, as the real model carries them."""
    from ibis.backends.sql.datatypes import DuckDBType

    present = {column[0] for column in connection.execute(f"select * from ({relation_sql}) limit 0").description}
    return {name: DuckDBType.to_string(spec.dtype.type) for name, spec in contract.to_schema().columns.items()
            if name not in present and spec.nullable and not spec.checks}


def add_unruled_columns(connection, table: str, contract) -> None:
    for name, column_type in unruled_columns(connection, f"select * from {table}", contract).items():
        connection.execute(f'alter table {table} add column "{name}" {column_type}')


def with_unruled_columns(connection, select_sql: str, contract) -> str:
    """``select_sql`` widened with the columns ``contract`` only types, as NULLs: for a stand-in view."""
    extra = "".join(f', cast(null as {column_type}) as "{name}"'
                    for name, column_type in unruled_columns(connection, select_sql, contract).items())
    return f"select *{extra} from ({select_sql})"


def one_query_verdict(table, contract) -> bool:
    return rules_hold_in_one_query(table, contract)[1]


def damaged(frame: pd.DataFrame, column: str, row: int, value) -> pd.DataFrame:
    """A copy of ``frame`` with ``value`` at (row, column), the column keeping its numeric or boolean type (a NULL in a
    float column stays float, a NULL in an integer or boolean column makes it object), so a damaged number is not
    loaded as text."""
    out = frame.copy()
    dtype = out[column].dtype
    out[column] = out[column].astype(object)
    out.loc[row, column] = value
    if dtype.kind in "fib" and value is not None:
        out[column] = out[column].astype(dtype)
    elif dtype.kind == "f":
        out[column] = out[column].astype("float64")
    return out


def contract_tests(good: dict, damage: dict, contracts: dict, resolve=None):
    """The two tests a contract file runs over its fixtures: each good frame passes its contract, and each
    (table, column, row, value) of ``damage`` fails it. ``resolve(table, column, row, value, frame)`` may compute a
    damaged value from the good row (e.g. a sign flip). Assign them to module-level ``test_*`` names.

    Both also hold for the one-query verdict alone (orchestration.validation.rules_hold_in_one_query), which passes a
    table without pandera's per-rule queries: it must pass what pandera passes and catch each damage by itself."""

    @pytest.mark.parametrize("table", sorted(good))
    def passes(table):
        outcome = validate_frame(table, good[table], contracts[table])
        assert outcome.passed, outcome.summary
        assert validate_frame(table, good[table], contracts[table], judge=one_query_verdict), \
            f"{table}: pandera passes it, the one-query verdict does not"

    @pytest.mark.parametrize("table, column, row, value", [(t, *d) for t, ds in damage.items() for d in ds])
    def fails(table, column, row, value):
        if resolve is not None:
            value = resolve(table, column, row, value, good[table])
        bad = damaged(good[table], column, row, value)
        outcome = validate_frame(table, bad, contracts[table])
        assert not outcome.passed, f"{table}.{column}={value!r} should fail"
        assert not validate_frame(table, bad, contracts[table], judge=one_query_verdict), \
            f"{table}.{column}={value!r}: the one-query verdict misses it"

    return passes, fails
