"""The inputs raw assets read, and the fingerprint of each: what a raw asset records as its Dagster data version.

A raw asset of the refresh names its input in the tag ``chokepoint/input`` (one of ``INPUTS``); the planner
(orchestration/refresh/plan.py) reloads it when the input's fingerprint differs from the data version its latest materialization
recorded. tests/unit/test_definitions.py fails on a raw asset without a declared input, which would otherwise be
loaded once and never again."""

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import dagster as dg

from orchestration.extract.live.config import source_mode
from orchestration.settings import bulk_dir, dataweb_drop_dir, register_path, snapshot_dir

INPUT_TAG = "chokepoint/input"
# What a live API asset records in snapshot mode, where it writes the same empty table every time.
SNAPSHOT_MODE = "snapshot-mode"


def _digest(parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _file_contents(paths: Iterable[Path], root: Path) -> list[str | bytes]:
    parts: list[str | bytes] = []
    for path in sorted(p for p in paths if p.is_file()):
        parts += [str(path.relative_to(root)), path.read_bytes()]
    return parts


def _listing(folder: Path | None, pattern: str) -> list[str]:
    """Name, size and mtime: what the bulk loader itself uses to spot changed files, without reading 50M rows."""
    if folder is None or not folder.is_dir():
        return ["<none>"]
    return [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(folder.glob(pattern)) if p.is_file()]


def snapshot_fingerprint() -> str:
    root = snapshot_dir()
    return _digest(["snapshot", *_file_contents(root.rglob("*"), root)])


def usitc_fingerprint() -> str:
    return _digest([snapshot_fingerprint(), *_listing(dataweb_drop_dir(), "*.xlsx")])


def register_fingerprint() -> str:
    path = register_path()
    return _digest(["register", path.read_bytes() if path.exists() else b"<missing>"])


def bulk_fingerprint() -> str:
    folder = bulk_dir()
    return _digest(["bulk", str(folder), *_listing(folder, "**/*.parquet"), *_listing(folder, "**/BACI_*.csv")])


def live_only_fingerprint() -> str | None:
    """None: a live API can only be known by fetching it, so its asset runs every refresh in live mode."""
    return None if source_mode() == "live" else SNAPSHOT_MODE


INPUTS: dict[str, Callable[[], str | None]] = {
    "snapshot": snapshot_fingerprint,
    "snapshot_and_dataweb_drop": usitc_fingerprint,
    "register": register_fingerprint,
    "bulk_trade_dir": bulk_fingerprint,
    "live_api": live_only_fingerprint,
}


def input_tags(name: str) -> dict[str, str]:
    """The tag a raw asset declares its input with; an unknown name fails when the code location loads."""
    if name not in INPUTS:
        raise ValueError(f"unknown raw input {name!r}; declared inputs: {sorted(INPUTS)}")
    return {INPUT_TAG: name}


def data_version(name: str) -> dg.DataVersion | None:
    """What the raw asset records, computed *before* it reads: a file changed mid-load is seen as changed next time."""
    fingerprint = INPUTS[name]()
    return None if fingerprint is None else dg.DataVersion(fingerprint)
