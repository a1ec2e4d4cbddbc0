"""Chokepoint Dagster code location: raw extracts, dbt transforms, contract checks, refresh job."""
