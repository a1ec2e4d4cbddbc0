"""Default live request lists read from the dbt seed hs_mineral_map (one source of truth for the codes the marts map).

A code the map does not hold would land and then fall out of every mart unmapped; a code the map holds but the live
default omits would leave its mart rows to the snapshot alone. Reading the seed keeps the two in step."""

from __future__ import annotations

import csv
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[3] / "dbt_project" / "seeds"


def _map_codes(seeds: Path = SEEDS) -> list[str]:
    with (seeds / "hs_mineral_map.csv").open(newline="", encoding="utf-8") as handle:
        return [row["commodity_code"].strip() for row in csv.DictReader(handle)]


def census_commodities(seeds: Path = SEEDS) -> list[str]:
    """Every six-digit code of the map, sorted: the Census query runs at COMM_LVL=HS6 and has no paging, so each
    code is its own request (census.requests_for_month), which keeps every answer small. A heading mapped only at
    four digits (2611 tungsten ores ...) has no HS6 request here; its US trade comes from USITC DataWeb."""
    return sorted({code for code in _map_codes(seeds) if len(code) == 6 and code.isdigit()})
