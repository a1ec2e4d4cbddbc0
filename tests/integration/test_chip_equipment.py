"""The reverse chokepoint marts on the real BACI HS07 extract: values recomputed straight from the shipped CSV."""

import duckdb
import pytest

from orchestration.defs.report_assets import REPORT_KEY
from orchestration.settings import PROJECT_ROOT

CSV = PROJECT_ROOT / "data" / "snapshot" / "baci" / "baci_hs07_v202601_china_imports_semiconductor_2008_2024.csv"


@pytest.fixture(scope="module")
def shipped():
    """The CSV as the publisher's filter wrote it, read without the project's reader (v in thousand USD)."""
    connection = duckdb.connect()
    connection.execute(f"create table raw as select * from read_csv_auto('{CSV}')")
    yield connection
    connection.close()


def _csv_share(shipped, hs6_prefix, year, exporter):
    value, total = shipped.execute(
        """select sum(case when exporter_iso3 = ? then import_value_kusd else 0 end), sum(import_value_kusd)
           from raw where cast(product_code as varchar) like ? and year = ? and exporter_code <> 156""",
        [exporter, hs6_prefix + "%", year],
    ).fetchone()
    return value / total


@pytest.mark.parametrize("product, year, exporter", [("848620", 2017, "USA"), ("848620", 2024, "USA"), ("8486", 2024, "NLD"), ("8486", 2019, "JPN"), ("848690", 2012, "S19")])
def test_summary_shares_match_the_csv(warehouse, shipped, product, year, exporter):
    column = {"USA": "us_share", "NLD": "netherlands_share", "JPN": "japan_share", "S19": "taiwan_share"}[exporter]
    got = warehouse.execute(f"select {column} from marts.chip_equipment_dependency_summary where product_code = ? and year = ?", [product, year]).fetchone()[0]
    assert got == pytest.approx(_csv_share(shipped, product, year, exporter), rel=1e-9)


def test_hand_checked_figures(warehouse):
    # Verified by hand from the CSV (pandas sum of import_value_kusd): US share of 848620 27.92 % in 2017, 9.88 % in
    # 2024; China's 8486 imports 2024 $43.408 bn, 2023 $35.487 bn.
    shares = dict(warehouse.execute("select year, us_share from marts.chip_equipment_dependency_summary where product_code = '848620' and year in (2017, 2024)").fetchall())
    assert shares[2017] == pytest.approx(0.2792, abs=5e-5)
    assert shares[2024] == pytest.approx(0.0988, abs=5e-5)
    totals = dict(warehouse.execute("select year, total_value_usd from marts.chip_equipment_dependency_summary where product_code = '8486' and year in (2023, 2024)").fetchall())
    assert totals[2024] == pytest.approx(43_408_301_555, rel=1e-9)
    assert totals[2023] == pytest.approx(35_487_288_476, rel=1e-9)


def test_totals_hhi_and_top_supplier_every_year(warehouse, shipped):
    expected = shipped.execute(
        """with s as (select year, exporter_iso3, sum(import_value_kusd) v from raw
                      where product_code between 848600 and 848699 and exporter_code <> 156 group by 1, 2),
                t as (select year, sum(v) tot from s group by 1)
           select s.year, 10000 * sum((v / tot) * (v / tot)), arg_max(exporter_iso3, v)
           from s join t using (year) group by s.year order by s.year"""
    ).fetchall()
    got = warehouse.execute("select year, hhi, top_supplier_iso3 from marts.chip_equipment_dependency_summary where product_code = '8486' order by year").fetchall()
    assert [r[0] for r in got] == list(range(2008, 2025))
    for (year, hhi, top), (y, e_hhi, e_top) in zip(got, expected):
        assert (year, top) == (y, e_top)
        assert hhi == pytest.approx(e_hhi, rel=1e-9)


def test_supplier_rows_count_each_dollar_once(warehouse, shipped):
    csv_total = shipped.execute("select sum(import_value_kusd) * 1000 from raw where product_code between 848600 and 848699").fetchone()[0]
    mart_total = warehouse.execute("select sum(value_usd) from marts.chip_equipment_dependency").fetchone()[0]
    heading_total = warehouse.execute("select sum(total_value_usd) from marts.chip_equipment_dependency_summary where product_level = 'heading'").fetchone()[0]
    assert mart_total == pytest.approx(csv_total, rel=1e-9)
    assert heading_total == pytest.approx(csv_total, rel=1e-9)


def test_import_dependency_has_the_equipment_rows(warehouse):
    rows = warehouse.execute(
        """select d.year, d.total_value_usd, s.total_value_usd from marts.import_dependency as d
           join marts.chip_equipment_dependency_summary as s on s.year = d.year and s.product_code = '8486'
           where d.importer_iso3 = 'CHN' and d.mineral = 'semiconductor_manufacturing_equipment'
             and d.product_group = 'semiconductor_manufacturing_equipment' and d.source = 'cepii_baci'"""
    ).fetchall()
    assert len(rows) == 17
    assert all(a == pytest.approx(b, rel=1e-12) for _, a, b in rows)
    groups = dict(warehouse.execute("select mineral, product_group from marts.import_dependency where mineral in ('graphite', 'integrated_circuits') group by all").fetchall())
    assert groups == {"graphite": "critical_mineral", "integrated_circuits": "semiconductors"}


def test_control_exposure_days_in_force(warehouse, shipped):
    rows = {
        (r[0], r[1]): r[2:]
        for r in warehouse.execute(
            """select year, restricting_country_iso3, days_in_force_upper, import_value_usd, measures_in_force
               from marts.chip_equipment_control_exposure where hs6 = '848620'"""
        ).fetchall()
    }
    # 2022-10-07 .. 2022-12-31 = 86 days; Japan's 23 items from 2023-07-23 = 162 days; the Dutch rule from 2023-09-01 = 122
    assert rows[(2022, "USA")][0] == 86 and rows[(2021, "USA")][0] == 0
    assert rows[(2023, "JPN")][0] == 162 and rows[(2023, "NLD")][0] == 122
    assert rows[(2024, "NLD")][2] == "NL-2023-18212, NL-2024-DUV"
    csv_value = shipped.execute("select sum(import_value_kusd) * 1000 from raw where product_code = 848620 and year = 2023 and exporter_iso3 = 'JPN'").fetchone()[0]
    assert rows[(2023, "JPN")][1] == pytest.approx(csv_value, rel=1e-9)


def test_event_study_and_claim_check(warehouse, shipped):
    events = dict(warehouse.execute(
        "select measure_id, control_date from marts.chip_equipment_event_study where supplier_group = 'United States'").fetchall())
    assert {str(d) for d in events.values()} >= {"2022-10-07", "2023-07-23", "2023-09-01", "2023-11-17", "2024-12-02"}
    pre, post = warehouse.execute(
        "select pre_year_share, post_year_share from marts.chip_equipment_event_study where measure_id = 'US-2022-BIS-62186' and supplier_group = 'United States'").fetchone()
    assert pre == pytest.approx(_csv_share(shipped, "8486", 2021, "USA"), rel=1e-9)
    assert post == pytest.approx(_csv_share(shipped, "8486", 2023, "USA"), rel=1e-9)
    claim = {r[0]: r[1:] for r in warehouse.execute("select figure_id, value_usd, same_measure_as_other_rows, claim_minus_data_2024_usd from marts.chip_equipment_claim_check").fetchall()}
    assert set(claim) == {"baci_8486_imports_2023", "baci_8486_imports_2024", "baci_8486_903082_903141_imports_2023",
                          "baci_8486_903082_903141_imports_2024", "house_select_committee_38b"}
    assert claim["house_select_committee_38b"][0] == 38e9 and not any(v[1] for v in claim.values())
    assert claim["baci_8486_imports_2024"][0] == pytest.approx(43_408_301_555, rel=1e-9)
    # issue 25: the wider scope adds the chapter-90 wafer test and inspection instruments, straight from the CSV
    extra = shipped.execute("select sum(import_value_kusd) * 1000 from raw where product_code in (903082, 903141) and year = 2024").fetchone()[0]
    assert claim["baci_8486_903082_903141_imports_2024"][0] == pytest.approx(43_408_301_555 + extra, rel=1e-9)
    # issue 25: two different measures are never subtracted
    assert all(v[2] is None for v in claim.values())


def test_report_section_plots_the_marts(pipeline_run, warehouse, shipped, tmp_path):
    from pathlib import Path

    from orchestration.report.build import build_report

    _, warehouse_path = pipeline_run
    result = build_report(Path(warehouse_path), tmp_path)
    suppliers = result.figures["chip_equipment_suppliers"]
    assert sorted(suppliers["year"].unique()) == list(range(2008, 2025))
    by_year = suppliers.groupby("year").agg(value=("value_usd", "sum"), share=("share_of_8486", "sum"))
    csv_totals = dict(shipped.execute(
        "select year, sum(import_value_kusd) * 1000 from raw where product_code between 848600 and 848699 group by 1").fetchall())
    for year, row in by_year.iterrows():
        assert row.value == pytest.approx(csv_totals[year], rel=1e-9)
        assert row.share == pytest.approx(1.0, rel=1e-9)
    us = suppliers[(suppliers.supplier_group == "United States") & (suppliers.year == 2024)].share_of_8486.item()
    assert us == pytest.approx(_csv_share(shipped, "8486", 2024, "USA"), rel=1e-9)
    controls = {str(d.date()) if hasattr(d, "date") else str(d) for d in result.figures["chip_equipment_controls"]["control_date"]}
    assert controls >= {"2022-10-07", "2023-07-23", "2023-09-01", "2023-11-17", "2024-12-02"}
    page = result.html_path.read_text()
    assert "The reverse chokepoint" in page and "FOB" in page and "848610, 848620, 848640, 848690" in page
    assert "$38.000 bn" in page and "$43.408 bn" in page and "Why they differ" in page


def test_report_asset_attaches_the_chip_plots(pipeline_run):
    import base64

    import dagster as dg

    result, _ = pipeline_run
    [materialization] = [
        event.event_specific_data.materialization for event in result.get_asset_materialization_events()
        if event.event_specific_data.materialization.asset_key == REPORT_KEY
    ]
    for name in ("chip_equipment_supplier_shares", "chip_equipment_imports_by_supplier", "chip_equipment_claim_check"):
        plot = materialization.metadata[f"plot_{name}"]
        assert isinstance(plot, dg.MarkdownMetadataValue)
        encoded = plot.md_str.split("data:image/png;base64,", 1)[1].rstrip(")")
        assert base64.b64decode(encoded)[:8] == b"\x89PNG\r\n\x1a\n" and len(encoded) > 10_000


NEW_CONTRACT_MARTS = ["export_measure_status_periods", "restriction_exposure_by_measure", "chip_equipment_dependency",
                      "chip_equipment_dependency_summary", "chip_equipment_control_exposure", "chip_equipment_event_study",
                      "chip_equipment_claim_check"]


@pytest.mark.parametrize("mart", NEW_CONTRACT_MARTS)
def test_mart_contract_passed_on_the_built_data(pipeline_run, mart):
    import dagster as dg

    result, _ = pipeline_run
    evaluations = [e for e in result.get_asset_check_evaluations()
                   if e.asset_key == dg.AssetKey(["marts", mart]) and e.check_name == "pandera_contract"]
    assert len(evaluations) == 1 and evaluations[0].passed, evaluations
