"""Each raw contract passes on the real snapshot and fails, naming field and row, on a damaged copy."""

import pandas as pd
import pytest

from data_contracts.raw import RAW_CONTRACTS
from orchestration.contracts import validate


def _broken(frame: pd.DataFrame, column: str, value, row: int = 0) -> pd.DataFrame:
    damaged = frame.copy()
    damaged[column] = damaged[column].astype(object)
    damaged.loc[damaged.index[row], column] = value
    return damaged


DAMAGE = {
    # table: (column, bad value, the check expected to fire)
    "usitc_dataweb": ("value", -5.0, "greater_than_or_equal_to(0)"),
    "comtrade_records": ("cmdCode", "28460", "str_matches"),
    "usgs_mcs2026": ("year", "twenty-five", "str_matches"),
    "usgs_mcs2025_rare_earths": ("edition", "MCS2024", "isin"),
    "usgs_mcs2025_import_sources": ("share_pct", "about 70", "str_matches"),
    "wgi_snapshot": ("value", 9.9, "less_than_or_equal_to(3.5)"),
    "export_measures": ("measure_type", "embargo", "isin"),
    "export_measure_links": ("link_type", "tariff", "isin"),
}


@pytest.mark.parametrize("table", sorted(RAW_CONTRACTS))
def test_contract_passes_on_real_snapshot(raw_frames, table):
    outcome = validate(raw_frames[table], RAW_CONTRACTS[table])
    assert outcome.passed, outcome.summary


@pytest.mark.parametrize("table", sorted(DAMAGE))
def test_contract_fails_on_damaged_copy_and_reports_the_row(raw_frames, table):
    column, value, check = DAMAGE[table]
    row = min(7, len(raw_frames[table]) - 1)  # the MCS 2025 import-sources transcription has 5 rows
    outcome = validate(_broken(raw_frames[table], column, value, row=row), RAW_CONTRACTS[table])
    assert not outcome.passed
    assert outcome.metadata["failure_count"] >= 1
    assert column in outcome.metadata["failing_columns"]
    assert any(check in name for name in outcome.metadata["failing_checks"])
    assert "failure_cases" in outcome.metadata


def test_duplicate_comtrade_record_is_caught(raw_frames):
    records = raw_frames["comtrade_records"]
    outcome = validate(pd.concat([records, records.head(1)], ignore_index=True), RAW_CONTRACTS["comtrade_records"])
    assert not outcome.passed
    assert any("one record per period" in name for name in outcome.metadata["failing_checks"])


def test_measure_ending_before_it_starts_is_caught(raw_frames):
    damaged = _broken(raw_frames["export_measures"], "date_end", "2020-01-01", row=3)  # CN-2023-23, effective 2023-08-01
    outcome = validate(damaged, RAW_CONTRACTS["export_measures"])
    assert not outcome.passed
    assert "end date is not before the effective date" in outcome.metadata["failing_checks"]


def test_new_misaligned_usgs_row_is_caught(raw_frames):
    damaged = _broken(raw_frames["usgs_mcs2026"], "is_critical_mineral_2025", "Gallium", row=100)
    outcome = validate(damaged, RAW_CONTRACTS["usgs_mcs2026"])
    assert not outcome.passed
