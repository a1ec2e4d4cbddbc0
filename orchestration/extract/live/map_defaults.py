"""Default live request lists read from the dbt seed hs_mineral_map (one source of truth for the codes the marts map).

A code the map does not hold would land and then fall out of every mart unmapped; a code the map holds but the live
default omits would leave its mart rows to the snapshot alone. Reading the seed keeps the two in step."""

from __future__ import annotations

import csv
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[3] / "dbt_project" / "seeds"


def _map_rows(seeds: Path = SEEDS) -> list[tuple[str, str]]:
    with (seeds / "hs_mineral_map.csv").open(newline="", encoding="utf-8") as handle:
        return [(row["commodity_code"].strip(), row["mineral"].strip()) for row in csv.DictReader(handle)]


def _map_codes(seeds: Path = SEEDS) -> list[str]:
    return [code for code, _ in _map_rows(seeds)]


def census_commodities(seeds: Path = SEEDS) -> list[str]:
    """Every six-digit code of the map, sorted: the Census query runs at COMM_LVL=HS6 and has no paging, so each
    code is its own request (census.requests_for_month), which keeps every answer small. A heading mapped only at
    four digits (2611 tungsten ores ...) has no HS6 request here; its US trade comes from USITC DataWeb."""
    return sorted({code for code in _map_codes(seeds) if len(code) == 6 and code.isdigit()})


# The Comtrade default reporter: China (M49 156) as importer, the series the marts read from Comtrade (the snapshot's
# own query, China x 2846, widened to every mapped code). US imports come from USITC DataWeb and the Census API, and
# any other importer from CEPII BACI; a further reporter is one CHOKEPOINT_COMTRADE_REPORTERS entry away (every code
# it reports must be in baci_country_codes, BACI's country table, or comtrade_partner_areas, Comtrade's own partner
# areas such as 837 Bunkers, or its year is quarantined: ComtradeLiveRecords).
COMTRADE_REPORTERS = ("156",)


def comtrade_commodities(seeds: Path = SEEDS) -> list[str]:
    """Every code of the map at the level the map holds it (a four-digit heading is asked as the heading), sorted,
    except a code inside a shorter mapped code of the same mineral (250410 inside 2504 graphite, 811292 inside
    8112): Comtrade answers the heading with its own total, so asking both would count the subheading twice in
    that mineral. A subheading of a *different* mineral than its heading (280530 rare earths inside the mixed
    2805) is asked too: the marts give each mineral its own row and never add a mixed heading to a mineral."""
    rows = sorted(set(_map_rows(seeds)))
    minerals_by_code: dict[str, set[str]] = {}
    for code, mineral in rows:
        minerals_by_code.setdefault(code, set()).add(mineral)

    def covered(code: str, mineral: str) -> bool:
        return any(mineral in minerals_by_code.get(code[:length], set()) for length in range(2, len(code)))

    return sorted({code for code, mineral in rows if code.isdigit() and not covered(code, mineral)})
