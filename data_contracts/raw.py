"""Contracts for raw-layer DataFrames, validated before they are written to the ``raw`` schema.

They pin what each publisher promises (field presence, types, code shapes, value domains) and nothing the
source may legitimately change, such as the set of partners or years."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from data_contracts import register
from data_contracts.vocabularies import (
    CODE_BASES,
    COVERAGE_LEVELS,
    FLOWS,
    LEGAL_TYPES,
    LINK_TYPES,
    MCS_EDITIONS,
    UNTIL_READINGS,
    VERIFICATION,
    WGI_INDICATORS,
)

SHA256 = r"^[0-9a-f]{64}$"


class Lineage(pa.DataFrameModel):
    lineage_source: Series[str] = pa.Field(alias="_source", nullable=False)
    lineage_file: Series[str] = pa.Field(alias="_source_file", nullable=False)
    lineage_sha256: Series[str] = pa.Field(alias="_source_sha256", str_matches=SHA256)
    lineage_retrieved_at: Series[pd.Timestamp] = pa.Field(alias="_retrieved_at", nullable=False)
    lineage_loaded_at: Series[pd.Timestamp] = pa.Field(alias="_loaded_at", nullable=False)


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


COMTRADE_RECORD_KEY = ["period", "reporterCode", "flowCode", "partnerCode", "partner2Code", "cmdCode", "customsCode", "motCode"]
ONE_RECORD_PER_KEY = "one record per period, reporter, flow, partner, partner2, commodity, customs and transport mode"


# Comtrade's World row (partner code 0) against its partner rows, per request (period x reporter x flow x commodity
# code). These two rules used to run only downstream, in dbt, where one bad live year failed every later refresh:
# assert_comtrade_partners_sum_to_world.sql (moved here) and the accepted_range of
# int_trade__denominator_coverage.denominator_coverage (partners / World, at most 1.0001; kept in dbt for BACI).
PARTNERS_SUM_TO_WORLD = "the partners of a reporter x flow x commodity x period sum to its World row within 1 USD"
PARTNERS_WITHIN_WORLD = ("the partners of a reporter x flow x commodity x period do not exceed its World row by more "
                         "than 0.01% (import_dependency's denominator_coverage <= 1.0001)")
# fct_trade_flows.year has no fixed upper bound (it is the current year): a period after today is a faulty answer,
# and must be quarantined here rather than fail that test downstream.
NO_FUTURE_PERIOD = "the period is not after the current year (Comtrade) or month (Census)"
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
    root = Path(__file__).resolve().parents[1]
    baci = pd.read_csv(root / COUNTRY_CODES_SEED, usecols=["country_code"])["country_code"]
    areas = pd.read_csv(root / PARTNER_AREAS_SEED, usecols=["partner_code"])["partner_code"]
    return frozenset(baci.astype(int)) | frozenset(areas.astype(int))


class ComtradeLiveRecords(ComtradeRecords):
    """A live Comtrade response: everything staging relies on, beyond the snapshot's contract."""

    # A column check (not a frame check), so a failure names the field, the code and the row.
    @pa.check("reporterCode", "partnerCode", name=COMTRADE_CODES_KNOWN)
    def codes_in_reference(cls, codes: Series[int]) -> Series[bool]:
        return codes.isin(_reference_m49_codes())


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


class UsgsMcs2025RareEarths(Lineage):
    source_row: Series[int] = pa.Field(ge=2, unique=True)
    edition: Series[str] = pa.Field(isin=["MCS2025"])
    commodity: Series[str]
    year: Series[str] = pa.Field(str_matches=r"^\d{4}$")
    statistic: Series[str]
    item: Series[str] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(nullable=True)
    value: Series[str]
    is_estimate: Series[str] = pa.Field(isin=["true", "false"], nullable=True)
    note: Series[str] = pa.Field(nullable=True)
    source: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True


class UsgsMcs2025ImportSources(Lineage):
    """One row per partner of an MCS 2025 'Import sources (period)' line, share as published (a number or a token)."""

    source_row: Series[int] = pa.Field(ge=2, unique=True)
    edition: Series[str] = pa.Field(isin=["MCS2025"])
    commodity: Series[str]
    scope: Series[str]
    period: Series[str] = pa.Field(str_matches=r"^\d{4}-\d{4}$")
    partner: Series[str]
    share_pct: Series[str] = pa.Field(str_matches=r"^(\d+(\.\d+)?|<\d+|>\d+|NA|W)$")
    note: Series[str] = pa.Field(nullable=True)
    source: Series[str]

    class Config:
        strict = True



class ComtradeTwoSided(Lineage):
    """What stg_comtrade_two_sided__declarations relies on: a six-digit code kept as text, a flow it can name, a
    non-negative value on every row (the total-row rule ranks rows by it), weights non-negative where given. Keys are
    NOT unique here on purpose: the file repeats them and staging resolves them."""

    source_row: Series[int] = pa.Field(ge=2)
    year: Series[int] = pa.Field(ge=1988, le=2100)
    reporter: Series[int] = pa.Field(ge=1)
    partner: Series[int] = pa.Field(ge=0)
    cmd: Series[str] = pa.Field(str_matches=r"^\d{6}$")
    flow: Series[str] = pa.Field(isin=["M", "X"])
    value: Series[float] = pa.Field(ge=0, nullable=False)
    netwgt: Series[float] = pa.Field(ge=0, nullable=True)
    qty: Series[float] = pa.Field(nullable=True)
    qtyunit: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check(name="one row per file position")
    def unique_position(cls, frame: pd.DataFrame) -> Series[bool]:
        return ~frame.duplicated(subset=["_source_file", "source_row"], keep=False)

    class Config:
        strict = True


DATE_TEXT = r"^\d{4}-\d{2}-\d{2}$"


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


class ExportMeasures(Lineage):
    """One row per register measure; the document itself was checked by data_contracts.register."""

    measure_id: Series[str] = pa.Field(unique=True, str_matches=r"^[A-Z]{2}-[A-Z0-9-]+$")
    jurisdiction: Series[str] = pa.Field(str_matches=r"^([A-Z]{2}|WTO)$")
    issuer: Series[str]
    instrument_number: Series[str]
    title: Series[str]
    legal_type: Series[str] = pa.Field(isin=LEGAL_TYPES)
    date_announced: Series[str] = pa.Field(nullable=True, str_matches=DATE_TEXT)
    notes: Series[str] = pa.Field(nullable=True)
    register_version: Series[int] = pa.Field(ge=2)

    class Config:
        strict = True


class ExportMeasureParts(Lineage):
    measure_id: Series[str]
    part_id: Series[str] = pa.Field(str_matches=r"^[a-z0-9_.]+$")
    part_label: Series[str]
    legal_type: Series[str] = pa.Field(isin=LEGAL_TYPES)
    scope: Series[str]
    in_force_from: Series[str] = pa.Field(nullable=True, str_matches=DATE_TEXT)
    in_force_until: Series[str] = pa.Field(nullable=True, str_matches=DATE_TEXT)
    until_reading: Series[str] = pa.Field(isin=UNTIL_READINGS)
    until_as_printed: Series[str] = pa.Field(nullable=True, str_matches=DATE_TEXT)
    verification: Series[str] = pa.Field(isin=VERIFICATION)
    notes: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check(name="measure x part is unique")
    def part_unique(cls, frame: pd.DataFrame) -> Series[bool]:
        return ~frame.duplicated(["measure_id", "part_id"], keep=False)

    @pa.dataframe_check(name="in_force_until (exclusive) is after in_force_from")
    def until_after_from(cls, frame: pd.DataFrame) -> Series[bool]:
        return frame["in_force_until"].isna() | frame["in_force_from"].isna() | (frame["in_force_until"] > frame["in_force_from"])

    class Config:
        strict = True


class ExportMeasureCodes(Lineage):
    measure_id: Series[str]
    part_id: Series[str]
    code_printed: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{4,10}$")
    code_corrected: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{4,10}$")
    code_digits: Series[pd.Int64Dtype] = pa.Field(nullable=True, isin=[8, 10])
    hs6: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{6}$")
    heading: Series[str] = pa.Field(str_matches=r"^\d{4}$")
    code_basis: Series[str] = pa.Field(isin=CODE_BASES)
    coverage_level: Series[str] = pa.Field(isin=COVERAGE_LEVELS)
    elements: Series[str] = pa.Field(nullable=True)
    goods: Series[str] = pa.Field(nullable=True)
    note: Series[str] = pa.Field(nullable=True)
    ordinal: Series[int] = pa.Field(ge=0)
    commodity: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check(name="HS6 and heading are the leading digits of the (corrected) code")
    def hs6_from_code(cls, frame: pd.DataFrame) -> Series[bool]:
        code = frame["code_corrected"].fillna(frame["code_printed"])
        return code.isna() | ((code.str[:6] == frame["hs6"]) & (code.str[:4] == frame["heading"]))

    @pa.dataframe_check(name="a printed code exactly when its basis is 'printed'")
    def printed_basis(cls, frame: pd.DataFrame) -> Series[bool]:
        return frame["code_printed"].notna() == (frame["code_basis"] == "printed")

    class Config:
        strict = True


class ExportMeasureLinks(Lineage):
    measure_id: Series[str]
    part_id: Series[str] = pa.Field(nullable=True)
    link_type: Series[str] = pa.Field(isin=LINK_TYPES)
    link_value: Series[str] = pa.Field(str_length={"min_value": 1})
    link_detail: Series[str] = pa.Field(nullable=True)
    verification: Series[str] = pa.Field(nullable=True, isin=VERIFICATION)
    ordinal: Series[int] = pa.Field(ge=0)

    @pa.dataframe_check(name="source URLs say what they confirm")
    def sources_confirm(cls, frame: pd.DataFrame) -> Series[bool]:
        return (frame["link_type"] != "source_url") | frame["link_detail"].notna()

    @pa.dataframe_check(name="source URLs are URLs or repository paths")
    def sources_are_places(cls, frame: pd.DataFrame) -> Series[bool]:
        return (frame["link_type"] != "source_url") | frame["link_value"].str.fullmatch(register.SOURCE_PLACE.pattern)

    class Config:
        strict = True


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


RAW_CONTRACTS = {
    "usitc_dataweb": UsitcDataweb,
    "comtrade_records": ComtradeRecords,
    "usgs_mcs2026": UsgsMcs2026,
    "usgs_mcs2025_rare_earths": UsgsMcs2025RareEarths,
    "usgs_mcs2025_import_sources": UsgsMcs2025ImportSources,
    "comtrade_two_sided": ComtradeTwoSided,
    "wgi_snapshot": WgiSnapshot,
    "atlas_monthly_flows": AtlasMonthlyFlows,
    "export_measures": ExportMeasures,
    "export_measure_parts": ExportMeasureParts,
    "export_measure_codes": ExportMeasureCodes,
    "export_measure_links": ExportMeasureLinks,
}


# ---------------------------------------------------------------- live sources (orchestration/extract/live)

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


class FedregDocuments(Lineage):
    """Federal Register documents of the Bureau of Industry and Security: candidate policy events."""

    document_number: Series[str] = pa.Field(unique=True, str_matches=r"^[0-9A-Z-]+$")
    title: Series[str]
    type: Series[str] = pa.Field(isin=["Rule", "Proposed Rule", "Notice", "Presidential Document",
                                       "RULE", "PRORULE", "NOTICE", "PRESDOCU"])
    publication_date: Series[str] = pa.Field(str_matches=r"^\d{4}-\d{2}-\d{2}$")
    effective_on: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{4}-\d{2}-\d{2}$")
    html_url: Series[str] = pa.Field(str_matches=r"^https?://")
    abstract: Series[str] = pa.Field(nullable=True)
    request_url: Series[str] = pa.Field(alias="_request_url")

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


# Comtrade live rows come from the snapshot's own parser, so the snapshot contract applies unchanged.
LIVE_CONTRACTS = {
    "census_trade": CensusTrade,
    "comtrade_live_records": ComtradeLiveRecords,
    "comtrade_live_monthly": ComtradeLiveRecords,  # the same responses (freqCode M, period YYYYMM), the same contract
    "fedreg_documents": FedregDocuments,
    "usgs_mcs_live": UsgsMcsLive,
    "wgi_scores": WgiScores,
}
