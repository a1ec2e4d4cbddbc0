"""Every source module's contracts, merged: RAW_CONTRACTS, LIVE_CONTRACTS and STAGING_CONTRACTS (each staging contract
typed from its model's YAML). Here rather than in the package's __init__: importing one source's module (a rule's name
in a test or in downstream_tests.py) then pulls in no other source, and an asset's code version
(orchestration/versioning/code_versions.py) follows only what it imports. A new source module is added to SOURCES."""

from data_contracts.dbt_columns import typed_from_dbt
from data_contracts.sources import (
    atlas,
    baci,
    census,
    comtrade,
    comtrade_two_sided,
    fedreg,
    measures_register,
    usgs,
    usitc,
    worldbank,
)

SOURCES = (usitc, comtrade, usgs, comtrade_two_sided, worldbank, atlas, measures_register, census, fedreg, baci)


def _merged(kind: str) -> dict:
    merged: dict = {}
    for module in SOURCES:
        for name, contract in getattr(module, kind, {}).items():
            if name in merged:
                raise ValueError(f"data_contracts.sources: {name!r} has a {kind} contract in two modules")
            merged[name] = contract
    return merged


RAW_CONTRACTS = _merged("RAW")
LIVE_CONTRACTS = _merged("LIVE")
STAGING_CONTRACTS = typed_from_dbt(_merged("STAGING"), "staging")
