"""Great Expectations suites for the published marts: the data-quality report BI users read in Data Docs.

Each suite is derived from the mart's Pandera contract (``MART_CONTRACTS`` in marts/), so a value domain has
one home: a contract column's ``isin``/``notin``/``str_matches``/bounds/``unique``/non-null rules become the
matching GX expectations, checked on the exact copy BI users query. A mart added to ``MART_CONTRACTS`` gets its
suite without an edit here. Table-level ``dataframe_check``s (cross-column rules written in ibis) have no GX
translation (nor do custom ``@pa.check`` column checks); they are enforced by the Pandera checks in DuckDB and are not
restated here."""

from __future__ import annotations

import great_expectations as gx
import pandera.ibis as pa

from data_contracts.marts import MART_CONTRACTS

E = gx.expectations

# pandera check name -> (GX bound keyword, strict?)
_BOUNDS = {
    "greater_than_or_equal_to": ("min_value", False),
    "greater_than": ("min_value", True),
    "less_than_or_equal_to": ("max_value", False),
    "less_than": ("max_value", True),
}


# Pandera's built-in column checks. One of these without a translation below is an error; a custom column check
# (``@pa.check``, ibis code) is skipped like a ``dataframe_check``: it runs in DuckDB, not in GX.
PANDERA_BUILTIN_CHECKS = {"equal_to", "not_equal_to", "greater_than", "greater_than_or_equal_to", "less_than",
                          "less_than_or_equal_to", "in_range", "isin", "notin", "str_matches", "str_contains",
                          "str_startswith", "str_endswith", "str_length", "unique_values_eq"}


class UntranslatedCheck(ValueError):
    """A contract rule with no GX counterpart here: translate it rather than publish a suite that silently omits it."""


def column_expectations(column: str, spec) -> list:
    expectations = []
    # A nullable column's presence is the table's ExpectTableColumnsToMatchSet (suite_from_contract).
    if not spec.nullable:
        expectations.append(E.ExpectColumnValuesToNotBeNull(column=column))
    if spec.unique:
        expectations.append(E.ExpectColumnValuesToBeUnique(column=column))
    bounds: dict = {}
    for check in spec.checks:
        stats = check.statistics
        if check.name == "isin":
            expectations.append(E.ExpectColumnValuesToBeInSet(column=column, value_set=list(stats["allowed_values"])))
        elif check.name == "notin":
            expectations.append(E.ExpectColumnValuesToNotBeInSet(column=column, value_set=list(stats["forbidden_values"])))
        elif check.name == "str_matches":
            expectations.append(E.ExpectColumnValuesToMatchRegex(column=column, regex=stats["pattern"]))
        elif check.name in _BOUNDS:
            keyword, strict = _BOUNDS[check.name]
            bounds[keyword] = stats[keyword]
            bounds["strict_min" if keyword == "min_value" else "strict_max"] = strict
        elif check.name == "in_range":
            bounds.update(min_value=stats["min_value"], max_value=stats["max_value"],
                          strict_min=not stats.get("include_min", True), strict_max=not stats.get("include_max", True))
        elif check.name in PANDERA_BUILTIN_CHECKS:
            raise UntranslatedCheck(f"column {column}: pandera check {check.name!r} has no GX translation")
    if bounds:
        expectations.append(E.ExpectColumnValuesToBeBetween(column=column, **bounds))
    return expectations


def suite_from_contract(contract: type[pa.DataFrameModel]) -> list:
    schema = contract.to_schema()
    # A published mart with no rows is always a failed build, whatever its contract says about columns.
    expectations = [E.ExpectTableRowCountToBeBetween(min_value=1)]
    # The mart's columns exactly, in one expectation rather than one per column (issue 31: GX's cost is per
    # expectation; 141 ExpectColumnToExist became 32 of these). Exact since a contract carries every column its
    # model's YAML lists (data_contracts/dbt_columns.py): a published column nobody documented fails here.
    expectations.append(E.ExpectTableColumnsToMatchSet(column_set=list(schema.columns), exact_match=True))
    for column, spec in schema.columns.items():
        expectations.extend(column_expectations(column, spec))
    return expectations


def build_suites(contracts: dict[str, type[pa.DataFrameModel]] | None = None) -> dict[str, list]:
    return {mart: suite_from_contract(contract) for mart, contract in (contracts or MART_CONTRACTS).items()}


SUITES: dict[str, list] = build_suites()
