"""Code location entry point: everything under ``orchestration/defs`` is discovered, nothing registered by hand."""

import dagster as dg

import orchestration.defs


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_defs(defs_root=orchestration.defs)
