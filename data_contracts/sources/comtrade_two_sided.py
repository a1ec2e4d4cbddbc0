"""UN Comtrade annual records as each reporter declares them, and the declarations staging resolves."""

from __future__ import annotations

import pandas as pd
import pandera.ibis as pi
import pandera.pandas as pa
from pandera.typing import Series

from data_contracts.expressions import same_truth
from data_contracts.sources.common import Lineage
from data_contracts.vocabularies import (
    COMTRADE_PARTNER_KINDS,
    DECLARATION_SOURCES,
    TOTAL_ROW_RULES,
)


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


class StgComtradeTwoSidedDeclarations(pi.DataFrameModel):
    """One declaration per key, its total row chosen by the largest-value rule; an unresolved key carries no value."""

    year = pi.Field(ge=1988, le=2100)
    reporter_code = pi.Field(ge=1, le=999)
    partner_code = pi.Field(ge=0, le=999)
    partner_kind = pi.Field(isin=COMTRADE_PARTNER_KINDS)
    hs6 = pi.Field(str_matches=r"^\d{6}$")
    flow = pi.Field(isin=["M", "X"])
    total_row_rule = pi.Field(isin=TOTAL_ROW_RULES)
    is_resolved = pi.Field(nullable=False)
    rows_published = pi.Field(ge=1)
    value_usd = pi.Field(ge=0, nullable=True)
    largest_row_value_usd = pi.Field(ge=0)
    naive_sum_usd = pi.Field(ge=0)
    declaration_source = pi.Field(isin=DECLARATION_SOURCES)

    @pi.dataframe_check(name="a resolved declaration has a value, an unresolved one none")
    def value_iff_resolved(cls, data) -> bool:
        table = data.table
        return same_truth(table.is_resolved, table.value_usd.notnull())

    @pi.dataframe_check(name="the chosen row never exceeds the naive sum")
    def total_within_sum(cls, data) -> bool:
        table = data.table
        return table.largest_row_value_usd <= table.naive_sum_usd * 1.000001


RAW = {
    "comtrade_two_sided": ComtradeTwoSided,
}


STAGING = {
    "stg_comtrade_two_sided__declarations": StgComtradeTwoSidedDeclarations,
}
