"""Supply concentration, supply risk, event studies and the report on the snapshot warehouse.

Published figures: USGS Mineral Commodity Summaries 2026 data release (doi:10.5066/P1WKQ63T), world mine production
(docs/methods.md section 8.2 and 8.4). Edition pinned: 2026."""

import math
from pathlib import Path

import dagster as dg
import pytest

from data_contracts.vocabularies import REPORT_MINERAL
from orchestration.defs.report_assets import REPORT_KEY
from orchestration.report import figures
from orchestration.report.build import REPORT_FILE, build_report

# commodity, year, world total (t), China (t), USGS percentage
PUBLISHED_MCS2026 = [
    ("rare_earths", 2024, 380_000, 270_000, 71),
    ("rare_earths", 2025, 390_000, 270_000, 69),
    ("graphite_natural", 2024, 1_550_000, 1_270_000, 82),
    ("tungsten", 2024, 82_000, 67_000, 82),
    ("antimony", 2024, 119_000, 40_000, 34),
]


@pytest.mark.parametrize("commodity, year, world, china, pct", PUBLISHED_MCS2026)
def test_china_share_of_world_mine_production_matches_usgs(warehouse, commodity, year, world, china, pct):
    row = warehouse.execute(
        """select world_total, china_production, china_share, share_denominator_basis, mcs_edition
           from marts.supply_concentration where commodity = ? and stage = 'mine' and year = ?""",
        [commodity, year],
    ).fetchone()
    assert row is not None
    world_total, china_production, china_share, basis, edition = row
    assert (world_total, china_production, basis, edition) == (world, china, "published_world_total", 2026)
    assert round(china_share * 100) == pct


def test_hhi_and_equivalent_producers_are_consistent(warehouse):
    rows = warehouse.execute(
        "select hhi, hhi_upper_bound, equivalent_producers from marts.supply_concentration where hhi > 0"
    ).fetchall()
    assert rows
    for hhi, upper, equivalent in rows:
        assert 0 < hhi <= 10_000 and hhi <= upper + 1e-9 <= 10_000 + 1e-9
        assert equivalent == pytest.approx(10_000 / hhi)


def test_withheld_values_are_not_coerced(warehouse):
    # Antimony 2025: the United States value is 'W' (withheld) in the MCS 2026 data release.
    withheld, = warehouse.execute(
        "select withheld_country_count from marts.supply_concentration where commodity = 'antimony' and year = 2025"
    ).fetchone()
    assert withheld == 1
    value, = warehouse.execute(
        """select production from intermediate.int_supply__production_shares
           where commodity = 'antimony' and year = 2025 and country = 'United States'"""
    ).fetchone()
    assert value is None


def test_snapshot_wgi_weights_supply_risk_where_every_producer_has_a_score(warehouse):
    # live WGI is empty in snapshot mode; the shipped WGIData.csv (2023 update) gives the scores
    assert warehouse.execute("select count(*) from raw.wgi_scores").fetchone()[0] == 0
    bases = dict(warehouse.execute(
        "select commodity, governance_basis from marts.supply_risk where year = 2024").fetchall())
    for commodity in ("antimony", "graphite_natural", "tungsten", "rare_earths"):
        assert bases[commodity] == "wgi_weighted", commodity
    # New Caledonia (a nickel producer) has no WGI score: the row says so instead of weighting partially
    assert bases["nickel"] == "unweighted_wgi_missing"
    assert warehouse.execute(
        "select count(*) from marts.supply_risk where governance_basis = 'wgi_weighted' and global_supply_hhi_wgi_t is null"
    ).fetchone()[0] == 0


def test_supply_risk_recomputes_from_its_inputs(warehouse):
    rows = warehouse.execute(
        """select commodity, year, global_supply_term, us_sourcing_term, ir, eol_rir, si_sr, supply_risk, sr_status
           from marts.supply_risk"""
    ).fetchall()
    computed = [r for r in rows if r[-1] in ("computed", "computed_unweighted")]
    assert {r[0] for r in computed} >= {"graphite_natural", "antimony", "tungsten"}
    for _, _, gs, src, ir, eol, si, sr, _ in computed:
        assert sr == pytest.approx((gs * ir / 2 + src * (1 - ir / 2)) * (1 - eol) * si)
    status = {(r[0], r[1]): r[-1] for r in rows}
    # The EU assessment publishes no SI_SR for the rare-earth groups: not computable, never invented.
    assert status[("rare_earths", 2024)] == "not_computable_si_sr_missing"


def test_trade_factor_follows_the_register(warehouse):
    # China's graphite licence (Dec 2023): t = 1.1. No. 46 Art. 2 (Dec 2024) denies Ga/Ge/Sb to the US in
    # principle but gives graphite only stricter end-use review (commodity_legal_type), so graphite stays 1.1
    # while gallium takes the ban's 1.3.
    factors = dict(warehouse.execute(
        """select year, trade_factor from intermediate.int_supply__trade_factors
           where country_iso3 = 'CHN' and register_commodity = 'graphite' and year between 2022 and 2024"""
    ).fetchall())
    assert factors == {2023: 1.1, 2024: 1.1}
    gallium = warehouse.execute("""select trade_factor from intermediate.int_supply__trade_factors
        where country_iso3 = 'CHN' and register_commodity = 'gallium' and year = 2024""").fetchone()
    assert gallium == (1.3,)


def test_event_study_pairs_come_from_the_exposure_bridge_and_index_to_pre_mean(warehouse):
    orphans = warehouse.execute(
        """select count(*) from marts.restriction_event_study as e
           where not exists (select 1 from marts.restriction_exposure_by_measure as x
                             where x.importer_iso3 = e.importer_iso3 and x.mineral = e.mineral
                               and x.measure_id = e.measure_id and x.source = e.source and x.year = e.year)"""
    ).fetchone()[0]
    assert orphans == 0
    rows = warehouse.execute(
        """select year, relative_period, value_usd, value_index, pre_period_years from marts.restriction_event_study
           where measure_id = 'CN-2023-39' and mineral = 'graphite' and source = 'usitc_dataweb'
           order by relative_period"""
    ).fetchall()
    assert [r[1] for r in rows] == [-3, -2, -1, 0, 1, 2]
    assert {r[4] for r in rows} == {"2020-2022"}
    pre_mean = sum(r[2] for r in rows if r[1] < 0) / 3
    for _, _, value, index, _ in rows:
        assert index == pytest.approx(100 * value / pre_mean)


def test_report_asset_wrote_the_report_and_attached_plots(pipeline_run):
    result, warehouse_path = pipeline_run
    report = Path(warehouse_path).parent / "report" / REPORT_FILE
    assert report.exists() and "data:image/png;base64," in report.read_text()
    materializations = [
        event.event_specific_data.materialization
        for event in result.get_asset_materialization_events()
        if event.event_specific_data.materialization.asset_key == REPORT_KEY
    ]
    assert len(materializations) == 1
    plot = materializations[0].metadata["plot_china_share_hhi"]
    assert isinstance(plot, dg.MarkdownMetadataValue) and plot.md_str.startswith("![")
    assert "data:image/png;base64," in plot.md_str
    timeline = materializations[0].metadata["plot_measures_timeline"]
    assert isinstance(timeline, dg.MarkdownMetadataValue) and "data:image/png;base64," in timeline.md_str
    assert (report.parent / "thumbnails" / "measures_timeline.png").is_file()


def test_report_figures_equal_the_marts(pipeline_run, warehouse, tmp_path):
    _, warehouse_path = pipeline_run
    result = build_report(Path(warehouse_path), tmp_path)
    assert result.html_path.exists()
    for name, path in result.png_paths.items():
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name

    plotted = result.figures["china_share_hhi"]
    assert set(plotted["mineral"]) == set(REPORT_MINERAL.allowed)
    expected = {
        (m, y): (share, hhi)
        for m, y, share, hhi in warehouse.execute(
            """select mineral, year, china_share, hhi from marts.import_dependency
               where importer_iso3 = 'USA' and source = 'usitc_dataweb' and period_kind = 'annual'
                 and total_value_usd > 0"""
        ).fetchall()
    }
    for row in plotted.itertuples():
        share, hhi = expected[(row.mineral, row.year)]
        assert row.china_share == pytest.approx(share) and row.hhi == pytest.approx(hhi)
    assert set(plotted["denominator_scope"]) == {"selected_partners"}
    assert "18 selected partner countries" in result.html_path.read_text()

    events = result.figures["event_studies"]
    marts_events = dict(
        ((m, mid, rp), vi) for m, mid, rp, vi in warehouse.execute(
            """select mineral, measure_id, relative_period, value_index from marts.restriction_event_study
               where importer_iso3 = 'USA' and source = 'usitc_dataweb' and period_kind = 'annual'"""
        ).fetchall()
    )
    assert len(events) > 0
    for row in events.itertuples():
        expected_index = marts_events[(row.mineral, row.measure_id, row.relative_period)]
        assert (expected_index is None and math.isnan(row.value_index)) or row.value_index == pytest.approx(expected_index)

    timeline = result.figures["measures_timeline"]
    rare_earths_2024 = timeline[(timeline.mineral == "rare_earths") & (timeline.year == 2024)]["value_usd"].item()
    china_value, = warehouse.execute(
        """select china_value_usd from marts.import_dependency where importer_iso3 = 'USA' and mineral = 'rare_earths'
           and year = 2024 and period_kind = 'annual' and source = 'usitc_dataweb'"""
    ).fetchone()
    assert rare_earths_2024 == pytest.approx(china_value)

    world = result.figures["world_production_china_share"]
    graphite = world[(world.commodity == "graphite_natural") & (world.year == 2024)]["china_share"].item()
    assert round(graphite * 100) == 82

    # issue 27: the monthly small multiples are drawn from real rows of the event windows, named in the caption
    monthly = result.figures["monthly_event_windows"]
    assert "CN-2025-18" in figures.monthly_measures(monthly)
    assert "CN-2025-18 effective 2025-04-04" in result.html_path.read_text()
    uk_april, = warehouse.execute(
        """select sum(origin_qty_kg) from (select distinct hs6, origin_qty_kg from marts.event_windows_monthly
           where measure_id = 'CN-2025-18' and source = 'uk_hmrc' and year = 2025 and month = 4)"""
    ).fetchone()
    plotted = monthly[(monthly.measure_id == "CN-2025-18") & (monthly.source == "uk_hmrc") & (monthly.year == 2025)
                      & (monthly.month == 4)]["origin_qty_kg"].item()
    assert uk_april > 0 and plotted == pytest.approx(uk_april)


def test_monthly_exposure_counts_the_days_from_the_register_date(warehouse):
    """No. 18/2025 took effect 2025-04-04 (register): 27 of April's 30 days, all of May, none of March; the in-scope
    value is the month's China-origin imports of the part's HS6 in monthly_flows."""
    rows = dict((m, (d, share, v)) for m, d, share, v in warehouse.execute(
        """select month, days_in_force, share_of_month_in_force, value_usd_in_scope from marts.monthly_exposure
           where measure_id = 'CN-2025-18' and source = 'uk_hmrc' and importer_iso3 = 'GBR' and year = 2025"""
    ).fetchall())
    assert rows[3][:2] == (0, 0.0) and rows[4][:2] == (27, pytest.approx(27 / 30)) and rows[5][:2] == (31, 1.0)
    april_flows, = warehouse.execute(
        """select sum(value_usd) from marts.monthly_flows where source = 'uk_hmrc' and reporter_iso3 = 'GBR'
           and partner_code = 'CHN' and flow = 'import' and hs6 = '850511' and year = 2025 and month = 4"""
    ).fetchone()
    assert april_flows > 0 and rows[4][2] == pytest.approx(april_flows)
