"""US Census International Trade API, monthly HS imports and exports by country.

Format (api.census.gov/data/timeseries/intltrade/{imports,exports}/hs): a JSON array of arrays, every value a
string, the first row the header; predicate columns (``time``, ``COMM_LVL``, the filtered commodity) are appended
to the header, so a name can appear twice. ``time`` is a predicate, never a ``get`` variable. HTTP 204 with no
body means "no data for this query yet" (the ~2-month publication lag). A bad key is answered with an HTML page."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from orchestration.extract.errors import SourceFormatError, parse_json

SOURCE = "census"
COMMODITY_LEVEL = "HS6"


@dataclass(frozen=True)
class Flow:
    name: str
    path: str
    commodity: str  # I_COMMODITY / E_COMMODITY
    quantity_field: str
    get: tuple[str, ...]


FLOWS = {
    "imports": Flow(
        "imports", "/data/timeseries/intltrade/imports/hs", "I_COMMODITY", "GEN_QY1_MO",
        ("CTY_CODE", "CTY_NAME", "I_COMMODITY", "I_COMMODITY_SDESC", "GEN_VAL_MO", "CON_VAL_MO", "GEN_QY1_MO", "UNIT_QY1"),
    ),
    "exports": Flow(
        "exports", "/data/timeseries/intltrade/exports/hs", "E_COMMODITY", "QTY_1_MO",
        ("CTY_CODE", "CTY_NAME", "E_COMMODITY", "E_COMMODITY_SDESC", "ALL_VAL_MO", "QTY_1_MO", "UNIT_QY1"),
    ),
}
# One shape for both flows: published names where they agree, COMMODITY / QTY_1_MO where imports and exports differ.
OUTPUT_COLUMNS = [
    "record_index", "flow", "time", "CTY_CODE", "CTY_NAME", "COMMODITY", "COMMODITY_SDESC", "COMM_LVL",
    "GEN_VAL_MO", "CON_VAL_MO", "ALL_VAL_MO", "QTY_1_MO", "UNIT_QY1",
]
NUMERIC_COLUMNS = ["GEN_VAL_MO", "CON_VAL_MO", "ALL_VAL_MO", "QTY_1_MO"]


@dataclass(frozen=True)
class CensusRequest:
    flow: Flow
    commodity: str
    month: str  # YYYY-MM

    @property
    def key(self) -> str:
        return f"{self.flow.name}/{self.commodity}/{self.month}"

    def params(self, api_key: str | None) -> dict[str, str]:
        params = {"get": ",".join(self.flow.get), "time": self.month, "COMM_LVL": COMMODITY_LEVEL,
                  self.flow.commodity: self.commodity}
        if api_key:
            params["key"] = api_key
        return params


def requests_for_month(month: str, commodities: list[str], flows: list[str]) -> list[CensusRequest]:
    """One request per flow x HS6 code x month: no paging exists, so the split keeps each answer small."""
    unknown = [f for f in flows if f not in FLOWS]
    if unknown:
        raise ValueError(f"unknown Census flow(s) {unknown}; expected some of {list(FLOWS)}")
    return [CensusRequest(FLOWS[f], code, month) for f in flows for code in commodities]


def parse_response(payload: bytes, status: int, content_type: str, request: CensusRequest, name: str) -> pd.DataFrame:
    """Rows of one response in OUTPUT_COLUMNS; an empty frame for 204 (no data yet); SourceFormatError otherwise."""
    if status == 204 or not payload.strip():
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    text = payload.decode("utf-8", "replace").lstrip()
    if text.startswith("<") or "html" in (content_type or "").lower():
        excerpt = " ".join(text[:300].split())
        raise SourceFormatError(
            name, "Census answered an HTML page instead of JSON; this is what it does for an invalid or not yet "
            f"activated key (check CHOKEPOINT_CENSUS_KEY): {excerpt!r}")
    rows = parse_json(text, name)
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
        raise SourceFormatError(name, "expected a JSON array of arrays with a header row")
    header = rows[0]
    flow = request.flow
    wanted = list(flow.get) + ["time"]
    missing = [column for column in wanted if column not in header]
    if missing:
        raise SourceFormatError(name, f"header lacks {missing} (schema drift?); header is {header}", row=0, field=missing[0])
    position = {column: header.index(column) for column in wanted}  # first occurrence: predicates repeat names
    position["COMM_LVL"] = header.index("COMM_LVL") if "COMM_LVL" in header else None
    records = []
    for index, row in enumerate(rows[1:], start=1):
        if len(row) != len(header):
            raise SourceFormatError(name, f"row has {len(row)} values, header has {len(header)}", row=index)
        if row[position["time"]] != request.month:
            raise SourceFormatError(name, f"time is {row[position['time']]!r}, requested {request.month}", row=index, field="time")
        record = {
            "record_index": index - 1, "flow": flow.name, "time": row[position["time"]],
            "CTY_CODE": row[position["CTY_CODE"]], "CTY_NAME": row[position["CTY_NAME"]],
            "COMMODITY": row[position[flow.commodity]], "COMMODITY_SDESC": row[position[flow.commodity + "_SDESC"]],
            "COMM_LVL": row[position["COMM_LVL"]] if position["COMM_LVL"] is not None else COMMODITY_LEVEL,
            "UNIT_QY1": row[position["UNIT_QY1"]],
        }
        for column in NUMERIC_COLUMNS:
            source_column = flow.quantity_field if column == "QTY_1_MO" else column
            record[column] = _number(row[position[source_column]], name, index, source_column) if source_column in position else None
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=OUTPUT_COLUMNS)
    for column in NUMERIC_COLUMNS:
        frame[column] = frame[column].astype("float64")
    frame["record_index"] = frame["record_index"].astype("int64")
    return frame


def _number(value, name: str, row: int, field: str) -> float | None:
    """Census sends numbers as strings: cast explicitly, and refuse anything that is not a plain number."""
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise SourceFormatError(name, f"{field} holds {value!r}, not a number", row=row, field=field) from None
