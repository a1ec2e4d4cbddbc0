"""The landing store, the only writer of its tables: bytes on disk addressed by their sha256, one row per
retrieval in ``raw.<source>_responses`` (request URL without key, status, retrieved_at, sha256, period, path), and
``raw.live_quarantine``, the periods whose response failed its raw contract (columns: ``data_contracts/landing.py``).

A response is landed before it is parsed. Identical bytes are stored once (same address); a period that comes
back with different bytes is a new *vintage*, and both stay. Nothing here deletes or overwrites a response. A
quarantined period stays in the store with its error; staging never sees it; a later good fetch releases it."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from data_contracts.landing import QUARANTINE_COLUMNS, QUARANTINE_TABLE, RESPONSE_COLUMNS, columns_ddl
from orchestration.extract.live.http import Response, redact
from orchestration.storage.warehouse import RAW_SCHEMA, connect, table_exists

EXTENSIONS = {"json": ".json", "html": ".html", "csv": ".csv", "xml": ".xml"}


@dataclass(frozen=True)
class Landed:
    source: str
    request_key: str  # what was asked (e.g. 'imports/280530/2024-01'): vintages are compared per request key
    period: str
    request_url: str
    status: int
    retrieved_at: datetime
    sha256: str
    path: Path
    previous_sha256: tuple[str, ...]  # earlier, different bytes for the same request: a revision

    @property
    def is_revision(self) -> bool:
        return self.status == 200 and bool(self.previous_sha256)


def responses_table(source: str) -> str:
    return f"{source}_responses"


class LandingStore:
    def __init__(self, root: Path):
        self.root = root

    def land(self, source: str, request_key: str, period: str, response: Response) -> Landed:
        """Write the bytes (if new), then record the retrieval; returns where they are and whether they revise."""
        sha = hashlib.sha256(response.body).hexdigest()
        path = self._write_bytes(source, sha, response.body, response.content_type)
        retrieved = pd.Timestamp(response.retrieved_at).tz_convert("UTC").tz_localize(None)
        table = f"{RAW_SCHEMA}.{responses_table(source)}"
        with connect() as connection:
            connection.execute(f"create schema if not exists {RAW_SCHEMA}")
            connection.execute(f"create table if not exists {table} ({columns_ddl(RESPONSE_COLUMNS)})")
            previous = connection.execute(
                f"select distinct sha256 from {table} where request_key = ? and status = 200 and sha256 <> ?",
                [request_key, sha],
            ).fetchall()
            connection.execute(
                f"insert into {table} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [source, request_key, period, redact(response.url), response.status, response.content_type,
                 retrieved.to_pydatetime(), sha, len(response.body), str(path), response.attempts],
            )
        return Landed(source, request_key, period, redact(response.url), response.status, retrieved.to_pydatetime(),
                      sha, path, tuple(sorted(row[0] for row in previous)))

    def read(self, path: Path, sha256: str) -> bytes:
        """Bytes from the store, checked against their address (a replay must parse exactly what was fetched)."""
        payload = Path(path).read_bytes()
        if hashlib.sha256(payload).hexdigest() != sha256:
            raise ValueError(f"landing file {path} does not hash to {sha256}: the store was altered")
        return payload

    def _write_bytes(self, source: str, sha: str, body: bytes, content_type: str) -> Path:
        kind = next((ext for key, ext in EXTENSIONS.items() if key in (content_type or "").lower()), ".bin")
        folder = self.root / source
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{sha}{kind}"
        if not path.exists():
            # Write-then-rename: a crash never leaves a half-written file under a valid address.
            temporary = folder / f".{sha}.{os.getpid()}.tmp"
            temporary.write_bytes(body)
            os.replace(temporary, path)
            path.chmod(0o444)
        return path


def landed_responses(source: str, period: str | None = None) -> pd.DataFrame:
    """Every retrieval recorded for a source (optionally one period), oldest first: the input of a replay."""
    table = f"{RAW_SCHEMA}.{responses_table(source)}"
    with connect(read_only=True) as connection:
        if not table_exists(connection, RAW_SCHEMA, responses_table(source)):
            return pd.DataFrame(columns=list(RESPONSE_COLUMNS))
        where, params = ("where period = ?", [period]) if period else ("", [])
        return connection.execute(f"select * from {table} {where} order by retrieved_at", params).df()


def quarantine(table: str, period: str, error: str, shas: list[str], rules: list[str] | None = None,
               rows: pd.DataFrame | None = None, held_at: str = "fetch", connection=None) -> None:
    """Hold a period back: one row in raw.live_quarantine (rules broken, failing rows, response sha256s)."""
    if connection is None:
        with connect() as own:
            return quarantine(table, period, error, shas, rules, rows, held_at, own)
    connection.execute(f"create schema if not exists {RAW_SCHEMA}")
    connection.execute(f"create table if not exists {RAW_SCHEMA}.{QUARANTINE_TABLE} ({columns_ddl(QUARANTINE_COLUMNS)})")
    for name, sql_type in QUARANTINE_COLUMNS.items():  # a table created before a column was added
        connection.execute(f"alter table {RAW_SCHEMA}.{QUARANTINE_TABLE} add column if not exists {name} {sql_type}")
    shown = "[]" if rows is None else rows.head(25).astype(str).to_json(orient="records")
    connection.execute(f"delete from {RAW_SCHEMA}.{QUARANTINE_TABLE} where raw_table = ? and period = ?", [table, period])
    connection.execute(f"insert into {RAW_SCHEMA}.{QUARANTINE_TABLE} by name select ? as raw_table, ? as period, "
                       "? as error, ? as source_sha256, ? as quarantined_at, ? as failed_rules, ? as failing_rows, "
                       "? as held_at",
                       [table, period, error[:2000], shas, datetime.now(UTC).replace(tzinfo=None),
                        "; ".join(rules or []), shown, held_at])


def release_quarantine(table: str, period: str) -> None:
    with connect() as connection:
        if table_exists(connection, RAW_SCHEMA, QUARANTINE_TABLE):
            connection.execute(f"delete from {RAW_SCHEMA}.{QUARANTINE_TABLE} where raw_table = ? and period = ?",
                               [table, period])


def quarantined_periods(table: str) -> set[str]:
    """The periods of one live table held back now (empty when there is no warehouse yet): the schedules ask
    for them again like periods never landed."""
    from orchestration.settings import warehouse_path

    if not warehouse_path().exists():
        return set()
    try:
        with connect(read_only=True) as connection:
            if not table_exists(connection, RAW_SCHEMA, QUARANTINE_TABLE):
                return set()
            return {row[0] for row in connection.execute(
                f"select period from {RAW_SCHEMA}.{QUARANTINE_TABLE} where raw_table = ?", [table]).fetchall()}
    except duckdb.Error:  # the file is being written by a run: it will be asked for on the next tick
        return set()


def quarantined(connection) -> list[tuple[str, str, str]]:
    """(raw table, period, error) of every period held back, for the run summary and tests."""
    if not table_exists(connection, RAW_SCHEMA, QUARANTINE_TABLE):
        return []
    return connection.execute(f"select raw_table, period, error from {RAW_SCHEMA}.{QUARANTINE_TABLE} "
                              "order by 1, 2").fetchall()
