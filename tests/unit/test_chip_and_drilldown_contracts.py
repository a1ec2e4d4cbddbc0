"""Pandera contracts of the chip-equipment marts and the restriction drill-downs: pass on good rows, fail on damaged
ones (ibis backend, in DuckDB). Good rows are real rows of the 2026-12-01 build (values rounded where noted)."""

import datetime as dt

import pandas as pd

from data_contracts.marts import MART_CONTRACTS
from tests.contract_harness import contract_tests

I32 = "int32"
CAVEAT = "annual data: the event year mixes months before and after the control; FOB values (BACI); stockpiling"


def _frame(columns: dict, int32: tuple = ()) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    for column in int32:
        frame[column] = frame[column].astype(I32)
    return frame


GOOD = {
    "export_measure_status_periods": _frame({
        "measure_id": ["CN-2025-58"] * 4, "part_id": ["all"] * 4, "period_number": [1, 2, 3, 4],
        "status": ["not_yet_announced", "announced", "suspended", "suspension_ended_unconfirmed"],
        "status_basis": ["sourced", "sourced", "sourced", "assumed_lapse"],
        "valid_from": [dt.date(1900, 1, 1), dt.date(2025, 10, 9), dt.date(2025, 11, 7), dt.date(2026, 11, 11)],
        "valid_to": [dt.date(2025, 10, 9), dt.date(2025, 11, 7), dt.date(2026, 11, 11), None],
        "suspended_by_measure_id": [None, None, "CN-2025-70", None], "legal_type": ["licence_requirement"] * 4,
        "restricts_goods": [True] * 4,
    }),
    "restriction_exposure_by_measure": _frame({
        "source": ["cepii_baci"] * 2, "importer_iso3": ["CHN", "IND"], "restricting_country_iso3": ["USA", "CHN"],
        "commodity_code": ["848610", "810194"], "year": [2022, 2024], "period_kind": ["annual"] * 2,
        "measure_id": ["US-2022-BIS-62186", "CN-2025-10"], "legal_type": ["licence_requirement"] * 2,
        "coverage_level": ["partial"] * 2, "import_value_usd": [27044878.0, 7176911.0], "days_in_period": [365, 366],
        "days_in_force": [86, 0], "in_force_during_period": [True, False], "value_under_measure_usd": [27044878.0, 0.0],
        "value_under_measure_usd_prorated_estimate": [27044878.0 * 86 / 365, 0.0],
        "bound_completeness": ["partial_heading_level", "complete"],
        "status_at_period_end": ["in_force", "not_yet_announced"], "status_basis_at_period_end": ["sourced"] * 2,
    }, int32=("year", "days_in_force")),
    "chip_equipment_dependency": _frame({
        "year": [2024, 2024], "hs6": ["848620"] * 2, "product_group": ["semiconductor_manufacturing_equipment"] * 2,
        "exporter_code": [528, 842], "supplier_group": ["Netherlands", "United States"],
        "is_controlling_country": [True, True], "counts_in_shares": [True, True],
        "value_usd": [9565396506.0, 3269549747.0], "share_of_hs6": [0.28901263478886025, 0.0987874560517169],
        "share_of_8486": [0.22035869092644114, 0.07532084025119835], "source": ["cepii_baci"] * 2,
    }, int32=("year", "exporter_code")),
    "chip_equipment_dependency_summary": _frame({
        "year": [2024, 2024], "product_code": ["8486", "848620"], "product_level": ["heading", "hs6"],
        "product_group": ["semiconductor_manufacturing_equipment"] * 2, "importer_iso3": ["CHN"] * 2,
        "total_value_usd": [43408301555.0, 33096810847.0], "supplier_value_usd": [43408301555.0, 33096810847.0],
        "top_supplier_share": [0.30005638579286265, 0.29554565082474216], "hhi": [1854.6635659002138, 2088.813315054435],
        "controlling_countries_share": [0.10066831413487216 + 0.30005638579286265 + 0.226287245068877,
                                        0.0987874560517169 + 0.29554565082474216 + 0.28901263478886025],
        "us_share": [0.10066831413487216, 0.0987874560517169], "japan_share": [0.30005638579286265, 0.29554565082474216],
        "netherlands_share": [0.226287245068877, 0.28901263478886025], "korea_share": [0.07839475144375987, 0.04601717969264859],
        "taiwan_share": [0.04023198133627138, 0.0342867331914809], "germany_share": [0.02425892470512257, 0.012110797195927787],
        "singapore_share": [0.15565492147715063, 0.1512658125323213],
    }, int32=("year",)),
    "chip_equipment_control_exposure": _frame({
        "year": [2022, 2021], "hs6": ["848620"] * 2, "product_group": ["semiconductor_manufacturing_equipment"] * 2,
        "importer_iso3": ["CHN"] * 2, "restricting_country_iso3": ["USA"] * 2,
        "import_value_usd": [3251879230.0, 4272795011.0], "share_of_8486": [0.11068888905071292, 0.13130078215290591],
        "covered_value_usd": [0.0, 0.0], "upper_bound_value_usd": [3251879230.0, 0.0], "days_in_period": [365, 365],
        "days_in_force_full": [0, 0], "days_in_force_upper": [86, 0], "measures_in_force_count": [1, 0],
    }, int32=("year", "days_in_period", "days_in_force_full", "days_in_force_upper", "measures_in_force_count")),
    "chip_equipment_event_study": _frame({
        "measure_id": ["US-2022-BIS-62186", "US-2024-BIS-96790"], "part_id": ["sme", "sme_hbm"],
        "controlling_country_iso3": ["USA"] * 2, "control_date": [dt.date(2022, 10, 7), dt.date(2024, 12, 2)],
        "event_year": [2022, 2024], "supplier_group": ["United States"] * 2, "pre_year": [2021, 2023],
        "post_year": [2023, 2025], "pre_year_share": [0.1713442152203228, 0.1115498182307503],
        "event_year_share": [0.17772645785182062, 0.10066831413487218], "post_year_share": [0.1115498182307503, None],
        "post_minus_pre_share": [-0.05979439698957251, None],
        "post_year_note": [None, "no post year in the data (ends 2024)"], "caveats": [CAVEAT] * 2,
    }, int32=("event_year", "pre_year", "post_year")),
    "chip_equipment_claim_check": _frame({
        "figure_id": ["baci_8486_imports_2023", "baci_8486_imports_2024", "house_select_committee_38b"],
        "year": [2023, 2024, 2024], "figure_kind": ["data", "data", "claim"],
        "value_usd": [35487288476.0, 43408301555.0, 38e9], "scope": ["HS07 848610/20/40/90, BACI FOB"] * 2 + ["five toolmakers"],
        "figure_source": ["CEPII BACI HS07 V202601"] * 2 + ["House Select Committee on the CCP"],
        "measure_kind": ["customs trade value, FOB"] * 2 + ["company revenue attributed to China"],
        "hs_codes_included": ["848610, 848620, 848640, 848690 (HS07)"] * 2 + [None],
        "hs_codes_not_included": ["848630 (absent from the extract)"] * 2 + ["not applicable: company revenue"],
        "claim_minus_data_2024_usd": pd.Series([None, None, None], dtype="float64"),
        "difference_null_reason": ["not computed: different measures"] * 3, "same_measure_as_other_rows": [False] * 3,
        "why_they_differ": ["Not the same measure"] * 3,
    }, int32=("year",)),
}

DAMAGE = {
    "export_measure_status_periods": [
        ("valid_to", 1, dt.date(2025, 10, 1)),  # ends before it starts
        ("valid_from", 0, dt.date(2025, 1, 1)),  # the first period not at the open start (1900-01-01)
        ("valid_from", 0, None),  # a NULL start breaks `d >= valid_from`
        ("status", 3, "in_force"),  # in force on an assumed lapse
        ("suspended_by_measure_id", 1, "CN-2025-70"),  # a suspender named on a period that is not suspended
        ("status", 3, "suspended"),  # a suspension without its suspending measure
        ("status", 1, "lapsed"),
    ],
    "restriction_exposure_by_measure": [
        ("value_under_measure_usd", 0, 2 * 27044878.0),  # more under the measure than was imported
        ("in_force_during_period", 1, True),  # in force with no day in force
        ("days_in_force", 0, 400),
        ("legal_type", 0, "technology_restriction"),  # not a goods measure
        ("value_under_measure_usd_prorated_estimate", 0, 27044878.0 * 2),  # pro-rated above the full-period value
        ("bound_completeness", 0, "not_coded"),  # the bridge has trade codes only
    ],
    "chip_equipment_dependency": [
        ("hs6", 0, "854231"),  # a chip, not chip-making equipment
        ("share_of_8486", 1, 0.5),  # heading share above the subheading share
        ("share_of_hs6", 0, None),  # a counted row without its share
        ("value_usd", 1, -1.0),
    ],
    "chip_equipment_dependency_summary": [
        ("product_level", 0, "hs6"),  # 8486 labelled a subheading
        ("supplier_value_usd", 1, 33096810847.0 * 2),  # denominator above the total
        ("controlling_countries_share", 0, 0.9),  # not the three countries' sum
        ("hhi", 1, 500.0),  # below the top supplier's share squared
        ("us_share", 0, 1.2),
    ],
    "chip_equipment_control_exposure": [
        ("upper_bound_value_usd", 0, 2 * 3251879230.0),  # exposure above imports
        ("days_in_force_upper", 1, 30),  # days in force without a measure in force
        ("days_in_force_full", 0, 100),  # full days above upper days
        ("importer_iso3", 0, "USA"),
    ],
    "chip_equipment_event_study": [
        ("pre_year", 0, 2020),  # not the year before
        ("event_year", 1, 2023),  # not the control date's year
        ("post_year_share", 1, 0.1),  # a post-year share where the data have none
        ("controlling_country_iso3", 0, "KOR"),
    ],
    "chip_equipment_claim_check": [
        ("same_measure_as_other_rows", 2, True),  # the claim read as the same measure as the data
        ("claim_minus_data_2024_usd", 0, 1.0),  # a gap on a data row
        ("claim_minus_data_2024_usd", 2, 38e9 - 43408301555.0),  # issue 25: claim less data, two different measures
        ("hs_codes_included", 1, None),  # a data figure that does not say which codes it sums
        ("figure_kind", 2, "estimate"),
    ],
}


test_contract_passes_on_good_rows, test_contract_fails_on_damaged_row = contract_tests(GOOD, DAMAGE, MART_CONTRACTS)

