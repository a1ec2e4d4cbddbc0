"""How fresh each live source should be: Dagster freshness policies on the live extract assets (shown on each
asset's page, evaluated by the daemon under `make dev`), and the one line `make run` prints from the same windows.

The windows are this project's choice from each source's cadence, not published service levels: the Census
International Trade API adds one month at a time some weeks after the month ends (monthly + publication lag), UN
Comtrade annual data and the USGS Mineral Commodity Summaries arrive once a year, and the Federal Register
publishes every business day (our fetch runs nightly). A stale source only warns: nothing blocks on it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import dagster as dg

# asset table -> (warn after, fail after) since its last successful materialization
WINDOWS: dict[str, tuple[timedelta, timedelta]] = {
    "census_trade": (timedelta(days=45), timedelta(days=75)),
    "comtrade_live_records": (timedelta(days=400), timedelta(days=550)),
    "comtrade_live_monthly": (timedelta(days=45), timedelta(days=75)),  # a month at a time, like Census
    "fedreg_documents": (timedelta(days=2), timedelta(days=4)),
    "usgs_mcs_live": (timedelta(days=400), timedelta(days=550)),
}


def policy(table: str) -> dg.FreshnessPolicy:
    warn, fail = WINDOWS[table]
    return dg.FreshnessPolicy.time_window(fail_window=fail, warn_window=warn)


def status(instance: dg.DagsterInstance, table: str, now: datetime | None = None) -> str:
    """'fresh', 'STALE (warn)', 'STALE' or 'never fetched', with the age of the last materialization."""
    now = now or datetime.now(UTC)
    fetched = _last_fetch_timestamp(instance, table)
    if fetched is None:
        return "never fetched"
    age = now - datetime.fromtimestamp(fetched, UTC)
    warn, fail = WINDOWS[table]
    verdict = "STALE" if age > fail else "STALE (warn)" if age > warn else "fresh"
    return f"{verdict} {_age(age)}"


def _last_fetch_timestamp(instance: dg.DagsterInstance, table: str, look_back: int = 50) -> float | None:
    """A snapshot-mode materialization (the table kept or created empty, nothing fetched) is not a fetch."""
    records = instance.fetch_materializations(dg.AssetKey(["raw", table]), limit=look_back).records
    for record in records:  # newest first
        mode = record.asset_materialization.metadata.get("mode") if record.asset_materialization else None
        if getattr(mode, "value", mode) != "snapshot":
            return record.timestamp
    return None


def freshness_line(instance: dg.DagsterInstance, now: datetime | None = None, mode: str | None = None) -> str:
    """In snapshot mode nothing is fetched on purpose: say so rather than list "never fetched" as if it had failed."""
    from orchestration.extract.live.config import SOURCE_ENV, source_mode

    statuses = {table: status(instance, table, now) for table in WINDOWS}
    head = f"  {'freshness':<13}{'':>8}   "
    if source_mode(mode) == "snapshot":
        if all(value == "never fetched" for value in statuses.values()):
            return head + (f"live sources not configured (snapshot mode: the embedded snapshot is the data; "
                           f"{SOURCE_ENV}=live fetches them, docs/LIVE_SOURCES.md)")
        return head + "; ".join(f"{table} {value}" for table, value in statuses.items()) + \
            " (snapshot mode: not fetched by this run; warns only)"
    return head + "; ".join(f"{table} {value}" for table, value in statuses.items()) + " (warns only)"


def _age(age: timedelta) -> str:
    return f"({age.days} d ago)" if age.days else f"({age.seconds // 3600} h ago)"
