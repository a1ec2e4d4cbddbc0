"""What several sources' contracts share: the lineage columns every loader adds, and patterns more than one
source's rules use."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

SHA256 = r"^[0-9a-f]{64}$"


class Lineage(pa.DataFrameModel):
    lineage_source: Series[str] = pa.Field(alias="_source", nullable=False)
    lineage_file: Series[str] = pa.Field(alias="_source_file", nullable=False)
    lineage_sha256: Series[str] = pa.Field(alias="_source_sha256", str_matches=SHA256)
    lineage_retrieved_at: Series[pd.Timestamp] = pa.Field(alias="_retrieved_at", nullable=False)
    lineage_loaded_at: Series[pd.Timestamp] = pa.Field(alias="_loaded_at", nullable=False)


# fct_trade_flows.year has no fixed upper bound (it is the current year): a period after today is a faulty answer,
# and must be quarantined here rather than fail that test downstream.
NO_FUTURE_PERIOD = "the period is not after the current year (Comtrade) or month (Census)"
DATE_TEXT = r"^\d{4}-\d{2}-\d{2}$"
ISO3_OR_COMTRADE_AREA = r"^[A-Z_][A-Z0-9]{1,2}$"  # ISO3, or Comtrade's own area codes such as S19, X2, _X
