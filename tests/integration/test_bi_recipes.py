"""docs/SERVING.md's recipes, run as written against a published serving copy, in side environments with the
client versions the doc names (tests/bi/envs/): the URL is read from the doc, so the doc is what is tested."""

import json
import re
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import PROJECT_ROOT
from tests.bi.side_env import run_probe

SERVING_DOC = PROJECT_ROOT / "docs" / "SERVING.md"
MARTS = {"fct_trade_flows", "import_dependency", "restriction_exposure", "export_measures", "net_import_reliance"}

REFLECTION_PROBE = r"""
import json, sys
import sqlalchemy as sa
engine = sa.create_engine(sys.argv[1])
out = {"sqlalchemy": sa.__version__}
with engine.connect() as c:
    inspector = sa.inspect(c)
    out["tables"] = inspector.get_table_names(schema="marts")
    try:
        out["columns"] = {col["name"]: str(col["type"]) for col in inspector.get_columns("import_dependency", schema="marts")}
    except Exception as exc:
        out["columns_error"] = str(exc).splitlines()[0]
    out["usa_rows"] = c.execute(sa.text("select count(*) from marts.import_dependency where importer_iso3 = 'USA'")).scalar()
    refused = {}
    for name, sql in {"read_file": "select * from read_text('/etc/hostname')",
                      "write_file": "copy (select 1 as x) to '" + sys.argv[2] + "'",
                      "write_table": "create table marts.not_allowed as select 1 as x"}.items():
        try:
            c.execute(sa.text(sql))
            refused[name] = None
        except Exception as exc:
            refused[name] = type(exc).__name__ + ": " + str(exc).splitlines()[0]
            c.rollback() if hasattr(c, "rollback") else None
    out["refused"] = refused
print(json.dumps(out))
"""

PANDAS_PROBE = r"""
import json, sys
import pandas as pd
import sqlalchemy as sa
engine = sa.create_engine(sys.argv[1])
frame = pd.read_sql_query("select importer_iso3, count(*) as n from marts.import_dependency group by 1", engine)
out = {"usa_rows": int(frame.set_index("importer_iso3").loc["USA", "n"])}
try:
    pd.read_sql_table("import_dependency", engine, schema="marts")
    out["read_sql_table"] = "ok"
except Exception as exc:
    out["read_sql_table"] = str(exc).splitlines()[0]
print(json.dumps(out))
"""


def _documented_url(serving: Path) -> str:
    """The BI URL exactly as SERVING.md prints it, with the path filled in."""
    (url,) = set(re.findall(r"duckdb:////absolute/path/to/warehouse/serve/chokepoint\.duckdb\?\S+", SERVING_DOC.read_text()))
    return url.replace("/absolute/path/to/warehouse/serve/chokepoint.duckdb", str(serving))


@pytest.fixture(scope="module")
def serving(pipeline_run):
    result, warehouse = pipeline_run
    assert result.success
    path = warehouse.parent / "serve" / "chokepoint.duckdb"
    assert path.exists()
    return path


@pytest.fixture(scope="module")
def usa_rows(serving):
    connection = duckdb.connect(str(serving), read_only=True)
    try:
        return connection.execute("select count(*) from marts.import_dependency where importer_iso3 = 'USA'").fetchone()[0]
    finally:
        connection.close()


def _probe(env: str, code: str, *args: str) -> dict:
    done = run_probe(env, code, *args)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_sqlalchemy_14_reflects_tables_and_columns_and_refuses_files_and_writes(serving, usa_rows, tmp_path):
    leak = tmp_path / "leak.csv"
    out = _probe("sqlalchemy14", REFLECTION_PROBE, _documented_url(serving), str(leak))
    assert out["sqlalchemy"] == "1.4.54"
    assert MARTS <= set(out["tables"])
    assert out["columns"]["china_share"] in ("DOUBLE", "FLOAT") and out["columns"]["importer_iso3"] == "VARCHAR"
    assert out["usa_rows"] == usa_rows > 0
    assert "file system operations are disabled" in out["refused"]["read_file"]
    assert "file system operations are disabled" in out["refused"]["write_file"] and not leak.exists()
    assert out["refused"]["write_table"] is not None


def test_pandas_with_sqlalchemy_2_reads_queries_and_the_documented_reflection_gap_holds(serving, usa_rows):
    """SERVING.md says: with SQLAlchemy 2.x use read_sql_query; read_sql_table's reflection fails in duckdb-engine
    0.17. If a release fixes it this test fails, and the doc's caveat should go."""
    out = _probe("pandas_sqlalchemy2", PANDAS_PROBE, _documented_url(serving))
    assert out["usa_rows"] == usa_rows
    assert "pg_collation" in out["read_sql_table"]


def test_python_and_parquet_recipes(serving, usa_rows):
    connection = duckdb.connect(str(serving), read_only=True, config={"enable_external_access": False})
    try:
        frame = connection.sql("select * from marts.import_dependency where importer_iso3 = 'USA'").df()
        assert len(frame) == usa_rows
    finally:
        connection.close()
    parquet = serving.parent / "parquet" / "import_dependency.parquet"
    reader = duckdb.connect()
    try:
        assert reader.execute(f"select count(*) from '{parquet}' where importer_iso3 = 'USA'").fetchall() == [(usa_rows,)]
    finally:
        reader.close()
