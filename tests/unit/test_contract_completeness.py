"""Pandera validates every stage: a raw table, staging model or mart without a contract fails here, by name.

Reads the dbt manifest (`make test` builds it first), so a new source or model is covered the moment it exists."""

from types import SimpleNamespace

from data_contracts.bulk import BULK_CONTRACTS
from data_contracts.marts import DOMAINS, MART_CONTRACTS
from data_contracts.sources.registry import LIVE_CONTRACTS, RAW_CONTRACTS, SOURCES, STAGING_CONTRACTS


def _models(manifest: dict, folder: str) -> set[str]:
    return {node["name"] for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["fqn"][1] == folder}


def test_every_raw_source_table_has_a_contract(manifest):
    raw = {source["name"] for source in manifest["sources"].values() if source["schema"] == "raw"}
    assert raw, "no raw sources in the manifest"
    assert raw - {*RAW_CONTRACTS, *LIVE_CONTRACTS, *BULK_CONTRACTS} == set()


def test_every_staging_model_has_a_contract(manifest):
    staging = _models(manifest, "staging")
    assert staging, "no staging models in the manifest"
    assert staging - set(STAGING_CONTRACTS) == set()


def test_every_mart_has_a_contract(manifest):
    marts = _models(manifest, "marts")
    assert marts, "no marts in the manifest"
    assert marts - set(MART_CONTRACTS) == set()


def test_every_contract_names_a_model_that_exists(manifest):
    assert set(STAGING_CONTRACTS) - _models(manifest, "staging") == set()
    assert set(MART_CONTRACTS) - _models(manifest, "marts") == set()


def mart_domain_mismatches(manifest: dict, domains: dict) -> list[str]:
    """Marts whose contract lives in another domain's module than the dbt folder the mart is in."""
    folder_of = {node["name"]: node["fqn"][2] for node in manifest["nodes"].values()
                 if node["resource_type"] == "model" and node["fqn"][1] == "marts"}
    return [f"{mart}: model in marts/{folder_of.get(mart)}/, contract in data_contracts/marts/{domain}.py"
            for domain, module in domains.items() for mart in module.CONTRACTS if folder_of.get(mart) != domain]


def test_a_marts_contract_lives_in_its_domain_as_the_model_does(manifest):
    assert mart_domain_mismatches(manifest, DOMAINS) == []
    assert len(MART_CONTRACTS) == sum(len(module.CONTRACTS) for module in DOMAINS.values())  # no name in two domains


def test_a_contract_filed_under_another_domain_is_named():
    manifest = {"nodes": {"model.chokepoint.supply_risk": {"name": "supply_risk", "resource_type": "model",
                                                           "fqn": ["chokepoint", "marts", "supply", "supply_risk"]}}}
    misfiled = {"trade": type("Module", (), {"CONTRACTS": {"supply_risk": object}})}
    assert mart_domain_mismatches(manifest, misfiled) == [
        "supply_risk: model in marts/supply/, contract in data_contracts/marts/trade.py"]


def source_module_mismatches(manifest: dict, modules) -> list[str]:
    """Staging contracts filed away from their source: none of the raw tables the model reads has its contract in the
    module that holds the staging contract (tables contracted outside data_contracts/sources/, the bulk ones, do not
    count)."""
    module_of_table = {table: module.__name__ for module in modules
                       for table in {**getattr(module, "RAW", {}), **getattr(module, "LIVE", {})}}
    problems = []
    for module in modules:
        for model in getattr(module, "STAGING", {}):
            node = manifest["nodes"].get(f"model.chokepoint.{model}")
            if node is None:
                continue  # test_every_contract_names_a_model_that_exists names it
            tables = {manifest["sources"][parent]["name"] for parent in node["depends_on"]["nodes"] if parent.startswith("source.")}
            homes = {module_of_table[table] for table in tables if table in module_of_table}
            if homes and module.__name__ not in homes:
                problems.append(f"{model}: staging contract in {module.__name__}, its raw tables' in {sorted(homes)}")
    return problems


def test_a_staging_contract_lives_beside_its_raw_tables_contracts(manifest):
    assert source_module_mismatches(manifest, SOURCES) == []
    assert len(STAGING_CONTRACTS) == sum(len(getattr(module, "STAGING", {})) for module in SOURCES)  # no name in two modules


def test_a_staging_contract_filed_under_another_source_is_named():
    manifest = {"nodes": {"model.chokepoint.stg_usgs__x": {"depends_on": {"nodes": ["source.chokepoint.raw.usgs_x"]}}},
                "sources": {"source.chokepoint.raw.usgs_x": {"name": "usgs_x"}}}
    usgs = SimpleNamespace(__name__="data_contracts.sources.usgs", RAW={"usgs_x": object})
    usitc = SimpleNamespace(__name__="data_contracts.sources.usitc", STAGING={"stg_usgs__x": object})
    assert source_module_mismatches(manifest, [usgs, usitc]) == [
        "stg_usgs__x: staging contract in data_contracts.sources.usitc, its raw tables' in ['data_contracts.sources.usgs']"]
    usgs.STAGING, usitc.STAGING = {"stg_usgs__x": object}, {}
    assert source_module_mismatches(manifest, [usgs, usitc]) == []

