"""Every incremental model declares its grain as a dbt test: an incremental run that inserts a year twice would
otherwise double its dollars without any check failing (a full rebuild never shows it)."""

import json

import pytest

from orchestration.settings import PROJECT_ROOT

MANIFEST = PROJECT_ROOT / "dbt_project" / "target" / "manifest.json"
GRAIN_TESTS = {"unique_combination_of_columns", "unique"}


def incremental_models_without_grain_test(manifest: dict) -> list[str]:
    incremental = {key: node["name"] for key, node in manifest["nodes"].items()
                   if node["resource_type"] == "model" and node["config"].get("materialized") == "incremental"}
    with_grain = {node.get("attached_node") for node in manifest["nodes"].values()
                  if node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") in GRAIN_TESTS}
    return sorted(name for key, name in incremental.items() if key not in with_grain)


@pytest.fixture(scope="module")
def manifest() -> dict:
    if not MANIFEST.exists():
        pytest.fail(f"{MANIFEST} missing: run `make manifest` (make test does)")
    return json.loads(MANIFEST.read_text())


def test_every_incremental_model_has_a_grain_test(manifest):
    assert "int_bulk__flows_mapped" in {node["name"] for node in manifest["nodes"].values()
                                        if node["config"].get("materialized") == "incremental"}
    assert incremental_models_without_grain_test(manifest) == []


def _node(name, resource_type, materialized="table", **extra):
    return {"name": name, "resource_type": resource_type, "config": {"materialized": materialized}, **extra}


def test_an_incremental_model_without_one_is_named():
    nodes = {
        "model.chokepoint.int_bulk__flows_mapped": _node("int_bulk__flows_mapped", "model", "incremental"),
        "model.chokepoint.fct_trade_flows": _node("fct_trade_flows", "model", "view"),
        "test.chokepoint.not_null_year": _node("not_null_year", "test", "test", test_metadata={"name": "not_null"},
                                               attached_node="model.chokepoint.int_bulk__flows_mapped"),
    }
    assert incremental_models_without_grain_test({"nodes": nodes}) == ["int_bulk__flows_mapped"]
    nodes["test.chokepoint.grain"] = _node("grain", "test", "test",
                                           test_metadata={"name": "unique_combination_of_columns"},
                                           attached_node="model.chokepoint.int_bulk__flows_mapped")
    assert incremental_models_without_grain_test({"nodes": nodes}) == []
