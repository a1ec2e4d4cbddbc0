"""The export-control measures register (data_contracts/register.py checks the document itself): its four tables and
their staging models."""

from __future__ import annotations

import pandas as pd
import pandera.ibis as pi
import pandera.pandas as pa
from pandera.typing import Series

from data_contracts import register
from data_contracts.expressions import same_truth
from data_contracts.sources.common import DATE_TEXT, Lineage
from data_contracts.vocabularies import (
    CODE_BASES,
    COVERAGE_LEVELS,
    GOODS_LEGAL_TYPES,
    LEGAL_TYPES,
    LINK_TYPES,
    UNTIL_READINGS,
    VERIFICATION,
)


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


class StgRegisterMeasures(pi.DataFrameModel):
    """One row per measure: the key is the model's dbt test (`unique` on measure_id), not restated here."""

    jurisdiction_iso3 = pi.Field(str_matches=r"^[A-Z]{3}$", nullable=True)  # NULL: a WTO ruling
    legal_type = pi.Field(isin=LEGAL_TYPES)


class StgRegisterMeasureParts(pi.DataFrameModel):
    legal_type = pi.Field(isin=LEGAL_TYPES)
    restricts_goods = pi.Field(nullable=False)
    until_reading = pi.Field(isin=UNTIL_READINGS)

    @pi.dataframe_check(name="only licence requirements and export bans restrict goods")
    def goods_types(cls, data) -> bool:
        table = data.table
        return same_truth(table.restricts_goods, table.legal_type.isin(GOODS_LEGAL_TYPES))


class StgRegisterMeasureCodes(pi.DataFrameModel):
    hs6 = pi.Field(str_matches=r"^\d{6}$", nullable=True)
    match_prefix = pi.Field(str_matches=r"^(\d{4}|\d{6})$")
    coverage_level = pi.Field(isin=COVERAGE_LEVELS)


class StgRegisterMeasureLinks(pi.DataFrameModel):
    link_type = pi.Field(isin=LINK_TYPES)


RAW = {
    "export_measures": ExportMeasures,
    "export_measure_parts": ExportMeasureParts,
    "export_measure_codes": ExportMeasureCodes,
    "export_measure_links": ExportMeasureLinks,
}


STAGING = {
    "stg_register__measures": StgRegisterMeasures,
    "stg_register__measure_parts": StgRegisterMeasureParts,
    "stg_register__measure_codes": StgRegisterMeasureCodes,
    "stg_register__measure_links": StgRegisterMeasureLinks,
}
