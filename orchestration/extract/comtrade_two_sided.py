"""UN Comtrade annual records as both sides declare them (data/snapshot/comtrade_two_sided/): one gzipped CSV per
year, every reporter's imports (M) and exports (X) of the selected HS6 codes.

Rows are kept as published, in file order, with their position (``source_row``): a reporter x partner x code x flow
key holds Comtrade's total row, breakdown rows (customs procedure, transport mode, second partner, none of them kept
by the pull) and exact copies. Choosing the total row is staging's rule (stg_comtrade_two_sided__declarations), never
the parser's. The 2024 file has no ``year`` column: the year is the file name's, and a file whose ``year`` column
disagrees with its name is refused."""

from __future__ import annotations

import gzip
import io
import re

import pandas as pd

from orchestration.extract.errors import SourceFormatError
from orchestration.extract.registry import parsed, raw_table
from orchestration.extract.snapshot import files_under

REQUIRED = ["reporter", "partner", "cmd", "flow", "value", "netwgt"]
OPTIONAL = ["qty", "qtyunit"]
COLUMNS = ["source_row", "year", *REQUIRED, *OPTIONAL]
_YEAR = re.compile(r"(\d{4})\.csv(\.gz)?$")


def read_declarations(payload: bytes, file_name: str) -> pd.DataFrame:
    match = _YEAR.search(file_name)
    if not match:
        raise SourceFormatError(file_name, "file name must end in <year>.csv[.gz]", field="file name")
    year = int(match.group(1))
    text = gzip.decompress(payload) if file_name.endswith(".gz") else payload
    # every column as text: codes keep their leading zeros and a stray token fails the numeric cast below
    frame = pd.read_csv(io.BytesIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise SourceFormatError(file_name, f"header is {list(frame.columns)}, missing {missing}", row=1, field=missing[0])
    frame = frame.replace({"": None})
    if "year" in frame.columns:
        wrong = frame.index[frame["year"] != str(year)]
        if len(wrong):
            raise SourceFormatError(file_name, f"year column says {frame.at[wrong[0], 'year']}, file name {year}",
                                    row=int(wrong[0]) + 2, field="year")
    frame["year"] = year
    for column in OPTIONAL:
        if column not in frame.columns:
            frame[column] = None
    for column in ("reporter", "partner"):
        frame[column] = _numeric(frame, column, file_name).astype("int64")
    for column in ("value", "netwgt", "qty"):
        frame[column] = _numeric(frame, column, file_name).astype("float64")
    frame.insert(0, "source_row", range(2, len(frame) + 2))
    return frame[COLUMNS]


def _numeric(frame: pd.DataFrame, column: str, file_name: str) -> pd.Series:
    parsed = pd.to_numeric(frame[column], errors="coerce")
    bad = frame.index[parsed.isna() & frame[column].notna()]
    if len(bad):
        raise SourceFormatError(file_name, f"{column} {frame.at[bad[0], column]!r} is not a number", row=int(bad[0]) + 2, field=column)
    return parsed


# The snapshot loader, beside the parser it calls; @raw_table registers it (orchestration/extract/registry.py).

@raw_table("comtrade_two_sided", "UN Comtrade annual records of 31 critical-material HS6 codes, 2022 and 2024, every "
           "reporter's declared imports (M) and exports (X), one row per published row: keys repeat (total row, breakdown "
           "rows, copies), the total row is chosen in staging. Attribution: UN Comtrade.", {"csv"})
def load_comtrade_two_sided() -> pd.DataFrame:
    frames = [parsed(entry, read_declarations, "comtrade_two_sided")
              for entry in files_under("comtrade_two_sided", ".csv.gz")]
    return pd.concat(frames, ignore_index=True)
