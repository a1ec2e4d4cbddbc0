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

import duckdb
import pytest

from orchestration.definitions import defs as load_defs
from tests.conftest import planned_refresh
from tests.live.replay_server import COMTRADE_SNAPSHOT

PROJECT = Path(__file__).resolve().parents[2]
TWO_SIDED_2024 = PROJECT / "data/snapshot/comtrade_two_sided/comtrade_2024.csv.gz"
REPORTER, CODE, YEAR, REVISION = 344, "811292", "2024", 1000.0


def _total_rows(flow: str) -> dict[int, tuple[float, float | None]]:
    """Partner -> (value, net weight) of the largest row of each key: the total row the live query returns."""
    best: dict[int, tuple[float, float | None]] = {}
    with gzip.open(TWO_SIDED_2024, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (int(row["reporter"]), row["cmd"], row["flow"]) != (REPORTER, CODE, flow):
                continue
            value, weight = float(row["value"]), float(row["netwgt"]) if row["netwgt"] else None
            if int(row["partner"]) not in best or value > best[int(row["partner"])][0]:
                best[int(row["partner"])] = (value, weight)
    return best


def _records(flow: str, totals: dict[int, tuple[float, float | None]]) -> list[dict]:
    template = json.loads((COMTRADE_SNAPSHOT / "2020.json").read_bytes())["data"][0]
    iso = {int(r["m49_code"]): r["iso3"] for r in csv.DictReader((PROJECT / "dbt_project/seeds/country_reference.csv").open())}
    records = []
    for partner, (value, weight) in sorted(totals.items()):
        records.append({**template, "refYear": int(YEAR), "period": YEAR, "refPeriodId": int(YEAR + "0101"),
                        "reporterCode": REPORTER, "reporterISO": "HKG", "reporterDesc": "China, Hong Kong SAR",
                        "flowCode": flow, "flowDesc": "Import" if flow == "M" else "Export",
                        "partnerCode": partner, "partnerISO": iso[partner], "partnerDesc": iso[partner],
                        "cmdCode": CODE, "aggrLevel": 6, "isLeaf": True, "primaryValue": value,
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
