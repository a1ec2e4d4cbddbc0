"""raw/wgi_scores: World Bank WGI estimates for the supply-risk mart, fetched only in live mode.

In snapshot mode (the default, offline) the table is created empty when it does not exist, so the supply_risk
mart runs and says per row that governance scores are missing."""


from datetime import UTC, datetime

import dagster as dg
import pandas as pd

from data_contracts.sources.worldbank import WgiScores
from orchestration.defs.source_switch import SourceSwitch
from orchestration.extract.live import config as live_config
from orchestration.extract.live.extract import client_for
from orchestration.extract.live.http import SourceHTTPError
from orchestration.extract.live.worldbank import CLIENT_SOURCE, fetch_wgi
from orchestration.extract.worldbank_wgi import COLUMNS, WorldBankFormatError
from orchestration.refresh.quarantine import WHOLE_TABLE, failing_rows
from orchestration.settings import WGI_YEARS
from orchestration.storage.landing_store import LandingStore, quarantine, release_quarantine
from orchestration.storage.warehouse import RAW_SCHEMA, WRITER_POOL, connect, table_exists, write_raw_table
from orchestration.validation import validate
from orchestration.versioning.code_versions import code_version
from orchestration.versioning.inputs import data_version, input_tags

TABLE = "wgi_scores"
FETCH_CHECK = "worldbank_fetched"


def _years() -> tuple[int, int]:
    first, _, last = WGI_YEARS.get().partition(":")
    return int(first), int(last or first)


def _empty_frame() -> pd.DataFrame:
    frame = pd.DataFrame({column: pd.Series(dtype="string") for column in COLUMNS})
    frame["value"] = frame["value"].astype("float64")
    for column in ("_source", "_source_file"):
        frame[column] = pd.Series(dtype="string")
    frame["_retrieved_at"] = pd.Series(dtype="datetime64[ns, UTC]")
    return frame


def ensure_table() -> int:
    with connect() as connection:
        connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        if table_exists(connection, RAW_SCHEMA, TABLE):
            return connection.execute(f"select count(*) from {RAW_SCHEMA}.{TABLE}").fetchone()[0]
    return write_raw_table(TABLE, _empty_frame())


@dg.asset(
    key=dg.AssetKey([RAW_SCHEMA, TABLE]),
    group_name="live",
    description="World Bank Worldwide Governance Indicators (6 estimates, all countries) from the World Bank API v2 "
                "(CHOKEPOINT_WORLDBANK_URL overrides the host). Fetched only when CHOKEPOINT_SOURCE=live; in snapshot "
                "mode the table exists but is empty (supply_risk then says governance is missing on every row).",
    kinds={"api", "duckdb"},
    tags=input_tags("live_api"),
    code_version=code_version(__name__),
    pool=WRITER_POOL,
    check_specs=[dg.AssetCheckSpec(FETCH_CHECK, asset=dg.AssetKey([RAW_SCHEMA, TABLE]),
                                   description="Live mode: the World Bank answered (WARN, non-blocking: without WGI the "
                                               "supply_risk mart computes its documented unweighted variant)")],
)
def wgi_scores(context: dg.AssetExecutionContext, config: SourceSwitch):
    if live_config.source_mode(config.source) != "live":
        rows = ensure_table()
        yield dg.MaterializeResult(metadata={"mode": "snapshot", "fetched": False, "dagster/row_count": rows},
                                     data_version=data_version("live_api"))
        yield dg.AssetCheckResult(check_name=FETCH_CHECK, passed=True, metadata={"skipped": "snapshot mode"})
        return
    first, last = _years()
    client = client_for(CLIENT_SOURCE)
    try:
        frame, landed = fetch_wgi(LandingStore(live_config.landing_dir()), first, last, client)
    except (SourceHTTPError, WorldBankFormatError) as error:
        # Governance scores are an optional input: keep the last table (or an empty one) and say so loudly,
        # rather than stop the whole refresh; supply_risk then labels every affected row 'unweighted_wgi_missing'.
        context.log.error(f"WGI not refreshed, previous table kept: {error}")
        rows = ensure_table()
        yield dg.MaterializeResult(metadata={"mode": "live", "fetched": False, "error": str(error)[:500],
                                             "dagster/row_count": rows})
        yield dg.AssetCheckResult(check_name=FETCH_CHECK, passed=False, severity=dg.AssetCheckSeverity.WARN,
                                  metadata={"error": str(error)[:500]})
        return
    frame["_loaded_at"] = pd.Series(datetime.now(UTC), index=frame.index, dtype="datetime64[ns, UTC]")
    outcome = validate(frame, WgiScores)
    if not outcome.passed:
        # Quarantined like a live period (raw.live_quarantine names the rules): staging keeps the last good table.
        quarantine(TABLE, WHOLE_TABLE, outcome.summary, [], outcome.metadata.get("failing_checks"),
                   failing_rows(frame, outcome))
        context.log.error(f"WGI not refreshed (quarantined), previous table kept: {outcome.summary}")
        rows = ensure_table()
        yield dg.MaterializeResult(metadata={"mode": "live", "fetched": True, "written": False, **outcome.metadata,
                                             "dagster/row_count": rows})
        yield dg.AssetCheckResult(check_name=FETCH_CHECK, passed=False, severity=dg.AssetCheckSeverity.WARN,
                                  metadata={"error": outcome.summary[:500]})
        return
    rows = write_raw_table(TABLE, frame)
    release_quarantine(TABLE, WHOLE_TABLE)
    yield dg.MaterializeResult(metadata={"mode": "live", "fetched": True, "years": f"{first}:{last}",
                                         "dagster/row_count": rows, "retries_slept_s": sum(client.slept),
                                         "responses_landed": len(landed.landed)})
    yield dg.AssetCheckResult(check_name=FETCH_CHECK, passed=True, metadata={"rows": rows})


defs = dg.Definitions(assets=[wgi_scores])
