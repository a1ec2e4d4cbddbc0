"""USITC DataWeb workbooks: the raw cells and stg_usitc__trade."""

from __future__ import annotations

import pandas as pd
import pandera.ibis as pi
import pandera.pandas as pa
from pandera.typing import Series

from data_contracts.sources.common import Lineage
from data_contracts.vocabularies import (
    FLOWS,
    PERIOD_KINDS,
)


class UsitcDataweb(Lineage):
    trade_flow: Series[str] = pa.Field(isin=["Imports For Consumption", "Domestic Exports"])
    banner: Series[str] = pa.Field(nullable=True)
    sheet_name: Series[str]
    source_row: Series[int] = pa.Field(ge=1)
    data_type: Series[str] = pa.Field(
        isin=["Customs Value", "FAS Value", "First Unit of Quantity", "Second Unit of Quantity", "Total: "]
    )
    country: Series[str] = pa.Field(nullable=True)
    hts_number: Series[str] = pa.Field(nullable=True)
    description: Series[str] = pa.Field(nullable=True)
    quantity_description: Series[str] = pa.Field(nullable=True)
    column_header: Series[str] = pa.Field(str_matches=r"^\d{4}(_Year_to_date)?(_Suppressed)?$")
    value: Series[float] = pa.Field(nullable=True, ge=0)
    download_date: Series[pd.Timestamp]

    @pa.dataframe_check(name="partner rows carry an HTS code of 4 to 10 digits")
    def hts_on_partner_rows(cls, frame: pd.DataFrame) -> Series[bool]:
        is_total = frame["data_type"].str.startswith("Total")
        return is_total | frame["hts_number"].fillna("").str.fullmatch(r"\d{4,10}")

    @pa.dataframe_check(name="partner rows name a country")
    def country_on_partner_rows(cls, frame: pd.DataFrame) -> Series[bool]:
        return frame["data_type"].str.startswith("Total") | (frame["country"].fillna("").str.len() > 0)

    class Config:
        strict = True
        coerce = False


class StgUsitcTrade(pi.DataFrameModel):
    flow = pi.Field(isin=FLOWS)
    reporter_iso3 = pi.Field(isin=["USA"])
    partner_iso3 = pi.Field(str_matches=r"^[A-Z]{3}$")
    partner_in_china_incl_hk = pi.Field(nullable=False)
    hts_code = pi.Field(str_matches=r"^\d{4,10}$")
    year = pi.Field(ge=1989, le=2100)
    period_kind = pi.Field(isin=PERIOD_KINDS)
    value = pi.Field(ge=0, nullable=True)


RAW = {
    "usitc_dataweb": UsitcDataweb,
}


STAGING = {
    "stg_usitc__trade": StgUsitcTrade,
}
