"""USGS Mineral Commodity Summaries: the MCS 2026 data release CSV and the MCS 2025 rare-earth transcription.

Values stay text: USGS writes tokens (``W`` withheld, ``E`` net exporter, ``>95``, ``NA``, ``—``) in the value
column and staging parses them without ever coercing a token to a number.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from orchestration.extract.errors import SourceFormatError
from orchestration.extract.registry import parsed, raw_table
from orchestration.extract.snapshot import files_under

MCS2026_HEADER = [
    "MCS chapter", "Section", "Commodity", "Country", "Statistics", "Statistics_detail", "Unit", "Year", "Value",
    "Notes", "Is critical mineral 2025", "Other notes",
]
MCS2025_IMPORT_SOURCES_HEADER = ["edition", "commodity", "scope", "period", "partner", "share_pct", "note", "source"]
MCS2025_TRANSCRIPTION_HEADER = ["edition", "commodity", "year", "statistic", "item", "unit", "value", "is_estimate", "note", "source"]


def read_mcs2026_release(payload: bytes, file_name: str) -> pd.DataFrame:
    """The release is cp1252 (en dashes in '2021–24', '—' for zero); decoding as UTF-8 would corrupt them."""
    try:
        text = payload.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(file_name, f"not cp1252 text (byte {exc.start})") from exc
    frame = _read_text_csv(text, file_name, MCS2026_HEADER)
    frame.columns = [_snake(column) for column in frame.columns]
    return frame


def read_mcs2025_transcription(payload: bytes, file_name: str) -> pd.DataFrame:
    return _read_text_csv(payload.decode("utf-8"), file_name, MCS2025_TRANSCRIPTION_HEADER)


def read_mcs2025_import_sources(payload: bytes, file_name: str) -> pd.DataFrame:
    """Hand transcription of an MCS 2025 chapter's 'Import Sources' line; shares kept as published text."""
    return _read_text_csv(payload.decode("utf-8"), file_name, MCS2025_IMPORT_SOURCES_HEADER)


def _read_text_csv(text: str, file_name: str, expected_header: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if list(frame.columns) != expected_header:
        missing = [c for c in expected_header if c not in frame.columns]
        raise SourceFormatError(
            file_name, f"header is {list(frame.columns)}, expected {expected_header}", row=1,
            field=missing[0] if missing else None,
        )
    # Empty cells mean "not given", which is not the same as the text "NA" that USGS writes on purpose.
    frame = frame.replace({"": None})
    frame.insert(0, "source_row", range(2, len(frame) + 2))
    return frame


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


# The snapshot loader, beside the parser it calls; @raw_table registers it (orchestration/extract/registry.py).

@raw_table("usgs_mcs2026", "USGS Mineral Commodity Summaries 2026 data release (all commodities), values kept as "
           "published text.", {"csv"})
def load_usgs_mcs2026() -> pd.DataFrame:
    (entry,) = files_under("usgs", "usgs_mcs2026_commodities_data.csv")
    return parsed(entry, read_mcs2026_release, "usgs_mcs")


@raw_table("usgs_mcs2025_rare_earths", "USGS MCS 2025 rare-earth chapter, US salient statistics 2020-2024 "
           "(transcribed from the PDF).", {"csv"})
def load_usgs_mcs2025_rare_earths() -> pd.DataFrame:
    (entry,) = files_under("usgs", "mcs2025_rare_earths_us_salient_long.csv")
    return parsed(entry, read_mcs2025_transcription, "usgs_mcs")


@raw_table("usgs_mcs2025_import_sources", "USGS MCS 2025 US import sources (rare-earth compounds and metals, "
           "2020-23), transcribed from the chapter PDF.", {"csv"})
def load_usgs_mcs2025_import_sources() -> pd.DataFrame:
    (entry,) = files_under("usgs", "mcs2025_import_sources.csv")
    return parsed(entry, read_mcs2025_import_sources, "usgs_mcs")
