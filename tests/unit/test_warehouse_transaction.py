"""warehouse.transaction: the one begin/commit/rollback every table swap uses."""

import duckdb
import pytest

from orchestration.storage.warehouse import transaction


def test_commits_when_the_block_ends_and_rolls_back_when_it_raises():
    connection = duckdb.connect()
    connection.execute("create table t as select 1 as x")
    with transaction(connection):
        connection.execute("insert into t values (2)")
    assert connection.execute("select count(*) from t").fetchone() == (2,)

    with pytest.raises(ValueError, match="half-way"), transaction(connection):
        connection.execute("delete from t")
        connection.execute("create or replace table t as select 99 as x")
        raise ValueError("half-way")
    assert connection.execute("select x from t order by x").fetchall() == [(1,), (2,)]
    connection.execute("insert into t values (3)")  # no transaction left open
    assert connection.execute("select count(*) from t").fetchone() == (3,)
