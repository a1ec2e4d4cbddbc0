"""The serving copy is swapped in whole or not at all, even when the publisher is killed mid-write."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.publish import serving


def _build_warehouse(path: Path, rows: int, share: float = 0.5) -> Path:
    """A small synthetic build warehouse (labelled synthetic) with two marts."""
    connection = duckdb.connect(str(path))
    connection.execute("create schema if not exists marts")
    connection.execute(f"create or replace table marts.fct_trade_flows as select range as id, 'synthetic' as label from range({rows})")
    connection.execute(f"create or replace table marts.import_dependency as select range as id, {share}::double as china_share from range(10)")
    connection.close()
    return path


def _publish(build: Path, serve: Path) -> str:
    publish_id = serving.new_publish_id()
    candidate, _ = serving.build_candidate(build, serve, publish_id)
    release = serving.release_dir_for(serve, publish_id)
    serving.export_parquet(candidate, release)
    serving.swap_in(candidate, serve, release)
    serving.clean_up(serve, release)
    return publish_id


def _full_and_delta_copies(build: Path, serve: Path):
    """A read-only connection to a full publish of `build`, then to a delta publish built from that copy: what a
    publish carries over must reach both."""
    _publish(build, serve)
    served = serve / serving.SERVING_FILE
    delta, _ = serving.build_candidate_from_previous(served, build, serve, serving.new_publish_id(), {})
    for path in (served, delta):
        reader = duckdb.connect(str(path), read_only=True)
        try:
            yield reader
        finally:
            reader.close()


def _served_publish_id(serve: Path) -> set[str]:
    connection = duckdb.connect(str(serve / serving.SERVING_FILE), read_only=True)
    try:
        return {r[0] for r in connection.execute("select publish_id from marts.publish_info").fetchall()}
    finally:
        connection.close()


def test_publish_copies_every_mart_with_matching_publish_info(tmp_path):
    build = _build_warehouse(tmp_path / "build.duckdb", rows=1234)
    serve = tmp_path / "serve"
    publish_id = _publish(build, serve)
    assert serving.read_publish_info(serve / serving.SERVING_FILE) == {"fct_trade_flows": 1234, "import_dependency": 10}
    assert _served_publish_id(serve) == {publish_id}
    parquet = serve / "parquet" / "fct_trade_flows.parquet"
    reader = duckdb.connect()  # not the module-level default connection, which other tests share
    assert parquet.is_file() and reader.execute(f"select count(*) from '{parquet}'").fetchall() == [(1234,)]
    reader.close()
    assert (serve / "parquet").resolve().parent.name == publish_id


def test_second_publish_replaces_first_and_keeps_few_releases(tmp_path):
    build = _build_warehouse(tmp_path / "build.duckdb", rows=5)
    serve = tmp_path / "serve"
    ids = [_publish(build, serve) for _ in range(5)]
    assert _served_publish_id(serve) == {ids[-1]}
    assert len(list((serve / serving.RELEASES).iterdir())) == serving.RELEASES_KEPT


def test_failure_before_the_swap_leaves_the_previous_copy(tmp_path, monkeypatch):
    build = _build_warehouse(tmp_path / "build.duckdb", rows=5)
    serve = tmp_path / "serve"
    first = _publish(build, serve)
    _build_warehouse(build, rows=7)

    def broken_export(*_):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(serving, "export_parquet", broken_export)
    with pytest.raises(OSError, match="simulated"):
        _publish(build, serve)
    assert _served_publish_id(serve) == {first}
    assert serving.read_publish_info(serve / serving.SERVING_FILE)["fct_trade_flows"] == 5


def test_kill_9_mid_write_leaves_previous_copy_readable(tmp_path):
    build = _build_warehouse(tmp_path / "build.duckdb", rows=3_000_000)
    serve = tmp_path / "serve"
    first = _publish(build, serve)
    script = textwrap.dedent(f"""
        from pathlib import Path
        from orchestration.publish import serving
        print("started", flush=True)
        serving.build_candidate(Path({str(build)!r}), Path({str(serve)!r}), "killed-run")
        print("finished", flush=True)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parents[2])
    assert process.stdout.readline().strip() == "started"
    deadline = time.monotonic() + 30
    while not (serve / ".tmp-killed-run.duckdb").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    assert (serve / ".tmp-killed-run.duckdb").exists(), "the kill should land while the candidate is being written"
    assert _served_publish_id(serve) == {first}
    assert serving.read_publish_info(serve / serving.SERVING_FILE)["fct_trade_flows"] == 3_000_000
    _publish(build, serve)
    assert not list(serve.glob(".tmp-*")), "the next publish removes what the killed one left"


# ---------------------------------------------------------------- publishing only what changed

def _fact_by_year(path: Path, years: dict[int, int], reported_value: float) -> Path:
    """A SYNTHETIC fact: ``years`` bulk rows per year plus two reported-source rows, and one small mart."""
    connection = duckdb.connect(str(path))
    connection.execute("create schema if not exists marts")
    bulk = " union all ".join(f"select 'bulk_trade' as source, {year} as year, range::double as value_usd from range({rows})"
                              for year, rows in years.items())
    connection.execute(f"""create or replace table marts.fct_trade_flows as {bulk}
        union all select 'us_census', 2024, {reported_value} union all select 'us_census', 2025, {reported_value}""")
    connection.execute(f"create or replace table marts.import_dependency as select {reported_value} as china_share")
    connection.close()
    return path


def _differences(left: Path, right: Path, table: str) -> int:
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{left}' as l (read_only)")
        connection.execute(f"attach '{right}' as r (read_only)")
        return connection.execute(f"""select count(*) from (
            (select * from l.marts.{table} except all select * from r.marts.{table})
            union all (select * from r.marts.{table} except all select * from l.marts.{table}))""").fetchall()[0][0]
    finally:
        connection.close()


def test_publishing_only_the_changed_rows_gives_the_same_copy_as_a_full_publish(tmp_path):
    build = _fact_by_year(tmp_path / "build.duckdb", {2022: 400, 2023: 300}, reported_value=1.0)
    serve = tmp_path / "serve"
    first = _publish(build, serve)
    # A new bulk year and a revised reported source; the bulk years already served do not change.
    _fact_by_year(build, {2022: 400, 2023: 300, 2024: 250}, reported_value=2.0)
    publish_id = serving.new_publish_id()
    candidate, counts = serving.build_candidate_from_previous(
        serve / serving.SERVING_FILE, build, serve, publish_id,
        {"fct_trade_flows": "source <> 'bulk_trade' or year in (2024)"})
    assert counts == {"fct_trade_flows": 952, "import_dependency": 1}
    assert _differences(candidate, build, "fct_trade_flows") == 0
    assert _differences(candidate, build, "import_dependency") == 0
    assert serving.read_publish_info(candidate) == counts and serving.read_publish_ids(candidate) == [publish_id]
    assert _served_publish_id(serve) == {first}  # nothing swapped yet: the previous copy still serves


def test_changed_rows_outside_the_predicate_are_refused_and_the_candidate_removed(tmp_path):
    build = _fact_by_year(tmp_path / "build.duckdb", {2022: 400}, reported_value=1.0)
    serve = tmp_path / "serve"
    first = _publish(build, serve)
    _fact_by_year(build, {2022: 400, 2023: 300}, reported_value=1.0)  # 2023 is new, but the caller names 2024
    with pytest.raises(serving.DeltaMismatch, match="fct_trade_flows: 402 rows after replacing the changed rows, 702 in the build"):
        serving.build_candidate_from_previous(serve / serving.SERVING_FILE, build, serve, serving.new_publish_id(),
                                              {"fct_trade_flows": "source <> 'bulk_trade' or year in (2024)"})
    assert not list(serve.glob(".tmp-*.duckdb"))
    assert _served_publish_id(serve) == {first}


OLD_CLIENT_PROBE = r"""
import json, sys
import duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
info = dict(connection.execute("select mart, row_count from marts.publish_info").fetchall())
actual = {mart: connection.execute(f'select count(*) from marts."{mart}"').fetchone()[0] for mart in info}
print(json.dumps({"version": duckdb.__version__, "recorded": info, "actual": actual}))
"""


def test_serving_copy_opens_in_the_duckdb_1x_that_bi_tools_bundle(tmp_path):
    """Full publish, then a delta publish from that copy: both readable by duckdb 1.4.2 with the recorded counts."""
    import json

    from tests.bi.side_env import run_probe

    build = _build_warehouse(tmp_path / "build.duckdb", rows=321)
    serve = tmp_path / "serve"
    _publish(build, serve)
    served = serve / serving.SERVING_FILE
    assert serving.storage_version(served) == serving.STORAGE_VERSION
    delta, _ = serving.build_candidate_from_previous(served, build, serve, serving.new_publish_id(),
                                                     {"fct_trade_flows": "id >= 300"})
    for path in (served, delta):
        done = run_probe("duckdb14", OLD_CLIENT_PROBE, str(path))
        assert done.returncode == 0, done.stderr[-2000:]
        out = json.loads(done.stdout.strip().splitlines()[-1])
        assert out["version"] == "1.4.2"
        assert out["recorded"] == out["actual"] == {"fct_trade_flows": 321, "import_dependency": 10}


def test_a_previous_copy_in_another_storage_version_is_republished_in_full(tmp_path):
    build = _build_warehouse(tmp_path / "build.duckdb", rows=3)
    old = tmp_path / "old.duckdb"
    duckdb.connect(str(old)).close()  # DuckDB 2.0's default format, as publishes before the pin wrote
    assert serving.storage_version(old) != serving.STORAGE_VERSION
    with pytest.raises(serving.DeltaMismatch, match="storage version"):
        serving.build_candidate_from_previous(old, build, tmp_path / "serve", serving.new_publish_id(), {})


def test_table_and_column_comments_reach_the_serving_copy_in_full_and_delta_publishes(tmp_path):
    """dbt's persist_docs comments the build's marts; a client of the serving copy must see them too (issue 29)."""
    build = _build_warehouse(tmp_path / "build.duckdb", rows=20)
    connection = duckdb.connect(str(build))
    connection.execute("comment on table marts.import_dependency is 'One row per importer (synthetic).'")
    connection.execute("comment on column marts.import_dependency.china_share is 'China''s share, a fraction of 1.'")
    connection.execute("create view marts.flows_view as select id from marts.fct_trade_flows")  # fct_trade_flows is a view
    connection.execute("comment on view marts.flows_view is 'A mart built as a view.'")
    connection.close()
    serve = tmp_path / "serve"
    for reader in _full_and_delta_copies(build, serve):
        assert reader.execute("select comment from duckdb_tables() where table_name = 'import_dependency'"
                              ).fetchall() == [("One row per importer (synthetic).",)]
        assert reader.execute("select comment from duckdb_tables() where table_name = 'flows_view'"
                              ).fetchall() == [("A mart built as a view.",)]
        assert reader.execute("select column_name, comment from duckdb_columns() where table_name = 'import_dependency'"
                              " and comment is not null").fetchall() == [("china_share", "China's share, a fraction of 1.")]


def test_label_tables_are_published_beside_the_marts_with_their_comments_and_as_parquet(tmp_path):
    """reference.countries/minerals/measures reach the serving copy (full and delta publish) and parquet/reference/;
    the build's other reference tables (internal seeds) do not (issue 29)."""
    build = _build_warehouse(tmp_path / "build.duckdb", rows=20)
    connection = duckdb.connect(str(build))
    connection.execute("create schema reference")
    connection.execute("create table reference.countries as select 'CHN' as iso3, 'China' as country_name")
    connection.execute("comment on table reference.countries is 'One row per ISO3 (synthetic).'")
    connection.execute("comment on column reference.countries.country_name is 'Name (synthetic).'")
    connection.execute("create table reference.minerals as select 'gallium' as mineral")
    connection.execute("create table reference.hs_mineral_map as select '2504' as commodity_code")  # an internal seed
    connection.close()
    serve = tmp_path / "serve"
    for reader in _full_and_delta_copies(build, serve):
        assert reader.execute("select table_name, comment from duckdb_tables() where schema_name = 'reference' order by 1"
                              ).fetchall() == [("countries", "One row per ISO3 (synthetic)."), ("minerals", None)]
        assert reader.execute("select country_name from reference.countries where iso3 = 'CHN'").fetchall() == [("China",)]
        assert reader.execute("select comment from duckdb_columns() where schema_name = 'reference'"
                              " and column_name = 'country_name'").fetchall() == [("Name (synthetic).",)]
    reader = duckdb.connect()
    try:
        parquet = serve / "parquet" / "reference" / "countries.parquet"
        assert reader.execute(f"select iso3, country_name from '{parquet}'").fetchall() == [("CHN", "China")]
    finally:
        reader.close()


def test_the_published_label_tables_are_the_dbt_reference_models():
    """LABEL_TABLES names the models of dbt_project/models/reference/: a new label model is published, not forgotten."""
    from orchestration.settings import PROJECT_ROOT

    models = {path.stem for path in (PROJECT_ROOT / "dbt_project" / "models" / "reference").glob("*.sql")}
    assert models == set(serving.LABEL_TABLES)


def test_the_report_schema_is_copied_whole_by_full_and_delta_publishes(tmp_path):
    """The report reads its figure data (schema report) from the serving copy: every publish replaces that schema with
    the build's, comments included, so a renamed or dropped rpt_* model does not linger."""
    build = _build_warehouse(tmp_path / "build.duckdb", rows=5)
    connection = duckdb.connect(str(build))
    connection.execute("create schema report")
    connection.execute("create table report.rpt_old as select 1 as x")
    connection.execute("create table report.rpt_figure as select range as x from range(3)")
    connection.execute("comment on table report.rpt_figure is 'synthetic figure data'")
    connection.close()
    serve = tmp_path / "serve"
    _publish(build, serve)
    connection = duckdb.connect(str(build))
    connection.execute("drop table report.rpt_old")
    connection.execute("insert into report.rpt_figure values (3)")
    connection.close()
    candidate, _ = serving.build_candidate_from_previous(serve / serving.SERVING_FILE, build, serve,
                                                         serving.new_publish_id(), {})
    reader = duckdb.connect(str(candidate), read_only=True)
    try:
        assert reader.execute("select table_name, comment from duckdb_tables() where schema_name = 'report'").fetchall() \
            == [("rpt_figure", "synthetic figure data")]
        assert reader.execute("select count(*) from report.rpt_figure").fetchone()[0] == 4
    finally:
        reader.close()
