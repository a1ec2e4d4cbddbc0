"""Columns of the two tables the landing store keeps beside the parsed live rows (``orchestration/storage/landing_store.py``
is their only writer): the index of every retrieval, and the periods held back because their response failed its
raw contract (at fetch, or when a landed period was checked again against a stricter contract)."""

from __future__ import annotations

RESPONSE_COLUMNS = {
    "source": "varchar",
    "request_key": "varchar",  # what was asked (e.g. 'imports/280530/2024-01'): vintages are compared per key
    "period": "varchar",
    "request_url": "varchar",  # without the API key
    "status": "integer",
    "content_type": "varchar",
    "retrieved_at": "timestamp",  # UTC
    "sha256": "varchar",  # the bytes' address in the store
    "byte_count": "bigint",
    "landing_path": "varchar",
    "attempts": "integer",
}

QUARANTINE_TABLE = "live_quarantine"
QUARANTINE_COLUMNS = {
    "raw_table": "varchar",
    "period": "varchar",
    "error": "varchar",  # the contract's failure, first 2,000 characters
    "source_sha256": "varchar[]",  # the responses that failed, still in the store
    "quarantined_at": "timestamp",  # UTC
    "failed_rules": "varchar",  # the contract checks it broke ('; '-separated)
    "failing_rows": "varchar",  # JSON: the rows that broke them (first 25), as landed
    "held_at": "varchar",  # 'fetch' (never written) or 'recheck' (landed earlier, taken out of raw by orchestration/refresh/quarantine.py)
}


def columns_ddl(columns: dict[str, str]) -> str:
    return ", ".join(f"{name} {sql_type}" for name, sql_type in columns.items())
