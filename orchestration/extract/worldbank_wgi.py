"""World Bank API v2 -> Worldwide Governance Indicators estimates (values unchanged).

Response format (https://api.worldbank.org/v2/country/all/indicator/GE.EST?format=json&date=2020:2023&page=1):
a 2-element JSON array ``[{"page", "pages", "per_page", "total", ...}, [record, ...]]`` where a record is
``{"indicator": {"id", "value"}, "country": {"id", "value"}, "countryiso3code", "date", "value", ...}``.
Pure parsing: the pages are fetched and landed by orchestration/extract/live/worldbank.py."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

from data_contracts.vocabularies import WGI_INDICATORS  # the vocabulary's home; re-exported for the WGI extract
from orchestration import settings
from orchestration.extract.registry import parsed, raw_table
from orchestration.extract.snapshot import files_under

SOURCE = "worldbank_wgi"
COLUMNS = ["indicator_id", "indicator_name", "country_iso3", "country_name", "year", "value"]


class WorldBankFormatError(ValueError):
    """The response is not the documented [page-info, records] array."""


def base_url() -> str:
    return settings.base_url("worldbank")


def parse_page(body: bytes, url: str) -> tuple[dict, list[dict]]:
    try:
        payload = json.loads(body)
    except json.JSONDecodeError as exc:
        raise WorldBankFormatError(f"{SOURCE}: {url} did not return JSON ({exc.msg} at char {exc.pos}); "
                                   f"body starts {body[:120]!r}") from exc
    if isinstance(payload, list) and len(payload) == 1 and isinstance(payload[0], dict) and "message" in payload[0]:
        raise WorldBankFormatError(f"{SOURCE}: {url} returned an API error: {payload[0]['message']}")
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], dict)
            and (payload[1] is None or isinstance(payload[1], list))):
        raise WorldBankFormatError(f"{SOURCE}: {url} is not a [page-info, records] array: {str(payload)[:120]}")
    info, records = payload
    for key in ("page", "pages"):
        if key not in info:
            raise WorldBankFormatError(f"{SOURCE}: {url} page info lacks '{key}': {info}")
    return info, records or []


def rows_of(records: list[dict]) -> list[dict]:
    return [
        {
            "indicator_id": (record.get("indicator") or {}).get("id"),
            "indicator_name": (record.get("indicator") or {}).get("value"),
            "country_iso3": record.get("countryiso3code") or "",
            "country_name": (record.get("country") or {}).get("value"),
            "year": str(record.get("date")),
            "value": record.get("value"),
        }
        for record in records
    ]


def wgi_frame(rows: list[dict], source_file: str, retrieved_at: datetime) -> pd.DataFrame:
    """Parsed records (``rows_of`` each page) -> the raw layout, values unchanged, with lineage columns."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["value"] = pd.to_numeric(frame["value"], errors="raise").astype("float64")
    frame["_source"] = SOURCE
    frame["_source_file"] = source_file
    # A datetime scalar makes a microsecond column in pandas 2; the raw contract (and every other raw table) is ns.
    frame["_retrieved_at"] = pd.Series(retrieved_at, index=frame.index, dtype="datetime64[ns, UTC]")
    return frame


def read_wgi_databank_csv(payload: bytes, file_name: str) -> pd.DataFrame:
    """WGIData.csv as the World Bank DataBank exports it (UTF-8 with BOM; one row per country x indicator, one column
    per year; 1997, 1999 and 2001 were never published; empty cell = no estimate) -> the long COLUMNS layout of the
    API loader, the six ``.EST`` estimates only (the EU method averages those)."""
    import io

    frame = pd.read_csv(io.BytesIO(payload), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame = frame.loc[:, [c for c in frame.columns if not c.startswith("Unnamed")]]
    expected = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
    if list(frame.columns[:4]) != expected:
        raise WorldBankFormatError(f"{file_name}: header starts {list(frame.columns[:4])}, expected {expected}")
    years = [c for c in frame.columns[4:]]
    if not years or not all(c.isdigit() and len(c) == 4 for c in years):
        raise WorldBankFormatError(f"{file_name}: year columns expected after the four id columns, got {years[:5]}")
    estimates = frame[frame["Indicator Code"].isin(WGI_INDICATORS)]
    long = estimates.melt(id_vars=expected, value_vars=years, var_name="year", value_name="value")
    long = long[long["value"] != ""]
    out = pd.DataFrame({
        "indicator_id": long["Indicator Code"], "indicator_name": long["Indicator Name"],
        "country_iso3": long["Country Code"], "country_name": long["Country Name"],
        "year": long["year"], "value": pd.to_numeric(long["value"], errors="raise"),
    })
    return out.reset_index(drop=True)


# The snapshot loader, beside the parser it calls; @raw_table registers it (orchestration/extract/registry.py).

@raw_table("wgi_snapshot", "World Bank Worldwide Governance Indicators 1996-2022 (2023 update) from the snapshot's "
           "WGIData.csv: the six .EST estimates per country and year. Attribution: World Bank, Worldwide Governance "
           "Indicators (CC BY 4.0).", {"csv"})
def load_wgi_snapshot() -> pd.DataFrame:
    (entry,) = files_under("worldbank", "WGIData.csv")
    return parsed(entry, read_wgi_databank_csv, "worldbank_wgi")
