"""USGS Mineral Commodity Summaries: the MCS 2026 release (snapshot and live editions), the MCS 2025 rare-earth
transcriptions, and their staging models."""

from __future__ import annotations

import pandas as pd
import pandera.ibis as pi
import pandera.pandas as pa
from pandera.typing import Series

from data_contracts.sources.common import Lineage
from data_contracts.vocabularies import (
    MCS_EDITIONS,
    USGS_TOKEN_KINDS,
)

# Rows of the official MCS 2026 release that are malformed at the source. Listed so the contract
# accepts exactly these and still fails on any new defect; staging reads them with this in mind.
MCS2026_MISALIGNED_ROWS = {
    8533: "YTTRIUM, World total 2025: the Notes cell is missing, so 'Yes' and 'Yttrium' shift one field left",
}


# Moved up from dbt: net_import_reliance.nir_pct_published has accepted_range 0..100; a value out of it in one edition's CSV
# failed the marts of every later refresh.
NIR_IS_A_PERCENTAGE = "a net import reliance figure is a percentage of 0..100 (or a token)"


# Moved up from dbt: net_import_reliance.value_kind accepts the tokens USGS prints on purpose (a new token must be
# read by a human before it reaches a mart), and net_import_reliance.year is bounded to 2000..2030. One edition with
# a new token or a stray year failed every later refresh; now that edition is quarantined. The token list mirrors
# what the usgs_value_kind macro (dbt_project/macros/usgs_tokens.sql) maps to var('nir_value_kinds');
# tests/unit/test_raw_contracts.py checks the two agree on every token USGS printed.
NIR_KNOWN_TOKENS = "a net import reliance figure is a number, a bound (>n, <n) or a token USGS uses (E, W, NA, s, dashes)"


NIR_TOKENS = frozenset({"E", "W", "NA", "s", "—", "--", "–"})


_NIR_NUMBER = r"^[<>]?\s*([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?$"


NIR_YEARS_IN_RANGE = "a net import reliance figure is for a year in 2000..2030"


NIR_YEARS = (2000, 2030)


# Moved up from dbt: the share, HHI and producer-count ranges of int_supply__production_shares and
# supply_concentration hold when no listed country produces more than its table's World total and no figure is
# negative; one edition breaking either failed every later refresh.
PRODUCTION_WITHIN_WORLD = ("a production figure is not negative and no country's exceeds the World total of its "
                           "commodity, table and year")


def _is_nir(frame: pd.DataFrame) -> pd.Series:
    return frame["statistics"].str.strip().str.lower() == "net import reliance"


def _usgs_number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.fillna("").str.replace(r"[,<>\s]", "", regex=True), errors="coerce")


class UsgsMcs2026(Lineage):
    source_row: Series[int] = pa.Field(ge=2, unique=True)
    mcs_chapter: Series[str]
    section: Series[str]
    commodity: Series[str]
    country: Series[str] = pa.Field(nullable=True)
    statistics: Series[str]
    statistics_detail: Series[str] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(nullable=True)
    year: Series[str] = pa.Field(str_matches=r"^\d{4}([–-]\d{2,4})?$")
    value: Series[str] = pa.Field(nullable=True)
    notes: Series[str] = pa.Field(nullable=True)
    is_critical_mineral_2025: Series[str] = pa.Field(nullable=True)
    other_notes: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check(name=NIR_IS_A_PERCENTAGE)
    def nir_is_a_percentage(cls, frame: pd.DataFrame) -> Series[bool]:
        number = _usgs_number(frame["value"])
        return ~_is_nir(frame) | number.isna() | number.between(0, 100)

    @pa.dataframe_check(name=NIR_KNOWN_TOKENS)
    def nir_known_tokens(cls, frame: pd.DataFrame) -> Series[bool]:
        token = frame["value"].fillna("NA").str.strip()
        return ~_is_nir(frame) | token.isin(NIR_TOKENS) | token.str.match(_NIR_NUMBER)

    @pa.dataframe_check(name=NIR_YEARS_IN_RANGE)
    def nir_years_in_range(cls, frame: pd.DataFrame) -> Series[bool]:
        first_year = pd.to_numeric(frame["year"].str[:4], errors="coerce")
        return ~_is_nir(frame) | first_year.between(*NIR_YEARS)

    @pa.dataframe_check(name=PRODUCTION_WITHIN_WORLD)
    def production_within_world(cls, frame: pd.DataFrame) -> Series[bool]:
        is_production = frame["statistics"].str.strip().str.lower() == "production"
        number = _usgs_number(frame["value"]).where(is_production)
        is_world = frame["country"].fillna("").str.strip().str.lower() == "world total"
        # USGS prints the World total of a table under its detail plus ': rounded' ('Smelter production: rounded')
        table = frame["statistics_detail"].fillna("").str.replace(r":\s*rounded$", "", regex=True)
        keys = [frame["commodity"], table, frame["year"]]
        world = number.where(is_world).groupby(keys, dropna=False).transform("max")
        return number.isna() | (number.ge(0) & (is_world | world.isna() | number.le(world)))

    @pa.dataframe_check(name="is_critical_mineral_2025 is Yes or No (known misaligned source rows excepted)")
    def critical_flag_domain(cls, frame: pd.DataFrame) -> Series[bool]:
        known = frame["source_row"].isin(list(MCS2026_MISALIGNED_ROWS))
        return known | frame["is_critical_mineral_2025"].isna() | frame["is_critical_mineral_2025"].isin(["Yes", "No"])

    class Config:
        strict = True


class Mcs2025Transcription(Lineage):
    """What every hand transcription of an MCS 2025 chapter table carries: its row, the edition, the commodity, a note."""

    source_row: Series[int] = pa.Field(ge=2, unique=True)
    edition: Series[str] = pa.Field(isin=["MCS2025"])
    commodity: Series[str]
    note: Series[str] = pa.Field(nullable=True)


class UsgsMcs2025RareEarths(Mcs2025Transcription):
    year: Series[str] = pa.Field(str_matches=r"^\d{4}$")
    statistic: Series[str]
    item: Series[str] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(nullable=True)
    value: Series[str]
    is_estimate: Series[str] = pa.Field(isin=["true", "false"], nullable=True)
    source: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True


class UsgsMcs2025ImportSources(Mcs2025Transcription):
    """One row per partner of an MCS 2025 'Import sources (period)' line, share as published (a number or a token)."""

    scope: Series[str]
    period: Series[str] = pa.Field(str_matches=r"^\d{4}-\d{4}$")
    partner: Series[str]
    share_pct: Series[str] = pa.Field(str_matches=r"^(\d+(\.\d+)?|<\d+|>\d+|NA|W)$")
    source: Series[str]

    class Config:
        strict = True


class UsgsMcsLive(UsgsMcs2026):
    """An MCS data release fetched from ScienceBase (one edition per partition), in the MCS 2026 layout."""

    # stg_usgs__mcs_statistics tests edition against the same vocabulary: an edition outside it failed dbt.
    edition: Series[str] = pa.Field(isin=[str(edition) for edition in MCS_EDITIONS])
    item_id: Series[str] = pa.Field(str_length={"min_value": 1})
    item_title: Series[str] = pa.Field(nullable=True)
    request_url: Series[str] = pa.Field(alias="_request_url")

    class Config:
        strict = True


class StgUsgsMcsStatistics(pi.DataFrameModel):
    edition = pi.Field(isin=MCS_EDITIONS)
    commodity = pi.Field(str_matches=r"^[a-z0-9_]+$")


# The tokens USGS prints in its tables, as stg_usgs__* classify them (macros/usgs_tokens.sql); 'unparsed' is not in
# the vocabulary: a token staging cannot classify must stop the build, not reach a mart as a silent NULL.
USGS_VALUE_KINDS = list(USGS_TOKEN_KINDS)


class StgUsgsMcs2025ImportSources(pi.DataFrameModel):
    edition = pi.Field(isin=[2025])
    commodity = pi.Field(str_matches=r"^[a-z0-9_]+$")
    year_start = pi.Field(ge=1990, le=2100)
    year_end = pi.Field(ge=1990, le=2100)
    partner_published = pi.Field(nullable=False)
    value_kind = pi.Field(isin=USGS_VALUE_KINDS)
    value_numeric = pi.Field(ge=0, le=100, nullable=True)  # a percentage share

    @pi.dataframe_check(name="a pooled period starts no later than it ends")
    def period_order(cls, data) -> bool:
        return data.table.year_start <= data.table.year_end


RAW = {
    "usgs_mcs2026": UsgsMcs2026,
    "usgs_mcs2025_rare_earths": UsgsMcs2025RareEarths,
    "usgs_mcs2025_import_sources": UsgsMcs2025ImportSources,
}


LIVE = {
    "usgs_mcs_live": UsgsMcsLive,
}


STAGING = {
    "stg_usgs__mcs_statistics": StgUsgsMcsStatistics,
    "stg_usgs__mcs2025_import_sources": StgUsgsMcs2025ImportSources,
}
