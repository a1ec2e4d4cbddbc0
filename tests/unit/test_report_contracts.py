"""Pandera contracts of the supply-risk marts: pass on good rows, fail on damaged ones (ibis backend, in DuckDB)."""

import pandas as pd

from data_contracts.marts import MART_CONTRACTS
from tests.contract_harness import contract_tests

GOOD = {
    "supply_concentration": pd.DataFrame({
        "commodity": ["rare_earths", "antimony"], "mineral": ["rare_earths", "antimony"], "stage": ["mine", "mine"],
        "year": pd.Series([2024, 2025], dtype="int32"),
        "share_denominator": [380000.0, 110000.0], "share_denominator_basis": ["published_world_total"] * 2,
        "china_value_kind": ["number", "number"], "china_share": [270000 / 380000, 40000 / 110000],
        "top_producer_share": [0.71, 0.36], "hhi": [5192.0, 2582.0], "hhi_upper_bound": [5192.0, 2600.0],
        "equivalent_producers": [10000 / 5192, 10000 / 2582],
    }),
    "supply_risk": pd.DataFrame({
        "commodity": ["graphite_natural", "rare_earths"], "year": pd.Series([2024, 2024], dtype="int32"),
        "governance_basis": ["unweighted_wgi_missing"] * 2, "ir": [1.0, 0.53], "eol_rir": [0.03, 0.01],
        "si_sr": [0.98, None], "supply_risk": [0.81, None],
        "sr_status": ["computed_unweighted", "not_computable_si_sr_missing"],
    }),
    "restriction_event_study": pd.DataFrame({
        "importer_iso3": ["USA", "USA"], "mineral": ["graphite"] * 2, "measure_id": ["CN-2023-39"] * 2,
        "year": pd.Series([2022, 2023], dtype="int32"), "relative_period": pd.Series([-1, 0], dtype="int32"),
        "window_side": ["pre", "post"], "value_usd": [139.0, 110.0], "value_index": [221.5, 175.1],
        "pre_period_years": ["2020-2022"] * 2,
    }),
}

DAMAGE = {
    "supply_concentration": [
        ("hhi", 0, 12000.0),  # above the 0-10,000 scale
        ("china_share", 1, 1.4),  # share above 1
        ("china_value_kind", 0, "withheld"),  # a withheld value turned into a share
        ("mineral", 1, None),  # a commodity without a label drops out of joins on mineral
        ("share_denominator_basis", 0, "sum_of_listed_countries"),  # an HHI over a list with no World total
    ],
    "supply_risk": [
        ("supply_risk", 1, 0.5),  # a value although SI_SR is missing
        ("sr_status", 0, "computed"),  # claims WGI weighting on an unweighted row
        ("governance_basis", 0, "assumed"),
    ],
    "restriction_event_study": [
        ("window_side", 0, "post"),  # relative period -1 labelled post
        ("value_usd", 1, -5.0),
    ],
}


test_contract_passes_on_good_rows, test_contract_fails_on_damaged_row = contract_tests(GOOD, DAMAGE, MART_CONTRACTS)


def test_new_marts_are_registered():
    assert {"supply_concentration", "supply_risk", "restriction_event_study"} <= set(MART_CONTRACTS)
