"""Issue 25 items 6-10 on the real snapshot: like-for-like comparisons in the built marts.

- no text value of any mart carries a path of our machines (item 9);
- every mart column named like a share holds a fraction, and a percent column is the source's printed figure (10);
- US net trade is netted per processing stage and a stage mix is never labelled (6);
- USITC shares carry an estimated coverage of World (7);
- USGS's China share is compared on quantity, never across a mixed heading (8);
- the '$38 billion' claim check subtracts nothing and states its codes (9)."""

import pytest

from tests.local_paths import LOCAL_PATH
from tests.share_units import is_declared_published_percent, is_percent_column, is_share_column, share_bounds

NUMERIC = ("DOUBLE", "FLOAT", "REAL", "INTEGER", "BIGINT", "DECIMAL")


def _mart_columns(warehouse):
    return warehouse.execute("""select table_name, column_name, data_type from information_schema.columns
                                where table_schema = 'marts' order by table_name, ordinal_position""").fetchall()


def test_no_mart_text_value_holds_a_local_path(warehouse):
    found = []
    for table, column, data_type in _mart_columns(warehouse):
        if data_type != "VARCHAR":
            continue
        count, example = warehouse.execute(
            f'select count(*), any_value("{column}") from marts."{table}" where regexp_matches("{column}", ?)',
            [LOCAL_PATH]).fetchone()
        if count:
            found.append(f"{table}.{column} ({count} rows, e.g. {example[:120]!r})")
    assert found == [], f"local paths in published values: {found}"


def test_every_built_share_column_is_a_fraction_and_percents_are_published_figures(warehouse):
    columns = _mart_columns(warehouse)
    percents = [f"{t}.{c}" for t, c, _ in columns if is_percent_column(c) and not is_declared_published_percent(c)]
    assert percents == []
    out_of_range = []
    for table, column, data_type in columns:
        if not is_share_column(column) or not data_type.startswith(NUMERIC):
            continue
        low, high = share_bounds(column)
        bad = warehouse.execute(f'select count(*) from marts."{table}" where "{column}" < ? or "{column}" > ?',
                                [low - 1e-9, high + 1e-9]).fetchone()[0]
        if bad:
            out_of_range.append(f"{table}.{column} ({bad} rows outside {low}..{high})")
    assert out_of_range == []


def test_us_rare_earth_net_trade_is_a_stage_mix_not_a_net_export(warehouse):
    rows = warehouse.execute("""select year, stage, trade_balance, exports_value_usd, imports_value_usd
                                from marts.net_trade where mineral = 'rare_earths' and period_kind = 'annual'
                                  and year between 2020 and 2024 order by year""").fetchall()
    assert [r[0] for r in rows] == [2020, 2021, 2022, 2023, 2024]
    # exports above imports every year (Mountain Pass concentrate under 2846), yet no net-exporter label
    assert all(stage == "mixed" and balance == "stage_mix" and exports > imports
               for _, stage, balance, exports, imports in rows)
    labelled = warehouse.execute("""select count(*) from marts.net_trade
                                    where stage = 'mixed' and trade_balance in ('net_exporter', 'net_importer', 'balanced')""").fetchone()[0]
    assert labelled == 0


def test_usitc_shares_carry_an_estimated_world_coverage(warehouse):
    coverage = dict(warehouse.execute("""select mineral, denominator_coverage from marts.import_dependency
                                         where source = 'usitc_dataweb' and year = 2024 and period_kind = 'annual'
                                           and denominator_coverage is not null""").fetchall())
    # BACI has US 2024 rows inside these USITC headings; manganese ore's 18 partners are a small part of World
    assert {"graphite", "manganese", "tungsten", "minor_metals_mixed_8112"} <= set(coverage)
    assert all(0 < v <= 1 for v in coverage.values())
    assert coverage["manganese"] < 0.5
    basis = warehouse.execute("""select distinct denominator_coverage_basis from marts.import_dependency
                                 where source = 'usitc_dataweb' and denominator_coverage is not null""").fetchall()
    assert basis and all(b[0].startswith("estimate from CEPII BACI") for b in basis)


def test_usgs_comparison_is_on_quantity_and_withheld_across_mixed_headings(warehouse):
    rows = {(r[0], r[1], r[2]): r[3:] for r in warehouse.execute(
        """select edition, commodity, form, usgs_china_share, our_china_share_by_value, our_china_share_by_quantity,
                  gap_share, gap_null_reason, codes_match from marts.usgs_import_reconciliation""").fetchall()}
    usgs, by_value, by_quantity, gap, reason, _ = rows[(2026, "rare_earths", "rare_earth_compounds_and_metals")]
    assert gap == pytest.approx(usgs - by_quantity, abs=1e-12) and reason is None
    # on value the gap would have had the other sign
    assert (usgs - by_value) * gap < 0
    assert rows[(2026, "graphite_natural", "all")][3] is not None
    mixed = [k for k, v in rows.items() if v[5] == "mixed_heading"]
    assert mixed and all(rows[k][3] is None and rows[k][4].startswith("not comparable") for k in mixed)


def test_claim_check_subtracts_nothing_and_states_its_codes(warehouse):
    rows = warehouse.execute("""select figure_kind, hs_codes_included, claim_minus_data_2024_usd, difference_null_reason
                                from marts.chip_equipment_claim_check""").fetchall()
    assert all(r[2] is None and r[3] for r in rows)
    assert all(r[1] for r in rows if r[0] == "data")
    assert any("903082" in r[1] and "903141" in r[1] for r in rows if r[0] == "data")
