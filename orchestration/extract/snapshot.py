"""The embedded snapshot: files listed in MANIFEST.csv, each checked against its recorded sha256 before use."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from orchestration.extract.errors import SourceFormatError
from orchestration.settings import PROJECT_ROOT, snapshot_dir

MANIFEST_NAME = "MANIFEST.csv"


@dataclass(frozen=True)
class SnapshotFile:
    path: Path
    relative_name: str
    sha256: str
    retrieved_at: datetime
    source: str
    licence: str

    def read_verified(self) -> bytes:
        payload = self.path.read_bytes()
        actual = hashlib.sha256(payload).hexdigest()
        if actual != self.sha256:
            raise SourceFormatError(
                self.relative_name, f"sha256 is {actual}, manifest records {self.sha256}: the snapshot file changed",
                field="sha256",
            )
        return payload


def manifest_entries(root: Path | None = None) -> list[SnapshotFile]:
    root = root or snapshot_dir()
    manifest = root / MANIFEST_NAME
    if not manifest.exists():
        raise SourceFormatError(str(manifest), "snapshot manifest not found")
    entries = []
    with manifest.open(newline="", encoding="utf-8") as handle:
        for line_number, row in enumerate(csv.DictReader(handle), start=2):
            relative = Path(row["file"])
            # Manifest paths are written from the project root; a relocated snapshot keeps its layout.
            path = root / relative.relative_to("data/snapshot") if relative.parts[:2] == ("data", "snapshot") else PROJECT_ROOT / relative
            if not path.exists():
                raise SourceFormatError(MANIFEST_NAME, f"lists {row['file']} which does not exist", row=line_number, field="file")
            entries.append(SnapshotFile(path, row["file"], row["sha256"], datetime.fromisoformat(row["retrieved"]), row["source"], row["licence"]))
    return entries


def files_under(folder: str, suffix: str, root: Path | None = None) -> list[SnapshotFile]:
    """Manifest entries in ``data/snapshot/<folder>`` with the given suffix, in name order."""
    prefix = f"data/snapshot/{folder}/"
    return sorted(
        (e for e in manifest_entries(root) if e.relative_name.startswith(prefix) and e.relative_name.endswith(suffix)),
        key=lambda e: e.relative_name,
    )
