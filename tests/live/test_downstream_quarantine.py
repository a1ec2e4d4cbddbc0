"""A landed period that would break a downstream dbt test is quarantined, not allowed to stop every later refresh.

Each case is a period that passed its raw contract before issue 30 (those rules ran only in dbt) and failed a dbt
test downstream: Comtrade with a World row below its partners' sum (int_trade__denominator_coverage > 1.0001 and the
partners-sum-to-World test), USGS MCS with a net import reliance above 100 % (net_import_reliance.nir_pct_published 0..100),
World Bank WGI with a country-year whose six estimates average above 3 (int_supply__governance.wgi_mean -3..3).
Census and the Federal Register have no such case: see data_contracts/downstream_tests.py."""

import dagster as dg
import duckdb
import pytest

from data_contracts.sources.comtrade import PARTNERS_SUM_TO_WORLD, PARTNERS_WITHIN_WORLD
from data_contracts.sources.usgs import NIR_IS_A_PERCENTAGE
from data_contracts.sources.worldbank import WGI_MEAN_IN_RANGE
from orchestration.cli import runner
from orchestration.defs.live_assets import comtrade_live_records, usgs_mcs_live
from orchestration.defs.worldbank_assets import FETCH_CHECK, wgi_scores
from orchestration.refresh import quarantine
from orchestration.settings import PROJECT_ROOT, snapshot_dir
from tests.live.conftest import query_rows
from tests.live.replay_server import COMTRADE_SNAPSHOT


def _held(warehouse):
    return query_rows(warehouse, "select raw_table, period, held_at, failed_rules from raw.live_quarantine order by 1, 2")


def test_comtrade_world_below_its_partners_is_quarantined_at_fetch_naming_both_rules(live_env, replay, instance):
    replay.publish_comtrade_world_below_partners("2023")
    result = dg.materialize([comtrade_live_records], partition_key="2023", instance=instance, raise_on_error=False)
    assert not result.success
    ((table, period, held_at, rules),) = _held(live_env)
    assert (table, period, held_at) == ("comtrade_live_records", "2023", "fetch")
    assert PARTNERS_SUM_TO_WORLD in rules and PARTNERS_WITHIN_WORLD in rules
    (failing_rows,) = query_rows(live_env, "select failing_rows from raw.live_quarantine")[0]
    assert '"partnerCode":"0"' in failing_rows  # the rows themselves, the World row among them
    assert query_rows(live_env, "select count(*) from information_schema.tables where table_name = 'comtrade_live_records'") == [(0,)]

    replay.comtrade_years["2023"] = (COMTRADE_SNAPSHOT / "2023.json").read_bytes()  # Comtrade corrects it
    assert dg.materialize([comtrade_live_records], partition_key="2023", instance=instance, raise_on_error=False).success
    assert query_rows(live_env, "select count(*) from raw.live_quarantine") == [(0,)]


def test_wgi_whose_country_mean_leaves_the_scale_is_quarantined_and_the_last_table_kept(live_env, replay, instance):
    replay.publish_wgi_from_snapshot()
    assert dg.materialize([wgi_scores], instance=instance, raise_on_error=False).success
    before = query_rows(live_env, "select count(*), sum(value) from raw.wgi_scores")
    replay.wgi_mean_above_the_scale("DNK", "2022", 3.2)  # each estimate within the field's -3.5..3.5
    result = dg.materialize([wgi_scores], instance=instance, raise_on_error=False)
    assert result.success  # an optional input: the refresh goes on with the last table (WARN)
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.check_name == FETCH_CHECK]
    assert not evaluation.passed and WGI_MEAN_IN_RANGE in evaluation.metadata["error"].value
    assert _held(live_env) == [("wgi_scores", "latest", "fetch", WGI_MEAN_IN_RANGE)]
    assert query_rows(live_env, "select count(*), sum(value) from raw.wgi_scores") == before

    replay.publish_wgi_from_snapshot()
    assert dg.materialize([wgi_scores], instance=instance, raise_on_error=False).success
    assert _held(live_env) == []


def test_an_mcs_edition_with_nir_above_100_is_quarantined(live_env, replay, instance, monkeypatch):
    item = "6a00000000000000000b2026"
    release = (snapshot_dir() / "usgs" / "usgs_mcs2026_commodities_data.csv").read_bytes()
    gallium = b"reported consumption,percent,2025,100,Estimated."
    assert release.count(gallium) == 1
    monkeypatch.setenv("CHOKEPOINT_SCIENCEBASE_ITEMS", f"2026={item}")
    replay.publish_sciencebase_item(item, "MCS 2026 (synthetic: gallium NIR 140)",
                                    [("MCS2026_Commodities_Data.csv", release.replace(gallium, gallium.replace(b",100,", b",140,")), "text/csv")])
    result = dg.materialize([usgs_mcs_live], partition_key="2026", instance=instance, raise_on_error=False)
    assert not result.success
    assert _held(live_env) == [("usgs_mcs_live", "2026", "fetch", NIR_IS_A_PERCENTAGE)]
    assert query_rows(live_env, "select count(*) from information_schema.tables where table_name = 'usgs_mcs_live'") == [(0,)]


@pytest.mark.integration
def test_make_run_quarantines_publishes_the_rest_and_later_refreshes_pass(live_golden, golden_copy, replay, monkeypatch,
                                                                          capsys):
    """The issue's run, end to end through `make run` (orchestration.cli.runner.main): two planned refreshes on a copy of
    the golden build (and its Dagster history), then one full rebuild."""
    live_env = live_golden
    home = golden_copy.dagster_home
    (home / "dagster.yaml").unlink()  # missing: make run recreates it with the committed dagster.yaml
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_NIGHTLY_WINDOW", "3")
    monkeypatch.setenv("CHOKEPOINT_CENSUS_NIGHTLY_WINDOW", "1")
    this_year = dg.TimeWindowPartitionsDefinition(start="1993", fmt="%Y", cron_schedule="0 0 1 1 *").get_partition_keys()[-1]
    bad_year = str(int(this_year) - 2)  # in the 3-year window; the snapshot has its answer
    replay.publish_comtrade_world_below_partners(bad_year)
    replay.publish_wgi_from_snapshot()
    replay.wgi_mean_above_the_scale()

    # 1. Live mode: both bad answers quarantined at fetch, everything else built and published.
    served = live_env / "serve" / "chokepoint.duckdb"
    golden_publish = served.stat().st_mtime_ns
    assert runner.main([]) == 0
    out = capsys.readouterr().out
    assert (home / "dagster.yaml").read_bytes() == (PROJECT_ROOT / ".dagster_home" / "dagster.yaml").read_bytes()
    assert "was missing: recreated" in out
    assert f"QUARANTINED raw.comtrade_live_records {bad_year}" in out
    assert "the partners of a reporter x flow x commodity x period" in out
    assert "QUARANTINED raw.wgi_scores latest" in out
    assert served.stat().st_mtime_ns > golden_publish  # the live rows were published
    assert [r[:3] for r in _held(live_env)] == [("comtrade_live_records", bad_year, "fetch"), ("wgi_scores", "latest", "fetch")]

    # 2. A bad period landed before the rules moved (written straight to raw, as the old contract let it):
    #    a snapshot-mode refresh checks it again, takes it out of raw, quarantines it and publishes.
    landed_year = str(int(bad_year) - 1)
    connection = duckdb.connect(str(live_env / "chokepoint.duckdb"))
    connection.execute(
        "create or replace table raw.comtrade_live_records as select * replace ("
        " case when partnerCode = 0 then primaryValue * 0.5 else primaryValue end as primaryValue,"
        " repeat('a', 64) as _source_sha256, now()::timestamp as _retrieved_at)"
        f" from raw.comtrade_records where period = '{landed_year}'")
    connection.close()
    monkeypatch.setenv("CHOKEPOINT_SOURCE", "snapshot")
    assert runner.main([]) == 0
    out = capsys.readouterr().out
    assert f"QUARANTINED raw.comtrade_live_records {landed_year} (landed earlier" in out
    assert query_rows(live_env, "select count(*) from raw.comtrade_live_records") == [(0,)]
    assert ("comtrade_live_records", landed_year, "recheck") in [r[:3] for r in _held(live_env)]
    # The snapshot's vintage of that year is back in the marts.
    assert query_rows(live_env, f"select count(*) > 0 from marts.fct_trade_flows where source = 'un_comtrade' and year = {landed_year}") == [(True,)]

    # 3. A full rebuild passes too.
    assert runner.main(["--full"]) == 0

    # 4. Recovery without SQL.
    assert quarantine.main(["list"]) == 0
    listed = capsys.readouterr().out
    assert f"raw.comtrade_live_records {landed_year} (held at recheck" in listed and "raw.wgi_scores latest" in listed
    assert quarantine.main(["release", "comtrade_live_records", bad_year]) == 1  # its bytes still fail: kept
    assert "still fails" in capsys.readouterr().out
    assert quarantine.main(["drop", "comtrade_live_records", landed_year]) == 0
    assert landed_year not in [r[1] for r in _held(live_env)]


def test_recheck_takes_a_failing_landed_vintage_out_and_the_earlier_good_one_becomes_current(live_env, replay, instance):
    """What the nightly tick and `make run` do before dbt, on a period landed when its contract was looser."""
    from datetime import UTC, datetime

    from orchestration.defs.live_jobs import periods_to_fetch

    replay.comtrade_years["2023"] = (COMTRADE_SNAPSHOT / "2023.json").read_bytes()
    assert dg.materialize([comtrade_live_records], partition_key="2023", instance=instance, raise_on_error=False).success
    good = query_rows(live_env, "select count(*), sum(primaryValue) from raw.comtrade_live_records")
    connection = duckdb.connect(str(live_env / "chokepoint.duckdb"))  # a later, bad vintage landed by older code
    connection.execute("insert into raw.comtrade_live_records select * replace ("
                       " case when partnerCode = 0 then primaryValue * 0.5 else primaryValue end as primaryValue,"
                       " repeat('b', 64) as _source_sha256, _retrieved_at + interval 1 day as _retrieved_at)"
                       " from raw.comtrade_live_records")
    connection.close()
    june_2025 = datetime(2025, 6, 1, tzinfo=UTC)
    assert "2023" not in periods_to_fetch(instance, comtrade_live_records, june_2025)  # landed
    (held,) = quarantine.recheck_landed()
    assert (held.table, held.period, held.rows_removed) == ("comtrade_live_records", "2023", good[0][0])
    assert query_rows(live_env, "select count(*), sum(primaryValue) from raw.comtrade_live_records") == good  # the good vintage
    assert _held(live_env) == [("comtrade_live_records", "2023", "recheck", "; ".join(sorted([PARTNERS_SUM_TO_WORLD, PARTNERS_WITHIN_WORLD])))]
    assert quarantine.recheck_landed() == []  # the remaining vintage passes: nothing more to hold
    # The nightly schedule asks for a quarantined period again, like one never landed.
    assert "2023" in periods_to_fetch(instance, comtrade_live_records, june_2025)
