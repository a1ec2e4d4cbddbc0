"""Read each source from the embedded snapshot into its raw-layer DataFrame, lineage columns attached."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd

from orchestration.extract import comtrade, dataweb_drop, measures_register, usgs_mcs, usitc_dataweb, worldbank_wgi
from orchestration.extract.lineage import sha256_of, with_lineage
from orchestration.extract.snapshot import files_under
from orchestration.settings import PROJECT_ROOT, register_path

COMTRADE_FOLDER = "comtrade/china_imports_2846"


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


def load_usgs_mcs2026() -> pd.DataFrame:
    (entry,) = files_under("usgs", "usgs_mcs2026_commodities_data.csv")
    frame = usgs_mcs.read_mcs2026_release(entry.read_verified(), entry.relative_name)
    return with_lineage(frame, source="usgs_mcs", source_file=entry.relative_name, sha256=entry.sha256, retrieved_at=entry.retrieved_at)


def load_usgs_mcs2025_rare_earths() -> pd.DataFrame:
    (entry,) = files_under("usgs", "mcs2025_rare_earths_us_salient_long.csv")
    frame = usgs_mcs.read_mcs2025_transcription(entry.read_verified(), entry.relative_name)
    return with_lineage(frame, source="usgs_mcs", source_file=entry.relative_name, sha256=entry.sha256, retrieved_at=entry.retrieved_at)


def load_usgs_mcs2025_import_sources() -> pd.DataFrame:
    (entry,) = files_under("usgs", "mcs2025_import_sources.csv")
    frame = usgs_mcs.read_mcs2025_import_sources(entry.read_verified(), entry.relative_name)
    return with_lineage(frame, source="usgs_mcs", source_file=entry.relative_name, sha256=entry.sha256, retrieved_at=entry.retrieved_at)


def load_wgi_snapshot() -> pd.DataFrame:
    (entry,) = files_under("worldbank", "WGIData.csv")
    frame = worldbank_wgi.read_wgi_databank_csv(entry.read_verified(), entry.relative_name)
    return with_lineage(frame, source="worldbank_wgi", source_file=entry.relative_name, sha256=entry.sha256, retrieved_at=entry.retrieved_at)


def load_export_measures() -> dict[str, pd.DataFrame]:
    """The register's four raw tables (export_measures, export_measure_parts, export_measure_codes,
    export_measure_links), each with lineage."""
    path = register_path()
    tables = measures_register.read_register(path.read_bytes(), path.name)
    # The register is edited in git, not downloaded: its "retrieval" is the moment it was read.
    lineage = dict(source="measures_register", source_file=_display_path(path), sha256=sha256_of(path), retrieved_at=datetime.now())
    return {name: with_lineage(frame, **lineage) for name, frame in tables.items()}


def _display_path(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)
