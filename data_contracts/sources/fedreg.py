"""Federal Register documents of the Bureau of Industry and Security (live) and stg_fedreg__documents."""

from __future__ import annotations

import pandera.ibis as pi
import pandera.pandas as pa
from pandera.typing import Series

from data_contracts.sources.common import Lineage


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


class StgFedregDocuments(pi.DataFrameModel):
    """BIS documents from the Federal Register (live source; empty until fetched): candidate policy events. One row
    per document number: the model's dbt test (`unique`), not restated here."""

    document_number = pi.Field(str_matches=r"^[0-9A-Z-]+$")
    title = pi.Field(nullable=False)
    document_type = pi.Field(nullable=False)
    publication_date = pi.Field(nullable=False)
    html_url = pi.Field(str_matches=r"^https?://")


LIVE = {
    "fedreg_documents": FedregDocuments,
}


STAGING = {
    "stg_fedreg__documents": StgFedregDocuments,
}
