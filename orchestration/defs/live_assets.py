"""Live extracts as Dagster assets (group ``live``). Their jobs and nightly schedules: ``live_jobs.py``; the
landing store and the quarantine of periods that fail their contract: ``orchestration/storage/landing_store.py``.

- ``raw/census_trade`` — monthly partitions (YYYY-MM); ``raw/comtrade_live_records`` — yearly partitions;
  ``raw/comtrade_live_monthly`` — monthly partitions (YYYYMM) of the same Comtrade requests with freqCode M.
  Each partition fetches, lands and parses its period, validates it against its contract, then appends it as a
  new vintage in one transaction. They are separate from the snapshot assets (which keep loading the embedded
  history) and feed the same staging models, which keep the latest vintage per request.
- ``raw/fedreg_documents`` — unpartitioned, its own job ``live_fedreg_extract`` (schedule ``live_fedreg_nightly``),
  never inside ``refresh_warehouse``; it fetches only in live mode.
- ``raw/usgs_mcs_live`` — static partitions by MCS edition (``2026`` ...), ScienceBase; fetches only in live mode,
  job ``live_usgs_mcs_extract``, no schedule (an edition is published once a year). Staging keeps the latest
  vintage of each edition, so a fetched release replaces the snapshot's figures of that edition in the marts.

The partitioned assets carry the tag ``chokepoint/partitioned`` so ``refresh_warehouse`` (one unpartitioned run)
leaves them to their own jobs; the ``live_*_nightly`` schedules ask only for periods not landed yet."""



import dagster as dg
import pandas as pd

from data_contracts.sources.registry import LIVE_CONTRACTS
from orchestration.defs.source_switch import SourceSwitch
from orchestration.extract.live import config as live_config
from orchestration.extract.live.extract import (
    PeriodOutcome,
    fetch_census_month,
    fetch_comtrade_month,
    fetch_comtrade_year,
    fetch_fedreg_documents,
    fetch_mcs_edition,
)
from orchestration.extract.live.sciencebase import EDITIONS as MCS_EDITIONS
from orchestration.refresh import freshness
from orchestration.refresh.quarantine import failing_rows
from orchestration.storage.landing_store import QUARANTINE_TABLE, LandingStore, quarantine, release_quarantine
from orchestration.storage.warehouse import RAW_SCHEMA, WRITER_POOL, append_vintages, connect, table_exists, write_raw_table
from orchestration.validation import CONTRACT_CHECK, validate
from orchestration.versioning.code_versions import code_version

LIVE_GROUP = "live"
PARTITIONED_TAG = "chokepoint/partitioned"
# A live fetch that is not partitioned still runs on its own (never inside refresh_warehouse): one bad API response
# must fail only that run, not skip staging and every mart behind it (staging is one dbt step over all sources).
OWN_RUN_TAG = "chokepoint/own_run"

CENSUS_PARTITIONS = dg.MonthlyPartitionsDefinition(start_date="2013-01", fmt="%Y-%m")
COMTRADE_PARTITIONS = dg.TimeWindowPartitionsDefinition(start="1993", fmt="%Y", cron_schedule="0 0 1 1 *")
# Keyed as Comtrade's own monthly period (YYYYMM), so a partition, its landed responses and its quarantine entry share
# one name. Its own table: the yearly asset owns raw.comtrade_live_records, and two assets cannot share a table.
COMTRADE_MONTHLY_PARTITIONS = dg.MonthlyPartitionsDefinition(start_date="201001", fmt="%Y%m")
MCS_PARTITIONS = dg.StaticPartitionsDefinition(MCS_EDITIONS)


def _check_spec(table: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(CONTRACT_CHECK, asset=dg.AssetKey([RAW_SCHEMA, table]), blocking=True,
                             description=f"Rows satisfy {LIVE_CONTRACTS[table].__module__}.{LIVE_CONTRACTS[table].__name__} before they are written")




def _validated(table: str, outcome: PeriodOutcome) -> dict:
    """Validate a whole period before any row is written; raise (nothing written) when it fails.

    A failing period is quarantined: its responses stay in the landing store, one row in raw.live_quarantine says
    which period and why, and staging never sees its rows; a later fetch of the period that passes lifts it."""
    result = validate(outcome.frame, LIVE_CONTRACTS[table])
    if not result.passed:
        shas = sorted(outcome.frame["_source_sha256"].unique()) if "_source_sha256" in outcome.frame else []
        quarantine(table, outcome.period, result.summary, shas, result.metadata.get("failing_checks"),
                   failing_rows(outcome.frame, result))
        raise dg.Failure(description=f"raw.{table} not written for {outcome.period} (quarantined in "
                                     f"{RAW_SCHEMA}.{QUARANTINE_TABLE}): {result.summary}",
                         metadata={**result.metadata, **_json(outcome.metadata()), "quarantined": True})
    release_quarantine(table, outcome.period)
    return result.metadata


def _json(metadata: dict) -> dict:
    return {k: dg.MetadataValue.json(v) if isinstance(v, (list, dict)) else v for k, v in metadata.items()}


def _period_asset(table: str, partitions: dg.PartitionsDefinition, fetch, description: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey([RAW_SCHEMA, table]),
        group_name=LIVE_GROUP,
        partitions_def=partitions,
        description=description,
        kinds={"api", "duckdb"},
        tags={PARTITIONED_TAG: "true"},
        code_version=code_version(__name__),
        pool=WRITER_POOL,
        output_required=False,  # a period the source has not published yet (HTTP 204) materializes nothing
        check_specs=[_check_spec(table)],
        freshness_policy=freshness.policy(table),
    )
    def _extract(context: dg.AssetExecutionContext):
        store = LandingStore(live_config.landing_dir())
        outcome = fetch(context.partition_key, store)
        metadata = _json(outcome.metadata())
        if outcome.no_trade:
            context.log.info(f"{table} {context.partition_key}: no trade for {len(outcome.no_trade)} requested codes")
        if outcome.frame.empty:
            context.log.info(f"{table} {context.partition_key}: no data published yet ({len(outcome.no_data)} empty answers)")
            yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=True, metadata={"rows_checked": 0, **metadata})
            return
        check_metadata = _validated(table, outcome)
        rows = append_vintages(table, outcome.frame, sorted(outcome.frame["_source_sha256"].unique()))
        if outcome.revisions:
            context.log.warning(f"{table} {context.partition_key}: source revised {outcome.revisions}; both vintages kept")
        if not outcome.complete:
            # Rows that did arrive are kept, but the partition stays "missing" so the nightly run asks again.
            context.log.warning(f"{table} {context.partition_key}: not published yet for {outcome.no_data}; will retry")
            yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=True, metadata=check_metadata)
            return
        yield dg.MaterializeResult(metadata={**metadata, "dagster/row_count": rows, "table_rows_total": rows,
                                             "dagster/table_name": f"{RAW_SCHEMA}.{table}"})
        yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=True, metadata=check_metadata)

    _extract.__name__ = f"live_{table}"
    return _extract


census_trade = _period_asset(
    "census_trade", CENSUS_PARTITIONS, fetch_census_month,
    "US Census International Trade API, monthly imports and exports by country for the HS6 codes in "
    "CHOKEPOINT_CENSUS_COMMODITIES; every vintage kept (staging uses the latest).",
)
comtrade_live_records = _period_asset(
    "comtrade_live_records", COMTRADE_PARTITIONS, fetch_comtrade_year,
    "UN Comtrade v1 annual records fetched live: reporters x flows x batches of commodity codes, by default China's "
    "imports of every code of hs_mineral_map (CHOKEPOINT_COMTRADE_* override); a code without records in a year "
    "the reporter published is 'no_trade', not missing. Every vintage kept, and staging prefers the latest vintage "
    "of a request over the snapshot's.",
)

comtrade_live_monthly = _period_asset(
    "comtrade_live_monthly", COMTRADE_MONTHLY_PARTITIONS, fetch_comtrade_month,
    "UN Comtrade v1 monthly records (freqCode M, period YYYYMM) fetched live for the same reporters x flows x codes "
    "as raw.comtrade_live_records; its schedule asks for nothing unless CHOKEPOINT_COMTRADE_MONTHLY_WINDOW is set. "
    "Every vintage kept; stg_comtrade__records keeps the latest vintage of each request, as period_kind 'monthly'.",
)


@dg.asset(
    key=dg.AssetKey([RAW_SCHEMA, "fedreg_documents"]),
    group_name=LIVE_GROUP,
    description="Federal Register documents of the Bureau of Industry and Security since CHOKEPOINT_FEDREG_SINCE: "
                "candidate policy events for the measures register (never merged into it automatically). "
                "Fetched only in live mode; in snapshot mode the last fetched table is kept as is.",
    kinds={"api", "duckdb"},
    tags={OWN_RUN_TAG: "true"},
    code_version=code_version(__name__),
    pool=WRITER_POOL,
    check_specs=[_check_spec("fedreg_documents")],
    freshness_policy=freshness.policy("fedreg_documents"),
)
def fedreg_documents(context: dg.AssetExecutionContext, config: SourceSwitch):
    if live_config.source_mode(config.source) != "live":
        rows = _ensure_empty_table("fedreg_documents", LIVE_CONTRACTS["fedreg_documents"])
        yield dg.MaterializeResult(metadata={"mode": "snapshot", "fetched": False, "dagster/row_count": rows})
        yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=True, metadata={"skipped": "snapshot mode"})
        return
    outcome = fetch_fedreg_documents(LandingStore(live_config.landing_dir()))
    check_metadata = _validated("fedreg_documents", outcome)
    rows = write_raw_table("fedreg_documents", outcome.frame)
    yield dg.MaterializeResult(metadata={**_json(outcome.metadata()), "mode": "live", "dagster/row_count": rows})
    yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=True, metadata=check_metadata)


@dg.asset(
    key=dg.AssetKey([RAW_SCHEMA, "usgs_mcs_live"]),
    group_name=LIVE_GROUP,
    partitions_def=MCS_PARTITIONS,
    description="USGS Mineral Commodity Summaries data release of one edition, from ScienceBase (item JSON, then the "
                "data CSV; item ids per edition from CHOKEPOINT_SCIENCEBASE_ITEMS). Only the MCS 2026 long-CSV layout "
                "is parsed. Fetched only in live mode; every vintage kept. stg_usgs__mcs_statistics uses the latest vintage "
                "of each edition, in place of the snapshot's.",
    kinds={"api", "duckdb"},
    tags={PARTITIONED_TAG: "true"},
    code_version=code_version(__name__),
    pool=WRITER_POOL,
    output_required=False,  # snapshot mode: nothing fetched, nothing materialized
    check_specs=[_check_spec("usgs_mcs_live")],
    freshness_policy=freshness.policy("usgs_mcs_live"),
)
def usgs_mcs_live(context: dg.AssetExecutionContext, config: SourceSwitch):
    if live_config.source_mode(config.source) != "live":
        context.log.info(f"usgs_mcs_live {context.partition_key}: snapshot mode, nothing fetched (CHOKEPOINT_SOURCE=live fetches)")
        yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=True, metadata={"skipped": "snapshot mode"})
        return
    outcome = fetch_mcs_edition(context.partition_key, LandingStore(live_config.landing_dir()))
    check_metadata = _validated("usgs_mcs_live", outcome)
    rows = append_vintages("usgs_mcs_live", outcome.frame, sorted(outcome.frame["_source_sha256"].unique()))
    if outcome.revisions:
        context.log.warning(f"usgs_mcs_live {context.partition_key}: ScienceBase revised {outcome.revisions}; both vintages kept")
    yield dg.MaterializeResult(metadata={**_json(outcome.metadata()), "mode": "live", "dagster/row_count": rows,
                                         "table_rows_total": rows, "dagster/table_name": f"{RAW_SCHEMA}.usgs_mcs_live"})
    yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=True, metadata=check_metadata)


def _ensure_empty_table(table: str, contract) -> int:
    """Snapshot mode: keep what the last live run published; create an empty table only if there is none."""
    with connect() as connection:
        connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        if table_exists(connection, RAW_SCHEMA, table):
            return connection.execute(f"select count(*) from {RAW_SCHEMA}.{table}").fetchone()[0]
    timestamps = {"_retrieved_at", "_loaded_at"}
    empty = pd.DataFrame({column: pd.Series(dtype="datetime64[ns]" if column in timestamps else "string")
                          for column in contract.to_schema().columns})
    return write_raw_table(table, empty)


defs = dg.Definitions(assets=[census_trade, comtrade_live_records, comtrade_live_monthly, fedreg_documents, usgs_mcs_live])
