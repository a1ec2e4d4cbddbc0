"""UN Comtrade v1 API responses (``/data/v1/get`` and ``/public/v1/preview``): ``{"count", "data", "error"}``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd

from orchestration.extract.errors import SourceFormatError
from orchestration.extract.lineage import with_lineage
from orchestration.extract.registry import raw_table
from orchestration.extract.snapshot import files_under

# The 47 record fields of the v1 API, in the order the API returns them.
RECORD_FIELDS = [
    "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode", "reporterISO",
    "reporterDesc", "flowCode", "flowDesc", "partnerCode", "partnerISO", "partnerDesc", "partner2Code",
    "partner2ISO", "partner2Desc", "classificationCode", "classificationSearchCode", "isOriginalClassification",
    "cmdCode", "cmdDesc", "aggrLevel", "isLeaf", "customsCode", "customsDesc", "mosCode", "motCode", "motDesc",
    "qtyUnitCode", "qtyUnitAbbr", "qty", "isQtyEstimated", "altQtyUnitCode", "altQtyUnitAbbr", "altQty",
    "isAltQtyEstimated", "netWgt", "isNetWgtEstimated", "grossWgt", "isGrossWgtEstimated", "cifvalue", "fobvalue",
    "primaryValue", "legacyEstimationFlag", "isReported", "isAggregate",
]
REQUIRED_FIELDS = ["refYear", "period", "reporterCode", "flowCode", "partnerCode", "cmdCode", "primaryValue"]
# Declared types, so a year in which a field is null everywhere still lands with the same column type.
# Codes stay text: HS codes keep leading zeros and period may be YYYYMM.
FLOAT_FIELDS = {"qty", "altQty", "netWgt", "grossWgt", "cifvalue", "fobvalue", "primaryValue"}
INTEGER_FIELDS = {"refPeriodId", "refYear", "refMonth", "reporterCode", "partnerCode", "partner2Code", "aggrLevel",
                  "motCode", "qtyUnitCode", "altQtyUnitCode", "legacyEstimationFlag"}
BOOLEAN_FIELDS = {"isOriginalClassification", "isLeaf", "isQtyEstimated", "isAltQtyEstimated", "isNetWgtEstimated",
                  "isGrossWgtEstimated", "isReported", "isAggregate"}


def parse_response(payload: bytes, file_name: str) -> pd.DataFrame:
    """One row per record, every API field kept; raises SourceFormatError naming the record and field."""
    try:
        document = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(file_name, f"response is not valid JSON ({exc.msg} at char {exc.pos})") from exc
    if not isinstance(document, dict) or "data" not in document:
        raise SourceFormatError(file_name, "response has no 'data' member", field="data")
    if document.get("error"):
        raise SourceFormatError(file_name, f"API reported an error: {document['error']}", field="error")
    records = document["data"]
    if not isinstance(records, list):
        raise SourceFormatError(file_name, "'data' is not a list", field="data")
    declared = document.get("count")
    if declared is not None and declared != len(records):
        raise SourceFormatError(file_name, f"'count' says {declared} records but 'data' holds {len(records)}", field="count")
    for index, record in enumerate(records):
        missing = [field for field in REQUIRED_FIELDS if field not in record]
        if missing:
            raise SourceFormatError(file_name, f"record lacks {missing}", row=index, field=missing[0])
    frame = pd.DataFrame.from_records(records, columns=RECORD_FIELDS)
    for field in RECORD_FIELDS:
        frame[field] = _typed(frame[field], field, file_name)
    frame.insert(0, "record_index", range(len(frame)))
    return frame


def _typed(column: pd.Series, field: str, file_name: str) -> pd.Series:
    try:
        if field in FLOAT_FIELDS:
            return pd.to_numeric(column, errors="raise").astype("float64")
        if field in INTEGER_FIELDS:
            return pd.to_numeric(column, errors="raise").astype("Int64")
        if field in BOOLEAN_FIELDS:
            return column.astype("boolean")
    except (ValueError, TypeError) as exc:
        bad = next((i for i, v in column.items() if v is not None and not isinstance(v, (int, float, bool))), None)
        raise SourceFormatError(file_name, f"{field} holds {column.get(bad)!r}, not the documented type ({exc})", row=bad, field=field) from exc
    return column.astype("string")


# The snapshot loader, beside the parser it calls; @raw_table registers it (orchestration/extract/registry.py).

COMTRADE_FOLDER = "comtrade/china_imports_2846"


@raw_table("comtrade_records", "UN Comtrade v1 records as the API returns them: China (156) imports of HS 2846 by "
           "partner, 1993-2024.", {"json"})
def load_comtrade_records() -> pd.DataFrame:
    """Responses are matched to the request URL and retrieval time the downloader recorded in manifest.json."""
    responses = [e for e in files_under(COMTRADE_FOLDER, ".json") if Path(e.relative_name).stem.isdigit()]
    download_log = {
        item["file"]: item
        for item in json.loads(next(e for e in files_under(COMTRADE_FOLDER, "manifest.json")).read_verified())["files"]
    }
    frames = []
    for entry in responses:
        name = Path(entry.relative_name).name
        logged = download_log.get(name, {})
        records = parse_response(entry.read_verified(), entry.relative_name)
        records["_request_url"] = logged.get("url")
        retrieved = datetime.fromisoformat(logged["retrieved_at"].replace("Z", "+00:00")) if "retrieved_at" in logged else entry.retrieved_at
        frames.append(with_lineage(records, source="un_comtrade", source_file=entry.relative_name,
                                   sha256=entry.sha256, retrieved_at=retrieved))
    return pd.concat(frames, ignore_index=True)
