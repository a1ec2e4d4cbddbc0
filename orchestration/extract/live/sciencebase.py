"""USGS Mineral Commodity Summaries data releases on ScienceBase, by edition.

``GET /catalog/item/<itemId>?format=json`` describes a release: its ``title`` and ``files[]`` (``name``, ``url`` or
``downloadUri``, ``contentType``, ``size``). The data file of an edition is then downloaded from that URL (rewritten
onto the configured base URL, so a mirror or the tests' replay server keeps serving it). Item ids per edition
come from ``DEFAULT_ITEMS`` (those stated in the source notes) and CHOKEPOINT_SCIENCEBASE_ITEMS.

Only the MCS 2026 layout is parsed: one long CSV of all commodities (cp1252, 12 columns), read by the snapshot's
own ``usgs_mcs.read_mcs2026_release``. Earlier editions ship zips of per-commodity CSVs: refused with a clear error."""

from __future__ import annotations

import csv
import io
import urllib.parse
from dataclasses import dataclass

import pandas as pd

from orchestration import settings
from orchestration.extract import usgs_mcs
from orchestration.extract.errors import SourceFormatError, parse_json

SOURCE = "sciencebase"
ITEMS_ENV = settings.SCIENCEBASE_ITEMS.name  # "2026=<itemId>,2024=<itemId>": added to / overriding DEFAULT_ITEMS
EDITIONS = ["2023", "2024", "2025", "2026"]
# ScienceBase item ids of the MCS releases (docs/LIVE_SOURCES.md); MCS 2026 and 2024 are known by DOI only (set the env var).
DEFAULT_ITEMS = {"2025": "677eaf95d34e760b392c4970", "2023": "63d1a3c6d34e06fef15006be"}
DOIS = {"2026": "10.5066/P1WKQ63T", "2025": "10.5066/P13XCP3R", "2024": "10.5066/P144BA54",
        "2023": "10.5066/P9WCYUI6", "2022": "10.5066/P9KKMCP4"}
LAYOUT_2026 = "MCS 2026 long CSV (all commodities, 12 columns, cp1252)"


@dataclass(frozen=True)
class ItemFile:
    name: str
    url: str
    content_type: str
    size: int | None


def item_ids() -> dict[str, str]:
    items = dict(DEFAULT_ITEMS)
    for pair in settings.SCIENCEBASE_ITEMS.get():
        if not pair.strip():
            continue
        edition, sep, item = pair.partition("=")
        if not sep or not edition.strip() or not item.strip():
            raise ValueError(f"{ITEMS_ENV} must read 'EDITION=itemId[,EDITION=itemId...]', not {pair.strip()!r}")
        items[edition.strip()] = item.strip()
    return items


def item_id(edition: str) -> str:
    items = item_ids()
    if edition not in items:
        doi = f" (the item of doi:{DOIS[edition]})" if edition in DOIS else ""
        raise ValueError(f"{SOURCE}: no ScienceBase item id known for MCS{edition}; set {ITEMS_ENV}=\"{edition}=<itemId>\""
                         f"{doi}; known: {sorted(items)}")
    return items[edition]


def item_path(item: str) -> str:
    return f"/catalog/item/{urllib.parse.quote(item)}"


def parse_item(payload: bytes, name: str) -> tuple[str | None, list[ItemFile]]:
    """(title, files) of an item JSON."""
    document = parse_json(payload, name)
    if not isinstance(document, dict):
        raise SourceFormatError(name, "expected a ScienceBase item JSON object")
    files = document.get("files", [])
    if not isinstance(files, list):
        raise SourceFormatError(name, "'files' is not a list", field="files")
    parsed = []
    for index, entry in enumerate(files):
        url = entry.get("url") or entry.get("downloadUri") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not entry.get("name") or not url:
            raise SourceFormatError(name, "file entry lacks 'name' or 'url'/'downloadUri' (schema drift?)", row=index, field="files")
        size = entry.get("size")
        parsed.append(ItemFile(entry["name"], url, entry.get("contentType") or "", size if isinstance(size, int) else None))
    return document.get("title"), parsed


def data_file(files: list[ItemFile], edition: str, name: str) -> ItemFile:
    """The edition's data CSV: ``MCS<edition>_Commodities_Data.csv`` if listed, else the only CSV of the item."""
    csvs = [f for f in files if f.name.lower().endswith(".csv") or "csv" in f.content_type.lower()]
    wanted = f"mcs{edition}_commodities_data.csv"
    exact = [f for f in csvs if f.name.lower() == wanted]
    if exact:
        return exact[0]
    if len(csvs) == 1:
        return csvs[0]
    listed = [f.name for f in files]
    if csvs:
        raise SourceFormatError(name, f"item lists {len(csvs)} CSV files {[f.name for f in csvs]} and none is "
                                      f"MCS{edition}_Commodities_Data.csv: cannot tell which is the data release", field="files")
    if any(f.name.lower().endswith(".zip") for f in files):
        raise SourceFormatError(name, f"item lists no CSV, only {listed}: the zipped per-commodity layout of MCS "
                                      f"editions before 2026 is not supported (only the {LAYOUT_2026})", field="files")
    raise SourceFormatError(name, f"item lists no CSV data file; files are {listed}", field="files")


def parse_release(payload: bytes, file_name: str) -> pd.DataFrame:
    """The MCS 2026-layout CSV, by ``usgs_mcs.read_mcs2026_release``; any other layout fails naming file and header."""
    if payload[:2] == b"PK":
        raise SourceFormatError(file_name, f"is a zip archive: the zipped per-commodity layout of MCS editions "
                                           f"before 2026 is not supported (only the {LAYOUT_2026})")
    first_line = payload.split(b"\n", 1)[0].decode("cp1252", "replace").rstrip("\r")
    header = next(csv.reader(io.StringIO(first_line)), [])
    if header != usgs_mcs.MCS2026_HEADER:
        raise SourceFormatError(file_name, f"header is {header}: not the {LAYOUT_2026} with header "
                                           f"{usgs_mcs.MCS2026_HEADER}; other layouts are not supported", row=1)
    return usgs_mcs.read_mcs2026_release(payload, file_name)


def onto_base(url: str, base_url: str) -> str:
    """Keep the path and query of a file URL, on the configured host (mirror / replay server)."""
    target, base = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base_url)
    return urllib.parse.urlunsplit((base.scheme, base.netloc, target.path, target.query, ""))
