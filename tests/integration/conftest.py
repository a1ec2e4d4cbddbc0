import duckdb
import pytest

from tests.conftest import builds_warehouse


@pytest.fixture(scope="session")
@builds_warehouse
def pipeline_run(golden):
    """The session's golden build (tests/conftest.py): (its Dagster result, its warehouse file)."""
    return golden.result, golden.warehouse


@pytest.fixture(scope="session")
@builds_warehouse
def warehouse(pipeline_run):
    result, path = pipeline_run
    assert result.success, "refresh_warehouse failed; see the captured Dagster log"
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()
