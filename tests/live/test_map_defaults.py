"""Live defaults come from the product map: with no CHOKEPOINT_CENSUS_COMMODITIES, the Census month asks for every
HS6 code of dbt_project/seeds/hs_mineral_map.csv, once per flow, against the loopback replay server."""

from collections import Counter
from pathlib import Path

import pandas as pd

from orchestration.extract.live import map_defaults
from orchestration.extract.live.extract import fetch_census_month
from orchestration.storage.landing_store import LandingStore

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "hs_mineral_map.csv"


def test_census_default_requests_every_hs6_code_of_the_map_once_per_flow(live_env, replay, monkeypatch):
    monkeypatch.delenv("CHOKEPOINT_CENSUS_COMMODITIES", raising=False)
    mapped = pd.read_csv(SEED, dtype=str).commodity_code
    expected = set(mapped[mapped.str.len() == 6])
    assert {"280530", "850511", "811292", "282580"} <= expected  # the codes issue 12 is about
    replay.max_requests = 2 * len(expected) + 10
    replay.publish_census("2024-01")

    outcome = fetch_census_month("2024-01", LandingStore(live_env / "landing"))

    asked = Counter(("imports" if "/imports/" in e.path else "exports", e.query.get("I_COMMODITY") or e.query.get("E_COMMODITY"))
                    for e in replay.requests_to("/data/timeseries/intltrade/"))
    assert set(code for _, code in asked) == expected
    assert set(asked.values()) == {1} and len(asked) == 2 * len(expected)
    assert set(outcome.frame.COMMODITY) == expected and outcome.complete


def test_census_default_keeps_six_digit_codes_only(tmp_path):
    (tmp_path / "hs_mineral_map.csv").write_text(
        "commodity_code,mineral,description,source\n2805,mixed,x,s\n280530,rare_earths,x,s\n"
        "850511,permanent_magnets,x,s\n2846,rare_earths,x,s\n280530,rare_earths,x,s\n", encoding="utf-8")
    assert map_defaults.census_commodities(tmp_path) == ["280530", "850511"]


def test_census_code_without_trade_leaves_a_published_month_complete(live_env, replay, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_CENSUS_COMMODITIES", "280530,284690,811292")
    replay.publish_census("2024-01")
    replay.census_no_trade.add("811292")  # published month, no US trade in this code: 204 for it alone

    outcome = fetch_census_month("2024-01", LandingStore(live_env / "landing"))

    assert outcome.complete and outcome.no_data == []
    assert sorted(outcome.no_trade) == ["exports/811292/2024-01", "imports/811292/2024-01"]
    assert set(outcome.frame.COMMODITY) == {"280530", "284690"}

    unpublished = fetch_census_month("2024-02", LandingStore(live_env / "landing"))  # every code 204
    assert not unpublished.complete and len(unpublished.no_data) == 6 and unpublished.no_trade == []
