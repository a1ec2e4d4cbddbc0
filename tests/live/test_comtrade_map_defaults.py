"""Comtrade live defaults come from the product map, batched under the API caps, against the loopback replay server.

With no CHOKEPOINT_COMTRADE_COMMODITIES / _REPORTERS the year asks China (156) for every code of
dbt_project/seeds/hs_mineral_map.csv (a subheading inside a same-mineral heading is asked through the heading). A code
without records in a year China published is "no trade" and leaves the year complete; a year with no answer at all
is "not published yet"; a failed request fails the year and writes nothing."""

from collections import Counter
from pathlib import Path

import dagster as dg
import pandas as pd

from orchestration.defs.live_assets import comtrade_live_records
from orchestration.extract.live import comtrade_api, map_defaults
from orchestration.extract.live.extract import fetch_comtrade_year, replay_period
from orchestration.storage.landing_store import LandingStore
from tests.live.conftest import query_rows

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "hs_mineral_map.csv"
NO_TRADE = ["681510", "710420"]  # HS 2017 subheadings split in HS 2022: no records under them in an HS 2022 year
PARTNERS = 28  # records per code in the replayed answer: the snapshot's 2020 partners of China incl. World


def _map_defaults(monkeypatch):
    monkeypatch.delenv("CHOKEPOINT_COMTRADE_COMMODITIES", raising=False)
    monkeypatch.delenv("CHOKEPOINT_COMTRADE_REPORTERS", raising=False)


def _asked(replay) -> list[tuple[str, tuple[str, ...]]]:
    return [(entry.query["reporterCode"], tuple(entry.query["cmdCode"].split(",")))
            for entry in replay.requests_to("/public/v1/preview/")]



def test_default_codes_are_the_map_codes_without_double_counting(tmp_path):
    (tmp_path / "hs_mineral_map.csv").write_text(
        "commodity_code,mineral,description,source\n2504,graphite,x,s\n250410,graphite,x,s\n2805,mixed_2805,x,s\n"
        "280530,rare_earths,x,s\n8112,mixed_8112,x,s\n811292,mixed_8112,x,s\n811212,beryllium,x,s\n2846,rare_earths,x,s\n",
        encoding="utf-8")
    # 250410 and 811292 would be counted twice in graphite / mixed_8112 (their heading's total holds them)
    assert map_defaults.comtrade_commodities(tmp_path) == ["2504", "2805", "280530", "2846", "8112", "811212"]


def test_default_year_asks_china_for_every_map_code_in_batches_under_the_cap(live_env, replay, monkeypatch):
    _map_defaults(monkeypatch)
    codes = map_defaults.comtrade_commodities()
    mapped = set(pd.read_csv(SEED, dtype=str).commodity_code)
    # the issue 12 codes are asked, at the level the map holds them; 250410 only inside 2504 graphite
    assert {"261710", "282580", "284180", "284990", "3801", "681511", "854511", "282520", "283691", "2822",
            "282560", "2613", "8102", "280450", "8112", "850511", "2846"} <= set(codes) <= mapped
    assert "250410" not in codes and "2504" in codes
    replay.publish_comtrade_codes("2022", "156", [code for code in codes if code not in NO_TRADE])

    outcome = fetch_comtrade_year("2022", LandingStore(live_env / "landing"))

    asked = _asked(replay)
    assert {reporter for reporter, _ in asked} == {"156"}
    per_code = Counter(code for _, batch in asked for code in batch)
    assert set(per_code) == set(codes) and set(per_code.values()) == {1}  # every code once
    assert max(len(batch) for _, batch in asked) == comtrade_api.CODES_PER_REQUEST["preview"] == 5
    assert len(asked) == -(-len(codes) // 5)  # ceil: no request wasted
    assert outcome.complete and outcome.no_data == [] and outcome.split == []
    assert sorted(outcome.no_trade) == [f"156/M/{code}/A/2022" for code in NO_TRADE]
    assert set(outcome.frame.cmdCode) == set(codes) - set(NO_TRADE)
    assert len(outcome.frame) == PARTNERS * (len(codes) - len(NO_TRADE))


def test_explicit_env_settings_override_the_map(live_env, replay, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_REPORTERS", "156,842")
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_COMMODITIES", "2846,280530")
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_CODES_PER_REQUEST", "1")
    replay.publish_comtrade_codes("2022", "156", ["2846", "280530"])
    replay.publish_comtrade_codes("2022", "842", ["2846"])

    outcome = fetch_comtrade_year("2022", LandingStore(live_env / "landing"))

    assert sorted(_asked(replay)) == [("156", ("280530",)), ("156", ("2846",)), ("842", ("280530",)), ("842", ("2846",))]
    assert outcome.complete and outcome.no_trade == ["842/M/280530/A/2022"]  # the US reported 2846 that year


def test_a_reporter_with_no_answer_at_all_leaves_the_year_incomplete(live_env, replay, monkeypatch):
    _map_defaults(monkeypatch)
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_REPORTERS", "156,842")
    codes = map_defaults.comtrade_commodities()
    replay.publish_comtrade_codes("2022", "156", codes)  # the US has not published 2022 in this replay

    outcome = fetch_comtrade_year("2022", LandingStore(live_env / "landing"))

    assert not outcome.complete and outcome.no_trade == []
    assert len(outcome.no_data) == -(-len(codes) // 5) and all(key.startswith("842/M/") for key in outcome.no_data)
    assert set(outcome.frame.reporterCode) == {156}  # what China published is kept


def test_a_batch_at_the_row_cap_is_halved_until_it_fits_and_replays_the_same_rows(live_env, replay, monkeypatch):
    _map_defaults(monkeypatch)
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_CODES_PER_REQUEST", "100")  # all codes in one request: 28 x 75 > 500
    codes = map_defaults.comtrade_commodities()
    replay.publish_comtrade_codes("2022", "156", codes)
    store = LandingStore(live_env / "landing")

    outcome = fetch_comtrade_year("2022", store)

    assert outcome.split[0] == f"156/M/{','.join(codes)}/A/2022"
    fitted = [batch for _, batch in _asked(replay) if len(batch) * PARTNERS < comtrade_api.PREVIEW_CAP]
    assert sorted(code for batch in fitted for code in batch) == sorted(codes)  # every code landed once, uncut
    assert len(outcome.frame) == PARTNERS * len(codes) and outcome.complete
    # a later replay from the store skips the capped batches and rebuilds exactly these rows
    assert len(replay_period("comtrade", "2022", store)) == len(outcome.frame)


def test_an_empty_code_does_not_hold_the_year_back_but_a_failed_request_fails_it(live_env, replay, monkeypatch, instance):
    _map_defaults(monkeypatch)
    codes = map_defaults.comtrade_commodities()
    # the partners of the snapshot's China rows are all in baci_country_codes, so the contract passes
    replay.publish_comtrade_codes("2022", "156", [code for code in codes if code not in NO_TRADE])
    replay.publish_comtrade_codes("2023", "156", codes)

    ok = dg.materialize([comtrade_live_records], partition_key="2022", instance=instance, raise_on_error=False)
    assert ok.success and "2022" in instance.get_materialized_partitions(comtrade_live_records.key)
    materialization = ok.get_asset_materialization_events()[0].materialization
    assert sorted(materialization.metadata["no_trade"].value) == [f"156/M/{code}/A/2022" for code in NO_TRADE]

    replay.comtrade_outage.add("8542")  # from now on one batch fails on every attempt
    failed = dg.materialize([comtrade_live_records], partition_key="2023", instance=instance, raise_on_error=False)
    assert not failed.success
    assert "2023" not in instance.get_materialized_partitions(comtrade_live_records.key)  # asked again next night
    assert query_rows(live_env, "select distinct period from raw.comtrade_live_records") == [("2022",)]
    assert query_rows(live_env, "select count(*) from raw.comtrade_live_records") == [(PARTNERS * (len(codes) - len(NO_TRADE)),)]
