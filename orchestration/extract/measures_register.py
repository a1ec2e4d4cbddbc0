"""The project's export-control measures register (YAML) flattened into two relational tables."""

from __future__ import annotations

import re

import pandas as pd
import yaml

from orchestration.extract.errors import SourceFormatError

MEASURE_FIELDS = [
    "measure_id", "jurisdiction", "authority", "instrument", "measure_type", "target_scope",
    "items_covered", "hs_codes_note", "notes", "source_stored_at",
]
REQUIRED = ["measure_id", "jurisdiction", "measure_type", "target_scope", "dates", "commodities", "source_urls"]
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
LINK_COLUMNS = ["measure_id", "link_type", "link_value", "commodity", "ordinal"]


def read_register(payload: bytes, file_name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (measures, links): one row per measure, and one row per listed commodity, element, HS code,
    suspended measure, related measure and source URL."""
    try:
        document = yaml.safe_load(payload)
    except yaml.YAMLError as exc:
        raise SourceFormatError(file_name, f"not valid YAML ({exc})") from exc
    if not isinstance(document, dict) or not isinstance(document.get("measures"), list):
        raise SourceFormatError(file_name, "top level must hold a 'measures' list", field="measures")
    version = document.get("register_version")
    if not isinstance(version, int):
        raise SourceFormatError(file_name, "register_version must be an integer", field="register_version")
    measures, links, seen = [], [], set()
    for index, entry in enumerate(document["measures"]):
        where = dict(row=index + 1)
        missing = [field for field in REQUIRED if not entry.get(field)]
        if missing:
            raise SourceFormatError(file_name, f"measure #{index + 1} lacks {missing}", field=missing[0], **where)
        measure_id = entry["measure_id"]
        if measure_id in seen:
            raise SourceFormatError(file_name, f"measure_id {measure_id!r} appears twice", field="measure_id", **where)
        seen.add(measure_id)
        row = {field: entry.get(field) for field in MEASURE_FIELDS}
        for kind in ("announced", "effective", "end"):
            value = entry["dates"].get(kind)
            value = None if value is None else str(value)
            if value is not None and not DATE_PATTERN.match(value):
                raise SourceFormatError(file_name, f"{measure_id}: date {value!r} is not YYYY-MM[-DD]", field=f"dates.{kind}", **where)
            row[f"date_{kind}"] = value
        row["register_version"] = version
        measures.append(row)
        links.extend(_links(measure_id, entry))
    return pd.DataFrame(measures), pd.DataFrame(links, columns=LINK_COLUMNS)


def _links(measure_id: str, entry: dict) -> list[tuple]:
    rows = []
    for ordinal, item in enumerate(entry["commodities"]):
        rows.append((measure_id, "commodity", item["commodity"], None, ordinal))
        rows.extend((measure_id, "element", element, item["commodity"], n) for n, element in enumerate(item.get("elements") or []))
    for link_type, field in (("hs_code", "hs_codes_stated"), ("suspends", "suspends"),
                             ("related_measure", "related_measures"), ("source_url", "source_urls")):
        rows.extend((measure_id, link_type, str(value), None, n) for n, value in enumerate(entry.get(field) or []))
    return rows
