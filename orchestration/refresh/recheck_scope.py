"""Which bulk trade rows a contract (or the publish) has to look at: only those loaded since it last succeeded.

The staging and fact contracts over the bulk source are row rules (each rule looks at one row), so a row they
passed passes again as long as it was not reloaded and the code that shapes it is the same: the code versions of
the checked asset and of everything upstream, plus the checking code (``code_versions.lineage_code_version``).
Re-checking 50M rows after one new year cost ~33 s of a ~155 s incremental refresh (docs/BENCHMARKS.md). A check
therefore records, when it passes, the newest ``_loaded_at`` of ``raw.bulk_trade_flows`` and that code version; the
next evaluation under the same code checks only rows loaded after that. The pass is recorded twice: in the check's
own metadata (what the UI shows) and as an observation of the checked asset (what the next evaluation reads back:
Dagster's public API reads asset events, not check history). Anything else (first evaluation, other code, no
watermark) checks every row; a failure records no pass, so the rows after the last pass are checked again. The code
versions are those the run's process loaded when it started: an edit saved during the run does not count as
validated. The publish uses the same rule to copy only the fact's changed years into the next serving file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import dagster as dg
import duckdb

from orchestration.storage.warehouse import table_exists

WATERMARK = "validated_loaded_through"
BULK_RAW = "raw.bulk_trade_flows"
PASSED_CHECK = "contract_passed"  # names the check on the observation a pass records (an asset can have several)
PAGE = 50
CODE_VERSION = "code_version"  # the lineage code version a pass or publish was made with


@dataclass(frozen=True)
class Scope:
    """``since`` None: every row. ``loaded_through``: newest load now, the watermark a pass records."""

    since: datetime | None
    loaded_through: datetime | None
    code: str
    reason: str

    def metadata(self) -> dict:
        recorded = {CODE_VERSION: self.code, "scope": self.reason}
        if self.loaded_through is not None:
            recorded[WATERMARK] = self.loaded_through.isoformat()
        return recorded


def pass_observation(check_key: dg.AssetCheckKey, scope: Scope) -> dg.AssetObservation:
    """Logged by a scoped check when it passes: the watermark and code the next evaluation reads back."""
    return dg.AssetObservation(asset_key=check_key.asset_key, metadata={PASSED_CHECK: check_key.name,
                                                                         **scope.metadata()})


def last_pass(instance: dg.DagsterInstance, check_key: dg.AssetCheckKey) -> Mapping | None:
    """Metadata of the newest passing evaluation of this check (the one running now has recorded nothing yet)."""
    cursor = None
    while True:
        page = instance.fetch_observations(dg.AssetRecordsFilter(asset_key=check_key.asset_key), limit=PAGE,
                                           cursor=cursor)
        for record in page.records:
            observation = record.asset_observation
            if observation is not None and _text(observation.metadata, PASSED_CHECK) == check_key.name:
                return observation.metadata
        if not page.has_more:
            return None
        cursor = page.cursor


def _text(metadata: Mapping, name: str) -> str | None:
    value = metadata.get(name)
    return None if value is None else str(getattr(value, "value", value))


def newest_bulk_load(connection: duckdb.DuckDBPyConnection) -> datetime | None:
    # fetchall, not fetchone: the connection is shared with ibis, and DuckDB refuses new work on a half-read result.
    if not table_exists(connection, "raw", "bulk_trade_flows"):
        return None
    return connection.execute(f"select max(_loaded_at) from {BULK_RAW}").fetchall()[0][0]


def bulk_scope(context: dg.AssetCheckExecutionContext, check_key: dg.AssetCheckKey,
               connection: duckdb.DuckDBPyConnection, code: str) -> Scope:
    return scope_since(last_pass(context.instance, check_key), connection, code)


def scope_since(previous: Mapping | None, connection: duckdb.DuckDBPyConnection, code: str) -> Scope:
    """The scope after an earlier success that recorded ``previous`` (its metadata; None: there was none), for
    ``code`` (the lineage code version of what is checked now)."""
    loaded_through = newest_bulk_load(connection)
    if previous is None:
        return Scope(None, loaded_through, code, "every row: no earlier passing evaluation")
    if _text(previous, CODE_VERSION) != code:
        return Scope(None, loaded_through, code, "every row: the code changed since the last pass")
    watermark = _text(previous, WATERMARK)
    if watermark is None:
        return Scope(None, loaded_through, code, "every row: the last pass recorded no bulk load")
    return Scope(datetime.fromisoformat(watermark), loaded_through, code,
                 f"bulk rows loaded after {watermark} (earlier rows passed with this code)")


def years_loaded_since(connection: duckdb.DuckDBPyConnection, since: datetime) -> list[int]:
    rows = connection.execute(f"select distinct t from {BULK_RAW} where _loaded_at > ? order by t", [since]).fetchall()
    return [row[0] for row in rows]
