"""Parse the critical-materials atlas's flows.parquet (data/snapshot/monthly_trade/): bytes in, the file's rows and
columns out, values as the file holds them (USD and kg as the repository converted them; nothing summed here:
each source's aggregation rule is applied once, in dbt, monthly_flows)."""

from __future__ import annotations

import io

import pandas as pd

from orchestration.extract.errors import SourceFormatError

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
