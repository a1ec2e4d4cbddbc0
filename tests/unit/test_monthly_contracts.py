"""Contract of marts.monthly_flows (issue 27): passes on two rows copied from the built warehouse (2026-12-06
build: UK imports of CN8 85051110 from China in 2025-04, HMRC; US imports of HS6 850511 from China in 2026-06,
Census, no quantity) and fails on the same rows damaged one way at a time."""

import pandas as pd
import pytest

from data_contracts.marts import MART_CONTRACTS
from tests.contract_harness import damaged, validate_frame

CONVERSION = ("ECB monthly reference rates via EUR crosses, applied by Varcolacus/critical-materials-atlas "
              "(pipeline/fx.py); the rate of the month is not in the file, so no native-currency value is kept")

GOOD = pd.DataFrame({
    "source": ["uk_hmrc", "us_census"], "compiled_by": ["critical_materials_atlas"] * 2,
    "reporter_iso3": ["GBR", "USA"], "partner_code": ["CHN", "CHN"], "partner_is_country": [True, True],
    "flow": ["import", "import"], "native_code": ["85051110", "850511"], "native_code_system": ["CN8", "HS6"],
    "hs6": ["850511", "850511"], "year": pd.Series([2025, 2026], dtype="int32"),
    "month": pd.Series([4, 6], dtype="int32"), "month_index": pd.Series([24303, 24317], dtype="int32"),
    "value_usd": [1810034.7517207172, 31031063.0], "currency_published": ["GBP", "USD"],
    "usd_conversion": ["converted_by_compiler_rate_not_in_file", "published_in_usd"],
    "usd_conversion_source": [CONVERSION, None], "value_basis": ["not_stated", "not_stated"],
    "qty_kg": [79479.0, None], "quantity_unit_declared": ["kg", None],
    "aggregation_rule": ["sum_declarations", "one_row_per_key"], "source_rows": [12, 1], "file_rows": [12, 1],
    "is_confidential": [False, False], "unit_value_usd_per_kg": [22.77374843318005, None],
    "unit_value_status": ["ok", "no_quantity"], "unit_value_outlier": pd.Series([False, None], dtype="boolean"),
})

DAMAGE = [
    ("source", 0, "hmrc", "isin"),  # the compiler's adapter name, not the published vocabulary
    ("aggregation_rule", 0, "largest_row", "isin"),
    ("unit_value_usd_per_kg", 1, 5.0, "a unit value exactly where the status is ok"),  # a price without a quantity
    ("usd_conversion", 1, "converted_by_compiler_rate_not_in_file", "a converted value names its conversion source"),
    ("qty_kg", 0, -1.0, "greater_than_or_equal_to"),
]


def _validate(frame: pd.DataFrame):
    return validate_frame("monthly_flows", frame, MART_CONTRACTS["monthly_flows"])


def test_good_rows_pass():
    outcome = _validate(GOOD)
    assert outcome.passed, outcome.summary


@pytest.mark.parametrize(("column", "row", "value", "check"), DAMAGE)
def test_damaged_row_fails_naming_the_check(column, row, value, check):
    outcome = _validate(damaged(GOOD, column, row, value))
    assert not outcome.passed
    assert any(check in name for name in outcome.metadata["failing_checks"]), outcome.metadata["failing_checks"]
