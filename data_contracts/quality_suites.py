"""Great Expectations suites for the published marts: the data-quality report BI users read in Data Docs.

They restate, in GX's vocabulary, the promises the marts make to readers (keys present, shares within
[0, 1], HHI on the 0–10,000 scale, statuses from a fixed list), so a reader can see them checked on the
exact copy they query."""

from __future__ import annotations

import great_expectations as gx

E = gx.expectations
STATUSES = ["not_yet_announced", "announced", "in_force", "issued", "suspended", "expired"]


def _not_null(*columns):
    return [E.ExpectColumnValuesToNotBeNull(column=c) for c in columns]


def _share(*columns):
    return [E.ExpectColumnValuesToBeBetween(column=c, min_value=0, max_value=1, mostly=1.0) for c in columns]


SUITES: dict[str, list] = {
    "fct_trade_flows": [
        E.ExpectTableRowCountToBeBetween(min_value=1),
        *_not_null("source", "reporter_iso3", "partner_iso3", "flow", "commodity_code", "year", "period_kind", "value_usd"),
        E.ExpectColumnValuesToBeInSet(column="flow", value_set=["import", "export"]),
        E.ExpectColumnValuesToBeInSet(column="period_kind", value_set=["annual", "ytd", "monthly"]),
        E.ExpectColumnValuesToNotBeInSet(column="partner_iso3", value_set=["W00", "WLD"]),
        E.ExpectColumnValuesToBeBetween(column="value_usd", min_value=0),
        E.ExpectColumnValuesToMatchRegex(column="commodity_code", regex=r"^\d{4,10}$"),
    ],
    "import_dependency": [
        E.ExpectTableRowCountToBeBetween(min_value=1),
        *_not_null("importer_iso3", "mineral", "year", "source", "denominator_scope"),
        *_share("china_share", "china_hk_share", "top_supplier_share"),
        E.ExpectColumnValuesToBeBetween(column="hhi", min_value=0, max_value=10_000, strict_min=True),
        E.ExpectColumnValuesToBeBetween(column="equivalent_suppliers", min_value=1),
        E.ExpectColumnValuesToBeInSet(column="denominator_scope", value_set=["world", "selected_partners"]),
    ],
    "net_import_reliance": [
        *_not_null("edition", "commodity", "year", "value_published", "value_kind"),
        E.ExpectColumnValuesToBeInSet(column="nir_comparator", value_set=["=", ">", "<"]),
        E.ExpectColumnValuesToBeBetween(column="nir_pct", min_value=0, max_value=100),
    ],
    "export_measures": [
        E.ExpectCompoundColumnsToBeUnique(column_list=["measure_id", "part_id"]),
        *_not_null("measure_id", "part_id", "jurisdiction", "legal_type", "status", "status_basis", "source_urls"),
        E.ExpectColumnValuesToBeInSet(column="status", value_set=STATUSES),
        E.ExpectColumnValuesToBeInSet(column="status_basis", value_set=["sourced", "assumed_lapse"]),
    ],
    "measure_coverage": [
        *_not_null("measure_id", "part_id", "match_prefix", "coverage_level"),
        E.ExpectColumnValuesToBeInSet(column="coverage_level", value_set=["full", "partial", "none"]),
    ],
    "restriction_exposure": [
        E.ExpectCompoundColumnsToBeUnique(column_list=["source", "importer_iso3", "restricting_country_iso3", "commodity_code",
                                                       "year", "period_kind", "month"]),
        *_not_null("importer_iso3", "restricting_country_iso3", "commodity_code", "year", "import_value_usd"),
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="upper_bound_value_usd", column_B="covered_value_usd", or_equal=True),
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="import_value_usd", column_B="upper_bound_value_usd", or_equal=True),
    ],
}
