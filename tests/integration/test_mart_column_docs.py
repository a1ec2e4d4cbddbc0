"""Every column the built marts really have is described in their dbt YAML (the unit test sees only the columns the
contracts and the YAML name; this one sees what BI users see)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import DBT_PROJECT_DIR
from tests.conftest import DBT_MANIFEST
from tests.unit.test_mart_column_docs import undocumented_columns


def marts_columns(connection) -> dict[str, list[str]]:
    rows = connection.execute("""select table_name, column_name from information_schema.columns
                                 where table_schema = 'marts' order by table_name, ordinal_position""").fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def test_every_built_mart_column_has_a_description(warehouse):
    columns = marts_columns(warehouse)
    assert columns, "no tables in schema marts"
    missing = undocumented_columns(json.loads(DBT_MANIFEST.read_text()), columns)
    assert not missing, f"mart columns without a description in dbt_project/models/marts: {', '.join(missing)}"


# dbt-coverage (the peer tool the issue measured with) over the whole project: every column of every model, seed
# and source in the built warehouse's catalog is described in YAML. It reads dbt's catalog, so the warehouse is
# copied first: `dbt docs generate` opens the file for writing, and this session holds a read-only connection.
COVERAGE = [str(Path(sys.executable).parent / "dbt-coverage"), "compute", "doc"]


def generate_catalog(warehouse_file: Path, artifacts: Path) -> None:
    copy = artifacts / "chokepoint.duckdb"
    shutil.copyfile(warehouse_file, copy)
    subprocess.run([str(Path(sys.executable).parent / "dbt"), "docs", "generate", "--no-compile", "--target-path", str(artifacts),
                    "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)],
                   env={**os.environ, "CHOKEPOINT_WAREHOUSE": str(copy)}, check=True, capture_output=True, text=True)
    shutil.copyfile(DBT_MANIFEST, artifacts / "manifest.json")


def doc_coverage(artifacts: Path) -> tuple[int, list[str]]:
    """dbt-coverage's exit code and every `table.column` its report counts as undocumented."""
    report = artifacts / "coverage.json"
    done = subprocess.run([*COVERAGE, "--project-dir", str(DBT_PROJECT_DIR), "--run-artifacts-dir", str(artifacts),
                           "--cov-report", str(report), "--cov-fail-under", "1.0"], capture_output=True, text=True)
    tables = json.loads(report.read_text())["tables"]
    return done.returncode, [f"{t['name']}.{c['name']}" for t in tables for c in t["columns"] if c["covered"] < c["total"]]


@pytest.fixture(scope="module")
def catalog_dir(pipeline_run, tmp_path_factory) -> Path:
    result, warehouse_file = pipeline_run
    assert result.success, "refresh_warehouse failed; see the captured Dagster log"
    artifacts = tmp_path_factory.mktemp("dbt_docs")
    generate_catalog(warehouse_file, artifacts)
    return artifacts


def test_dbt_coverage_finds_every_column_of_the_project_documented(catalog_dir):
    code, undocumented = doc_coverage(catalog_dir)
    assert (code, undocumented) == (0, [])
    tables = json.loads((catalog_dir / "coverage.json").read_text())["tables"]
    assert {t["name"].split(".")[0] for t in tables} >= {"raw", "staging", "intermediate", "marts", "reference"}


def test_dbt_coverage_names_a_column_nobody_documented(catalog_dir, tmp_path):
    catalog = json.loads((catalog_dir / "catalog.json").read_text())
    node = catalog["nodes"]["model.chokepoint.import_dependency"]
    node["columns"]["share_probe"] = {**next(iter(node["columns"].values())), "name": "share_probe", "index": 999}
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    shutil.copyfile(catalog_dir / "manifest.json", tmp_path / "manifest.json")
    code, undocumented = doc_coverage(tmp_path)
    assert code != 0 and undocumented == ["marts.import_dependency.share_probe"]


def test_every_table_and_column_of_the_serving_copy_carries_its_description(golden):
    """What a BI client lists beside each name: the dbt YAML descriptions (persist_docs, copied by the publish)."""
    serving = golden.warehouse.parent / "serve" / "chokepoint.duckdb"
    import duckdb

    connection = duckdb.connect(str(serving), read_only=True)
    try:
        bare_tables = connection.execute("""select table_name from duckdb_tables()
            where schema_name in ('marts', 'reference') and coalesce(comment, '') = ''""").fetchall()
        bare_columns = connection.execute("""select table_name || '.' || column_name from duckdb_columns()
            where schema_name in ('marts', 'reference') and coalesce(comment, '') = ''""").fetchall()
        labels = connection.execute("select count(*) from duckdb_tables() where schema_name = 'reference'").fetchone()[0]
        described = connection.execute("""select comment from duckdb_columns()
            where schema_name = 'marts' and table_name = 'import_dependency' and column_name = 'denominator_scope'""").fetchall()
    finally:
        connection.close()
    assert bare_tables == [] and bare_columns == [] and labels == 3
    manifest = json.loads(DBT_MANIFEST.read_text())
    yaml_description = manifest["nodes"]["model.chokepoint.import_dependency"]["columns"]["denominator_scope"]["description"]
    assert described == [(yaml_description.strip(),)] or described == [(yaml_description,)]


def test_every_source_a_mart_holds_is_named_in_its_source_column_description(warehouse):
    """Issue 29 found restriction_exposure.source describing four sources and omitting cepii_baci, where 71
    importers' rows came from: a reader filtering on the documented values lost most of the mart."""
    manifest = json.loads(DBT_MANIFEST.read_text())
    descriptions = {node["name"]: node["columns"].get("source", {}).get("description", "")
                    for node in manifest["nodes"].values()
                    if node["resource_type"] == "model" and node["config"].get("schema") == "marts"}
    unnamed = []
    for table, columns in marts_columns(warehouse).items():
        if "source" not in columns or table not in descriptions:
            continue
        held = [row[0] for row in warehouse.execute(f'select distinct source from marts."{table}"').fetchall()]
        unnamed += [f"{table}: {value}" for value in held if value is not None and value not in descriptions[table]]
    assert not unnamed, f"source values missing from the column's description: {unnamed}"
