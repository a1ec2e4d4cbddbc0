"""USITC DataWeb workbook exports (HTS items by partner country, annual and year-to-date sheets).

Each data sheet opens with a banner row ("Imports For Consumption|Annual + Year-To-Date Data from Jan - Apr"),
then a "Data Row Count" row, then the header row. Cells are landed one per row (long form) so no value is
reshaped or dropped; staging decides what a column header such as ``2024_Year_to_date_Suppressed`` means.
"""

from __future__ import annotations

import io
import warnings
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd

from orchestration.extract import dataweb_drop
from orchestration.extract.errors import SourceFormatError
from orchestration.extract.lineage import with_lineage
from orchestration.extract.registry import raw_table
from orchestration.extract.snapshot import files_under

ID_COLUMNS = ["Data Type", "Country", "HTS Number", "Description", "Quantity Description"]
OUTPUT_COLUMNS = [
    "trade_flow", "banner", "sheet_name", "source_row", "data_type", "country", "hts_number",
    "description", "quantity_description", "column_header", "value", "download_date",
]
PARAMETERS_SHEET = "Query Parameters"


def read_workbook(path: Path, payload: bytes | None = None) -> tuple[pd.DataFrame, datetime]:
    """Return every data cell of the workbook in long form, and the workbook's download date.

    ``payload`` lets the caller parse the very bytes whose checksum it verified."""
    name = path.name
    try:
        with warnings.catch_warnings():
            # DataWeb's workbooks carry no default cell style; openpyxl warns on every open, and styles are not read.
            warnings.filterwarnings("ignore", message="Workbook contains no default style", category=UserWarning)
            # read_only streams the sheet XML instead of building every cell object: half the time (issue 31).
            workbook = openpyxl.load_workbook(io.BytesIO(payload) if payload is not None else path, data_only=True,
                                              read_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise SourceFormatError(name, f"not a readable .xlsx workbook ({exc})") from exc
    try:
        if PARAMETERS_SHEET not in workbook.sheetnames:
            raise SourceFormatError(name, f"sheet {PARAMETERS_SHEET!r} missing; found {workbook.sheetnames}")
        parameters = _read_parameters(name, workbook[PARAMETERS_SHEET])
        trade_flow = parameters.get("Trade Flow")
        if not trade_flow:
            raise SourceFormatError(name, "query parameters do not state the Trade Flow", field="Trade Flow")
        download_date = parameters.get("Download Date")
        if not isinstance(download_date, datetime):
            raise SourceFormatError(name, f"Download Date is {download_date!r}, expected a date", field="Download Date")
        frames = [
            _read_data_sheet(name, sheet, trade_flow, download_date)
            for sheet in workbook.worksheets
            if sheet.title != PARAMETERS_SHEET
        ]
        if not frames:
            raise SourceFormatError(name, "workbook has no data sheets")
        return pd.concat(frames, ignore_index=True), download_date
    finally:
        workbook.close()  # read-only mode holds the file open until closed


def _read_parameters(file_name: str, sheet) -> dict:
    return {row[0]: row[1] for row in _rows(file_name, sheet) if row and row[0]}


def _rows(file_name: str, sheet) -> list[tuple]:
    """Every row of the sheet as values, all as wide as the widest (read-only mode drops trailing empty cells).

    DataWeb writes every sheet's dimension as A1, which read-only mode would trust and stop after one row."""
    sheet.reset_dimensions()
    try:
        rows = list(sheet.iter_rows(values_only=True))
    except Exception as exc:  # read-only mode parses a sheet's XML only now: a damaged sheet fails here, not at open
        raise SourceFormatError(file_name, f"sheet {sheet.title!r} is not readable ({exc})") from exc
    width = max(map(len, rows), default=0)
    return [row + (None,) * (width - len(row)) for row in rows]


def _read_data_sheet(file_name: str, sheet, trade_flow: str, download_date: datetime) -> pd.DataFrame:
    rows = _rows(file_name, sheet)
    header_index = next((i for i, row in enumerate(rows[:10]) if row and row[0] == "Data Type"), None)
    if header_index is None:
        raise SourceFormatError(file_name, f"sheet {sheet.title!r}: no header row starting with 'Data Type' in the first 10 rows")
    header = [str(cell).strip() if cell is not None else None for cell in rows[header_index]]
    if header[: len(ID_COLUMNS)] != ID_COLUMNS:
        raise SourceFormatError(
            file_name, f"sheet {sheet.title!r}: header starts {header[:len(ID_COLUMNS)]}, expected {ID_COLUMNS}",
            row=header_index + 1,
        )
    banner = str(rows[0][0]) if rows and rows[0] and rows[0][0] else None
    expected_rows = _declared_row_count(rows[:header_index])
    records = []
    data_rows = rows[header_index + 1:]
    for offset, row in enumerate(data_rows):
        excel_row = header_index + 2 + offset
        if row is None or all(cell is None for cell in row):
            continue
        identity = dict(zip(ID_COLUMNS, row[: len(ID_COLUMNS)]))
        for column_index in range(len(ID_COLUMNS), len(header)):
            column_header = header[column_index]
            if column_header is None:
                continue
            cell = row[column_index] if column_index < len(row) else None
            records.append((
                trade_flow, banner, sheet.title, excel_row, identity["Data Type"], identity["Country"],
                None if identity["HTS Number"] is None else str(identity["HTS Number"]),
                identity["Description"], identity["Quantity Description"], column_header,
                _as_number(file_name, sheet.title, excel_row, column_header, cell), download_date,
            ))
    # The closing "Total: " row is landed like any other but is not part of the declared count.
    non_empty = sum(
        1 for row in data_rows
        if row and any(cell is not None for cell in row) and not str(row[0] or "").startswith("Total")
    )
    if expected_rows is not None and non_empty != expected_rows:
        raise SourceFormatError(
            file_name, f"sheet {sheet.title!r} declares {expected_rows} data rows but has {non_empty} (truncated export?)",
            field="Data Row Count",
        )
    return pd.DataFrame.from_records(records, columns=OUTPUT_COLUMNS)


def _declared_row_count(preamble: list[tuple]) -> int | None:
    for row in preamble:
        if row and row[0] == "Data Row Count" and row[1] is not None:
            return int(row[1])
    return None


def _as_number(file_name: str, sheet: str, row: int, column: str, cell) -> float | None:
    if cell is None or isinstance(cell, (int, float)):
        return None if cell is None else float(cell)
    try:
        return float(str(cell).replace(",", ""))
    except ValueError:
        raise SourceFormatError(file_name, f"sheet {sheet!r}: value {cell!r} is not a number", row=row, field=column) from None


# The snapshot loader, beside the parser it calls; @raw_table registers it (orchestration/extract/registry.py).

@raw_table("usitc_dataweb", "USITC DataWeb workbooks (US imports for consumption and domestic exports, HTS headings, "
           "18 selected partners, 1993-2025 and Jan-Apr YTD 2026), one row per sheet cell.", {"excel"},
           reads="snapshot_and_dataweb_drop")
def load_usitc_dataweb() -> pd.DataFrame:
    """Snapshot workbooks (verified against the manifest), then workbooks dropped in CHOKEPOINT_DATAWEB_DROP_DIR.

    A dropped workbook whose bytes equal a workbook already read (snapshot or an earlier drop) is skipped, so the
    same content is never counted twice; any other dropped workbook is parsed like a snapshot one (a damaged file
    fails with the parser's error, before anything is written) and its sha256 recorded in the lineage columns."""
    frames, seen = [], set()
    for entry in files_under("usitc", ".xlsx"):
        payload = entry.read_verified()
        cells, downloaded = read_workbook(entry.path, payload)
        frames.append(with_lineage(cells, source="usitc_dataweb", source_file=entry.relative_name,
                                   sha256=entry.sha256, retrieved_at=downloaded))
        seen.add(entry.sha256)
    for dropped in dataweb_drop.dropped_workbooks():
        if dropped.sha256 in seen:
            continue
        cells, downloaded = read_workbook(dropped.path, dropped.payload)
        frames.append(with_lineage(cells, source="usitc_dataweb", source_file=dropped.display_name,
                                   sha256=dropped.sha256, retrieved_at=downloaded))
        seen.add(dropped.sha256)
    return pd.concat(frames, ignore_index=True)
