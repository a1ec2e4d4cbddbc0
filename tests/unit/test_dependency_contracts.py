"""Contracts of the dependency-breadth marts (HS6 and pooled dependency, USGS import sources and reconciliation,
net trade): each passes on rows copied from the built warehouse (2026-12-02 build: US and German 2024 BACI rows of
850511 and 811292, US rare-earth pooled rows, USGS rare-earth China shares, reconciliation rows with and without our
share, US 2024 net trade in rare earths and antimony) and fails on the same rows damaged one way at a time. The
built marts themselves are validated by the pipeline: tests/integration/test_published_quality.py checks every MART_CONTRACTS entry."""

import pandas as pd

from data_contracts.marts import MART_CONTRACTS
from tests.contract_harness import contract_tests

GOOD = {
    "import_dependency_hs6": pd.DataFrame({
        "importer_iso3": ['DEU', 'DEU', 'USA', 'USA'],
        "hs6": ['811292', '850511', '811292', '850511'],
        "hs_revision": ['HS17', 'HS17', 'HS17', 'HS17'],
        "hs6_hs2017": ['811292', '850511', '811292', '850511'],
        "mineral": ['minor_metals_mixed_8112', 'permanent_magnets', 'minor_metals_mixed_8112', 'permanent_magnets'],
        "year": pd.Series([2024, 2024, 2024, 2024], dtype="int32"),
        "period_kind": ['annual', 'annual', 'annual', 'annual'],
        "source": ['cepii_baci', 'cepii_baci', 'cepii_baci', 'cepii_baci'],
        "total_value_usd": [109158665.0, 623407730.0, 331484011.0, 491902474.0],
        "supplier_value_usd": [109158665.0, 623407730.0, 331484011.0, 491902474.0],
        "china_value_usd": [39559716.0, 513918501.0, 63684249.0, 366341101.0],
        "china_hk_value_usd": [39712088.0, 515242250.0, 64744039.0, 366421860.0],
        "china_share": [0.362405641366171, 0.8243697924631124, 0.19211861473463346, 0.7447433594326667],
        "china_hk_share": [0.36380151772651304, 0.8264932005254411, 0.1953157221812427, 0.7449075362853329],
        "top_supplier_share": [0.362405641366171, 0.8243697924631124, 0.40987843302040894, 0.7447433594326667],
        "hhi": [2225.579556, 6823.948274, 2223.105764, 5598.918722],
        "denominator_scope": ['world', 'world', 'world', 'world'],
    }),
    "import_dependency_pooled": pd.DataFrame({
        "importer_iso3": ['USA', 'USA'],
        "mineral": ['rare_earths', 'rare_earths'],
        "first_year": pd.Series([1993, 1994], dtype="int32"),
        "last_year": pd.Series([1996, 1997], dtype="int32"),
        "period_label": ['1993-96', '1994-97'],
        "source": ['usitc_dataweb', 'usitc_dataweb'],
        "total_value_usd": [360107588.0, 397990603.0],
        "supplier_value_usd": [360107588.0, 397990603.0],
        "china_value_usd": [129701513.0, 175512943.0],
        "china_hk_value_usd": [131625463.0, 177132743.0],
        "china_share": [0.3601743404529426, 0.4409977061694595],
        "china_hk_share": [0.36551704931027446, 0.44506765150934985],
        "hhi": [3170.106455, 3315.156218],
        "denominator_scope": ['selected_partners', 'selected_partners'],
    }),
    "usgs_import_sources": pd.DataFrame({
        "edition": pd.Series([2025, 2026, 2026], dtype="int32"),
        "commodity": ['rare_earths', 'rare_earths', 'copper'],
        "first_year": pd.Series([2020, 2021, 2021], dtype="int32"),
        "last_year": pd.Series([2023, 2024, 2024], dtype="int32"),
        "partner_published": ['China', 'China', 'Other countries'],
        "value_published": ['70', '71', '<1'],
        "value_kind": ['number', 'number', 'upper_bound'],
        "comparator": ['=', '=', '<'],
        "share_pct_published": [70.0, 71.0, 1.0],
        "share": [0.7, 0.71, 0.01],
        "share_basis": ['quantity'] * 3,
    }),
    "usgs_import_reconciliation": pd.DataFrame({
        "edition": pd.Series([2025, 2026, 2026], dtype="int32"),
        "commodity": ['rare_earths', 'antimony', 'abrasives_manufactured'],
        "usgs_china_share_pct_published": [70.0, 66.0, 92.0],
        "usgs_china_share": [0.7, 0.66, 0.92],
        "usgs_share_basis": ['quantity', 'quantity', 'quantity'],
        "our_china_share_by_value": [0.6365600166050391, 0.31282248160017145, None],
        "our_china_share_by_quantity": [0.7371949710338536, None, None],
        "gap_share": [-0.03719497103385361, None, None],
        "gap_null_reason": [None, 'not comparable: our heading bundles other goods (Antimony oxides are 2825.80; the USITC query has only heading 2825 (all other metal oxides, lithium and germanium oxides included))', 'no computed scope: usgs_reconciliation_scope has no row for this commodity and form'],
        "codes_match": ['narrower', 'mixed_heading', None],
        "gap_reasons": ["partner set: our share is of the 18 partners the USITC query selected, not World (overstates the listed partners, China included); codes (narrower): n; basis: USGS shares are of import quantity", 'partner set: 18 partners; codes (mixed_heading): n', 'no computed scope: usgs_reconciliation_scope has no row for this commodity and form'],
    }),
    "net_trade": pd.DataFrame({
        "reporter_iso3": ['USA', 'USA'],
        "mineral": ['graphite', 'rare_earths'],
        "stage": ['ore_concentrate', 'mixed'],
        "year": pd.Series([2024, 2024], dtype="int32"),
        "period_kind": ['annual', 'annual'],
        "source": ['usitc_dataweb', 'usitc_dataweb'],
        "imports_value_usd": [121228190.0, 150801237.0],
        "exports_value_usd": [8884587.0, 236687647.0],
        "net_exports_value_usd": [-112343603.0, 85886410.0],
        "trade_balance": ['net_importer', 'stage_mix'],
        "import_value_basis": ['customs_value_imports_for_consumption', 'customs_value_imports_for_consumption'],
        "export_value_basis": ['fas_value_domestic_exports', 'fas_value_domestic_exports'],
        "denominator_scope": ['selected_partners', 'selected_partners'],
    }),
}

# (table, column, row, damaged value): each breaks exactly one field or cross-column rule of the contract
DAMAGE = {
    "import_dependency_hs6": [
        ("china_hk_value_usd", 0, 0.0),  # CN+HK below CN alone
        ("hhi", 0, 10_000.5),  # HHI off the 0-10,000 scale
        ("hs6_hs2017", 0, "811299"),  # an HS17 row labelled with another HS 2017 code
        ("hs6", 1, "8112"),  # not six digits
        ("supplier_value_usd", 1, 1e15),  # suppliers above the total (a dollar counted twice)
        ("denominator_scope", 0, "everything"),
    ],
    "import_dependency_pooled": [
        ("last_year", 0, None),  # filled below with first_year: a one-year "pool"
        ("china_share", 1, 1.5),
        ("period_label", 0, "2021"),
        ("supplier_value_usd", 0, 1e15),
    ],
    "usgs_import_sources": [
        ("comparator", 0, "<"),  # a plain number with an upper-bound comparator
        ("share_pct_published", 1, 101.0),
        ("share", 1, 71.0),  # issue 25: a percent where a fraction belongs
        ("edition", 0, 2024),
        ("value_kind", 2, "withheld"),
    ],
    "usgs_import_reconciliation": [
        ("gap_share", 0, None),  # filled below: the gap shifted by 0.05
        ("gap_share", 2, 0.03),  # a gap where we have no share
        ("gap_share", 1, 0.35),  # issue 25: a numeric gap on a mixed heading
        ("our_china_share_by_value", 1, 31.28),  # a percent where a fraction belongs
        ("usgs_china_share", 0, 0.07),  # the fraction does not match the published percent
    ],
    "net_trade": [
        ("net_exports_value_usd", 0, None),  # filled below: imports less exports (sign flipped)
        ("trade_balance", 0, None),  # filled below: the other label
        ("import_value_basis", 1, "cif_reported"),
        ("exports_value_usd", 1, -1.0),
        ("trade_balance", 1, "net_exporter"),  # issue 25: a stage mix (ore out, compounds in) labelled net exporter
        ("stage", 0, "refined"),
    ],
}


def _damaged_value(table, column, row, value, frame):
    if value is not None:
        return value
    if table == "import_dependency_pooled":
        return frame.loc[row, "first_year"]
    if table == "usgs_import_reconciliation":
        return frame.loc[row, "gap_share"] + 0.05
    if column == "net_exports_value_usd":
        return -frame.loc[row, "net_exports_value_usd"]
    return "net_importer" if frame.loc[row, "trade_balance"] == "net_exporter" else "net_exporter"


def test_every_mart_here_has_good_rows_and_damages():
    assert set(GOOD) == set(DAMAGE) == {"import_dependency_hs6", "import_dependency_pooled", "usgs_import_sources",
                                        "usgs_import_reconciliation", "net_trade"}
    assert set(GOOD) <= set(MART_CONTRACTS)


test_contract_passes_on_built_rows, test_contract_fails_on_damaged_row = contract_tests(
    GOOD, DAMAGE, MART_CONTRACTS, resolve=_damaged_value)
