"""A column's value rule (non-null, closed list, range) on a model with a Pandera contract lives in that contract
(docs/CONTRIBUTING.md, "Rule ownership"): a dbt test saying the same thing again is a second home, and it cost every
refresh a query and an asset check (issue 31: 158 of them, removed). A key column's presence is the grain test's: it
requires every key column outside its nullable_columns present, so a not_null on such a column is a second home too
(issue 31: 208 of them, removed). A not_null on a single-column `unique` key stays in dbt YAML with the key it
belongs to (`unique` lets NULLs through)."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import yaml

from data_contracts.marts import MART_CONTRACTS
from data_contracts.sources.registry import STAGING_CONTRACTS
from orchestration.settings import PROJECT_ROOT

CONTRACTS = {**STAGING_CONTRACTS, **MART_CONTRACTS}
VALUE_RULE_TESTS = ("not_null", "accepted_values", "accepted_range")
_VAR = re.compile(r"\{\{\s*var\('(\w+)'\)\s*\}\}")


def _dbt_vars() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "dbt_project" / "dbt_project.yml").read_text())["vars"]


def _resolve(value, dbt_vars: dict):
    """A test argument as dbt renders it, where it is a literal or one var; None where it is any other expression."""
    if not isinstance(value, str):
        return value
    match = _VAR.fullmatch(value.strip())
    if match:
        return dbt_vars[match.group(1)]
    try:
        return float(value)
    except ValueError:
        return None


def _bounds(column) -> tuple:
    low = high = None
    low_strict = high_strict = False
    for check in column.checks:
        stats = check.statistics
        if check.name == "in_range":
            low, high = stats["min_value"], stats["max_value"]
            low_strict, high_strict = not stats.get("include_min", True), not stats.get("include_max", True)
        elif check.name in ("greater_than_or_equal_to", "greater_than"):
            low, low_strict = stats["min_value"], check.name == "greater_than"
        elif check.name in ("less_than_or_equal_to", "less_than"):
            high, high_strict = stats["max_value"], check.name == "less_than"
    return low, high, low_strict, high_strict


def contract_already_says(kind: str, arguments: dict, column, dbt_vars: dict) -> bool:
    """Whether the Pandera column states the dbt test's rule, or a stricter one."""
    if kind == "not_null":
        return not column.nullable
    if kind == "accepted_values":
        allowed = [c.statistics["allowed_values"] for c in column.checks if c.name == "isin"]
        values = _resolve(arguments.get("values"), dbt_vars)
        return bool(allowed) and values is not None and set(allowed[0]) <= set(values)
    low, high, low_strict, high_strict = _bounds(column)
    inclusive = arguments.get("inclusive", True)
    covered = True
    for argument, bound, strict, tighter in (("min_value", low, low_strict, lambda a, b: a > b),
                                             ("max_value", high, high_strict, lambda a, b: a < b)):
        if arguments.get(argument) is None:
            continue
        wanted = _resolve(arguments[argument], dbt_vars)
        if wanted is None:
            return False
        covered &= bound is not None and (tighter(bound, wanted) or (bound == wanted and (inclusive or strict)))
    return covered


def restated_rules(manifest: dict, contracts: dict, dbt_vars: dict) -> list[str]:
    keys: dict[str, set] = defaultdict(set)
    present_by_grain: dict[str, set] = defaultdict(set)
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test" and node.get("test_metadata")]
    for node in tests:
        if node["test_metadata"]["name"] in ("unique", "unique_combination_of_columns"):
            arguments = node["test_metadata"]["kwargs"]
            keys[node["attached_node"]].update(arguments.get("combination_of_columns") or [node["column_name"]])
            present_by_grain[node["attached_node"]].update(
                set(arguments.get("combination_of_columns") or []) - set(arguments.get("nullable_columns") or []))
    found = []
    for node in tests:
        kind, model = node["test_metadata"]["name"], node.get("attached_node") or ""
        contract = contracts.get(model.rsplit(".", 1)[-1])
        column_name = node.get("column_name")
        if (kind == "not_null" and column_name in present_by_grain[model] and not node["config"].get("where")
                and node["config"].get("severity", "error").lower() == "error"):
            found.append(f"{node['name']} ({node['original_file_path']}) restates the grain test of {model}")
            continue
        if kind not in VALUE_RULE_TESTS or contract is None or node["config"].get("severity", "error").lower() != "error":
            continue
        if kind == "not_null" and column_name in keys[model]:
            continue
        column = contract.to_schema().columns.get(column_name)
        if column is not None and contract_already_says(kind, node["test_metadata"]["kwargs"], column, dbt_vars):
            found.append(f"{node['name']} ({node['original_file_path']}) restates {contract.__name__}.{column_name}")
    return found


def test_no_dbt_test_restates_a_contract_rule(manifest):
    assert restated_rules(manifest, CONTRACTS, _dbt_vars()) == []


def test_a_restated_range_a_list_and_a_not_null_are_each_found(manifest):
    """The guard on a copy of the manifest with three duplicates put back, and one weaker Pandera rule left alone."""
    copy = json.loads(json.dumps(manifest))
    model = "model.chokepoint.supply_risk"

    def add(name, kind, column, **arguments):
        copy["nodes"][f"test.chokepoint.{name}"] = {
            "resource_type": "test", "name": name, "attached_node": model, "column_name": column,
            "original_file_path": "models/marts/supply/supply_risk.yml", "config": {"severity": "ERROR"},
            "test_metadata": {"name": kind, "kwargs": {"column_name": column, **arguments}}}

    add("dup_range", "accepted_range", "ir", min_value=0, max_value=1)
    add("dup_values", "accepted_values", "sr_status", values="{{ var('supply_risk_statuses') }}")
    add("dup_not_null", "not_null", "governance_basis")
    add("looser_contract", "accepted_range", "ir", min_value=0, max_value=0.5)  # narrower than Pandera's 0..1: kept
    add("key_not_null", "not_null", "commodity")  # the grain test (commodity, year) requires it present
    added = {"dup_range", "dup_values", "dup_not_null", "looser_contract", "key_not_null"}
    found = [entry.split(" ")[0] for entry in restated_rules(copy, CONTRACTS, _dbt_vars())]
    assert sorted(name for name in found if name in added) == ["dup_not_null", "dup_range", "dup_values", "key_not_null"]


def grain_not_nulls_restated(manifest: dict, contracts: dict) -> list[str]:
    """`Contract.column` for every contract field whose only rule is a non-null its model's grain test already
    enforces (a key column outside nullable_columns): since the types come from the YAML (dbt_columns.py), such a
    field would only say the grain test's rule again. A key column with a domain or bound keeps its field."""
    present_by_grain: dict[str, set] = defaultdict(set)
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") == "unique_combination_of_columns":
            arguments = node["test_metadata"]["kwargs"]
            present_by_grain[node["attached_node"].rsplit(".", 1)[-1]].update(
                set(arguments["combination_of_columns"]) - set(arguments.get("nullable_columns") or []))
    found = []
    for model, contract in contracts.items():
        columns = contract.to_schema().columns
        for name in set(vars(contract)) & present_by_grain[model]:
            column = columns[name]
            if not column.nullable and not column.checks and not column.unique:
                found.append(f"{contract.__name__}.{name}")
    return sorted(found)


def test_no_contract_restates_a_grain_keys_not_null(manifest):
    assert grain_not_nulls_restated(manifest, CONTRACTS) == []


def test_a_contract_restating_a_grain_keys_not_null_is_found(manifest):
    import pandera.ibis as pa

    from data_contracts.dbt_columns import typed_from_dbt

    class SupplyRiskRestated(pa.DataFrameModel):
        commodity = pa.Field(nullable=False)  # the grain test (commodity, year) says it
        governance_basis = pa.Field(nullable=False)  # not a key column: the contract's rule

    typed_from_dbt({"supply_risk": SupplyRiskRestated}, "marts")
    assert grain_not_nulls_restated(manifest, {"supply_risk": SupplyRiskRestated}) == ["SupplyRiskRestated.commodity"]
