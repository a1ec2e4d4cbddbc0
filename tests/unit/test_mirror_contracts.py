"""Contracts of the mirror marts (issue 26): good rows pass, each damaged rule fails naming its check."""

import pandas as pd
import pytest

from data_contracts.marts import MART_CONTRACTS
from tests.contract_harness import damaged, validate_frame

MIRROR = pd.DataFrame({
    "year": [2024, 2024, 2024], "exporter_code": [156, 156, 344], "exporter_iso3": ["CHN", "CHN", "HKG"],
    "importer_code": [276, 842, 276], "importer_iso3": ["DEU", "USA", "DEU"], "hs6": ["850511", "811292", "850511"],
    "exporter_declared_fob_usd": [100.0, 50.0, None], "importer_declared_cif_usd": [104.0, 140.0, 9.0],
    "importer_declared_fob_equivalent_usd": [104.0, 140.0, 9.0], "exporter_net_weight_kg": [5.0, 1.0, None],
    "importer_net_weight_kg": [5.2, 3.0, 0.4], "importer_to_exporter_ratio": [1.04, 2.8, None],
    "gap_class": ["agree", "disagree", "importer_only"], "exporter_reported_exports": [True, True, True],
    "importer_reported_imports": [True, True, True], "baci_value_usd": [101.0, None, 8.5],
})


def _validate(name, frame):
    return validate_frame(name, frame, MART_CONTRACTS[name])


def test_mirror_flows_good_rows_pass():
    outcome = _validate("mirror_flows", MIRROR)
    assert outcome.passed, outcome.summary


@pytest.mark.parametrize(("column", "row", "value", "check"), [
    ("gap_class", 0, "close", "isin"),
    ("exporter_declared_fob_usd", 2, 7.0, "a one-sided row carries only its side"),  # importer_only with an export
    ("importer_declared_cif_usd", 1, None, "agree and disagree rows carry both declarations"),
    ("hs6", 0, "8505", "str_matches"),
])
def test_mirror_flows_damaged_row_fails(column, row, value, check):
    outcome = _validate("mirror_flows", damaged(MIRROR, column, row, value))
    assert not outcome.passed and check in outcome.summary, outcome.summary
