"""Every snapshot loader, registered: importing this module imports each source module that declares one
(``@raw_table``, orchestration/extract/registry.py), so ``RAW_TABLES`` holds them all. Explicit imports rather than
discovery: an asset's code version follows its imports (orchestration/versioning/code_versions.py), so the raw assets'
version changes when any loader or parser does."""

from orchestration.extract import (  # noqa: F401  (imported for the loaders they register)
    atlas_flows,
    comtrade,
    comtrade_two_sided,
    measures_register,
    usgs_mcs,
    usitc_dataweb,
    worldbank_wgi,
)
from orchestration.extract.registry import RAW_TABLES, RawTable

__all__ = ["RAW_TABLES", "RawTable"]
