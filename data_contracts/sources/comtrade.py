"""UN Comtrade records (snapshot responses and live declarations) and stg_comtrade__records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pandera.ibis as pi
import pandera.pandas as pa
from pandera.typing import Series

from data_contracts.expressions import same_truth
from data_contracts.sources.common import ISO3_OR_COMTRADE_AREA, NO_FUTURE_PERIOD, Lineage
from data_contracts.vocabularies import (
    COMTRADE_PARTNER_KINDS,
    FLOWS,
    PERIOD_KINDS,
)

COMTRADE_RECORD_KEY = ["period", "reporterCode", "flowCode", "partnerCode", "partner2Code", "cmdCode", "customsCode", "motCode"]


ONE_RECORD_PER_KEY = "one record per period, reporter, flow, partner, partner2, commodity, customs and transport mode"


# Comtrade's World row (partner code 0) against its partner rows, per request (period x reporter x flow x commodity
# code). These two rules used to run only downstream, in dbt, where one bad live year failed every later refresh:
# assert_comtrade_partners_sum_to_world.sql (moved here) and the accepted_range of
# int_trade__denominator_coverage.denominator_coverage (partners / World, at most 1.0001; kept in dbt for BACI).
PARTNERS_SUM_TO_WORLD = "the partners of a reporter x flow x commodity x period sum to its World row within 1 USD"


PARTNERS_WITHIN_WORLD = ("the partners of a reporter x flow x commodity x period do not exceed its World row by more "
                         "than 0.01% (import_dependency's denominator_coverage <= 1.0001)")


WORLD_TOLERANCE_USD = 1.0


MAX_DENOMINATOR_COVERAGE = 1.0001


WORLD_PARTNER = 0


_REQUEST = ["period", "reporterCode", "flowCode", "cmdCode"]


def _partners_and_world(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per row: the sum of its request's partner rows and its request's World value (0 when there is no World row,
    so partners without a World row fail both rules)."""
    is_world = frame["partnerCode"] == WORLD_PARTNER
    value = frame["primaryValue"].astype("float64")
    keys = [frame[column] for column in _REQUEST]
    partners = value.where(~is_world, 0.0).groupby(keys, dropna=False).transform("sum")
    world = value.where(is_world, 0.0).groupby(keys, dropna=False).transform("sum")
    return partners, world


class ComtradeRecords(Lineage):
    record_index: Series[int] = pa.Field(ge=0)
    freqCode: Series[str] = pa.Field(isin=["A", "M"])
    refYear: Series[int] = pa.Field(ge=1962, le=2100)
    period: Series[str] = pa.Field(str_matches=r"^\d{4}(\d{2})?$")
    reporterCode: Series[int] = pa.Field(ge=0)
    flowCode: Series[str] = pa.Field(isin=["M", "X", "RM", "RX"])
    partnerCode: Series[int] = pa.Field(ge=0)
    partnerISO: Series[str] = pa.Field(nullable=True)
    cmdCode: Series[str] = pa.Field(str_matches=r"^(\d{2}|\d{4}|\d{6}|TOTAL)$")
    qty: Series[float] = pa.Field(nullable=True, ge=0)
    primaryValue: Series[float] = pa.Field(ge=0)
    request_url: Series[str] = pa.Field(alias="_request_url", nullable=True)

    @pa.dataframe_check(name=ONE_RECORD_PER_KEY)
    def unique_record(cls, frame: pd.DataFrame) -> Series[bool]:
        return ~frame.duplicated(subset=COMTRADE_RECORD_KEY, keep=False)

    # A request is one period x reporter x flow x commodity code, all partners; partner code 0 is World.
    @pa.dataframe_check(name=NO_FUTURE_PERIOD)
    def no_future_period(cls, frame: pd.DataFrame) -> Series[bool]:
        return frame["refYear"].le(date.today().year) & frame["period"].str[:4].astype(int).le(date.today().year)

    @pa.dataframe_check(name=PARTNERS_SUM_TO_WORLD)
    def partners_sum_to_world(cls, frame: pd.DataFrame) -> Series[bool]:
        partners, world = _partners_and_world(frame)
        return (partners - world).abs().le(WORLD_TOLERANCE_USD)

    @pa.dataframe_check(name=PARTNERS_WITHIN_WORLD)
    def partners_within_world(cls, frame: pd.DataFrame) -> Series[bool]:
        partners, world = _partners_and_world(frame)
        return partners.le(world * MAX_DENOMINATOR_COVERAGE)

    class Config:
        strict = False  # the API's 47 fields are landed as published; only those we rely on are pinned


# Staging takes a live record's ISO3 from its numeric codes (never the API's optional reporterISO/partnerISO text), through
# BACI's country table, which holds every code Comtrade shares with BACI plus the Comtrade areas of country_reference.
# A Comtrade partner area BACI's table lacks (837 Bunkers, 839 Special Categories, 'nes' areas) is named by Comtrade's
# own partner list (comtrade_partner_areas, no ISO3 sourced): admitted, and staging's partner_kind says it is no country.
# Any other code is unknown: its period is quarantined.
COUNTRY_CODES_SEED = "dbt_project/seeds/baci_country_codes.csv"


PARTNER_AREAS_SEED = "dbt_project/seeds/comtrade_partner_areas.csv"


COMTRADE_CODES_KNOWN = (f"reporterCode and partnerCode are codes of {COUNTRY_CODES_SEED} (staging's ISO3 comes from it) "
                        f"or Comtrade partner areas of {PARTNER_AREAS_SEED} (no ISO3)")


def _reference_m49_codes() -> frozenset[int]:
    """The codes stg_comtrade__records and stg_comtrade_two_sided__declarations can name: a country or area of BACI's
    table (with an ISO3) or a Comtrade partner area (partner_kind 'comtrade_area', ISO3 NULL). A live record with any
    other reporter or partner code would reach staging as nothing at all."""
    root = Path(__file__).resolve().parents[2]
    baci = pd.read_csv(root / COUNTRY_CODES_SEED, usecols=["country_code"])["country_code"]
    areas = pd.read_csv(root / PARTNER_AREAS_SEED, usecols=["partner_code"])["partner_code"]
    return frozenset(baci.astype(int)) | frozenset(areas.astype(int))


class ComtradeLiveRecords(ComtradeRecords):
    """A live Comtrade response: everything staging relies on, beyond the snapshot's contract."""

    # A column check (not a frame check), so a failure names the field, the code and the row.
    @pa.check("reporterCode", "partnerCode", name=COMTRADE_CODES_KNOWN)
    def codes_in_reference(cls, codes: Series[int]) -> Series[bool]:
        return codes.isin(_reference_m49_codes())


class StgComtradeRecords(pi.DataFrameModel):
    reporter_iso3 = pi.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    # NULL only for a Comtrade partner area BACI's table lacks (837 Bunkers ...): no ISO3 is sourced for it
    partner_iso3 = pi.Field(str_matches=ISO3_OR_COMTRADE_AREA, nullable=True)
    partner_kind = pi.Field(isin=COMTRADE_PARTNER_KINDS)
    partner_in_china_incl_hk = pi.Field(nullable=False)
    flow = pi.Field(isin=[*FLOWS, "re_import", "re_export"])
    cmd_code = pi.Field(str_matches=r"^(\d{2}|\d{4}|\d{6})$")
    year = pi.Field(ge=1962, le=2100)
    period_kind = pi.Field(isin=PERIOD_KINDS)
    primary_value_usd = pi.Field(ge=0)
    quantity = pi.Field(ge=0, nullable=True)

    @pi.dataframe_check(name="a partner has an ISO3 unless it is a Comtrade partner area")
    def iso3_unless_comtrade_area(cls, data) -> bool:
        table = data.table
        return same_truth(table.partner_iso3.isnull(), table.partner_kind == "comtrade_area")


RAW = {
    "comtrade_records": ComtradeRecords,
}


# Comtrade live rows come from the snapshot's own parser, so the snapshot contract applies unchanged.
LIVE = {
    "comtrade_live_records": ComtradeLiveRecords,
    "comtrade_live_monthly": ComtradeLiveRecords,  # the same responses (freqCode M, period YYYYMM), the same contract
}


STAGING = {
    "stg_comtrade__records": StgComtradeRecords,
}
