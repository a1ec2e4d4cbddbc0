"""Monthly reported trade compiled by the critical-materials atlas (UK HMRC, Brazil ComexStat) and
stg_atlas__monthly_flows."""

from __future__ import annotations

import pandas as pd
import pandera.ibis as pi
import pandera.pandas as pa
from pandera.typing import Series

from data_contracts.sources.common import Lineage
from data_contracts.vocabularies import (
    FLOWS,
    MONTHLY_TRADE_SOURCES,
)


class AtlasMonthlyFlows(Lineage):
    """Varcolacus/critical-materials-atlas flows.parquet as copied: what the file promises per row, not which
    partners or months it holds. Keys repeat by design (HMRC, Eurostat: data/snapshot README of monthly_trade), so
    no uniqueness here; monthly_flows applies each source's aggregation rule."""

    source: Series[str] = pa.Field(isin=["hmrc", "comexstat", "comtrade", "uscensus", "eurostat", "baci", "mirror"])
    freq: Series[str] = pa.Field(isin=["M", "A"])
    period: Series[int] = pa.Field(ge=1900, le=299912)
    reporter: Series[str] = pa.Field(str_matches=r"^[A-Z0-9]{3}$")
    reporter_name: Series[str] = pa.Field(nullable=True)
    # 'n/a' = HMRC's "Confidential Country"
    partner: Series[str] = pa.Field(str_matches=r"^([A-Z0-9_]{3}|n/a)$")
    partner_name: Series[str] = pa.Field(nullable=True)
    flow: Series[str] = pa.Field(isin=FLOWS)
    hs6: Series[str] = pa.Field(str_matches=r"^\d{6}$")
    # Eurostat's 'XX' suffix: a CN8 line it does not publish (confidential), kept as printed
    native_code: Series[str] = pa.Field(str_matches=r"^\d{6}(\d{2}|XX|\d{4})?$")
    code_level: Series[int] = pa.Field(isin=[6, 8, 10])
    material: Series[str] = pa.Field(nullable=True)
    value_usd: Series[float] = pa.Field(ge=0, nullable=True)
    qty_kg: Series[float] = pa.Field(ge=0, nullable=True)
    is_mirror: Series[bool]
    via_entrepot: Series[bool] = pa.Field(nullable=True)
    confidential: Series[bool] = pa.Field(nullable=True)
    partner_group: Series[bool] = pa.Field(nullable=True)

    @pa.dataframe_check(name="a monthly row's period is YYYYMM with a month 1-12, an annual row's a year")
    def period_matches_freq(cls, frame: pd.DataFrame) -> Series[bool]:
        monthly = (frame["freq"] == "M") & (frame["period"] // 100).between(1900, 2999) & (frame["period"] % 100).between(1, 12)
        annual = (frame["freq"] == "A") & frame["period"].between(1900, 2999)
        return monthly | annual

    @pa.dataframe_check(name="the native code begins with its HS6")
    def native_code_extends_hs6(cls, frame: pd.DataFrame) -> Series[bool]:
        return frame["native_code"].str[:6] == frame["hs6"]

    class Config:
        strict = True


class StgAtlasMonthlyFlows(pi.DataFrameModel):
    """Monthly rows compiled by the critical-materials atlas; keys repeat (the grain test adds declaration_number)."""

    source = pi.Field(isin=MONTHLY_TRADE_SOURCES)
    reporter_iso3 = pi.Field(str_matches=r"^[A-Z]{3}$")
    partner_code = pi.Field(str_matches=r"^([A-Z0-9_]{3}|n/a)$")
    flow = pi.Field(isin=FLOWS)
    native_code = pi.Field(str_matches=r"^\d{6}(\d{2}|XX|\d{4})?$")
    hs6 = pi.Field(str_matches=r"^\d{6}$")
    year = pi.Field(ge=2000, le=2100)
    month = pi.Field(ge=1, le=12)
    value_usd = pi.Field(ge=0, nullable=True)
    qty_kg = pi.Field(ge=0, nullable=True)

    @pi.dataframe_check(name="the native code begins with its HS6")
    def native_extends_hs6(cls, data) -> bool:
        return data.table.native_code.substr(0, 6) == data.table.hs6


RAW = {
    "atlas_monthly_flows": AtlasMonthlyFlows,
}


STAGING = {
    "stg_atlas__monthly_flows": StgAtlasMonthlyFlows,
}
