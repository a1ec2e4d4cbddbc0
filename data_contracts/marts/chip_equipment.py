"""Contracts of the reverse chokepoint: China's imports of chipmaking equipment (HS 8486), its suppliers, the
controls that reach them and the published claim they are checked against."""

from __future__ import annotations

import csv
from pathlib import Path

import pandera.ibis as pa

from data_contracts.marts.common import EPSILON, SHARE
from data_contracts.vocabularies import (
    CHIP_PRODUCT_LEVELS,
    FIGURE_KINDS,
)

CHIP_PRODUCT_GROUP = ["semiconductor_manufacturing_equipment"]
HS_8486 = r"^8486\d{2}$"
# The countries whose chip-equipment controls are in the register have one home, the dbt seed
# chip_equipment_suppliers (is_controlling_country), which the chip marts join.
_CHIP_SUPPLIERS_SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "chip_equipment_suppliers.csv"
with _CHIP_SUPPLIERS_SEED.open(newline="", encoding="utf-8") as _seed:
    CONTROLLING_COUNTRIES = [row["iso3"] for row in csv.DictReader(_seed) if row["is_controlling_country"] == "true"]


class ChipEquipmentDependency(pa.DataFrameModel):
    """year x HS6 (8486xx) x exporter; each dollar once."""

    year = pa.Field(ge=1995, le=2100)
    hs6 = pa.Field(str_matches=HS_8486)
    product_group = pa.Field(isin=CHIP_PRODUCT_GROUP)
    supplier_group = pa.Field(nullable=False)
    is_controlling_country = pa.Field(nullable=False)
    counts_in_shares = pa.Field(nullable=False)
    value_usd = pa.Field(ge=0)
    share_of_hs6 = pa.Field(**SHARE)
    share_of_8486 = pa.Field(**SHARE)
    source = pa.Field(isin=["cepii_baci"])

    @pa.dataframe_check(name="shares exactly on the rows that count in shares")
    def shares_on_counted_rows(cls, data) -> bool:
        table = data.table
        return table.counts_in_shares == table.share_of_hs6.notnull()

    @pa.dataframe_check(name="a share of the heading never exceeds the share of its subheading")
    def heading_share_smaller(cls, data) -> bool:
        table = data.table
        return table.share_of_hs6.isnull() | (table.share_of_8486 <= table.share_of_hs6 + EPSILON)


class ChipEquipmentDependencySummary(pa.DataFrameModel):
    """product (8486 or an HS6) x year; the heading row repeats its subheadings' dollars."""

    year = pa.Field(ge=1995, le=2100)
    product_code = pa.Field(str_matches=r"^8486(\d{2})?$")
    product_level = pa.Field(isin=CHIP_PRODUCT_LEVELS)
    product_group = pa.Field(isin=CHIP_PRODUCT_GROUP)
    importer_iso3 = pa.Field(isin=["CHN"])
    total_value_usd = pa.Field(ge=0)
    supplier_value_usd = pa.Field(ge=0)
    top_supplier_share = pa.Field(**SHARE)
    hhi = pa.Field(ge=0, le=10_000, nullable=True)
    controlling_countries_share = pa.Field(**SHARE)
    us_share = pa.Field(**SHARE)
    japan_share = pa.Field(**SHARE)
    netherlands_share = pa.Field(**SHARE)
    korea_share = pa.Field(**SHARE)
    taiwan_share = pa.Field(**SHARE)
    germany_share = pa.Field(**SHARE)
    singapore_share = pa.Field(**SHARE)

    @pa.dataframe_check(name="the heading row is 8486, subheading rows are six digits")
    def level_matches_code(cls, data) -> bool:
        table = data.table
        return (table.product_level == "heading") == (table.product_code == "8486")

    @pa.dataframe_check(name="the share denominator is part of the total")
    def denominator_within_total(cls, data) -> bool:
        table = data.table
        return table.supplier_value_usd <= table.total_value_usd

    @pa.dataframe_check(name="controlling countries' share = US + Japan + Netherlands shares")
    def controlling_is_the_three(cls, data) -> bool:
        table = data.table
        gap = table.controlling_countries_share - table.us_share - table.japan_share - table.netherlands_share
        return table.controlling_countries_share.isnull() | (gap.abs() <= EPSILON)

    @pa.dataframe_check(name="HHI is at least the top supplier's share squared")
    def hhi_above_top_share(cls, data) -> bool:
        table = data.table
        return table.hhi.isnull() | (table.hhi >= 10_000 * table.top_supplier_share * table.top_supplier_share - EPSILON)


class ChipEquipmentControlExposure(pa.DataFrameModel):
    """controlling country x HS6 x year (rows of restriction_exposure); each dollar once."""

    year = pa.Field(ge=1995, le=2100)
    hs6 = pa.Field(str_matches=HS_8486)
    product_group = pa.Field(isin=CHIP_PRODUCT_GROUP)
    importer_iso3 = pa.Field(isin=["CHN"])
    import_value_usd = pa.Field(ge=0)
    share_of_8486 = pa.Field(**SHARE)
    covered_value_usd = pa.Field(ge=0)
    upper_bound_value_usd = pa.Field(ge=0)
    days_in_period = pa.Field(ge=365, le=366)
    days_in_force_full = pa.Field(ge=0, le=366)
    days_in_force_upper = pa.Field(ge=0, le=366)
    measures_in_force_count = pa.Field(ge=0)

    @pa.dataframe_check(name="covered <= upper bound <= imports from the controlling country")
    def bounded(cls, data) -> bool:
        table = data.table
        return (table.covered_value_usd <= table.upper_bound_value_usd) & (table.upper_bound_value_usd <= table.import_value_usd)

    @pa.dataframe_check(name="full days <= upper days <= days in the year")
    def days_bounded(cls, data) -> bool:
        table = data.table
        return (table.days_in_force_full <= table.days_in_force_upper) & (table.days_in_force_upper <= table.days_in_period)

    @pa.dataframe_check(name="measures in force exactly when some day is in force")
    def measures_match_days(cls, data) -> bool:
        table = data.table
        return (table.measures_in_force_count > 0) == (table.days_in_force_upper > 0)


class ChipEquipmentEventStudy(pa.DataFrameModel):
    """control (measure part) x supplier group: shares the year before, of and after."""

    controlling_country_iso3 = pa.Field(isin=CONTROLLING_COUNTRIES)
    control_date = pa.Field(nullable=False)
    event_year = pa.Field(nullable=False)
    pre_year = pa.Field(nullable=False)
    post_year = pa.Field(nullable=False)
    pre_year_share = pa.Field(**SHARE)
    event_year_share = pa.Field(**SHARE)
    post_year_share = pa.Field(**SHARE)
    post_minus_pre_share = pa.Field(ge=-1, le=1, nullable=True)
    caveats = pa.Field(nullable=False)

    @pa.dataframe_check(name="event year is the control date's year, pre and post the years either side")
    def years_consistent(cls, data) -> bool:
        table = data.table
        return ((table.event_year == table.control_date.year()) & (table.pre_year == table.event_year - 1)
                & (table.post_year == table.event_year + 1))

    @pa.dataframe_check(name="a row saying the data have no post year has no post-year share")
    def note_means_no_post_share(cls, data) -> bool:
        table = data.table
        return table.post_year_note.isnull() | table.post_year_share.isnull()


class ChipEquipmentClaimCheck(pa.DataFrameModel):
    """figure: data rows (BACI) and the published claim, never one measure (figure_id unique: dbt YAML)."""

    year = pa.Field(nullable=False)
    figure_kind = pa.Field(isin=FIGURE_KINDS)
    value_usd = pa.Field(gt=0)
    scope = pa.Field(nullable=False)
    figure_source = pa.Field(nullable=False)
    measure_kind = pa.Field(nullable=False)
    same_measure_as_other_rows = pa.Field(isin=[False])
    why_they_differ = pa.Field(nullable=False)

    hs_codes_not_included = pa.Field(nullable=False)
    difference_null_reason = pa.Field(nullable=False)

    @pa.dataframe_check(name="no difference between non-comparable figures")
    def no_difference_published(cls, data) -> bool:
        return data.table.claim_minus_data_2024_usd.isnull()

    @pa.dataframe_check(name="every data row lists the codes it sums")
    def data_rows_list_their_codes(cls, data) -> bool:
        table = data.table
        return (table.figure_kind != "data") | table.hs_codes_included.notnull()


CONTRACTS = {
    "chip_equipment_dependency": ChipEquipmentDependency,
    "chip_equipment_dependency_summary": ChipEquipmentDependencySummary,
    "chip_equipment_control_exposure": ChipEquipmentControlExposure,
    "chip_equipment_event_study": ChipEquipmentEventStudy,
    "chip_equipment_claim_check": ChipEquipmentClaimCheck,
}
