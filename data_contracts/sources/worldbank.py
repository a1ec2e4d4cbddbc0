"""World Bank Worldwide Governance Indicators: the shipped DataBank file, the live API, stg_worldbank__wgi."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import pandera.ibis as pi
import pandera.pandas as pa
from pandera.typing import Series

from data_contracts.sources.common import Lineage
from data_contracts.vocabularies import (
    WGI_INDICATORS,
    WGI_SOURCES,
)


class WgiSnapshot(Lineage):
    """WGI estimates from the shipped DataBank file, long layout of the live loader (orchestration/extract/worldbank_wgi)."""

    indicator_id: Series[str] = pa.Field(isin=WGI_INDICATORS)
    indicator_name: Series[str]
    country_iso3: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$")
    country_name: Series[str]
    year: Series[str] = pa.Field(str_matches=r"^(199[6-9]|20\d{2})$")
    value: Series[float] = pa.Field(ge=-3.5, le=3.5)

    @pa.dataframe_check(name="one estimate per indicator, country and year")
    def unique_estimate(cls, frame: pd.DataFrame) -> pd.Series:
        return ~frame.duplicated(["indicator_id", "country_iso3", "year"], keep=False)

    class Config:
        strict = True


# int_supply__governance averages a country-year's six estimates and tests the mean at -3..3 (and its scaled
# score at -1..11): estimates each within -3.5..3.5 can still average out of it, from World Bank rows alone.
WGI_MEAN_IN_RANGE = "the mean of a country-year's six WGI estimates is within -3..3 (int_supply__governance.wgi_mean)"


WGI_MEAN_BOUND = 3.0


def _wgi_mean_in_range(frame: pd.DataFrame) -> pd.Series:
    keys = [frame["country_iso3"], frame["year"]]
    # staging drops empty estimates before int_supply__governance counts and averages them
    indicators = frame["indicator_id"].where(frame["value"].notna()).groupby(keys).transform("nunique")
    mean = frame["value"].astype("float64").groupby(keys).transform("mean")
    return (indicators < len(WGI_INDICATORS)) | mean.isna() | mean.between(-WGI_MEAN_BOUND, WGI_MEAN_BOUND)


class WgiScores(pa.DataFrameModel):
    """WGI estimates from the World Bank API v2 (live mode), checked before they replace raw.wgi_scores.

    The API answer has no file to hash, so no sha256: _source_file names the request."""

    indicator_id: Series[str] = pa.Field(isin=WGI_INDICATORS)
    indicator_name: Series[str] = pa.Field(nullable=True)
    country_iso3: Series[str] = pa.Field(str_matches=r"^[A-Z0-9]{3}$")  # countries and World Bank aggregates (WLD)
    country_name: Series[str] = pa.Field(nullable=True)
    year: Series[str] = pa.Field(str_matches=r"^(199[6-9]|20\d{2})$")
    value: Series[float] = pa.Field(ge=-3.5, le=3.5, nullable=True)
    lineage_source: Series[str] = pa.Field(alias="_source")
    lineage_file: Series[str] = pa.Field(alias="_source_file")
    # fetch_wgi stamps both in UTC (timezone-aware), as the landing store does.
    lineage_retrieved_at: Series[Annotated[pd.DatetimeTZDtype, "ns", "UTC"]] = pa.Field(alias="_retrieved_at")
    lineage_loaded_at: Series[Annotated[pd.DatetimeTZDtype, "ns", "UTC"]] = pa.Field(alias="_loaded_at")

    @pa.dataframe_check(name="one estimate per indicator, country and year")
    def unique_estimate(cls, frame: pd.DataFrame) -> pd.Series:
        return ~frame.duplicated(["indicator_id", "country_iso3", "year"], keep=False)

    @pa.dataframe_check(name=WGI_MEAN_IN_RANGE)
    def mean_in_range(cls, frame: pd.DataFrame) -> pd.Series:
        return _wgi_mean_in_range(frame)

    class Config:
        strict = True


class StgWorldbankWgi(pi.DataFrameModel):
    """WGI estimates, live rows where fetched, else the shipped snapshot (wgi_source says which)."""

    indicator_id = pi.Field(isin=WGI_INDICATORS)
    country_iso3 = pi.Field(str_matches=r"^[A-Z]{3}$")
    year = pi.Field(ge=1996, le=2100)
    estimate = pi.Field(ge=-3.5, le=3.5)  # WGI estimates are standard-normal units, about -2.5 to 2.5
    wgi_source = pi.Field(isin=WGI_SOURCES)


RAW = {
    "wgi_snapshot": WgiSnapshot,
}


LIVE = {
    "wgi_scores": WgiScores,
}


STAGING = {
    "stg_worldbank__wgi": StgWorldbankWgi,
}
