"""Paths and switches read from the environment, so tests and deployments can redirect them."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

WAREHOUSE_ENV = "CHOKEPOINT_WAREHOUSE"
SNAPSHOT_ENV = "CHOKEPOINT_SNAPSHOT_DIR"
REGISTER_ENV = "CHOKEPOINT_MEASURES_REGISTER"
SERVE_ENV = "CHOKEPOINT_SERVE_DIR"
DATAWEB_DROP_ENV = "CHOKEPOINT_DATAWEB_DROP_DIR"
BULK_DIR_ENV = "CHOKEPOINT_BULK_TRADE_DIR"


def warehouse_path() -> Path:
    return Path(os.environ.get(WAREHOUSE_ENV, PROJECT_ROOT / "warehouse" / "chokepoint.duckdb")).resolve()


def snapshot_dir() -> Path:
    return Path(os.environ.get(SNAPSHOT_ENV, PROJECT_ROOT / "data" / "snapshot")).resolve()


def register_path() -> Path:
    return Path(os.environ.get(REGISTER_ENV, PROJECT_ROOT / "data" / "register" / "export_measures.yaml")).resolve()


def serve_dir() -> Path:
    """Where readers find the published copy; defaults to ``serve/`` beside the build warehouse."""
    return Path(os.environ.get(SERVE_ENV, warehouse_path().parent / "serve")).resolve()


def dataweb_drop_dir() -> Path:
    """Watched folder for USITC DataWeb workbooks downloaded by hand (not in the snapshot manifest)."""
    return Path(os.environ.get(DATAWEB_DROP_ENV, PROJECT_ROOT / "data" / "dropbox" / "usitc")).resolve()


def bulk_dir() -> Path | None:
    """Folder of BACI-shaped Parquet files for the bulk trade source; None (source empty) when unset."""
    value = os.environ.get(BULK_DIR_ENV, "").strip()
    return Path(value).resolve() if value else None
