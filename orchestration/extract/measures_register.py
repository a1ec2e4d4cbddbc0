"""The project's export-control measures register (YAML) flattened into four relational tables.

The document is checked by data_contracts.register (closed legal types, parts, suspensions that point at a
measure part, the date convention, sources per part); this module only turns the checked document into frames."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from data_contracts.register import CODE_COLUMNS, LINK_COLUMNS, MEASURE_COLUMNS, PART_COLUMNS, read_register_document
from orchestration.extract.lineage import sha256_of, with_lineage
from orchestration.extract.registry import raw_table
from orchestration.settings import PROJECT_ROOT, register_path


def read_register(payload: bytes, file_name: str) -> dict[str, pd.DataFrame]:
    """Return the raw tables: export_measures (one row per measure), export_measure_parts (measure x part),
    export_measure_codes (measure x part x customs code) and export_measure_links (commodities, elements,
    destinations, suspended parts, related measures, source URLs)."""
    register = read_register_document(payload, file_name)
    codes = pd.DataFrame(register.codes, columns=CODE_COLUMNS)
    codes["code_digits"] = codes["code_digits"].astype("Int64")
    return {
        "export_measures": pd.DataFrame(register.measures, columns=MEASURE_COLUMNS),
        "export_measure_parts": pd.DataFrame(register.parts, columns=PART_COLUMNS),
        "export_measure_codes": codes,
        "export_measure_links": pd.DataFrame(register.links, columns=LINK_COLUMNS),
    }


# The snapshot loader, beside the parser it calls; @raw_table registers it (orchestration/extract/registry.py).

def load_export_measures() -> dict[str, pd.DataFrame]:
    """The register's four raw tables (export_measures, export_measure_parts, export_measure_codes,
    export_measure_links), each with lineage."""
    path = register_path()
    tables = read_register(path.read_bytes(), path.name)
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
