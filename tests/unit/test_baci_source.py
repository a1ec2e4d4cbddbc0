"""The BACI reader on CEPII's own layout and on the snapshot's two extracts; the country table covers them."""

import csv

import duckdb
import pytest

from orchestration.defs.baci_assets import unmapped_counts
from orchestration.defs.bulk_assets import unmapped_code_rows
from orchestration.extract import baci
from orchestration.extract.baci import COUNTRY_SEED
from orchestration.extract.errors import SourceFormatError
from orchestration.settings import PROJECT_ROOT

SNAPSHOT = PROJECT_ROOT / "data" / "snapshot" / "baci"
HS17 = SNAPSHOT / "baci_hs17_v202601_critical_materials_2024.parquet"
HS07 = SNAPSHOT / "baci_hs07_v202601_china_imports_semiconductor_2008_2024.csv"

# CEPII writes a missing quantity as a space-padded NA; k without its leading zero
NATIVE = """t,i,j,k,v,q
2024,156,842,811292,1234.567,         NA
2024,251,842,81110,10.5,2.25
2024,490,699,850511,99.0,1.0
"""


def _select(connection, path):
    return connection.execute(baci.normalized_select(connection, path)).fetchall()


def test_native_cepii_csv_reads_na_quantity_as_null(tmp_path):
    path = tmp_path / "BACI_HS17_Y2024_V202601.csv"
    path.write_text(NATIVE)
    connection = duckdb.connect()
    rows = _select(connection, path)
    assert rows[0][:6] == (2024, 156, 842, 811292, 1234.567, None)
    assert rows[1][3] == 81110 and rows[1][5] == 2.25
    assert {r[8] for r in rows} == {"HS17"} and {r[9] for r in rows} == {"V202601"} and {r[10] for r in rows} == {"cepii_native"}
    assert connection.execute(baci.native_select(path)).fetchall()[0] == (2024, 156, 842, 811292, 1234.567, None)


def test_bad_quantity_token_fails_the_read(tmp_path):
    path = tmp_path / "BACI_HS17_Y2024_V202601.csv"
    path.write_text(NATIVE.replace("2.25", "n/a"))
    with pytest.raises(duckdb.ConversionException):
        duckdb.connect().execute(baci.native_select(path)).fetchall()


def test_file_without_revision_in_its_name_is_refused(tmp_path):
    path = tmp_path / "trade_2024.csv"
    path.write_text(NATIVE)
    with pytest.raises(SourceFormatError, match="HS revision"):
        baci.normalized_select(duckdb.connect(), path)


def test_unknown_layout_is_refused(tmp_path):
    path = tmp_path / "BACI_HS17_Y2024_V202601.csv"
    path.write_text("year,from,to,value\n2024,1,2,3\n")
    with pytest.raises(SourceFormatError, match="not a known BACI layout"):
        baci.normalized_select(duckdb.connect(), path)


def test_snapshot_extracts_keep_their_rows_and_revisions():
    connection = duckdb.connect()
    hs17 = _select(connection, HS17)
    hs07 = _select(connection, HS07)
    assert len(hs17) == 21_723 and {r[8] for r in hs17} == {"HS17"} and {r[0] for r in hs17} == {2024}
    assert len(hs07) == 21_249 and {r[8] for r in hs07} == {"HS07"} and {r[2] for r in hs07} == {156}
    assert {r[0] for r in hs07} == set(range(2008, 2025))


def test_country_table_names_every_code_and_iso3_of_the_extracts():
    connection = duckdb.connect()
    for path in (HS17, HS07):
        connection.execute(f"create or replace table t as {baci.normalized_select(connection, path)}")
        assert unmapped_counts(connection, "t") == {"unmapped_exporter_rows": 0, "unmapped_importer_rows": 0}
    with COUNTRY_SEED.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {int(r["country_code"]): r for r in rows}
    # BACI's documented quirks
    assert {c: by_code[c]["iso3"] for c in (251, 579, 699, 757, 842, 490)} == {
        251: "FRA", 579: "NOR", 699: "IND", 757: "CHE", 842: "USA", 490: "S19"}
    current = [r["iso3"] for r in rows if r["current_code_for_iso3"] == "true"]
    assert len(current) == len(set(current)), "an ISO3-only file must map to exactly one code"
    assert all(r["source"] for r in rows)


def test_unmapped_codes_are_counted_not_dropped(tmp_path):
    path = tmp_path / "BACI_HS17_Y2024_V202601.csv"
    path.write_text(NATIVE + "2024,997,842,811292,1.0,NA\n")
    connection = duckdb.connect()
    connection.execute(f"create table t as {baci.normalized_select(connection, path)}")
    assert connection.execute("select count(*) from t").fetchone()[0] == 4
    assert unmapped_counts(connection, "t") == {"unmapped_exporter_rows": 1, "unmapped_importer_rows": 0}
    assert unmapped_code_rows(connection, "t") == 1


def _contract_outcome(connection, extra_sql=""):
    import ibis

    from data_contracts.bulk import BaciTradeFlows
    from orchestration.validation import validate

    connection.execute(f"""create or replace table flows as
        select *, 'f.csv' as _source_file, repeat('a', 64) as _source_sha256, timestamp '2026-12-01' as _loaded_at
        from ({baci.normalized_select(connection, HS17)}) {extra_sql}""")
    return validate(ibis.duckdb.from_connection(connection).table("flows"), BaciTradeFlows)


def test_baci_contract_passes_on_the_extract_and_fails_on_a_row_without_exporter():
    connection = duckdb.connect()
    assert _contract_outcome(connection).passed
    broken = _contract_outcome(connection, "union all select 2024, null, null, 811292, 1.0, null, null, 'USA', 'HS17', "
                                           "'V202601', 'iso3_only', 'f.csv', repeat('a', 64), timestamp '2026-12-01'")
    assert not broken.passed
    assert any("each side has a BACI code or an ISO3" in name for name in broken.metadata["failing_checks"])
    negative = _contract_outcome(connection, "union all select 2024, null, null, 811292, -1.0, null, 'CHN', 'USA', 'HS17', "
                                             "'V202601', 'iso3_only', 'f.csv', repeat('a', 64), timestamp '2026-12-01'")
    assert not negative.passed and "greater_than_or_equal_to(0)" in negative.metadata["failing_checks"]
