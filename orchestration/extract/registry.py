"""The registry of snapshot loaders: each raw table's loader, what the asset page says about it and the input it reads.

A loader lives in its source's module (``orchestration/extract/<source>.py``, beside the parser it calls) and
registers itself with ``@raw_table``; ``orchestration/extract/raw_loaders.py`` imports those modules, so
``orchestration/defs/raw_assets.py`` makes one Dagster asset per entry and the tests' ``raw_frames`` fixture loads
every entry: a new snapshot table is declared once, where it is read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from orchestration.extract.lineage import with_lineage
from orchestration.extract.snapshot import SnapshotFile


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


def parsed(entry: SnapshotFile, parse: Callable[[bytes, str], pd.DataFrame], source: str) -> pd.DataFrame:
    """A snapshot file through its parser, with the lineage of that file (its bytes checked against the manifest)."""
    frame = parse(entry.read_verified(), entry.relative_name)
    return with_lineage(frame, source=source, source_file=entry.relative_name, sha256=entry.sha256, retrieved_at=entry.retrieved_at)
