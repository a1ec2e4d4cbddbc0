import duckdb
import pytest


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory):
    """Materialize the whole graph once, into a temporary warehouse, exactly as the refresh job does."""
    warehouse = tmp_path_factory.mktemp("warehouse") / "chokepoint.duckdb"
    patch = pytest.MonkeyPatch()
    patch.setenv("CHOKEPOINT_WAREHOUSE", str(warehouse))
    import dagster as dg

    from orchestration.definitions import defs

    result = defs().resolve_job_def("refresh_warehouse").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )
    yield result, warehouse
    patch.undo()


@pytest.fixture(scope="session")
def warehouse(pipeline_run):
    result, path = pipeline_run
    assert result.success, "refresh_warehouse failed; see the captured Dagster log"
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()
