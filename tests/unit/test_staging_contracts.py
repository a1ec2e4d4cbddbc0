"""Staging contracts of the sources that had none (Census, Federal Register, WGI, CEPII BACI, MCS 2025 import sources) and
uniqueness in the register's:
pass on good rows (real rows of the snapshot build, or of the live replay formats), fail on each damaged field, and an
empty table (a live source not fetched yet) passes on its columns and types alone."""

import datetime as dt

import pandas as pd
import pytest

from data_contracts.sources.registry import STAGING_CONTRACTS
from tests.contract_harness import damaged, validate_frame

GOOD = {
    "stg_census__trade": pd.DataFrame({
        "reporter_iso3": ["USA", "USA"], "cty_code": ["5700", "0003"], "partner_iso3": ["CHN", None],
        "is_partner_grouping": [False, True], "flow": ["import", "import"], "commodity_code": ["284690", "284690"],
        "year": pd.Series([2025, 2025], dtype="int32"), "month": pd.Series([3, 3], dtype="int32"),
        "period_kind": ["monthly", "monthly"], "value_usd": [8160207.0, 9021155.0], "quantity": [1190452.0, None],
    }),
    "stg_fedreg__documents": pd.DataFrame({
        "document_number": ["2024-28270", "2025-18939"], "title": ["Foreign-Produced Direct Product Rule Additions",
                                                                   "Expansion of End-User Controls To Cover Affiliates"],
        "document_type": ["Rule", "Rule"], "publication_date": [dt.date(2024, 12, 5), dt.date(2025, 10, 1)],
        "effective_on": [dt.date(2024, 12, 2), None],
        "html_url": ["https://www.federalregister.gov/d/2024-28270", "https://www.federalregister.gov/d/2025-18939"],
    }),
    "stg_worldbank__wgi": pd.DataFrame({
        "indicator_id": ["GE.EST", "PV.EST"], "country_iso3": ["CHN", "COD"], "year": pd.Series([2022, 2022], dtype="int32"),
        "estimate": [0.4953, -1.9], "wgi_source": ["wgi_2023_update_snapshot", "worldbank_api"],
    }),
    # a snapshot row, a snapshot row with an unmapped exporter, and a bulk row (no HS revision; a zero value, as
    # BACI rounds small flows)
    "stg_cepii__trade_flows": pd.DataFrame({
        "source": ["cepii_baci", "cepii_baci", "bulk_trade"],
        "year": pd.Series([2024, 2017, 2023], dtype="int32"), "hs_revision": ["HS17", "HS07", None],
        "exporter_code": pd.Series([156, 999, 156], dtype="int32"),
        "importer_code": pd.Series([842, 156, 842], dtype="int32"),
        "exporter_iso3": ["CHN", None, "CHN"], "importer_iso3": ["USA", "CHN", "USA"],
        "is_unmapped_country": [False, True, False],
        "hs6": ["850511", "848620", "280530"], "value_usd": [1.0e6, 2.5e3, 0.0], "quantity_t": [120.5, None, None],
        "value_basis": ["fob_baci", "fob_baci", "fob_baci"],
    }),
    "stg_register__measures": pd.DataFrame({
        "measure_id": ["CN-2024-46", "CN-WTO-DS431"], "jurisdiction_iso3": ["CHN", None],
        "legal_type": ["export_ban", "dispute_ruling"], "date_announced": [dt.date(2024, 12, 3), dt.date(2012, 3, 13)],
        "scheduled_effective": [dt.date(2024, 12, 3), dt.date(2014, 3, 26)],
    }),
    "stg_usgs__mcs2025_import_sources": pd.DataFrame({
        "edition": pd.Series([2025, 2025], dtype="int32"), "commodity": ["rare_earths", "rare_earths"],
        "year_start": pd.Series([2020, 2020], dtype="int32"), "year_end": pd.Series([2023, 2023], dtype="int32"),
        "partner_published": ["China", "Malaysia"], "value_kind": ["number", "number"], "value_numeric": [70.0, 13.0],
    }),
    # Germany <- China 850511 2024 (README of ../shared/data/comtrade_two_sided: the largest of 300+ rows), and an
    # unresolved key: no value, never a sum
    "stg_comtrade_two_sided__declarations": pd.DataFrame({
        "year": [2024, 2024], "reporter_code": [276, 36], "partner_code": [156, 842], "hs6": ["850511", "850511"],
        "partner_kind": ["country", "country"], "flow": ["M", "X"], "total_row_rule": ["largest_row", "unresolved_weight"], "is_resolved": [True, False],
        "rows_published": [320, 2], "value_usd": [506324943.793, None], "largest_row_value_usd": [506324943.793, 842690.636],
        "naive_sum_usd": [1.2e9, 1685381.271], "declaration_source": ["snapshot_file", "live_vintage"],
    }),
    "stg_atlas__monthly_flows": pd.DataFrame({
        "source": ["uk_hmrc", "br_comexstat"], "reporter_iso3": ["GBR", "BRA"], "partner_code": ["CHN", "n/a"],
        "flow": ["import", "import"], "native_code": ["85051110", "85051100"], "hs6": ["850511", "850511"],
        "year": pd.Series([2025, 2025], dtype="int32"), "month": pd.Series([4, 5], dtype="int32"),
        "value_usd": [913916.6, 1.0e5], "qty_kg": [37402.0, None],
    }),
}

BAD = [
    ("stg_census__trade", "cty_code", "CHN"),  # a name where the numeric Census code belongs
    ("stg_census__trade", "flow", "imports"),
    ("stg_census__trade", "month", 13),
    ("stg_census__trade", "value_usd", -1.0),
    ("stg_fedreg__documents", "html_url", "www.federalregister.gov/d/x"),
    ("stg_worldbank__wgi", "estimate", 7.5),
    ("stg_worldbank__wgi", "indicator_id", "GE.PER.RNK"),
    ("stg_worldbank__wgi", "wgi_source", "guess"),
    ("stg_cepii__trade_flows", "hs6", "8505"),
    ("stg_cepii__trade_flows", "value_usd", 0.0),  # zero is a bulk row's rounding, not a snapshot row's
    ("stg_cepii__trade_flows", "hs_revision", None),  # a snapshot row without its HS revision
    ("stg_cepii__trade_flows", "is_unmapped_country", False),  # row 1 has no exporter ISO3 yet is not flagged
    ("stg_cepii__trade_flows", "value_basis", "cif"),
    ("stg_cepii__trade_flows", "source", "baci"),
    ("stg_register__measures", "legal_type", "sanction"),
    ("stg_usgs__mcs2025_import_sources", "value_kind", "unparsed"),
    ("stg_usgs__mcs2025_import_sources", "value_numeric", 170.0),
    ("stg_usgs__mcs2025_import_sources", "year_start", 2024),  # after year_end
    ("stg_comtrade_two_sided__declarations", "value_usd", 1685381.271),  # an unresolved key given the naive sum
    ("stg_comtrade_two_sided__declarations", "total_row_rule", "sum_of_rows"),
    ("stg_comtrade_two_sided__declarations", "hs6", "85051"),
    ("stg_comtrade_two_sided__declarations", "partner_kind", "bunkers"),  # a name, not a kind of comtrade_partner_kinds
    ("stg_comtrade_two_sided__declarations", "declaration_source", "live"),  # CHOKEPOINT_SOURCE's word, not lineage
    ("stg_comtrade_two_sided__declarations", "largest_row_value_usd", 2e6),  # above the sum of the key's rows
    ("stg_atlas__monthly_flows", "source", "hmrc"),  # the repository's adapter name, not the published vocabulary
    ("stg_atlas__monthly_flows", "month", 13),
    ("stg_atlas__monthly_flows", "native_code", "85061100"),  # does not begin with its HS6
]


def _validate(table: str, frame: pd.DataFrame, rows: int | None = None):
    return validate_frame(table, frame, STAGING_CONTRACTS[table], rows=rows)


@pytest.mark.parametrize("table", sorted(GOOD))
def test_good_rows_pass(table):
    outcome = _validate(table, GOOD[table])
    assert outcome.passed, outcome.summary


@pytest.mark.parametrize(("table", "column", "value"), BAD)
def test_damaged_field_fails(table, column, value):
    outcome = _validate(table, damaged(GOOD[table], column, 1, value))
    assert not outcome.passed, f"{table}.{column}={value!r} should fail"
    assert column in outcome.summary or "check" in outcome.summary or "failed" in outcome.summary


@pytest.mark.parametrize("table", ["stg_census__trade", "stg_fedreg__documents"])
def test_an_unfetched_live_source_passes_empty_but_not_with_a_column_missing(table):
    assert _validate(table, GOOD[table], rows=0).passed
    outcome = _validate(table, GOOD[table].drop(columns=[GOOD[table].columns[0]]), rows=0)
    assert not outcome.passed and "missing" in outcome.summary


def test_an_empty_table_of_the_wrong_type_fails():
    frame = GOOD["stg_worldbank__wgi"].astype({"estimate": "str"})
    outcome = _validate("stg_worldbank__wgi", frame, rows=0)
    assert not outcome.passed and "estimate" in outcome.summary
