"""The embedded snapshot matches its manifest byte for byte, and every shipped file is listed with provenance."""

import csv
import hashlib

import pytest

from orchestration.extract.errors import SourceFormatError
from orchestration.extract.snapshot import MANIFEST_NAME, manifest_entries
from orchestration.settings import PROJECT_ROOT

SNAPSHOT = PROJECT_ROOT / "data" / "snapshot"


def test_every_manifest_entry_matches_its_sha256():
    entries = manifest_entries()
    # No count is pinned here (adding a file would mean editing this test): the set of shipped files is compared
    # with the listed ones below, and a file listed twice would be loaded twice.
    names = [entry.relative_name for entry in entries]
    assert entries and len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    for entry in entries:
        assert hashlib.sha256(entry.path.read_bytes()).hexdigest() == entry.sha256, entry.relative_name


def test_every_snapshot_file_is_listed_with_source_publisher_date_and_licence():
    with (SNAPSHOT / MANIFEST_NAME).open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    listed = {row["file"] for row in rows}
    shipped = {str(p.relative_to(PROJECT_ROOT)) for p in SNAPSHOT.rglob("*") if p.is_file() and p.name != MANIFEST_NAME}
    assert shipped == listed
    for row in rows:
        for column in ("source", "publisher", "retrieved", "licence", "sha256"):
            assert row[column].strip(), f"{row['file']}: empty {column}"


def test_a_changed_snapshot_file_is_refused(tmp_path):
    copy = tmp_path / "snapshot"
    (copy / "usgs").mkdir(parents=True)
    original = SNAPSHOT / "usgs" / "mcs2025_import_sources.csv"
    (copy / "usgs" / original.name).write_bytes(original.read_bytes() + b"tampered\n")
    with (SNAPSHOT / MANIFEST_NAME).open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["file"].endswith(original.name)]
    with (copy / MANIFEST_NAME).open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (entry,) = manifest_entries(copy)
    with pytest.raises(SourceFormatError, match=r"mcs2025_import_sources.csv, field 'sha256'.*snapshot file changed"):
        entry.read_verified()
