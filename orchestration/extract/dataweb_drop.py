"""The USITC DataWeb drop folder: workbooks a person downloaded from dataweb.usitc.gov and copied in by hand.

They are not listed in the snapshot MANIFEST, so nothing verifies them against a recorded checksum: each is
identified by the sha256 of its bytes, which the sensor uses as run key and the raw loader records as lineage."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import PROJECT_ROOT, dataweb_drop_dir


@dataclass(frozen=True)
class DroppedFile:
    path: Path
    display_name: str  # relative to the project when inside it, else absolute: what _source_file records
    sha256: str
    payload: bytes


def dropped_workbooks(folder: Path | None = None) -> list[DroppedFile]:
    """Every ``*.xlsx`` of the drop folder, in name order; none when the folder does not exist.

    Excel lock files (``~$name.xlsx``) and hidden files (a copy in progress, ``.name.xlsx``) are ignored."""
    folder = folder or dataweb_drop_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() != ".xlsx" or path.name.startswith(("~$", ".")):
            continue
        payload = path.read_bytes()
        shown = str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)
        found.append(DroppedFile(path, shown, hashlib.sha256(payload).hexdigest(), payload))
    return found
