"""Read each source from the embedded snapshot into its raw-layer DataFrame, lineage columns attached.

Every loader is registered under its raw table name in ``RAW_TABLES``, with what the asset page says about it
and the input it reads: ``orchestration/defs/raw_assets.py`` makes one Dagster asset per entry and the tests'
``raw_frames`` fixture loads every entry, so a new snapshot table is declared here once."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from orchestration.extract import (
    atlas_flows,
    comtrade,
    comtrade_two_sided,
    dataweb_drop,
    measures_register,
    usgs_mcs,
    usitc_dataweb,
    worldbank_wgi,
)
from orchestration.extract.lineage import sha256_of, with_lineage
from orchestration.extract.snapshot import SnapshotFile, files_under
from orchestration.settings import PROJECT_ROOT, register_path

COMTRADE_FOLDER = "comtrade/china_imports_2846"


@dataclass(frozen=True)
class RawTable:
    load: Callable[[], pd.DataFrame]
    description: str  # the asset's description in the Dagster UI
    kinds: frozenset[str]  # the file formats, shown as the asset's kinds
    reads: str  # the input (orchestration/versioning/inputs.py) whose fingerprint is the asset's data version


RAW_TABLES: dict[str, RawTable] = {}


def raw_table(table: str, description: str, kinds: set[str], reads: str = "snapshot"):
    def register(load: Callable[[], pd.DataFrame]) -> Callable[[], pd.DataFrame]:
        if table in RAW_TABLES:
            raise ValueError(f"raw table {table!r} registered twice")
        RAW_TABLES[table] = RawTable(load, description, frozenset(kinds), reads)
        return load
    return register


def _parsed(entry: SnapshotFile, parse: Callable[[bytes, str], pd.DataFrame], source: str) -> pd.DataFrame:
    """A snapshot file through its parser, with the lineage of that file (its bytes checked against the manifest)."""
    frame = parse(entry.read_verified(), entry.relative_name)
    return with_lineage(frame, source=source, source_file=entry.relative_name, sha256=entry.sha256, retrieved_at=entry.retrieved_at)


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
        cells, downloaded = usitc_dataweb.read_workbook(entry.path, payload)
        frames.append(with_lineage(cells, source="usitc_dataweb", source_file=entry.relative_name,
                                   sha256=entry.sha256, retrieved_at=downloaded))
        seen.add(entry.sha256)
    for dropped in dataweb_drop.dropped_workbooks():
        if dropped.sha256 in seen:
            continue
        cells, downloaded = usitc_dataweb.read_workbook(dropped.path, dropped.payload)
        frames.append(with_lineage(cells, source="usitc_dataweb", source_file=dropped.display_name,
                                   sha256=dropped.sha256, retrieved_at=downloaded))
        seen.add(dropped.sha256)
    return pd.concat(frames, ignore_index=True)


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
        records = comtrade.parse_response(entry.read_verified(), entry.relative_name)
        records["_request_url"] = logged.get("url")
        retrieved = datetime.fromisoformat(logged["retrieved_at"].replace("Z", "+00:00")) if "retrieved_at" in logged else entry.retrieved_at
        frames.append(with_lineage(records, source="un_comtrade", source_file=entry.relative_name,
                                   sha256=entry.sha256, retrieved_at=retrieved))
    return pd.concat(frames, ignore_index=True)


@raw_table("usgs_mcs2026", "USGS Mineral Commodity Summaries 2026 data release (all commodities), values kept as "
           "published text.", {"csv"})
def load_usgs_mcs2026() -> pd.DataFrame:
    (entry,) = files_under("usgs", "usgs_mcs2026_commodities_data.csv")
    return _parsed(entry, usgs_mcs.read_mcs2026_release, "usgs_mcs")


@raw_table("usgs_mcs2025_rare_earths", "USGS MCS 2025 rare-earth chapter, US salient statistics 2020-2024 "
           "(transcribed from the PDF).", {"csv"})
def load_usgs_mcs2025_rare_earths() -> pd.DataFrame:
    (entry,) = files_under("usgs", "mcs2025_rare_earths_us_salient_long.csv")
    return _parsed(entry, usgs_mcs.read_mcs2025_transcription, "usgs_mcs")


@raw_table("usgs_mcs2025_import_sources", "USGS MCS 2025 US import sources (rare-earth compounds and metals, "
           "2020-23), transcribed from the chapter PDF.", {"csv"})
def load_usgs_mcs2025_import_sources() -> pd.DataFrame:
    (entry,) = files_under("usgs", "mcs2025_import_sources.csv")
    return _parsed(entry, usgs_mcs.read_mcs2025_import_sources, "usgs_mcs")


@raw_table("comtrade_two_sided", "UN Comtrade annual records of 31 critical-material HS6 codes, 2022 and 2024, every "
           "reporter's declared imports (M) and exports (X), one row per published row: keys repeat (total row, breakdown "
           "rows, copies), the total row is chosen in staging. Attribution: UN Comtrade.", {"csv"})
def load_comtrade_two_sided() -> pd.DataFrame:
    frames = [_parsed(entry, comtrade_two_sided.read_declarations, "comtrade_two_sided")
              for entry in files_under("comtrade_two_sided", ".csv.gz")]
    return pd.concat(frames, ignore_index=True)


@raw_table("wgi_snapshot", "World Bank Worldwide Governance Indicators 1996-2022 (2023 update) from the snapshot's "
           "WGIData.csv: the six .EST estimates per country and year. Attribution: World Bank, Worldwide Governance "
           "Indicators (CC BY 4.0).", {"csv"})
def load_wgi_snapshot() -> pd.DataFrame:
    (entry,) = files_under("worldbank", "WGIData.csv")
    return _parsed(entry, worldbank_wgi.read_wgi_databank_csv, "worldbank_wgi")


@raw_table("atlas_monthly_flows", "Monthly reported trade by partner with quantities (UK HMRC 2024-06..2026-06, Brazil "
           "Comex Stat 2025-01..2026-07, single months of UN Comtrade, US Census and Eurostat; also BACI 2024 and the "
           "repository's 'mirror' rows, kept raw and never read as data) from Varcolacus/critical-materials-atlas "
           "flows.parquet, rows unchanged.", {"parquet"})
def load_atlas_monthly_flows() -> pd.DataFrame:
    (entry,) = files_under("monthly_trade", "atlas_flows.parquet")
    return _parsed(entry, atlas_flows.read_flows, "critical_materials_atlas")


def load_export_measures() -> dict[str, pd.DataFrame]:
    """The register's four raw tables (export_measures, export_measure_parts, export_measure_codes,
    export_measure_links), each with lineage."""
    path = register_path()
    tables = measures_register.read_register(path.read_bytes(), path.name)
    # The register is edited in git, not downloaded: its "retrieval" is the moment it was read.
    lineage = dict(source="measures_register", source_file=_display_path(path), sha256=sha256_of(path), retrieved_at=datetime.now())
    return {name: with_lineage(frame, **lineage) for name, frame in tables.items()}


REGISTER_TABLES = {
    "export_measures": "The project's export-control measures register (data/register/export_measures.yaml), one row per measure.",
    "export_measure_parts": "Parts (articles, items) of each register measure with their legal type, scope and in-force dates.",
    "export_measure_codes": "Customs codes of each measure part as printed (and corrected), with HS6 and coverage level.",
    "export_measure_links": "Commodities, elements, destinations, suspended parts, related measures and source URLs of each "
                            "register entry.",
}
for _name, _description in REGISTER_TABLES.items():
    raw_table(_name, _description, {"yaml"}, reads="register")(lambda name=_name: load_export_measures()[name])


def _display_path(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)
