"""Each raw contract passes on the real snapshot and fails, naming field and row, on a damaged copy."""

import pandas as pd
import pytest

from data_contracts.sources.comtrade import COMTRADE_CODES_KNOWN, COUNTRY_CODES_SEED
from data_contracts.sources.registry import RAW_CONTRACTS
from orchestration.settings import PROJECT_ROOT
from orchestration.validation import validate


def _broken(frame: pd.DataFrame, column: str, value, row: int = 0) -> pd.DataFrame:
    damaged = frame.copy()
    damaged[column] = damaged[column].astype(object)
    damaged.loc[damaged.index[row], column] = value
    return damaged


DAMAGE = {
    # table: (column, bad value, the check expected to fire)
    "usitc_dataweb": ("value", -5.0, "greater_than_or_equal_to(0)"),
    "comtrade_records": ("cmdCode", "28460", "str_matches"),
    "usgs_mcs2026": ("year", "twenty-five", "str_matches"),
    "usgs_mcs2025_rare_earths": ("edition", "MCS2024", "isin"),
    "usgs_mcs2025_import_sources": ("share_pct", "about 70", "str_matches"),
    "comtrade_two_sided": ("cmd", "85051", "str_matches"),
    "wgi_snapshot": ("value", 9.9, "less_than_or_equal_to(3.5)"),
    "atlas_monthly_flows": ("qty_kg", -1.0, "greater_than_or_equal_to(0)"),
    "export_measures": ("legal_type", "embargo", "isin"),
    "export_measure_parts": ("until_reading", "until_further_notice", "isin"),
    "export_measure_codes": ("coverage_level", "most", "isin"),
    "export_measure_links": ("link_type", "tariff", "isin"),
}


@pytest.mark.parametrize("table", sorted(RAW_CONTRACTS))
def test_contract_passes_on_real_snapshot(raw_frames, table):
    outcome = validate(raw_frames[table], RAW_CONTRACTS[table])
    assert outcome.passed, outcome.summary


@pytest.mark.parametrize("table", sorted(DAMAGE))
def test_contract_fails_on_damaged_copy_and_reports_the_row(raw_frames, table):
    column, value, check = DAMAGE[table]
    row = min(7, len(raw_frames[table]) - 1)  # the MCS 2025 import-sources transcription has 5 rows
    outcome = validate(_broken(raw_frames[table], column, value, row=row), RAW_CONTRACTS[table])
    assert not outcome.passed
    assert outcome.metadata["failure_count"] >= 1
    assert column in outcome.metadata["failing_columns"]
    assert any(check in name for name in outcome.metadata["failing_checks"])
    assert "failure_cases" in outcome.metadata


def test_duplicate_comtrade_record_is_caught(raw_frames):
    records = raw_frames["comtrade_records"]
    outcome = validate(pd.concat([records, records.head(1)], ignore_index=True), RAW_CONTRACTS["comtrade_records"])
    assert not outcome.passed
    assert any("one record per period" in name for name in outcome.metadata["failing_checks"]), outcome.metadata


REGISTER_ROW_DAMAGE = {
    # rule: (table, the row to damage as (column, value), the column damaged, its bad value)
    "in_force_until (exclusive) is after in_force_from":  # CN-2023-23 is in force from 2023-08-01
        ("export_measure_parts", ("measure_id", "CN-2023-23"), "in_force_until", "2020-01-01"),
    "HS6 and heading are the leading digits of the (corrected) code":  # gallium, corrected to 8112929010 -> HS6 811292
        ("export_measure_codes", ("code_printed", "8110929010"), "hs6", "811092"),
    "source URLs are URLs or repository paths":
        ("export_measure_links", ("link_type", "source_url"), "link_value", "pages corpus"),
}


@pytest.mark.parametrize("rule", sorted(REGISTER_ROW_DAMAGE))
def test_register_row_breaking_a_cross_column_rule_is_caught(raw_frames, rule):
    table, (where, equals), column, value = REGISTER_ROW_DAMAGE[rule]
    frame = raw_frames[table]
    row = frame.index.get_loc(frame.index[frame[where] == equals][0])
    outcome = validate(_broken(frame, column, value, row=row), RAW_CONTRACTS[table])
    assert not outcome.passed
    assert rule in outcome.metadata["failing_checks"]


def test_new_misaligned_usgs_row_is_caught(raw_frames):
    damaged = _broken(raw_frames["usgs_mcs2026"], "is_critical_mineral_2025", "Gallium", row=100)
    outcome = validate(damaged, RAW_CONTRACTS["usgs_mcs2026"])
    assert not outcome.passed


def _wgi_api_frame() -> pd.DataFrame:
    """The layout fetch_wgi returns (values SYNTHETIC, as in tests/integration/test_supply_risk_wgi_replay.py)."""
    now = pd.Timestamp("2026-12-01T03:00:00Z")
    return pd.DataFrame({
        "indicator_id": ["GE.EST", "GE.EST", "RQ.EST"], "indicator_name": ["Government Effectiveness: Estimate"] * 3,
        "country_iso3": ["CHN", "MMR", "CHN"], "country_name": ["China", "Myanmar", "China"],
        "year": ["2023", "2023", "2023"], "value": [0.5, None, -0.2],
        "_source": ["worldbank"] * 3, "_source_file": ["http://127.0.0.1/v2/country/all/indicator/{GE.EST,RQ.EST}"] * 3,
        "_retrieved_at": [now] * 3, "_loaded_at": [now] * 3,
    })


def test_wgi_api_rows_pass_and_damaged_ones_fail():
    from data_contracts.sources.worldbank import WgiScores

    assert validate(_wgi_api_frame(), WgiScores).passed
    assert "less_than_or_equal_to(3.5)" in validate(_broken(_wgi_api_frame(), "value", 25.0), WgiScores).summary
    duplicated = pd.concat([_wgi_api_frame(), _wgi_api_frame().head(1)], ignore_index=True)
    assert "one estimate per indicator" in validate(duplicated, WgiScores).summary


def test_live_comtrade_contract_requires_codes_staging_can_map_to_iso3(raw_frames):
    from data_contracts.sources.comtrade import ComtradeLiveRecords
    from orchestration.validation import validate

    good = raw_frames["comtrade_records"]
    assert validate(good, ComtradeLiveRecords).passed  # every snapshot code is in the reference
    unknown = good.copy()
    row = unknown.index[unknown["partnerCode"] != 0][0]  # a partner, not World: the partners still sum to World
    unknown.loc[row, "partnerCode"] = 999_999
    result = validate(unknown, ComtradeLiveRecords)
    # names the field, the code and its row, and the rule names the file the codes are checked against
    assert not result.passed and f"partnerCode: {COMTRADE_CODES_KNOWN} (e.g. '999999', row {row})" in result.summary
    assert COUNTRY_CODES_SEED in COMTRADE_CODES_KNOWN
    no_iso = good.copy()
    no_iso["reporterISO"] = ""  # an optional description field: not relied on, so not refused
    assert validate(no_iso, ComtradeLiveRecords).passed


# Germany's (276) real 2024 exports of HS 850511 (permanent magnets) as a live answer would hold them: each partner's
# total row (the key's largest row) from data/snapshot/comtrade_two_sided/comtrade_2024.csv.gz, World included. One
# partner is 837 'Bunkers', a Comtrade partner area BACI's country table lacks (comtrade_partner_areas seed).
def _germany_magnet_exports_2024(raw_frames) -> pd.DataFrame:
    two_sided = raw_frames["comtrade_two_sided"]
    rows = two_sided[(two_sided.year == 2024) & (two_sided.reporter == 276) & (two_sided.flow == "X")
                     & (two_sided.cmd == "850511")]
    totals = rows.sort_values("value", ascending=False).drop_duplicates("partner").sort_values("partner")
    template = raw_frames["comtrade_records"].iloc[[0] * len(totals)].reset_index(drop=True)
    return template.assign(record_index=range(len(totals)), refYear=2024, period="2024", reporterCode=276,
                           flowCode="X", partnerCode=totals["partner"].astype(int).to_numpy(), partnerISO=None,
                           cmdCode="850511", qty=float("nan"), primaryValue=totals["value"].to_numpy())


def test_live_contract_admits_comtrade_partner_areas_and_still_refuses_unknown_codes(raw_frames):
    from data_contracts.sources.comtrade import ComtradeLiveRecords

    exports = _germany_magnet_exports_2024(raw_frames)
    assert 837 in set(exports.partnerCode) and len(exports) == 132  # 131 partners and World
    outcome = validate(exports, ComtradeLiveRecords)
    assert outcome.passed, outcome.summary  # Bunkers is a Comtrade partner area: admitted, not a reason to quarantine
    unknown = exports.copy()
    row = unknown.index[unknown.partnerCode == 837][0]
    unknown.loc[row, "partnerCode"] = 999_999  # in neither seed: the year is still refused, naming rule and row
    result = validate(unknown, ComtradeLiveRecords)
    assert not result.passed and f"partnerCode: {COMTRADE_CODES_KNOWN} (e.g. '999999', row {row})" in result.summary
    assert "comtrade_partner_areas.csv" in COMTRADE_CODES_KNOWN and COUNTRY_CODES_SEED in COMTRADE_CODES_KNOWN


def test_comtrade_partner_areas_seed_is_partner_list_minus_baci_table_and_carries_no_iso3():
    """The seed is exactly what tools/build_comtrade_partner_areas.py derives from the snapshot's partnerAreas.json:
    Comtrade's codes BACI's table lacks, with Comtrade's names, no ISO3 column (none is sourced), no BACI code twice."""
    import json

    seeds = PROJECT_ROOT / "dbt_project" / "seeds"
    areas = pd.read_csv(seeds / "comtrade_partner_areas.csv")
    baci = set(pd.read_csv(PROJECT_ROOT / COUNTRY_CODES_SEED, usecols=["country_code"])["country_code"])
    listed = json.loads((PROJECT_ROOT / "data/snapshot/comtrade_two_sided/partnerAreas.json").read_text())["results"]
    expected = {int(e["id"]): e["text"] for e in listed if int(e["id"]) not in baci}
    assert dict(zip(areas.partner_code, areas.partner_name, strict=True)) == expected
    assert {527, 568, 577, 636, 837, 839} <= set(expected) and "iso3" not in areas.columns


def test_the_country_table_the_live_contract_reads_names_every_country_reference_code_alike():
    """stg_comtrade__records takes ISO3 from baci_country_codes (the contract's list) and is_country from
    country_reference where it lists the code: the two seeds must agree on every code they share, so the China
    series keeps its ISO3s, and a country_reference code must never be refused by the live contract."""
    seeds = PROJECT_ROOT / "dbt_project" / "seeds"
    reference = pd.read_csv(seeds / "country_reference.csv", usecols=["m49_code", "iso3"], keep_default_na=False)
    codes = pd.read_csv(PROJECT_ROOT / COUNTRY_CODES_SEED, usecols=["country_code", "iso3"], keep_default_na=False)
    both = reference.merge(codes, left_on="m49_code", right_on="country_code", how="left", suffixes=("", "_baci"))
    assert both[both["iso3"] != both["iso3_baci"]].empty, both[both["iso3"] != both["iso3_baci"]]
    assert codes["country_code"].is_unique


# ---------------------------------------------------------------- rules moved up from dbt (issue 30)

def test_comtrade_world_below_or_above_its_partners_is_caught_and_equal_passes(raw_frames):
    from data_contracts.sources.comtrade import PARTNERS_SUM_TO_WORLD, PARTNERS_WITHIN_WORLD, ComtradeRecords

    records = raw_frames["comtrade_records"]
    assert validate(records, ComtradeRecords).passed  # the real snapshot: every year's partners sum to World
    world_2023 = records.index[(records.period == "2023") & (records.partnerCode == 0)]
    below = records.copy()
    below.loc[world_2023, "primaryValue"] *= 0.9  # World below the partners (confidential trade, revisions)
    outcome = validate(below, ComtradeRecords)
    assert set(outcome.metadata["failing_checks"]) == {PARTNERS_SUM_TO_WORLD, PARTNERS_WITHIN_WORLD}
    assert set(below.loc[outcome.metadata["failing_row_indexes"], "period"]) == {"2023"}  # that year's rows only
    above = records.copy()
    above.loc[world_2023, "primaryValue"] += 2.0  # World 2 USD above: only the 1-USD equality breaks
    assert validate(above, ComtradeRecords).metadata["failing_checks"] == [PARTNERS_SUM_TO_WORLD]
    within = records.copy()
    within.loc[world_2023, "primaryValue"] += 0.5  # rounding within 1 USD passes
    assert validate(within, ComtradeRecords).passed
    no_world = records.drop(index=world_2023)  # partners without a World row: no denominator to cover
    assert PARTNERS_WITHIN_WORLD in validate(no_world, ComtradeRecords).metadata["failing_checks"]


def test_mcs_net_import_reliance_above_100_is_caught(raw_frames):
    from data_contracts.sources.usgs import NIR_IS_A_PERCENTAGE, UsgsMcs2026

    release = raw_frames["usgs_mcs2026"]
    nir = release.index[release.statistics == "Net import reliance"]
    assert validate(release, UsgsMcs2026).passed  # tokens (E, >95, NA, s) and 0..100 figures
    for value, passes in (("140", False), ("-5", False), (">95", True), ("100", True), ("E", True)):
        damaged = release.copy()
        damaged.loc[nir[0], "value"] = value
        outcome = validate(damaged, UsgsMcs2026)
        assert outcome.passed == passes, (value, outcome.summary)
        if not passes:
            assert NIR_IS_A_PERCENTAGE in outcome.metadata["failing_checks"]


def test_wgi_country_year_mean_outside_minus_3_to_3_is_caught():
    from data_contracts.sources.worldbank import WGI_MEAN_IN_RANGE, WgiScores
    from data_contracts.vocabularies import WGI_INDICATORS

    now = pd.Timestamp("2026-01-01", tz="UTC")

    def six(value: float, last=None) -> pd.DataFrame:
        values = [value] * 5 + [value if last is None else last]
        return pd.DataFrame({
            "indicator_id": list(WGI_INDICATORS), "indicator_name": ["x"] * 6, "country_iso3": ["DNK"] * 6,
            "country_name": ["Denmark"] * 6, "year": ["2022"] * 6, "value": values, "_source": ["worldbank"] * 6,
            "_source_file": ["http://127.0.0.1/v2"] * 6, "_retrieved_at": [now] * 6, "_loaded_at": [now] * 6})

    assert validate(six(2.0), WgiScores).passed
    assert validate(six(3.2, last=None), WgiScores).metadata["failing_checks"] == [WGI_MEAN_IN_RANGE]  # each <= 3.5
    assert validate(six(3.2, last=2.0), WgiScores).passed  # mean 3.0: on the bound
    assert validate(six(3.2).head(5), WgiScores).passed  # five indicators: governance does not score it
    assert validate(six(3.2, last=float("nan")), WgiScores).passed  # an empty estimate: staging drops it, five left


def test_mcs_live_edition_outside_the_vocabulary_is_caught(raw_frames):
    from data_contracts.sources.usgs import UsgsMcsLive

    release = raw_frames["usgs_mcs2026"].assign(edition="2026", item_id="x", item_title="t", _request_url="http://127.0.0.1")
    assert validate(release, UsgsMcsLive).passed
    assert "isin" in validate(release.assign(edition="2024"), UsgsMcsLive).summary


def test_the_duplicate_rule_keeps_its_name_whichever_comtrade_contract_is_built_first():
    """pandera 0.35 pops a check's name from its declaration when a schema is first built; an inherited check then
    reported its function name in the other contract. A fresh interpreter builds the live contract first."""
    import subprocess
    import sys

    code = ("import pandas as pd; from data_contracts.sources.registry import LIVE_CONTRACTS, RAW_CONTRACTS; "
            "LIVE_CONTRACTS['comtrade_live_records'].to_schema(); "
            "from orchestration.extract.raw_loaders import RAW_TABLES; from orchestration.validation import validate; "
            "r = RAW_TABLES['comtrade_records'].load(); "
            "print(validate(pd.concat([r, r.head(1)], ignore_index=True), RAW_CONTRACTS['comtrade_records']).metadata['failing_checks'])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert "one record per period" in done.stdout, done.stdout + done.stderr[-2000:]


# The rules that net_import_reliance's token and year tests and the production-share ranges relied on, run on the
# edition before it lands (issue 30): each damage fails exactly its rule, the real release passes.
@pytest.mark.parametrize(("column", "value", "rule"), [
    ("value", "~40", "NIR_KNOWN_TOKENS"),
    ("year", "1995", "NIR_YEARS_IN_RANGE"),
])
def test_mcs_net_import_reliance_unknown_token_or_year_is_caught(raw_frames, column, value, rule):
    from data_contracts.sources import usgs

    release = raw_frames["usgs_mcs2026"]
    nir = release.index[release.statistics == "Net import reliance"]
    assert validate(release, usgs.UsgsMcs2026).passed
    damaged = release.copy()
    damaged.loc[nir[0], column] = value
    outcome = validate(damaged, usgs.UsgsMcs2026)
    assert outcome.metadata["failing_checks"] == [getattr(usgs, rule)]


@pytest.mark.parametrize("damage", ["above_world", "negative"])
def test_mcs_production_above_the_world_total_or_negative_is_caught(raw_frames, damage):
    from data_contracts.sources.usgs import PRODUCTION_WITHIN_WORLD, UsgsMcs2026

    release = raw_frames["usgs_mcs2026"]
    is_world = (release.statistics == "Production") & (release.country == "World total")
    world = release[is_world & release.value.str.fullmatch(r"[0-9,]+")].iloc[0]
    table = release.statistics_detail.fillna("").str.replace(r":\s*rounded$", "", regex=True)
    country = release.index[(release.statistics == "Production") & (release.country != "World total")
                            & (release.commodity == world.commodity) & (table == table[world.name])
                            & (release.year == world.year)][0]
    damaged = release.copy()
    world_total = float(world.value.replace(",", ""))
    damaged.loc[country, "value"] = f"{world_total * 2:,.0f}" if damage == "above_world" else "-1"
    outcome = validate(damaged, UsgsMcs2026)
    assert outcome.metadata["failing_checks"] == [PRODUCTION_WITHIN_WORLD]


def test_a_comtrade_year_after_the_current_one_is_caught(raw_frames):
    from datetime import date

    from data_contracts.sources.common import NO_FUTURE_PERIOD

    records = raw_frames["comtrade_records"]
    request = records[records.period == records.period.iloc[0]].copy()
    assert validate(request, RAW_CONTRACTS["comtrade_records"]).passed
    next_year = date.today().year + 1
    request["refYear"], request["period"] = next_year, str(next_year)
    outcome = validate(request, RAW_CONTRACTS["comtrade_records"])
    assert outcome.metadata["failing_checks"] == [NO_FUTURE_PERIOD]


def test_monthly_row_with_month_13_is_caught(raw_frames):
    flows = raw_frames["atlas_monthly_flows"]
    first_monthly = flows.index.get_loc(flows.index[flows.freq == "M"][0])
    outcome = validate(_broken(flows, "period", 202513, row=first_monthly), RAW_CONTRACTS["atlas_monthly_flows"])
    assert not outcome.passed
    assert any("period is YYYYMM" in name for name in outcome.metadata["failing_checks"]), outcome.metadata
