"""Parse the critical-materials atlas's flows.parquet (data/snapshot/monthly_trade/): bytes in, the file's rows and
columns out, values as the file holds them (USD and kg as the repository converted them; nothing summed here:
each source's aggregation rule is applied once, in dbt, monthly_flows)."""

from __future__ import annotations

import io

import pandas as pd

from orchestration.extract.errors import SourceFormatError
from orchestration.extract.registry import parsed, raw_table
from orchestration.extract.snapshot import files_under

COLUMNS = ("source", "freq", "period", "reporter", "reporter_name", "partner", "partner_name", "flow", "hs6",
           "native_code", "code_level", "material", "value_usd", "qty_kg", "is_mirror", "via_entrepot",
           "confidential", "partner_group")


def read_flows(payload: bytes, name: str) -> pd.DataFrame:
    frame = pd.read_parquet(io.BytesIO(payload))
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise SourceFormatError(f"{name}: columns missing: {missing}")
    frame = frame.loc[:, list(COLUMNS)].reset_index(drop=True)
    # parquet stores these as int32; the warehouse's integers are 64-bit (values unchanged)
    return frame.astype({"period": "int64", "code_level": "int64"})


# The snapshot loader, beside the parser it calls; @raw_table registers it (orchestration/extract/registry.py).

@raw_table("atlas_monthly_flows", "Monthly reported trade by partner with quantities (UK HMRC 2024-06..2026-06, Brazil "
           "Comex Stat 2025-01..2026-07, single months of UN Comtrade, US Census and Eurostat; also BACI 2024 and the "
           "repository's 'mirror' rows, kept raw and never read as data) from Varcolacus/critical-materials-atlas "
           "flows.parquet, rows unchanged.", {"parquet"})
def load_atlas_monthly_flows() -> pd.DataFrame:
    (entry,) = files_under("monthly_trade", "parquet")
    return parsed(entry, read_flows, "critical_materials_atlas")
