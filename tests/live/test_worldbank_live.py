"""raw/wgi_scores in live mode, from the replay of the snapshot's real WGIData.csv in the API v2 format."""

import dagster as dg
import duckdb

from orchestration.defs.worldbank_assets import FETCH_CHECK, wgi_scores


def _materialize(instance) -> dg.ExecuteInProcessResult:
    return dg.materialize([wgi_scores], instance=instance, raise_on_error=False)


def _check(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.check_name == FETCH_CHECK]
    return evaluation


def test_a_live_fetch_passes_the_raw_contract_and_lands(live_env, replay, instance):
    replay.publish_wgi_from_snapshot()
    result = _materialize(instance)
    assert result.success and _check(result).passed, _check(result).metadata
    warehouse = duckdb.connect(str(live_env / "chokepoint.duckdb"), read_only=True)
    try:
        rows, indicators, first, last = warehouse.execute(
            "select count(*), count(distinct indicator_id), min(year), max(year) from raw.wgi_scores").fetchone()
    finally:
        warehouse.close()
    # CHOKEPOINT_WGI_YEARS default 2015:2024; the snapshot's file ends in 2022.
    assert (indicators, first, last) == (6, "2015", "2022") and rows > 6 * 200


def test_an_outage_warns_and_keeps_the_last_good_rows(live_env, replay, instance):
    replay.publish_wgi_from_snapshot()
    assert _materialize(instance).success
    replay.break_source("worldbank")
    result = _materialize(instance)
    assert result.success  # optional input: the refresh goes on
    evaluation = _check(result)
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    assert "HTTP 500" in evaluation.metadata["error"].value
    warehouse = duckdb.connect(str(live_env / "chokepoint.duckdb"), read_only=True)
    try:
        assert warehouse.execute("select count(*) from raw.wgi_scores").fetchone()[0] > 6 * 200
    finally:
        warehouse.close()
