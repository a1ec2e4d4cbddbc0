"""Each fault a live source can throw, through the Dagster assets, on a temporary warehouse.

For every fault the outcome is asserted: retried and succeeded, or failed with a clear message while the
previously published rows stay exactly as they were and every received response stays in the landing store."""

import hashlib
import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from data_contracts.sources.comtrade import COMTRADE_CODES_KNOWN
from orchestration.defs.live_assets import census_trade, comtrade_live_records, fedreg_documents
from orchestration.extract.live.extract import replay_period
from orchestration.storage.landing_store import LandingStore
from tests.live.conftest import CENSUS_KEY, query_rows, step_failures
from tests.live.replay_server import CENSUS_HEADERS, COMTRADE_SNAPSHOT, Fault, load_fedreg_pages

COUNTRIES = 7  # rows per Census response in the replay (incl. total and one grouping)
REQUESTS_PER_MONTH = 4  # imports + exports x 2 HS6 codes


def _run(asset, instance, partition=None):
    return dg.materialize([asset], partition_key=partition, instance=instance, raise_on_error=False)




def _census_snapshot_of_table(warehouse):
    return sorted(query_rows(warehouse, "select _source_sha256, flow, CTY_CODE, COMMODITY, GEN_VAL_MO, ALL_VAL_MO from raw.census_trade"))


@pytest.fixture
def january(live_env, replay, instance):
    """A warehouse where Census 2024-01 was landed once, successfully."""
    replay.publish_census("2024-01")
    assert _run(census_trade, instance, "2024-01").success
    return _census_snapshot_of_table(live_env)


def test_census_month_is_landed_before_parsing_and_traceable_to_its_bytes(live_env, replay, instance, january):
    assert len(january) == REQUESTS_PER_MONTH * COUNTRIES
    responses = query_rows(live_env, "select request_key, status, sha256, landing_path, request_url from raw.census_responses")
    assert len(responses) == REQUESTS_PER_MONTH and {r[1] for r in responses} == {200}
    for _, _, sha, path, url in responses:
        assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == sha  # content-addressed, immutable
        assert "key=" not in url
    assert {row[0] for row in january} == {r[2] for r in responses}  # every row names the bytes it came from


def test_rerunning_a_partition_is_idempotent(live_env, replay, instance, january):
    assert _run(census_trade, instance, "2024-01").success
    assert _census_snapshot_of_table(live_env) == january


def test_204_no_data_yet_materializes_nothing_and_does_not_fail(live_env, replay, instance):
    result = _run(census_trade, instance, "2024-05")  # never published
    assert result.success
    assert result.get_asset_materialization_events() == []
    assert "2024-05" not in instance.get_materialized_partitions(census_trade.key)  # the nightly run will ask again
    assert query_rows(live_env, "select distinct status, byte_count from raw.census_responses") == [(204, 0)]


TRUNCATED_CENSUS = b'[["CTY_CODE","CTY_NAME"],["5700","CHI'
ATTEMPTS = 3  # CHOKEPOINT_HTTP_MAX_ATTEMPTS in live_env


def test_truncated_json_on_every_attempt_fails_clearly_and_keeps_the_last_good_rows(live_env, replay, instance, january):
    replay.census_revision["2024-01"] = 1.5
    replay.inject("/data/timeseries/intltrade/exports", *[Fault("body", 200, body=TRUNCATED_CENSUS)] * ATTEMPTS)
    result = _run(census_trade, instance, "2024-01")
    assert not result.success
    assert "response is not valid JSON" in step_failures(result) and "truncated?" in step_failures(result)
    assert _census_snapshot_of_table(live_env) == january  # nothing half-written
    # ...and nothing lost: every attempt's bad bytes and the good ones of this run are all in the store
    # (the first exports request comes after both imports requests: 2 good + 3 bad this run)
    assert query_rows(live_env, "select count(*) from raw.census_responses")[0][0] == REQUESTS_PER_MONTH + 2 + ATTEMPTS


def test_a_malformed_complete_200_then_a_good_one_succeeds_and_both_are_landed(live_env, replay, instance, january):
    replay.census_revision["2024-01"] = 1.5
    replay.inject("/data/timeseries/intltrade/exports", Fault("body", 200, body=TRUNCATED_CENSUS))
    result = _run(census_trade, instance, "2024-01")
    assert result.success
    assert _census_snapshot_of_table(live_env) != january  # the revised month landed
    assert query_rows(live_env, "select count(*) from raw.census_responses where sha256 = ?"
                 .replace("?", f"'{hashlib.sha256(TRUNCATED_CENSUS).hexdigest()}'"))[0][0] == 1
    assert query_rows(live_env, "select count(*) from raw.census_responses")[0][0] == 2 * REQUESTS_PER_MONTH + 1


def test_html_error_page_names_the_probable_bad_key_but_not_the_key(live_env, replay, instance, january):
    replay.inject("/data/timeseries", Fault("html"))
    result = _run(census_trade, instance, "2024-01")
    message = step_failures(result)
    assert not result.success and "HTML page instead of JSON" in message and "CHOKEPOINT_CENSUS_KEY" in message
    assert CENSUS_KEY not in message
    assert _census_snapshot_of_table(live_env) == january


def test_persistent_500_fails_with_source_url_status_and_keeps_the_table(live_env, replay, instance, january):
    replay.inject("/data/timeseries", *[Fault("status", 500, body=b"Internal Server Error: backend unavailable")] * 3)
    result = _run(census_trade, instance, "2024-01")
    message = step_failures(result)
    assert "census: GET http://127.0.0.1" in message and "HTTP 500 after 3 attempt(s)" in message
    assert "backend unavailable" in message and CENSUS_KEY not in message
    assert _census_snapshot_of_table(live_env) == january


def test_transient_429_and_500_are_retried_and_the_run_succeeds(live_env, replay, instance):
    replay.publish_census("2024-02")
    replay.inject("/data/timeseries", Fault("status", 429, headers={"Retry-After": "0"}), Fault("status", 502))
    result = _run(census_trade, instance, "2024-02")
    assert result.success
    assert len(replay.requests_to("/data/timeseries")) == REQUESTS_PER_MONTH + 2


def test_timeout_is_retried_within_the_asset(live_env, replay, instance, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_HTTP_TIMEOUT", "0.3")
    replay.publish_census("2024-02")
    replay.inject("/data/timeseries", Fault("timeout", delay=1.0))
    assert _run(census_trade, instance, "2024-02").success


def test_schema_drift_renamed_field_is_refused_naming_the_field(live_env, replay, instance, january):
    header = ["GEN_VAL_MTH" if c == "GEN_VAL_MO" else c for c in CENSUS_HEADERS["imports"]]
    replay.census_rows["2024-01"] = [header, ["5700", "CHINA", "280530", "X", "1", "1", "1", "KG", "2024-01", "HS6", "280530"]]
    result = _run(census_trade, instance, "2024-01")
    message = step_failures(result)
    assert not result.success and "field 'GEN_VAL_MO'" in message and "schema drift" in message
    assert _census_snapshot_of_table(live_env) == january


def test_duplicated_rows_fail_the_contract_and_nothing_is_written(live_env, replay, instance, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_CENSUS_FLOWS", "imports")
    row = ["5700", "CHINA", "280530", "X", "10", "10", "1", "KG", "2024-03", "HS6", "280530"]
    replay.census_rows["2024-03"] = [CENSUS_HEADERS["imports"], row, row]
    replay.publish_census("2024-03")
    result = _run(census_trade, instance, "2024-03")
    assert not result.success
    assert "one row per flow, month, country and commodity" in step_failures(result)
    assert query_rows(live_env, "select count(*) from information_schema.tables where table_name = 'census_trade'") == [(0,)]


def test_a_revision_keeps_both_vintages_and_is_reported(live_env, replay, instance, january):
    replay.census_revision["2024-01"] = 1.1
    result = _run(census_trade, instance, "2024-01")
    assert result.success
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert len(metadata["revised_requests"].value) == REQUESTS_PER_MONTH
    assert query_rows(live_env, "select count(distinct _source_sha256), count(*) from raw.census_trade") == [(8, 2 * len(january))]
    latest = replay_period("census", "2024-01", LandingStore(live_env / "landing"))
    china = latest[(latest.CTY_CODE == "5700") & (latest.flow == "imports") & (latest.COMMODITY == "280530")]
    assert china.GEN_VAL_MO.tolist() == [pytest.approx(january_value(january) * 1.1, rel=1e-3)]


def january_value(rows):
    return next(r[4] for r in rows if r[1] == "imports" and r[2] == "5700" and r[3] == "280530")


def test_replay_rebuilds_rows_from_the_store_without_any_request(live_env, replay, instance, january):
    before = len(replay.log)
    frame = replay_period("census", "2024-01", LandingStore(live_env / "landing"))
    assert len(replay.log) == before
    columns = ["_source_sha256", "flow", "CTY_CODE", "COMMODITY", "GEN_VAL_MO", "ALL_VAL_MO"]
    rebuilt = frame[columns].astype(object).where(frame[columns].notna(), None)
    assert sorted(map(tuple, rebuilt.values.tolist())) == january


def test_comtrade_response_at_the_row_cap_is_refused(live_env, replay, instance):
    record = json.loads((COMTRADE_SNAPSHOT / "2020.json").read_bytes())["data"][1]
    records = [{**record, "partnerCode": 1000 + i} for i in range(500)]
    replay.comtrade_years["2021"] = json.dumps({"elapsedTime": "0.1 secs", "count": 500, "data": records, "error": ""}).encode()
    result = _run(comtrade_live_records, instance, "2021")
    assert not result.success and "the preview cap of 500" in step_failures(result)
    assert query_rows(live_env, "select count(*) from information_schema.tables where table_name = 'comtrade_live_records'") == [(0,)]
    assert query_rows(live_env, "select count(*) from raw.comtrade_responses") == [(1,)]  # landed for the record


def test_comtrade_preview_year_lands_the_same_rows_as_the_snapshot(live_env, replay, instance):
    replay.publish_comtrade_from_snapshot("2020")
    assert _run(comtrade_live_records, instance, "2020").success
    (request,) = replay.requests_to("/public/v1/preview/C/A/HS")
    assert request.query["reporterCode"] == "156" and request.query["period"] == "2020"
    assert query_rows(live_env, "select count(*), sum(primaryValue) filter (where partnerCode = 0) from raw.comtrade_live_records") == [(28, 503272416.0)]


def test_comtrade_key_travels_in_a_header_to_the_keyed_endpoint(live_env, replay, instance, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_KEY", "comtrade-secret-42")
    replay.publish_comtrade_from_snapshot("2020")
    assert _run(comtrade_live_records, instance, "2020").success
    (request,) = replay.requests_to("/data/v1/get/C/A/HS")
    assert "subscription-key" not in request.query and request.query["maxRecords"] == "250000"


def test_fedreg_follows_next_page_url_on_the_configured_host(live_env, replay, instance):
    replay.fedreg_pages = load_fedreg_pages()
    assert _run(fedreg_documents, instance).success
    pages = replay.requests_to("/api/v1/documents.json")
    assert [p.query.get("page", "1") for p in pages] == ["1", "2"]  # page 2 came from the replay, not the real host
    assert pages[0].query["conditions[agencies][]"] == "industry-and-security-bureau"
    documents = query_rows(live_env, "select document_number from raw.fedreg_documents order by 1")
    assert documents == [("2023-90003",), ("2024-90002",), ("2025-90001",)]  # the repeat across pages counted once


def test_fedreg_in_snapshot_mode_fetches_nothing_and_keeps_the_table(live_env, replay, instance, monkeypatch):
    replay.fedreg_pages = load_fedreg_pages()
    assert _run(fedreg_documents, instance).success
    monkeypatch.setenv("CHOKEPOINT_SOURCE", "snapshot")
    before = len(replay.log)
    assert _run(fedreg_documents, instance).success
    assert len(replay.log) == before
    assert query_rows(live_env, "select count(*) from raw.fedreg_documents") == [(3,)]


def test_no_key_is_ever_stored(live_env, replay, instance, january):
    assert any(entry.query.get("key") == CENSUS_KEY for entry in replay.log)  # it was sent...
    stored = [p for p in live_env.rglob("*") if p.is_file()]
    assert stored and not any(CENSUS_KEY.encode() in p.read_bytes() for p in stored)  # ...and never written
    events = instance.fetch_materializations(census_trade.key, limit=100).records
    assert events and all(CENSUS_KEY not in str(e.event_log_entry) for e in events)


def _comtrade_2023_with(partner_code: int | None = None, reporter_iso: str | None = None) -> bytes:
    document = json.loads((COMTRADE_SNAPSHOT / "2023.json").read_bytes())
    for record in document["data"]:
        if partner_code is not None and record["partnerCode"] == 104:
            record["partnerCode"] = partner_code
        if reporter_iso is not None:
            record["reporterISO"] = reporter_iso
    return json.dumps(document).encode()


def _quarantine(warehouse):
    connection = duckdb.connect(str(warehouse / "chokepoint.duckdb"), read_only=True)
    try:
        from orchestration.storage.landing_store import quarantined
        return quarantined(connection)
    finally:
        connection.close()


def test_a_period_with_an_unknown_partner_code_is_quarantined_then_replaced_by_a_good_fetch(live_env, replay, instance):
    replay.comtrade_years["2023"] = _comtrade_2023_with(partner_code=999_999)  # staging could give it no ISO3
    result = _run(comtrade_live_records, instance, "2023")
    assert not result.success
    assert "quarantined" in step_failures(result) and COMTRADE_CODES_KNOWN in step_failures(result)
    assert query_rows(live_env, "select count(*) from information_schema.tables where table_name = 'comtrade_live_records'") == [(0,)]
    ((table, period, error),) = _quarantine(live_env)
    assert (table, period) == ("comtrade_live_records", "2023") and COMTRADE_CODES_KNOWN in error
    assert query_rows(live_env, "select count(*) from raw.comtrade_responses where period = '2023'") == [(1,)]  # kept, landed

    replay.comtrade_years["2023"] = (COMTRADE_SNAPSHOT / "2023.json").read_bytes()
    assert _run(comtrade_live_records, instance, "2023").success
    assert _quarantine(live_env) == []
    assert query_rows(live_env, "select count(*) from raw.comtrade_live_records where partnerCode = 999999") == [(0,)]


def test_an_empty_reporter_iso_is_not_relied_on_and_lands(live_env, replay, instance):
    """The description field is optional: staging takes ISO3 from reporterCode, so the contract lets it through."""
    replay.comtrade_years["2023"] = _comtrade_2023_with(reporter_iso="")
    assert _run(comtrade_live_records, instance, "2023").success
    assert query_rows(live_env, "select distinct reporterCode from raw.comtrade_live_records") == [(156,)]
