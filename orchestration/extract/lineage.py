"""Lineage columns that tie every raw row back to the bytes it came from."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def with_lineage(frame: pd.DataFrame, *, source: str, source_file: str, sha256: str, retrieved_at: datetime) -> pd.DataFrame:
    out = frame.copy()
    out["_source"] = source
    out["_source_file"] = source_file
    out["_source_sha256"] = sha256
    out["_retrieved_at"] = _naive_utc(retrieved_at)
    out["_loaded_at"] = _naive_utc(datetime.now(UTC))
    return out


def _naive_utc(moment: datetime) -> pd.Timestamp:
    """DuckDB TIMESTAMP has no zone: store UTC wall time so every source compares alike."""
    stamp = pd.Timestamp(moment)
    return stamp if stamp.tzinfo is None else stamp.tz_convert("UTC").tz_localize(None)
