"""Which files of the bulk trade folder are new, changed or gone since the last load, without reading their rows.

Size and mtime decide "changed" (a 50M-row folder is listed, not hashed); only the changed files are hashed, and the
loader records size, mtime and sha256 in ``raw.bulk_trade_flows__files`` (defs/bulk_assets.py)."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.extract import baci
from orchestration.settings import BULK_DIR_ENV


@dataclass(frozen=True)
class FileState:
    path: str
    size_bytes: int
    mtime_ns: int


def files_on_disk(directory: "Path | None") -> dict[str, FileState]:
    if directory is None:
        return {}
    if not directory.is_dir():
        raise dg.Failure(description=f"{BULK_DIR_ENV}={directory} is not a directory")
    states = {}
    paths = [*directory.rglob("*.parquet"), *(p for p in directory.rglob("*.csv") if baci.is_native_csv(p))]
    for path in sorted(paths):
        stat = path.stat()
        states[str(path)] = FileState(str(path), stat.st_size, stat.st_mtime_ns)
    return states


def sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def changed_files(connection: duckdb.DuckDBPyConnection, files_table: str,
                  on_disk: dict[str, FileState]) -> tuple[list[str], list[str]]:
    """Files to (re)load and files to forget. Unchanged size and mtime = unchanged file (sha256 is not re-read)."""
    known = {row[0]: (row[1], row[2]) for row in connection.execute(
        f"select file, size_bytes, mtime_ns from {files_table}").fetchall()}
    changed = [p for p, s in on_disk.items() if known.get(p) != (s.size_bytes, s.mtime_ns)]
    removed = sorted(set(known) - set(on_disk))
    return changed, removed


def synthetic_flags(connection: duckdb.DuckDBPyConnection, paths: list[str]) -> dict[str, bool]:
    """``synthetic = true`` in a file's Parquet key-value metadata (bench/generate.py writes it)."""
    if not paths:
        return {}
    rows = connection.execute(
        f"select file_name, decode(value) from parquet_kv_metadata({sql_list(paths)}) where decode(key) = 'synthetic'"
    ).fetchall()
    flags = {path: False for path in paths}
    flags.update({name: value == "true" for name, value in rows})
    return flags
