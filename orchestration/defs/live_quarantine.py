"""raw.live_quarantine: periods whose live response failed its raw contract. They stay in the landing store with
their error and are listed here (and in the `make run` summary); staging never sees them; a later good fetch of the
period removes the row."""

from datetime import UTC, datetime

from orchestration.warehouse import RAW_SCHEMA, connect, table_exists

QUARANTINE_TABLE = "live_quarantine"


def quarantine(table: str, period: str, error: str, shas: list[str]) -> None:
    with connect() as connection:
        connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        connection.execute(f"""create table if not exists {RAW_SCHEMA}.{QUARANTINE_TABLE} (
            raw_table varchar, period varchar, error varchar, source_sha256 varchar[], quarantined_at timestamp)""")
        connection.execute(f"delete from {RAW_SCHEMA}.{QUARANTINE_TABLE} where raw_table = ? and period = ?", [table, period])
        connection.execute(f"insert into {RAW_SCHEMA}.{QUARANTINE_TABLE} values (?, ?, ?, ?, ?)",
                           [table, period, error[:2000], shas, datetime.now(UTC).replace(tzinfo=None)])


def release_quarantine(table: str, period: str) -> None:
    with connect() as connection:
        if table_exists(connection, RAW_SCHEMA, QUARANTINE_TABLE):
            connection.execute(f"delete from {RAW_SCHEMA}.{QUARANTINE_TABLE} where raw_table = ? and period = ?",
                               [table, period])


def quarantined(connection) -> list[tuple[str, str, str]]:
    """(raw table, period, error) of every period held back, for the run summary and tests."""
    if not table_exists(connection, RAW_SCHEMA, QUARANTINE_TABLE):
        return []
    return connection.execute(f"select raw_table, period, error from {RAW_SCHEMA}.{QUARANTINE_TABLE} "
                              "order by 1, 2").fetchall()
