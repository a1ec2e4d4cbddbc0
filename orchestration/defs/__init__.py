"""Definitions discovered by ``dg.load_defs``: one module per concern (raw extracts, dbt, contract checks, refresh)."""
