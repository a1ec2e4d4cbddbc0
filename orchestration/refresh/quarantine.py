"""Quarantined live periods: check landed periods again, and list, release or drop them without SQL.

A live period is validated against its raw contract (``data_contracts.sources.registry.LIVE_CONTRACTS``) when it is fetched
(``orchestration/defs/live_assets.py``): a failing one is never written and is listed in ``raw.live_quarantine``.
A period that landed under an older, looser contract is checked again before every refresh (``make run``, the
``nightly_refresh`` tick): if the rows staging would read of it now fail, they are taken out of ``raw.<table>`` (their
bytes stay in the landing store) and the period is quarantined, so staging, the marts and the publish build without
it instead of failing on it in dbt every night.

    python -m orchestration.refresh.quarantine list
    python -m orchestration.refresh.quarantine release <raw table> <period>   # check again now; admit the rows if they pass
    python -m orchestration.refresh.quarantine drop <raw table> <period>      # discard its rows (every vintage) and the entry

``make quarantine`` runs ``list`` (``make quarantine ARGS="drop comtrade_live_records 2023"``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass

import dagster as dg
import pandas as pd

from data_contracts.landing import QUARANTINE_TABLE
from data_contracts.sources.registry import LIVE_CONTRACTS
from orchestration.storage.landing_store import quarantine, release_quarantine
from orchestration.storage.warehouse import RAW_SCHEMA, connect, table_exists, transaction
from orchestration.validation import ContractOutcome, validate

WHOLE_TABLE = "latest"  # the period of an unpartitioned live table (the last fetch replaced the whole table)


@dataclass(frozen=True)
class LiveTable:
    """How a live table's rows group into the periods its asset fetches, and which rows staging reads of them."""

    period: Callable[[pd.DataFrame], pd.Series] | None  # None: unpartitioned, one period WHOLE_TABLE
    request: tuple[str, ...] = ()  # staging keeps, per request, the rows of the latest _retrieved_at
    replay_source: str | None = None  # orchestration.extract.live.extract.replay_period can rebuild it


LIVE_TABLES = {
    "census_trade": LiveTable(lambda f: f["time"].astype(str), ("_request_key",), "census"),
    "comtrade_live_records": LiveTable(lambda f: f["refYear"].astype(int).astype(str),
                                       ("reporterCode", "flowCode", "cmdCode", "freqCode", "period"), "comtrade"),
    # monthly declarations: a period is the partition key and Comtrade's period alike (YYYYMM), held month by month
    "comtrade_live_monthly": LiveTable(lambda f: f["period"].astype(str),
                                       ("reporterCode", "flowCode", "cmdCode", "freqCode", "period"), "comtrade"),
    "usgs_mcs_live": LiveTable(lambda f: f["edition"].astype(str), ("edition",)),
    "fedreg_documents": LiveTable(None),
    "wgi_scores": LiveTable(None),
}
PARTITIONED = {"census_trade", "comtrade_live_records", "comtrade_live_monthly", "usgs_mcs_live"}


@dataclass(frozen=True)
class Held:
    table: str
    period: str
    error: str
    rows_removed: int


def failing_rows(frame: pd.DataFrame, outcome: ContractOutcome) -> pd.DataFrame:
    """The rows of ``frame`` a failed contract names (first 25), as they were landed."""
    indexes = [i for i in outcome.metadata.get("failing_row_indexes", []) if i in frame.index][:25]
    return frame.loc[indexes]


def _current_rows(frame: pd.DataFrame, spec: LiveTable) -> pd.DataFrame:
    if not spec.request or frame.empty:
        return frame
    latest = frame.groupby(list(spec.request), dropna=False)["_retrieved_at"].transform("max")
    return frame[frame["_retrieved_at"] == latest]


def _typed(frame: pd.DataFrame, contract) -> pd.DataFrame:
    """DuckDB hands timestamps back as datetime64[us] (naive); the contracts were written for what the fetchers build."""
    columns = contract.to_schema().columns
    for name, column in columns.items():
        if name in frame and "datetime64" in str(column.dtype):
            values = pd.to_datetime(frame[name])
            if "UTC" in str(column.dtype):
                values = values.dt.tz_localize("UTC") if values.dt.tz is None else values.dt.tz_convert("UTC")
            frame[name] = values.astype(str(column.dtype).replace("us", "ns"))
    return frame.reset_index(drop=True)


def recheck_landed(connection=None) -> list[Held]:
    """Validate the rows staging reads of every landed live period against its current contract; take a failing
    period out of its raw table (the previous vintage, if any, becomes current and is checked in turn) and
    quarantine it. Returns what it held back."""
    if connection is None:
        with connect() as own:
            return recheck_landed(own)
    held: list[Held] = []
    for table, spec in LIVE_TABLES.items():
        if not table_exists(connection, RAW_SCHEMA, table):
            continue
        while True:
            frame = connection.execute(f"select * from {RAW_SCHEMA}.{table}").df()
            failure = _first_failing_period(table, spec, frame)
            if failure is None:
                break
            period, rows, outcome = failure
            shas = sorted(rows["_source_sha256"].dropna().unique()) if "_source_sha256" in rows else []
            with transaction(connection):
                if spec.period is None:
                    connection.execute(f"delete from {RAW_SCHEMA}.{table}")
                else:
                    connection.execute(f"delete from {RAW_SCHEMA}.{table} where _source_sha256 in (select unnest(?))", [shas])
                quarantine(table, period, outcome.summary, shas, outcome.metadata.get("failing_checks"),
                           failing_rows(rows, outcome), held_at="recheck", connection=connection)
            held.append(Held(table, period, outcome.summary, len(rows)))
    return held


def _first_failing_period(table: str, spec: LiveTable, frame: pd.DataFrame):
    if frame.empty:
        return None
    current = _current_rows(frame, spec)
    periods = [(WHOLE_TABLE, current)] if spec.period is None else list(current.groupby(spec.period(current)))
    for period, rows in periods:
        rows = _typed(rows.copy(), LIVE_CONTRACTS[table])
        outcome = validate(rows, LIVE_CONTRACTS[table])
        if not outcome.passed:
            return str(period), rows, outcome
    return None


def announce(instance: dg.DagsterInstance | None, table: str, period: str, what: str) -> None:
    """Record the change on the live asset, so the refresh planner rebuilds what reads it."""
    if instance is None:
        return
    instance.report_runless_asset_event(dg.AssetMaterialization(
        asset_key=dg.AssetKey([RAW_SCHEMA, table]), partition=period if table in PARTITIONED else None,
        metadata={"quarantine": what}))


def listing(connection) -> pd.DataFrame:
    if not table_exists(connection, RAW_SCHEMA, QUARANTINE_TABLE):
        return pd.DataFrame(columns=["raw_table", "period", "held_at", "failed_rules", "quarantined_at", "error"])
    columns = {row[0] for row in connection.execute(f"describe {RAW_SCHEMA}.{QUARANTINE_TABLE}").fetchall()}
    optional = ", ".join(c if c in columns else f"null as {c}" for c in ("held_at", "failed_rules"))
    return connection.execute(f"select raw_table, period, {optional}, quarantined_at, error "
                              f"from {RAW_SCHEMA}.{QUARANTINE_TABLE} order by raw_table, period").df()


def release(table: str, period: str) -> str:
    """Check the period again now (after a contract or parser fix): rebuild its rows from the landing store where
    the source can be replayed, validate, and admit them if they pass; else it stays quarantined."""
    spec = LIVE_TABLES[table]
    if spec.replay_source is None:
        release_quarantine(table, period)
        return (f"released raw.{table} {period}: {table} cannot be rebuilt from the landing store, so the next live "
                "run fetches it again")
    from orchestration.extract.live import config as live_config
    from orchestration.extract.live.extract import replay_period
    from orchestration.storage.landing_store import LandingStore
    from orchestration.storage.warehouse import append_vintages

    frame = replay_period(spec.replay_source, period, LandingStore(live_config.landing_dir()))
    if frame.empty:
        release_quarantine(table, period)
        return f"released raw.{table} {period}: no landed response to rebuild it from; the next live run fetches it"
    outcome = validate(frame, LIVE_CONTRACTS[table])
    if not outcome.passed:
        return f"raw.{table} {period} still fails its contract, kept in quarantine: {outcome.summary[:300]}"
    rows = append_vintages(table, frame, sorted(frame["_source_sha256"].unique()))
    release_quarantine(table, period)
    return f"released raw.{table} {period}: {len(frame)} rows pass {LIVE_CONTRACTS[table].__name__} and are back ({rows} in the table)"


def drop(table: str, period: str) -> str:
    """Discard the period: its rows of every vintage and its quarantine entry (the bytes stay in the landing store)."""
    spec = LIVE_TABLES[table]
    with connect() as connection:
        removed = 0
        if table_exists(connection, RAW_SCHEMA, table):
            frame = connection.execute(f"select * from {RAW_SCHEMA}.{table}").df()
            if spec.period is None:
                removed = len(frame)
                connection.execute(f"delete from {RAW_SCHEMA}.{table}")
            elif not frame.empty:
                shas = sorted(frame.loc[spec.period(frame) == period, "_source_sha256"].unique())
                removed = int((spec.period(frame) == period).sum())
                connection.execute(f"delete from {RAW_SCHEMA}.{table} where _source_sha256 in (select unnest(?))", [shas])
    release_quarantine(table, period)
    return f"dropped raw.{table} {period}: {removed} rows removed, quarantine entry removed (responses kept in the landing store)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.refresh.quarantine", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the periods held back, the rules they broke, when")
    for name, text in (("release", "check the period again now and admit it if it passes"),
                       ("drop", "discard the period's rows (every vintage) and its entry")):
        command = commands.add_parser(name, help=text)
        command.add_argument("table", choices=sorted(LIVE_TABLES))
        command.add_argument("period")
    args = parser.parse_args(argv)
    if args.command == "list":
        from orchestration.settings import warehouse_path

        if not warehouse_path().exists():
            print("no warehouse yet: nothing quarantined")
            return 0
        with connect(read_only=True) as connection:
            held = listing(connection)
        if held.empty:
            print("nothing quarantined")
            return 0
        for row in held.itertuples():
            print(f"raw.{row.raw_table} {row.period} (held at {row.held_at or 'fetch'}, {row.quarantined_at:%Y-%m-%d %H:%M} UTC): "
                  f"{row.failed_rules or row.error[:200]}")
        return 0
    message = (release if args.command == "release" else drop)(args.table, args.period)
    announce(_instance(), args.table, args.period, args.command)
    print(message)
    return 1 if "still fails" in message else 0


def _instance() -> dg.DagsterInstance | None:
    from orchestration.settings import DAGSTER_HOME

    return dg.DagsterInstance.get() if DAGSTER_HOME.get() else None


if __name__ == "__main__":
    sys.exit(main())
