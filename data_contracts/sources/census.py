"""US Census International Trade API (live) and stg_census__trade."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pandera.ibis as pi
import pandera.pandas as pa
from pandera.typing import Series

from data_contracts.sources.common import NO_FUTURE_PERIOD, Lineage
from data_contracts.vocabularies import (
    FLOWS,
)


class CensusTrade(Lineage):
    """US Census International Trade API rows (one response = one flow x HS6 code x month, all countries)."""

    record_index: Series[int] = pa.Field(ge=0)
    flow: Series[str] = pa.Field(isin=["imports", "exports"])
    time: Series[str] = pa.Field(str_matches=r"^\d{4}-(0[1-9]|1[0-2])$")
    CTY_CODE: Series[str] = pa.Field(str_matches=r"^([0-9X]{4}|-)$")
    CTY_NAME: Series[str] = pa.Field(nullable=True)
    COMMODITY: Series[str] = pa.Field(str_matches=r"^\d{2,10}$")
    COMMODITY_SDESC: Series[str] = pa.Field(nullable=True)
    COMM_LVL: Series[str] = pa.Field(isin=["HS2", "HS4", "HS6", "HS10"])
    GEN_VAL_MO: Series[float] = pa.Field(nullable=True, ge=0)
    CON_VAL_MO: Series[float] = pa.Field(nullable=True, ge=0)
    ALL_VAL_MO: Series[float] = pa.Field(nullable=True, ge=0)
    QTY_1_MO: Series[float] = pa.Field(nullable=True, ge=0)
    UNIT_QY1: Series[str] = pa.Field(nullable=True)
    request_key: Series[str] = pa.Field(alias="_request_key")
    request_url: Series[str] = pa.Field(alias="_request_url")

    @pa.dataframe_check(name="one row per flow, month, country and commodity")
    def unique_row(cls, frame: pd.DataFrame) -> Series[bool]:
        return ~frame.duplicated(subset=["flow", "time", "CTY_CODE", "COMMODITY"], keep=False)

    @pa.dataframe_check(name=NO_FUTURE_PERIOD)
    def no_future_month(cls, frame: pd.DataFrame) -> Series[bool]:
        return frame["time"].le(date.today().strftime("%Y-%m"))

    @pa.dataframe_check(name="a row carries the value of its flow (CON/GEN_VAL_MO imports, ALL_VAL_MO exports)")
    def value_of_flow(cls, frame: pd.DataFrame) -> Series[bool]:
        imports = frame["flow"] == "imports"
        return (imports & frame["GEN_VAL_MO"].notna()) | (~imports & frame["ALL_VAL_MO"].notna())

    class Config:
        strict = True


class StgCensusTrade(pi.DataFrameModel):
    """Census monthly trade (live source; empty until fetched). ISO3 from the numeric CTY_CODE via the reference."""

    reporter_iso3 = pi.Field(isin=["USA"])
    cty_code = pi.Field(str_matches=r"^([0-9X]{4}|-)$")  # "-": the all-countries total row
    partner_iso3 = pi.Field(str_matches=r"^[A-Z]{3}$", nullable=True)  # NULL: a Census grouping (e.g. 0003)
    is_partner_grouping = pi.Field(nullable=False)
    flow = pi.Field(isin=FLOWS)
    commodity_code = pi.Field(str_matches=r"^\d{2,10}$")
    year = pi.Field(ge=1990, le=2100)
    month = pi.Field(ge=1, le=12)
    period_kind = pi.Field(isin=["monthly"])
    value_usd = pi.Field(ge=0)
    quantity = pi.Field(ge=0, nullable=True)


LIVE = {
    "census_trade": CensusTrade,
}


STAGING = {
    "stg_census__trade": StgCensusTrade,
}
