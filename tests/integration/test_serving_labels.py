"""The label tables published beside the marts (schema `reference`, issue 29): real names for the codes every mart
carries, joinable from the marts, in the serving copy and its Parquet export."""

import duckdb
import pytest


@pytest.fixture(scope="module")
def served(pipeline_run):
    result, warehouse = pipeline_run
    assert result.success, "refresh_warehouse failed; see the captured Dagster log"
    connection = duckdb.connect(str(warehouse.parent / "serve" / "chokepoint.duckdb"), read_only=True)
    yield connection
    connection.close()


def _columns(connection, pattern: str) -> list[tuple[str, str]]:
    return connection.execute("select table_name, column_name from duckdb_columns() where schema_name = 'marts' "
                              "and regexp_matches(column_name, ?) order by 1, 2", [pattern]).fetchall()


def test_countries_name_the_codes(served):
    assert served.execute("select country_name, iso2, is_country, comtrade_code from reference.countries where iso3 = 'CHN'"
                          ).fetchall() == [("China", "CN", True, 156)]
    assert served.execute("select is_country from reference.countries where iso3 = 'W00'").fetchall() == [(False,)]


def test_every_iso3_a_mart_carries_has_a_country_label(served):
    columns = _columns(served, "iso3$")
    assert len(columns) >= 10
    unlabelled = {f"{table}.{column}": served.execute(
        f'select list(distinct m."{column}" order by m."{column}") from marts."{table}" m '
        f'left join reference.countries c on c.iso3 = m."{column}" where m."{column}" is not null and c.iso3 is null'
    ).fetchone()[0] for table, column in columns}
    assert {name: codes for name, codes in unlabelled.items() if codes} == {}


def test_a_mart_joins_to_its_labels(served):
    rows = served.execute("""
        select c.country_name, m.mineral_label, count(*) as n
        from marts.import_dependency d
        join reference.countries c on c.iso3 = d.importer_iso3
        join reference.minerals m on m.mineral = d.mineral
        where d.importer_iso3 = 'USA' and d.mineral = 'rare_earths'
        group by all""").fetchall()
    direct = served.execute("select count(*) from marts.import_dependency where importer_iso3 = 'USA' and mineral = 'rare_earths'"
                            ).fetchone()[0]
    assert direct > 0 and rows == [("USA", "rare earths", direct)]  # BACI's short name for the US


def test_minerals_carry_their_codes_and_elements(served):
    (codes, elements, mixed), = served.execute(
        "select hs_codes, elements, has_mixed_heading from reference.minerals where mineral = 'rare_earths'").fetchall()
    assert "2846" in codes.split(", ") and elements == "rare_earths" and mixed is False
    trade_minerals = served.execute("select count(distinct mineral) from marts.fct_trade_flows").fetchone()[0]
    unlabelled = served.execute("select count(distinct f.mineral) from marts.fct_trade_flows f left join reference.minerals m "
                                "on m.mineral = f.mineral where m.mineral is null").fetchone()[0]
    assert trade_minerals > 10 and unlabelled == 0


def test_measures_name_every_measure_of_the_marts(served):
    missing = served.execute("select count(distinct e.measure_id) from marts.export_measures e "
                             "left join reference.measures m using (measure_id) where m.measure_id is null").fetchone()[0]
    assert missing == 0
    untitled = served.execute("select count(*) from reference.measures where title is null or issuer is null").fetchone()[0]
    assert untitled == 0
    assert served.execute("select count(*) from reference.measures").fetchone()[0] == served.execute(
        "select count(distinct measure_id) from marts.export_measures").fetchone()[0]


def test_labels_are_exported_as_parquet(served, pipeline_run):
    _, warehouse = pipeline_run
    parquet = warehouse.parent / "serve" / "parquet" / "reference" / "countries.parquet"
    reader = duckdb.connect()
    try:
        assert reader.execute(f"select country_name from '{parquet}' where iso3 = 'CHN'").fetchall() == [("China",)]
    finally:
        reader.close()


def test_the_documented_label_join_runs(served):
    """SERVING.md's label-table query, as printed."""
    import re

    from orchestration.settings import PROJECT_ROOT

    text = (PROJECT_ROOT / "docs" / "SERVING.md").read_text()
    section = text[text.index("## Label tables"):]
    (query,) = re.findall(r"```sql\n(.*?)```", section[:section.index("\n## ", 3)], flags=re.S)
    rows = served.execute(query).fetchall()
    assert rows and {row[1:3] for row in rows} == {("USA", "rare earths")}
