"""Guard for issue 30: every dbt data test that can read a live source's rows is classified in one place
(data_contracts/downstream_tests.py), so a rule one live period can break is either run in a raw contract (and the
period quarantined) or said to be impossible to break from one source, or listed as not moved yet."""

import inspect
import json
from functools import cache

from data_contracts.downstream_tests import DOWNSTREAM_TESTS, LIVE_RAW_TABLES, RawContract
from data_contracts.sources import common, comtrade, usgs, worldbank
from data_contracts.sources.registry import LIVE_CONTRACTS, RAW_CONTRACTS


def tests_reading_live_sources(manifest: dict) -> set[str]:
    """Names of the data tests with a live raw source among their (transitive) parents."""
    parents = manifest["parent_map"]
    live = {key for key, source in manifest["sources"].items() if source["name"] in LIVE_RAW_TABLES}

    @cache
    def ancestors(node: str) -> frozenset[str]:
        found = set()
        for parent in parents.get(node, []):
            found |= {parent} | ancestors(parent)
        return frozenset(found)

    return {node["name"] for key, node in manifest["nodes"].items()
            if node["resource_type"] == "test" and ancestors(key) & live}


def unclassified(manifest: dict) -> tuple[list[str], list[str]]:
    found = tests_reading_live_sources(manifest)
    return sorted(found - set(DOWNSTREAM_TESTS)), sorted(set(DOWNSTREAM_TESTS) - found)


def test_every_downstream_test_of_a_live_source_is_classified(manifest):
    missing, gone = unclassified(manifest)
    assert not missing, f"classify these dbt tests in data_contracts/downstream_tests.py: {missing}"
    assert not gone, f"no longer in the dbt project, remove from data_contracts/downstream_tests.py: {gone}"


def test_the_guard_fails_on_a_new_unclassified_test(manifest):
    fake = json.loads(json.dumps(manifest))
    model = next(key for key, node in fake["nodes"].items() if node["name"] == "stg_comtrade__records")
    fake["nodes"]["test.chokepoint.accepted_range_stg_comtrade__records_new_rule.0"] = {
        "name": "accepted_range_stg_comtrade__records_new_rule", "resource_type": "test"}
    fake["parent_map"]["test.chokepoint.accepted_range_stg_comtrade__records_new_rule.0"] = [model]
    missing, _ = unclassified(fake)
    assert missing == ["accepted_range_stg_comtrade__records_new_rule"]


def test_a_raw_contract_named_exists_and_holds_the_rule():
    moved = {comtrade.PARTNERS_WITHIN_WORLD: "PARTNERS_WITHIN_WORLD", usgs.NIR_IS_A_PERCENTAGE: "NIR_IS_A_PERCENTAGE",
             worldbank.WGI_MEAN_IN_RANGE: "WGI_MEAN_IN_RANGE", common.NO_FUTURE_PERIOD: "NO_FUTURE_PERIOD",
             usgs.NIR_KNOWN_TOKENS: "NIR_KNOWN_TOKENS", usgs.NIR_YEARS_IN_RANGE: "NIR_YEARS_IN_RANGE",
             usgs.PRODUCTION_WITHIN_WORLD: "PRODUCTION_WITHIN_WORLD"}
    # every raw contract class by name, the parents a contract extends included (ComtradeRecords under ComtradeLiveRecords)
    classes = {cls.__name__: cls for contract in (*RAW_CONTRACTS.values(), *LIVE_CONTRACTS.values()) for cls in contract.__mro__}
    for name, where in DOWNSTREAM_TESTS.items():
        if not isinstance(where, RawContract):
            continue
        for contract_name in where.contract.split(", "):  # a rule several sources' rows must each keep
            contract = classes[contract_name]
            assert any(issubclass(live, contract) for live in LIVE_CONTRACTS.values()), name
            if where.rule in moved:  # the rules issue 30 moved: a dataframe check of that contract (or its parent)
                sources = "".join(inspect.getsource(c) for c in contract.__mro__ if c.__module__.startswith("data_contracts.sources."))
                assert f"dataframe_check(name={moved[where.rule]})" in sources, (name, contract_name)
