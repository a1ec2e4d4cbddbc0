"""CEPII BACI-format trade flows: the staging model of the snapshot files and the bulk folder together (their raw
tables are created and checked in DuckDB: data_contracts/bulk.py)."""

from __future__ import annotations

import pandera.ibis as pi

from data_contracts.vocabularies import (
    BACI_HS_REVISIONS,
)

SNAPSHOT = "cepii_baci"
BULK = "bulk_trade"


class StgCepiiTradeFlows(pi.DataFrameModel):
    """BACI flows from either source (FOB, thousands of USD converted to USD; tonnes). Unmapped country codes stay,
    flagged. Run on the rows loaded since its last pass (orchestration/defs/contract_checks.py), not by the generic
    staging check: at 50M bulk rows a full pass cost ~33 s of a one-year refresh (docs/BENCHMARKS.md)."""

    source = pi.Field(isin=[SNAPSHOT, BULK])
    year = pi.Field(ge=1988, le=2100)
    hs_revision = pi.Field(isin=BACI_HS_REVISIONS, nullable=True)  # bulk files carry none
    exporter_code = pi.Field(ge=0, le=999)
    importer_code = pi.Field(ge=0, le=999)
    exporter_iso3 = pi.Field(str_matches=r"^[A-Z0-9]{3}$", nullable=True)  # NULL only when unmapped
    importer_iso3 = pi.Field(str_matches=r"^[A-Z0-9]{3}$", nullable=True)
    is_unmapped_country = pi.Field(nullable=False)
    hs6 = pi.Field(str_matches=r"^\d{6}$")
    value_usd = pi.Field(ge=0)  # zero allowed in bulk files: BACI rounds small flows (data_contracts/bulk.py)
    quantity_t = pi.Field(ge=0, nullable=True)
    value_basis = pi.Field(isin=["fob_baci"])

    @pi.dataframe_check(name="a country code without ISO3 is flagged unmapped")
    def unmapped_flagged(cls, data) -> bool:
        table = data.table
        return table.is_unmapped_country | (table.exporter_iso3.notnull() & table.importer_iso3.notnull())

    @pi.dataframe_check(name="a snapshot row names its HS revision and has a positive value")
    def snapshot_rows_complete(cls, data) -> bool:
        table = data.table
        return (table.source != SNAPSHOT) | (table.hs_revision.notnull() & (table.value_usd > 0))


STAGING = {
    "stg_cepii__trade_flows": StgCepiiTradeFlows,
}
