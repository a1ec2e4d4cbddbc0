"""Grain lives in dbt YAML: every incremental model, staging model and mart declares it as a dbt test (``unique`` or
``unique_combination_of_columns``). An incremental run that inserts a year twice would otherwise double its dollars
without any check failing (a full rebuild never shows it); a staging key such as one row per register measure is
checked there and nowhere else (the Pandera contracts do not restate it)."""

GRAIN_TESTS = {"unique_combination_of_columns", "unique"}


def _with_grain(manifest: dict) -> set[str]:
    return {node.get("attached_node") for node in manifest["nodes"].values()
            if node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") in GRAIN_TESTS}


def incremental_models_without_grain_test(manifest: dict) -> list[str]:
    incremental = {key: node["name"] for key, node in manifest["nodes"].items()
                   if node["resource_type"] == "model" and node["config"].get("materialized") == "incremental"}
    return sorted(name for key, name in incremental.items() if key not in _with_grain(manifest))


def layer_models_without_grain_test(manifest: dict, layers=("staging", "marts")) -> list[str]:
    models = {key: node["name"] for key, node in manifest["nodes"].items() if node["resource_type"] == "model"
              and any(f"models/{layer}/" in node.get("original_file_path", "") for layer in layers)}
    return sorted(name for key, name in models.items() if key not in _with_grain(manifest))


def test_every_incremental_model_has_a_grain_test(manifest):
    assert "int_cepii__flows_mapped" in {node["name"] for node in manifest["nodes"].values()
                                        if node["config"].get("materialized") == "incremental"}
    assert incremental_models_without_grain_test(manifest) == []


def _node(name, resource_type, materialized="table", **extra):
    return {"name": name, "resource_type": resource_type, "config": {"materialized": materialized}, **extra}


def test_an_incremental_model_without_one_is_named():
    nodes = {
        "model.chokepoint.int_cepii__flows_mapped": _node("int_cepii__flows_mapped", "model", "incremental"),
        "model.chokepoint.fct_trade_flows": _node("fct_trade_flows", "model", "view"),
        "test.chokepoint.not_null_year": _node("not_null_year", "test", "test", test_metadata={"name": "not_null"},
                                               attached_node="model.chokepoint.int_cepii__flows_mapped"),
    }
    assert incremental_models_without_grain_test({"nodes": nodes}) == ["int_cepii__flows_mapped"]
    nodes["test.chokepoint.grain"] = _node("grain", "test", "test",
                                           test_metadata={"name": "unique_combination_of_columns"},
                                           attached_node="model.chokepoint.int_cepii__flows_mapped")
    assert incremental_models_without_grain_test({"nodes": nodes}) == []


def test_every_staging_model_and_mart_has_a_grain_test(manifest):
    names = {node["name"] for node in manifest["nodes"].values()}
    assert {"stg_register__measures", "stg_fedreg__documents", "fct_trade_flows"} <= names
    assert layer_models_without_grain_test(manifest) == []


def test_a_staging_model_without_one_is_named():
    nodes = {"model.chokepoint.stg_register__measures": _node("stg_register__measures", "model",
                                                              original_file_path="models/staging/stg_register__measures.sql")}
    assert layer_models_without_grain_test({"nodes": nodes}) == ["stg_register__measures"]
    nodes["test.chokepoint.unique_measure_id"] = _node("unique_measure_id", "test", "test", test_metadata={"name": "unique"},
                                                       attached_node="model.chokepoint.stg_register__measures")
    assert layer_models_without_grain_test({"nodes": nodes}) == []
