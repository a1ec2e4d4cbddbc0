"""Element-level questions on the golden warehouse: "US imports of gallium by year, China share" answers in one query,
honestly flagged as a mixed heading, and the world-production mart labels every commodity and gives no HHI for a
list that is not world production."""

import openpyxl
import pytest

from orchestration.settings import PROJECT_ROOT

WORKBOOK = PROJECT_ROOT / "data" / "snapshot" / "usitc" / "us_imports_for_consumption_1993-2026.xlsx"
GALLIUM = """
    select year, mineral, mixed_heading, china_value_usd, china_share
    from marts.import_dependency_by_element
    where element = 'gallium' and importer_iso3 = 'USA' and period_kind = 'annual' and source = 'usitc_dataweb'
    order by year"""


def _workbook_china_8112(year: int) -> float:
    """China's HTS 8112 customs value straight from the DataWeb workbook, without the project's parser."""
    rows = list(openpyxl.load_workbook(WORKBOOK, read_only=False)["Customs Value"].iter_rows(values_only=True))
    column = rows[2].index(str(year))
    assert any(r[2] == "8112" and "GALLIUM" in (r[3] or "") for r in rows[3:])  # the heading's own description
    return sum(r[column] for r in rows[3:] if r[1] == "China" and r[2] == "8112")


def test_us_gallium_series_is_the_mixed_8112_heading_every_year(warehouse):
    rows = warehouse.execute(GALLIUM).fetchall()
    years = [r[0] for r in rows]
    assert years == list(range(1993, 2026))
    assert {(r[1], r[2]) for r in rows} == {("minor_metals_mixed_8112", True)}  # no code isolates gallium
    china_2024 = dict((r[0], r[3]) for r in rows)[2024]
    assert china_2024 == pytest.approx(_workbook_china_8112(2024))


def test_an_element_with_its_own_heading_is_not_flagged_mixed(warehouse):
    flags = {r[0] for r in warehouse.execute("""
        select distinct mixed_heading from marts.import_dependency_by_element
        where element = 'antimony' and importer_iso3 = 'USA'""").fetchall()}
    assert flags == {False}


def test_supply_concentration_labels_every_commodity(warehouse):
    assert warehouse.execute("select count(*) from marts.supply_concentration where mineral is null").fetchone()[0] == 0
    assert warehouse.execute(
        "select count(*) from marts.supply_concentration where commodity = 'gallium' and mineral = 'gallium'"
    ).fetchone()[0] > 0


def test_no_hhi_without_a_published_world_total(warehouse):
    rows = warehouse.execute("""
        select commodity, hhi from marts.supply_concentration
        where share_denominator_basis = 'sum_of_listed_countries'""").fetchall()
    assert rows and all(hhi is None for _, hhi in rows), rows
    assert ("stone_crushed", None) in rows  # USGS lists only the United States: HHI was 10,000
