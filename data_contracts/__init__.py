"""Pandera contracts, one module per stage: ``raw`` (pandas, checked before a write), ``staging`` and ``marts``
(ibis, checked inside DuckDB so a large table is never pulled into memory)."""
