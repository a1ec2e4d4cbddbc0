"""Issue 26, live half: Comtrade declarations of a reporter other than China, both flows, reach the two-sided
declarations and mirror_flows after a planned refresh, and their live vintage replaces the snapshot's rows of that
reporter x flow x HS6 x year (only those).

The replayed answer is real: Hong Kong's (344) 2024 imports and exports of HS 811292, one record per partner plus World,
taken from the snapshot file data/snapshot/comtrade_two_sided/comtrade_2024.csv.gz. The file repeats each key (total
row, breakdown rows, copies); the live query asks for totals only (customsCode C00, motCode 0, partner2Code 0), so the
answer holds each partner's total row, which is the key's largest row: those rows sum to the file's World row within
a cent. One revision marks the live vintage: the China row (and World with it) up by 1,000 USD."""

import csv
import gzip
import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from data_contracts.sources.comtrade import COMTRADE_CODES_KNOWN
from orchestration.definitions import defs as load_defs
from orchestration.defs.live_assets import comtrade_live_monthly, comtrade_live_records
from tests.conftest import planned_refresh
from tests.live.replay_server import COMTRADE_SNAPSHOT

PROJECT = Path(__file__).resolve().parents[2]
TWO_SIDED_2024 = PROJECT / "data/snapshot/comtrade_two_sided/comtrade_2024.csv.gz"
REPORTER, CODE, YEAR, REVISION = 344, "811292", "2024", 1000.0


def _total_rows(flow: str, reporter: int = REPORTER, code: str = CODE) -> dict[int, tuple[float, float | None]]:
    """Partner -> (value, net weight) of the largest row of each key: the total row the live query returns."""
    best: dict[int, tuple[float, float | None]] = {}
    with gzip.open(TWO_SIDED_2024, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (int(row["reporter"]), row["cmd"], row["flow"]) != (reporter, code, flow):
                continue
            value, weight = float(row["value"]), float(row["netwgt"]) if row["netwgt"] else None
            if int(row["partner"]) not in best or value > best[int(row["partner"])][0]:
                best[int(row["partner"])] = (value, weight)
    return best


def _iso3() -> dict[int, str]:
    """BACI's country table as the project carries it: what the replayed answer's ISO fields say (the API's text)."""
    with (PROJECT / "dbt_project/seeds/baci_country_codes.csv").open(encoding="utf-8") as handle:
        return {int(r["country_code"]): r["iso3"] for r in csv.DictReader(handle)}


def _records(flow: str, totals: dict[int, tuple[float, float | None]], reporter: int = REPORTER,
             code: str = CODE) -> list[dict]:
    template = json.loads((COMTRADE_SNAPSHOT / "2020.json").read_bytes())["data"][0]
    iso = _iso3()
    records = []
    for partner, (value, weight) in sorted(totals.items()):
        records.append({**template, "refYear": int(YEAR), "period": YEAR, "refPeriodId": int(YEAR + "0101"),
                        "reporterCode": reporter, "reporterISO": iso[reporter], "reporterDesc": iso[reporter],
                        "flowCode": flow, "flowDesc": "Import" if flow == "M" else "Export",
                        "partnerCode": partner, "partnerISO": iso.get(partner, ""), "partnerDesc": iso.get(partner, ""),
                        "cmdCode": code, "aggrLevel": 6, "isLeaf": True, "primaryValue": value,
                        "cifvalue": value if flow == "M" else 0.0, "fobvalue": value if flow == "X" else 0.0,
                        "netWgt": weight, "qty": weight if weight is not None else 0.0,
                        "qtyUnitCode": 8 if weight is not None else -1, "isReported": True, "isAggregate": True})
    return records


@pytest.fixture
def hong_kong_2024(monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_REPORTERS", str(REPORTER))
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_FLOWS", "M,X")
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_COMMODITIES", CODE)
    imports, exports = _total_rows("M"), _total_rows("X")
    snapshot_from_china = imports[156][0]
    imports[156] = (imports[156][0] + REVISION, imports[156][1])
    imports[0] = (imports[0][0] + REVISION, imports[0][1])
    return snapshot_from_china, exports, _records("M", imports) + _records("X", exports)


def test_live_declarations_of_any_reporter_reach_mirror_flows(live_golden, replay, golden_instance, hong_kong_2024):
    snapshot_from_china, exports, records = hong_kong_2024
    replay.comtrade_records[(YEAR, str(REPORTER))] = {CODE: records}
    definitions = load_defs()

    fetch = definitions.resolve_job_def("live_comtrade_extract").execute_in_process(
        instance=golden_instance, partition_key=YEAR, raise_on_error=False)
    assert fetch.success
    assert sorted(e.query["flowCode"] for e in replay.requests_to("/public/v1/preview/")) == ["M", "X"]
    plan, refresh = planned_refresh(golden_instance, definitions)
    assert refresh is not None and refresh.success, plan.describe()

    warehouse = duckdb.connect(str(live_golden / "chokepoint.duckdb"), read_only=True)
    try:
        by_flow = dict(warehouse.execute(f"""select flow || '/' || declaration_source, count(*)
            from staging.stg_comtrade_two_sided__declarations
            where reporter_code = {REPORTER} and hs6 = '{CODE}' and year = {YEAR} group by 1""").fetchall())
        # every partner of the live answer, both flows, and no snapshot row left under the replaced units
        assert by_flow == {"M/live_vintage": len(records) - len(exports), "X/live_vintage": len(exports)}
        # the reporter's other codes keep their snapshot rows (the unit replaced is reporter x flow x HS6 x year)
        assert warehouse.execute(f"""select count(*) from staging.stg_comtrade_two_sided__declarations
            where reporter_code = {REPORTER} and hs6 <> '{CODE}' and year = {YEAR}
            and declaration_source = 'snapshot_file'""").fetchone()[0] > 0
        imported = warehouse.execute(f"""select importer_declared_cif_usd from marts.mirror_flows
            where year = {YEAR} and exporter_code = 156 and importer_code = {REPORTER} and hs6 = '{CODE}'""").fetchone()
        assert imported == (pytest.approx(snapshot_from_china + REVISION),)
        partner, (value, _) = max(((p, t) for p, t in exports.items() if p != 0), key=lambda item: item[1][0])
        exported = warehouse.execute(f"""select exporter_declared_fob_usd from marts.mirror_flows
            where year = {YEAR} and exporter_code = {REPORTER} and importer_code = {partner} and hs6 = '{CODE}'""").fetchone()
        assert exported == (pytest.approx(value),)
    finally:
        warehouse.close()


# Germany (276) and Japan (392) declare 2024 imports of HS 850511 (permanent magnets) from partners across the world:
# 64 and 31 partners in the snapshot file, 18 and 4 of them outside the 62 codes of country_reference (e.g. 32 Argentina,
# 100 Bulgaria), which quarantined the whole live year before. The replayed answer is each partner's total row (the
# key's largest row) from data/snapshot/comtrade_two_sided/comtrade_2024.csv.gz, World included. Both reporters' exports
# of the code are asked for too: Germany's name 131 partners, one of them 837 'Bunkers', a Comtrade partner area that
# BACI's country table lacks (seed comtrade_partner_areas), which quarantined the whole live year before.
MAGNETS, ANY_REPORTERS, BUNKERS = "850511", (276, 392), 837


@pytest.fixture
def germany_japan_2024(monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_REPORTERS", ",".join(map(str, ANY_REPORTERS)))
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_FLOWS", "M,X")
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_COMMODITIES", MAGNETS)
    return {reporter: [*_records("M", _total_rows("M", reporter, MAGNETS), reporter, MAGNETS),
                       *_records("X", _total_rows("X", reporter, MAGNETS), reporter, MAGNETS)] for reporter in ANY_REPORTERS}


def _publish(replay, answers: dict[int, list[dict]]) -> None:
    for reporter, records in answers.items():
        replay.comtrade_records[(YEAR, str(reporter))] = {MAGNETS: records}


def test_live_year_of_germany_and_japan_with_partners_worldwide_reaches_mirror_flows(
        live_golden, replay, golden_instance, germany_japan_2024):
    answers = germany_japan_2024
    _publish(replay, answers)
    iso = _iso3()
    reference = {int(r["m49_code"]) for r in csv.DictReader((PROJECT / "dbt_project/seeds/country_reference.csv").open())}
    # the case this test is about: partners the 62-code country_reference does not hold, and Bunkers among Germany's
    assert {276: 18, 392: 4} == {r: len({x["partnerCode"] for x in rows if x["flowCode"] == "M"} - reference)
                                 for r, rows in answers.items()}
    assert [r["primaryValue"] for r in answers[276] if (r["partnerCode"], r["flowCode"]) == (BUNKERS, "X")] \
        == [pytest.approx(32507.178)]
    definitions = load_defs()

    fetch = definitions.resolve_job_def("live_comtrade_extract").execute_in_process(
        instance=golden_instance, partition_key=YEAR, raise_on_error=False)
    assert fetch.success
    plan, refresh = planned_refresh(golden_instance, definitions)
    assert refresh is not None and refresh.success, plan.describe()

    warehouse = duckdb.connect(str(live_golden / "chokepoint.duckdb"), read_only=True)
    try:
        # nothing held back (the quarantine table exists only once a period was held)
        assert warehouse.execute("select count(*) from information_schema.tables "
                                 "where table_name = 'live_quarantine'").fetchone() == (0,)
        for reporter, records in answers.items():
            declared = {code: (iso3, source) for code, iso3, source in warehouse.execute(f"""
                select partner_code, partner_iso3, declaration_source from staging.stg_comtrade_two_sided__declarations
                where reporter_code = {reporter} and hs6 = '{MAGNETS}' and year = {YEAR} and flow = 'M'""").fetchall()}
            # every partner of the live answer, named by BACI's country table, and only the live vintage
            assert declared == {r["partnerCode"]: (iso[r["partnerCode"]], "live_vintage") for r in records
                                if r["flowCode"] == "M"}
            mirrored = dict(warehouse.execute(f"""
                select exporter_code, importer_declared_cif_usd from marts.mirror_flows
                where year = {YEAR} and importer_code = {reporter} and hs6 = '{MAGNETS}'
                and importer_declared_cif_usd is not null""").fetchall())
            assert mirrored == {r["partnerCode"]: pytest.approx(r["primaryValue"]) for r in records
                                if r["partnerCode"] != 0 and r["flowCode"] == "M"}
            assert warehouse.execute(f"""select count(*) from marts.mirror_flows where year = {YEAR}
                and importer_code = {reporter} and hs6 = '{MAGNETS}' and importer_iso3 <> '{iso[reporter]}'""").fetchone() == (0,)
        argentina = warehouse.execute(f"""select exporter_iso3 from marts.mirror_flows where year = {YEAR}
            and importer_code = 276 and exporter_code = 32 and hs6 = '{MAGNETS}'""").fetchone()
        assert argentina == ("ARG",)
        # Germany's exports land whole; Bunkers reaches staging as a Comtrade partner area, ISO3 NULL (none is sourced)
        exported = warehouse.execute(f"""select count(*), count(distinct declaration_source) from
            staging.stg_comtrade_two_sided__declarations
            where reporter_code = 276 and hs6 = '{MAGNETS}' and year = {YEAR} and flow = 'X'""").fetchone()
        assert exported == (len([r for r in answers[276] if r["flowCode"] == "X"]), 1)
        bunkers = warehouse.execute(f"""select partner_iso3, partner_name, partner_kind, value_usd, declaration_source
            from staging.stg_comtrade_two_sided__declarations where reporter_code = 276 and partner_code = {BUNKERS}
            and hs6 = '{MAGNETS}' and year = {YEAR} and flow = 'X'""").fetchall()
        assert bunkers == [(None, "Bunkers", "comtrade_area", pytest.approx(32507.178), "live_vintage")]
        record = warehouse.execute(f"""select partner_iso3, partner_kind, partner_is_country
            from staging.stg_comtrade__records where reporter_code = 276 and partner_code = {BUNKERS}
            and cmd_code = '{MAGNETS}' and year = {YEAR} and flow = 'export'""").fetchall()
        assert record == [(None, "comtrade_area", False)]
        # not a flow: no counterpart can declare Bunkers, so mirror_flows does not pair it
        assert warehouse.execute(f"""select count(*) from marts.mirror_flows where year = {YEAR}
            and importer_code = {BUNKERS}""").fetchone() == (0,)
    finally:
        warehouse.close()


def test_live_year_naming_an_unknown_partner_code_is_still_quarantined(live_env, replay, instance, germany_japan_2024):
    answers = germany_japan_2024
    unknown = next(r for r in answers[276] if r["partnerCode"] == 32)  # Argentina, relabelled to a code nobody uses
    unknown["partnerCode"] = 999999
    _publish(replay, answers)

    result = dg.materialize([comtrade_live_records], partition_key=YEAR, instance=instance, raise_on_error=False)
    assert not result.success
    connection = duckdb.connect(str(live_env / "chokepoint.duckdb"), read_only=True)
    try:
        ((table, period, error, rules, failing),) = connection.execute(
            "select raw_table, period, error, failed_rules, failing_rows from raw.live_quarantine").fetchall()
        assert (table, period) == ("comtrade_live_records", YEAR)
        # the rule names the field and the file it is checked against; the failing row is the relabelled record
        assert COMTRADE_CODES_KNOWN in rules and "partnerCode" in COMTRADE_CODES_KNOWN
        assert "baci_country_codes.csv" in COMTRADE_CODES_KNOWN and COMTRADE_CODES_KNOWN in error
        assert '"partnerCode":"999999"' in failing and '"partnerCode":"32"' not in failing
        assert f'"partnerCode":"{BUNKERS}"' not in failing  # a Comtrade partner area is not why the year is held
        assert connection.execute("select count(*) from information_schema.tables "
                                  "where table_name = 'comtrade_live_records'").fetchone() == (0,)
    finally:
        connection.close()


# Monthly declarations (freqCode M, period YYYYMM). The project holds no real monthly Comtrade declaration of Germany;
# it holds Japan's (392) December 2024 imports of HS 850511 by partner, from UN Comtrade through the critical-materials
# atlas (data/snapshot/monthly_trade/atlas_flows.parquet, source 'comtrade', 22 partners). That file names partners by
# ISO3 and carries no World row: the replayed answer codes each partner by BACI's country table (Taiwan as 490, the
# code Comtrade reports it under) and adds a World row equal to the partners' sum, which is what the raw contract
# checks a response against (not Comtrade's published World, which the file does not hold).
MONTH, MONTH_REPORTER = "202412", 392
MONTHLY_TRADE = PROJECT / "data/snapshot/monthly_trade/atlas_flows.parquet"


def _monthly_records(month: str = MONTH, reporter: int = MONTH_REPORTER, code: str = MAGNETS) -> list[dict]:
    with (PROJECT / "dbt_project/seeds/baci_country_codes.csv").open(encoding="utf-8") as handle:
        codes = {r["iso3"]: int(r["country_code"]) for r in csv.DictReader(handle) if r["current_code_for_iso3"] == "true"}
    codes["TWN"] = 490
    iso = _iso3()
    with duckdb.connect() as connection:
        rows = connection.execute(
            "select partner, value_usd, qty_kg from read_parquet(?) where source = 'comtrade' and period = ? "
            "and reporter = ? and flow = 'import' and hs6 = ?", [str(MONTHLY_TRADE), month, iso[reporter], code]).fetchall()
    totals = {codes[partner]: (value, weight) for partner, value, weight in rows}
    totals[0] = (sum(value for value, _ in totals.values()), sum(weight for _, weight in totals.values()))
    year, month_number = int(month[:4]), int(month[4:])
    return [{**record, "freqCode": "M", "refYear": year, "refMonth": month_number, "period": month,
             "refPeriodId": int(month + "01")} for record in _records("M", totals, reporter, code)]


@pytest.fixture
def japan_december_2024(monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_REPORTERS", str(MONTH_REPORTER))
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_FLOWS", "M")
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_COMMODITIES", MAGNETS)
    return _monthly_records()


def test_live_month_of_declared_imports_lands_and_reaches_staging_as_monthly(
        live_golden, replay, golden_instance, japan_december_2024):
    records = japan_december_2024
    assert len(records) == 23  # 22 partners and World
    replay.comtrade_records[(MONTH, str(MONTH_REPORTER))] = {MAGNETS: records}
    definitions = load_defs()

    fetch = definitions.resolve_job_def("live_comtrade_monthly_extract").execute_in_process(
        instance=golden_instance, partition_key=MONTH, raise_on_error=False)
    assert fetch.success
    (request,) = replay.requests_to("/public/v1/preview/")
    assert "/public/v1/preview/C/M/HS" in request.path and request.query["period"] == MONTH
    plan, refresh = planned_refresh(golden_instance, definitions)
    assert refresh is not None and refresh.success, plan.describe()

    warehouse = duckdb.connect(str(live_golden / "chokepoint.duckdb"), read_only=True)
    try:
        # landed unchanged in its own table, with lineage; the annual table is not touched
        landed = warehouse.execute("""select count(*), count(distinct _source_sha256), min(_request_url),
            bool_and(_source_file like 'landing/%'), min(freqCode), min(period) from raw.comtrade_live_monthly""").fetchone()
        assert landed[:2] == (23, 1) and "/C/M/HS" in landed[2] and landed[3:] == (True, "M", MONTH)
        assert warehouse.execute("select count(*) from information_schema.tables "
                                 "where table_name = 'comtrade_live_records'").fetchone() == (0,)
        monthly = {partner: value for partner, value in warehouse.execute(f"""
            select partner_code, primary_value_usd from staging.stg_comtrade__records
            where reporter_code = {MONTH_REPORTER} and cmd_code = '{MAGNETS}' and period_kind = 'monthly'
            and year = 2024 and month = 12 and freq_code = 'M'""").fetchall()}
        assert monthly == {r["partnerCode"]: pytest.approx(r["primaryValue"]) for r in records}
        # the two-sided declarations stay annual: a month is never added to a year there
        assert warehouse.execute(f"""select count(*) from staging.stg_comtrade_two_sided__declarations
            where declaration_source = 'live_vintage' and reporter_code = {MONTH_REPORTER}""").fetchone() == (0,)
        # the dependency marts read annual (and year-to-date) rows only
        assert warehouse.execute("select count(*) from marts.import_dependency "
                                 "where period_kind = 'monthly'").fetchone() == (0,)
    finally:
        warehouse.close()


def test_live_month_failing_its_contract_is_quarantined_alone(live_env, replay, instance, japan_december_2024):
    good = japan_december_2024
    # November: December's records relabelled to 202411, China's partner code replaced by one nobody uses
    bad = [{**r, "partnerCode": 999999} if r["partnerCode"] == 156 else r for r in _monthly_records()]
    bad = [{**r, "period": "202411", "refMonth": 11, "refPeriodId": 20241101} for r in bad]
    replay.comtrade_records[(MONTH, str(MONTH_REPORTER))] = {MAGNETS: good}
    replay.comtrade_records[("202411", str(MONTH_REPORTER))] = {MAGNETS: bad}

    failed = dg.materialize([comtrade_live_monthly], partition_key="202411", instance=instance, raise_on_error=False)
    assert not failed.success
    landed = dg.materialize([comtrade_live_monthly], partition_key=MONTH, instance=instance, raise_on_error=False)
    assert landed.success
    connection = duckdb.connect(str(live_env / "chokepoint.duckdb"), read_only=True)
    try:
        ((table, period, rules, failing),) = connection.execute(
            "select raw_table, period, failed_rules, failing_rows from raw.live_quarantine").fetchall()
        assert (table, period) == ("comtrade_live_monthly", "202411")
        assert COMTRADE_CODES_KNOWN in rules and '"partnerCode":"999999"' in failing
        # only the failing month is held: December landed whole, and nothing of November was written
        assert dict(connection.execute("select period, count(*) from raw.comtrade_live_monthly group by 1").fetchall()) \
            == {MONTH: len(good)}
    finally:
        connection.close()


def test_monthly_comtrade_is_asked_for_only_when_its_window_is_set(live_env, instance, monkeypatch):
    from datetime import UTC, datetime

    from orchestration.defs.live_jobs import periods_to_fetch

    now = datetime(2025, 3, 10, tzinfo=UTC)
    # unset (0): nothing, where a slice [-0:] would have asked for every month since 2010
    assert periods_to_fetch(instance, comtrade_live_monthly, now) == []
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_MONTHLY_WINDOW", "2")
    assert periods_to_fetch(instance, comtrade_live_monthly, now) == ["202501", "202502"]
