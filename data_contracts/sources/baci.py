"""CEPII BACI trade flows: the staging models of the snapshot files and of the bulk folder (their raw tables are
created and checked in DuckDB: data_contracts/bulk.py)."""

from __future__ import annotations

import pandera.ibis as pi

from data_contracts.vocabularies import (
    BACI_HS_REVISIONS,
)


class StgBaciTradeFlows(pi.DataFrameModel):
    """CEPII BACI flows (FOB, thousands of USD converted to USD; tonnes). Unmapped country codes stay, flagged."""

    year = pi.Field(ge=1995, le=2100)
    hs_revision = pi.Field(isin=BACI_HS_REVISIONS)
    exporter_code = pi.Field(ge=0, le=999)
    importer_code = pi.Field(ge=0, le=999)
    exporter_iso3 = pi.Field(str_matches=r"^[A-Z0-9]{3}$", nullable=True)  # NULL only when unmapped
    importer_iso3 = pi.Field(str_matches=r"^[A-Z0-9]{3}$", nullable=True)
    is_unmapped_country = pi.Field(nullable=False)
    hs6 = pi.Field(str_matches=r"^\d{6}$")
    value_usd = pi.Field(gt=0)
    quantity_t = pi.Field(ge=0, nullable=True)
    value_basis = pi.Field(isin=["fob_baci"])

    @pi.dataframe_check(name="a country code without ISO3 is flagged unmapped")
    def unmapped_flagged(cls, data) -> bool:
        table = data.table
        return table.is_unmapped_country | (table.exporter_iso3.notnull() & table.importer_iso3.notnull())


class StgBulkTradeFlows(pi.DataFrameModel):
    """Bulk trade source (CEPII BACI-shaped); a view over raw, so this runs on the raw rows in DuckDB.

    Not in STAGING_CONTRACTS: orchestration/defs/contract_checks.py runs it on its own, and passes an empty view without asking
    pandera, whose ibis backend (0.35) fails every check on an empty table (the source is empty unless
    CHOKEPOINT_BULK_TRADE_DIR is set)."""

    year = pi.Field(ge=1988, le=2100)
    exporter_iso3 = pi.Field(str_matches=r"^[A-Z]{3}$", nullable=True)
    importer_iso3 = pi.Field(str_matches=r"^[A-Z]{3}$", nullable=True)
    hs6 = pi.Field(str_matches=r"^\d{6}$")
    value_usd = pi.Field(ge=0)
    quantity_t = pi.Field(ge=0, nullable=True)


STAGING = {
    "stg_baci__trade_flows": StgBaciTradeFlows,
}
