"""Pandera contracts of the restriction marts and register staging: pass on good rows, fail on damaged ones
(ibis backend, in DuckDB). Good rows are real rows of the 2026-12-01 build."""

import datetime as dt

import pandas as pd

from data_contracts.marts import MART_CONTRACTS
from data_contracts.sources.registry import STAGING_CONTRACTS
from tests.contract_harness import contract_tests, validate_frame

AS_OF = dt.date(2026, 12, 1)
GOOD = {
    "export_measures": pd.DataFrame({
        "measure_id": ["CN-2024-46", "CN-2024-46", "CN-WTO-DS431"], "part_id": ["art1", "art2", "report"],
        "jurisdiction_iso3": ["CHN", "CHN", None], "legal_type": ["export_ban", "export_ban", "dispute_ruling"],
        "restricts_goods": [True, True, False], "status": ["in_force", "suspension_ended_unconfirmed", "issued"],
        "status_basis": ["sourced", "assumed_lapse", "sourced"], "status_as_of": [AS_OF] * 3,
        "status_history": ["2024-12-03 in_force (sourced)",
                           "2024-12-03 in_force (sourced); 2025-11-09 suspended (sourced); 2026-11-28 suspension_ended_unconfirmed (assumed_lapse)",
                           "2012-03-13 announced (sourced); 2014-03-26 issued (sourced)"],
        "source_urls": ["https://news.devevil.com/x", "https://rebee.cn/news/show/494.html",
                        "https://www.wto.org/english/tratop_e/dispu_e/cases_e/ds431_e.htm"],
        "until_reading": ["open_ended"] * 3,
    }),
    "measure_coverage": pd.DataFrame({
        "measure_id": ["CN-2025-18", "CN-2024-33"], "part_id": ["all", "antimony"], "match_prefix": ["280530", "811020"],
        "hs6": ["280530", "811020"], "coverage_level": ["partial", "full"],
        "legal_type": ["licence_requirement", "licence_requirement"], "mineral": ["rare_earths", "antimony"],
    }),
    "restriction_exposure": pd.DataFrame({
        "source": ["usitc_dataweb"] * 2, "importer_iso3": ["USA"] * 2, "restricting_country_iso3": ["CHN"] * 2,
        "commodity_code": ["2846", "8110"], "year": pd.Series([2025, 2024], dtype="int32"),
        "import_value_usd": [100698766.0, 10548234.0], "covered_value_usd": [0.0, 0.0],
        "upper_bound_value_usd": [100698766.0, 10548234.0],
        "days_in_force_full": pd.Series([0, 0], dtype="int32"), "days_in_force_upper": pd.Series([272, 108], dtype="int32"),
        "covered_value_usd_prorated_estimate": [0.0, 0.0],
        "upper_bound_value_usd_prorated_estimate": [100698766.0 * 272 / 365, 10548234.0 * 108 / 366],
        "bound_completeness": ["complete", "complete"],
    }),
}
DAMAGE = {
    "export_measures": [
        ("status", 2, "in_force"),  # a ruling shown in force
        ("status", 0, "issued"),  # only rulings are issued
        ("status_basis", 1, "inferred"),
        ("status", 1, "in_force"),  # in force on an assumed lapse: 'in_force' is only ever sourced
        ("legal_type", 0, "ban"),  # register_version 1 vocabulary
    ],
    "measure_coverage": [
        ("coverage_level", 0, "most"),
        ("legal_type", 0, "technology_restriction"),  # technology carries no customs codes
        ("match_prefix", 1, "81102"),
    ],
    "restriction_exposure": [
        ("upper_bound_value_usd", 0, 2 * 100698766.0),  # exposure above imports (a dollar counted twice)
        ("covered_value_usd", 1, 10548234.0 + 1),  # covered above the upper bound
        ("days_in_force_full", 0, 300),  # full-coverage days above the upper-bound days
        ("upper_bound_value_usd_prorated_estimate", 1, 10548234.0 * 2),  # pro-rated above the full-year value
        ("bound_completeness", 0, "not_coded"),  # a not-bounded row with a trade code and a value
        ("bound_completeness", 1, "unknown"),
    ],
}


test_contract_passes_on_good_rows, test_contract_fails_on_damaged_row = contract_tests(GOOD, DAMAGE, MART_CONTRACTS)


def test_staging_parts_contract_ties_restricts_goods_to_the_legal_type():
    parts = pd.DataFrame({
        "measure_id": ["CN-2025-62", "CN-2025-18", "CN-2025-70"], "part_id": ["all", "all", "all"],
        "legal_type": ["technology_restriction", "licence_requirement", "suspension"], "restricts_goods": [False, True, False],
        "in_force_from": [dt.date(2025, 10, 9), dt.date(2025, 4, 4), dt.date(2025, 11, 7)],
        "in_force_until": [None, None, dt.date(2026, 11, 11)],
        "until_reading": ["open_ended", "open_ended", "stated_until_ambiguous"],
    })
    contract = STAGING_CONTRACTS["stg_register__measure_parts"]
    assert validate_frame("stg_register__measure_parts", parts, contract).passed
    parts.loc[0, "restricts_goods"] = True  # a technology restriction counted as a goods restriction
    assert not validate_frame("stg_register__measure_parts", parts, contract).passed
