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


# ---- analyst clients (issue 29): one shared side env, tests/bi/envs/analyst_clients.txt ----

COMMENT_SQL = ("select comment from duckdb_columns() where schema_name = 'marts' and table_name = 'import_dependency'"
               " and column_name = 'denominator_scope'")
CLI_FLAGS = '-readonly -cmd "set enable_external_access = false"'  # as SERVING.md prints the command


def _section(title: str) -> str:
    """One `## ` section of SERVING.md, so a recipe is read from the doc that users follow."""
    text = SERVING_DOC.read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 3)
    return text[start:end if end > 0 else None]


def _sql_blocks(section: str) -> list[str]:
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


@pytest.fixture(scope="module")
def documented_comment(serving):
    connection = duckdb.connect(str(serving), read_only=True)
    try:
        (comment,), = connection.execute(COMMENT_SQL).fetchall()
    finally:
        connection.close()
    assert comment  # persist_docs + the publish put it there (tests/integration/test_mart_column_docs.py)
    return comment


def test_duckdb_cli_reads_a_column_comment_read_only(serving, documented_comment):
    import subprocess

    from tests.bi.side_env import python_of

    assert f"duckdb {CLI_FLAGS} warehouse/serve/chokepoint.duckdb" in _section("DuckDB CLI")
    cli = python_of("analyst_clients").parent / "duckdb"
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.startswith("v1.5.6")

    def run(sql: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(cli), "-readonly", "-cmd", "set enable_external_access = false", str(serving),
                               "-json", "-c", sql], capture_output=True, text=True, timeout=120)

    done = run(COMMENT_SQL)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"comment": documented_comment}]
    refused = run("create table marts.not_allowed as select 1 as x")
    assert refused.returncode != 0 and "read-only" in (refused.stdout + refused.stderr).lower()
    leaked = run("select * from read_text('/etc/hostname')")
    assert leaked.returncode != 0 and "file system operations are disabled" in (leaked.stdout + leaked.stderr).lower()


HARLEQUIN_PROBE = r"""
import json, sys
from pathlib import Path
from harlequin_duckdb import DuckDbAdapter
import harlequin, duckdb
serving, init_path = sys.argv[1], sys.argv[2]
out = {"duckdb": duckdb.__version__}
from importlib.metadata import version
out["harlequin"] = version("harlequin")

def attempt(connection, sql):
    try:
        cursor = connection.execute(sql)
        table = cursor.fetchall() if cursor is not None else None
        return {"rows": table.to_pylist() if table is not None else None}
    except Exception as exc:
        return {"error": type(exc).__name__ + ": " + (getattr(exc, "msg", "") or str(exc))}

# Without the script first: both connections share one DuckDB instance of the file in this process, and the script's
# settings (locked) would carry over to a later connection.
without_init = DuckDbAdapter(conn_str=(serving,), no_init=True, read_only=True).connect()
out["read_text_without_init"] = attempt(without_init, "select * from read_text('/etc/hostname')")
without_init.close()
with_init = DuckDbAdapter(conn_str=(serving,), init_path=init_path, read_only=True).connect()
out["init_message"] = with_init.init_message
out["read_text_with_init"] = attempt(with_init, "select * from read_text('/etc/hostname')")
out["write_with_init"] = attempt(with_init, "create table marts.not_allowed as select 1 as x")
out["comment"] = attempt(with_init, sys.argv[3])
out["countries"] = attempt(with_init, "select country_name from reference.countries where iso3 = 'CHN'")
out["unlock"] = attempt(with_init, "set enable_external_access = true")
with_init.close()
print(json.dumps(out, default=str))
"""


def test_harlequin_init_script_turns_external_access_off(serving, documented_comment, tmp_path):
    """Harlequin's DuckDB adapter (what `harlequin -r -i script file` builds), not its TUI, with SERVING.md's script."""
    section = _section("Harlequin")
    assert "harlequin -r -i chokepoint-harlequin.sql warehouse/serve/chokepoint.duckdb" in section
    (script,) = _sql_blocks(section)
    init = tmp_path / "chokepoint-harlequin.sql"
    init.write_text(script)
    out = _probe("analyst_clients", HARLEQUIN_PROBE, str(serving), str(init), COMMENT_SQL)
    assert (out["harlequin"], out["duckdb"]) == ("2.17.0", "1.5.6")
    assert out["init_message"].startswith("Executed 2 commands")
    assert "file system operations are disabled" in out["read_text_with_init"]["error"].lower()
    assert "read-only" in out["write_with_init"]["error"].lower()
    assert "lock_configuration" in out["unlock"]["error"].lower() or "locked" in out["unlock"]["error"].lower()
    assert out["comment"] == {"rows": [{"comment": documented_comment}]}
    assert out["countries"] == {"rows": [{"country_name": "China"}]}
    # Without the script the same read-only connection reads the machine's files: the script is what stops it.
    assert out["read_text_without_init"].get("rows"), out["read_text_without_init"]


IBIS_PROBE = r"""
import json, sys
import duckdb, ibis
out = {"ibis": ibis.__version__, "duckdb": duckdb.__version__}
try:
    con = ibis.duckdb.connect(sys.argv[1], read_only=True)
    out["tables"] = con.list_tables(database="marts")
    out["usa_rows"] = int(con.table("import_dependency", database="marts").filter(ibis._.importer_iso3 == "USA").count().execute())
    out["china"] = con.sql("select country_name from reference.countries where iso3 = 'CHN'").execute()["country_name"].tolist()
except Exception as exc:
    out["error"] = type(exc).__name__ + ": " + str(exc).splitlines()[0]
print(json.dumps(out))
"""


def test_ibis_12_with_duckdb_1_5_reads_the_marts(serving, usa_rows):
    out = _probe("analyst_clients", IBIS_PROBE, str(serving))
    assert (out["ibis"], out["duckdb"]) == ("12.0.0", "1.5.6")
    assert "error" not in out, out
    assert MARTS <= set(out["tables"]) and out["usa_rows"] == usa_rows and out["china"] == ["China"]


def test_ibis_12_with_duckdb_2_still_fails(serving):
    """The project's own pair (main venv). When an ibis release works on duckdb 2.0 this fails: update SERVING.md."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", IBIS_PROBE, str(serving)], capture_output=True, text=True, timeout=300)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert (out["ibis"], out["duckdb"]) == ("12.0.0", "2.0.1")
    assert "'DuckDBPyConnection' object has no attribute 'fetch_arrow_table'" in out.get("error", ""), out


FRAMES_PROBE = r"""
import json, sys
import duckdb, pandas as pd, polars as pl
serving, parquet, comment_sql = sys.argv[1], sys.argv[2], sys.argv[3]
out = {"polars": pl.__version__, "pandas": pd.__version__}
con = duckdb.connect(serving, read_only=True, config={"enable_external_access": False})
usa = pl.read_database("select * from marts.import_dependency where importer_iso3 = 'USA'", connection=con)
out["polars_usa_rows"] = usa.height
out["polars_comment"] = pl.read_database(comment_sql, connection=con)["comment"].to_list()
out["pandas_usa_rows"] = int((con.sql("select importer_iso3 from marts.import_dependency").df()["importer_iso3"] == "USA").sum())
con.close()
out["polars_parquet_usa_rows"] = pl.read_parquet(parquet).filter(pl.col("importer_iso3") == "USA").height
out["pandas_parquet_usa_rows"] = int((pd.read_parquet(parquet)["importer_iso3"] == "USA").sum())
try:
    pl.read_database_uri("select 1", "duckdb:///" + serving)
    out["read_database_uri"] = "ok"
except Exception as exc:
    out["read_database_uri"] = type(exc).__name__ + ": " + str(exc).splitlines()[0]
print(json.dumps(out))
"""


def test_polars_and_pandas_read_a_mart_and_its_comments(serving, usa_rows, documented_comment):
    """Main venv (its own process: one DuckDB configuration per file per process). Polars is the second client (after
    the DuckDB CLI) shown reading a column comment."""
    import subprocess
    import sys

    parquet = serving.parent / "parquet" / "import_dependency.parquet"
    done = subprocess.run([sys.executable, "-c", FRAMES_PROBE, str(serving), str(parquet), COMMENT_SQL],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert (out["polars"], out["pandas"]) == ("2.1.0", "2.3.3")
    assert out["polars_usa_rows"] == out["pandas_usa_rows"] == out["polars_parquet_usa_rows"] == out["pandas_parquet_usa_rows"] == usa_rows
    assert out["polars_comment"] == [documented_comment]
    assert "connectorx" in out["read_database_uri"].lower(), out["read_database_uri"]


def test_evidence_source_queries_run_against_the_serving_copy(serving):
    """What can run of the Evidence recipe offline: its source queries, in DuckDB, on the serving copy."""
    section = _section("Evidence")
    assert "filename: chokepoint.duckdb" in section and "/absolute/path" not in section.split("```yaml")[1].split("```")[0]
    queries = [block for block in _sql_blocks(section) if block.startswith("-- sources/chokepoint/")]
    assert len(queries) == 2
    connection = duckdb.connect(str(serving), read_only=True, config={"enable_external_access": False})
    try:
        for query in queries:
            rows = connection.execute(query).fetchall()
            assert rows, query
            assert all(value is not None for value in rows[0][-1:]), (query, rows[0])  # the joined label is found
    finally:
        connection.close()
