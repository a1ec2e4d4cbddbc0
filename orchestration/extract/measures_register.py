"""The project's export-control measures register (YAML) flattened into four relational tables.

The document is checked by data_contracts.register (closed legal types, parts, suspensions that point at a
measure part, the date convention, sources per part); this module only turns the checked document into frames."""

from __future__ import annotations

import pandas as pd

from data_contracts.register import CODE_COLUMNS, LINK_COLUMNS, MEASURE_COLUMNS, PART_COLUMNS, read_register_document


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
