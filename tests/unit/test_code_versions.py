"""Code versions follow what each asset's code imports, so an edit rebuilds what it can affect and nothing else.

Run on a copy of the real tree (code_versions.code_version with ``root``): editing the report changes only the
report's version, editing `make run`'s progress lines changes none, editing an extractor changes the raw assets'."""

import json
import shutil

import pytest

from orchestration.settings import PROJECT_ROOT
from orchestration.versioning.code_versions import code_version, module_closure
from orchestration.versioning.dbt_versions import dbt_code_version

COPIED = ("orchestration", "data_contracts", "dbt_project/seeds")
RAW, REPORT, PUBLISH = "orchestration.defs.raw_assets", "orchestration.defs.report_assets", "orchestration.defs.publish_assets"
CHECKS = "orchestration.defs.contract_checks"
ASSET_MODULES = (RAW, REPORT, PUBLISH, CHECKS, "orchestration.defs.dbt_assets", "orchestration.defs.bulk_assets",
                 "orchestration.defs.live_assets", "orchestration.defs.worldbank_assets", "orchestration.defs.baci_assets")


@pytest.fixture
def tree(tmp_path):
    for folder in COPIED:
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "data_docs_vendor"))
    return tmp_path


def _versions(root):
    return {module: code_version(module, root) for module in ASSET_MODULES}


def _edit(path):
    path.write_text(path.read_text() + "\n# an edited comment\n")


def _changed(tree, path):
    before = _versions(tree)
    _edit(tree / path)
    after = _versions(tree)
    return {module for module in ASSET_MODULES if before[module] != after[module]}


def test_the_closure_follows_imports_inside_functions_and_package_inits():
    files, _ = module_closure(RAW)
    names = {str(path.relative_to(PROJECT_ROOT)) for path in files}
    assert {"orchestration/defs/raw_assets.py", "orchestration/extract/raw_loaders.py", "orchestration/extract/comtrade.py",
            "data_contracts/sources/registry.py", "data_contracts/sources/comtrade.py", "orchestration/extract/__init__.py", "orchestration/storage/warehouse.py"} <= names
    assert "orchestration/report/build.py" not in names and "orchestration/cli/runner.py" not in names


@pytest.mark.parametrize(("edited", "expected"), [
    ("orchestration/report/build.py", {REPORT}),
    # a file beside a module that the module names (the report's page template) is part of its code
    ("orchestration/report/template.html", {REPORT}),
    ("orchestration/cli/runner.py", set()),
    ("orchestration/cli/progress.py", set()),
    ("orchestration/refresh/plan.py", set()),
    # the report reads the serving copy it names (SERVING_FILE)
    ("orchestration/publish/serving.py", {PUBLISH, "orchestration.defs.report_assets"}),
    # live_assets parses Comtrade too; worldbank_assets shares its fetch helpers (extract/live/extract.py): a module is the unit
    ("orchestration/extract/comtrade.py", {RAW, "orchestration.defs.live_assets", "orchestration.defs.worldbank_assets"}),
    ("orchestration/defs/bulk_assets.py", {"orchestration.defs.bulk_assets", PUBLISH}),
    # one reader and country table for both CEPII-format landings (the snapshot files and the bulk folder)
    ("orchestration/extract/baci.py", {"orchestration.defs.bulk_assets", "orchestration.defs.baci_assets", PUBLISH}),
])
def test_an_edit_changes_the_versions_of_the_assets_that_import_it(tree, edited, expected):
    assert _changed(tree, edited) == expected


def test_a_contract_edit_changes_the_assets_it_validates(tree):
    # a source's raw and staging contracts share its module: the raw assets and the staging checks both follow it
    assert {RAW, CHECKS} <= _changed(tree, "data_contracts/sources/usgs.py")
    # the publish reads one pattern of the sources' common module, not the sources' contracts
    assert PUBLISH not in _changed(tree, "data_contracts/sources/usgs.py")
    assert PUBLISH in _changed(tree, "data_contracts/sources/common.py")


def test_a_raw_tables_version_follows_its_own_source_only(tree):
    from orchestration.defs.raw_assets import table_code_version

    tables = ("usgs_mcs2026", "usgs_mcs2025_import_sources", "usitc_dataweb", "comtrade_records")

    def versions():
        return {table: table_code_version(table, tree) for table in tables}

    def changed_by(path):
        before = versions()
        _edit(tree / path)
        after = versions()
        return {table for table in tables if before[table] != after[table]}

    # a source's contract module or loader module: that source's tables, not another source's
    assert changed_by("data_contracts/sources/usgs.py") == {"usgs_mcs2026", "usgs_mcs2025_import_sources"}
    assert changed_by("orchestration/extract/usitc_dataweb.py") == {"usitc_dataweb"}
    # what every loader shares: every table
    assert changed_by("orchestration/extract/registry.py") == set(tables)
    assert changed_by("data_contracts/sources/common.py") == set(tables)


def test_a_seed_read_by_a_contract_counts_as_its_code(tree):
    from orchestration.defs.raw_assets import table_code_version

    seed = tree / "dbt_project" / "seeds" / "country_reference.csv"
    before = code_version(RAW, tree)
    # the register's contract reads a seed (data_contracts/register.py: register_destinations); USITC's reads none
    register_before = table_code_version("export_measures", tree)
    usitc_before = table_code_version("usitc_dataweb", tree)
    seed.write_text(seed.read_text() + "\n")
    assert code_version(RAW, tree) != before
    assert table_code_version("export_measures", tree) != register_before
    assert table_code_version("usitc_dataweb", tree) == usitc_before
    assert REPORT not in _changed(tree, "dbt_project/seeds/country_reference.csv")


def test_a_new_module_counts_once_an_asset_imports_it(tree):
    before = code_version(RAW, tree)
    helper = tree / "orchestration" / "extract" / "new_helper.py"
    helper.write_text('"""A new parser."""\n')
    assert code_version(RAW, tree) == before  # nothing imports it yet
    loaders = tree / "orchestration" / "extract" / "raw_loaders.py"
    loaders.write_text(loaders.read_text() + "\n\ndef _later():\n    from orchestration.extract import new_helper  # noqa\n")
    with_import = code_version(RAW, tree)
    assert with_import != before
    _edit(helper)
    assert code_version(RAW, tree) != with_import


def _manifest(macro_sql="{% macro share(a, b) %}{{ a }} / {{ b }}{% endmacro %}"):
    macro = {"package_name": "chokepoint", "macro_sql": macro_sql, "depends_on": {"macros": []}}
    node = {"raw_code": "select {{ share('x', 'y') }}", "config": {"materialized": "table"},
            "patch_path": "chokepoint://models/m.yml", "depends_on": {"macros": ["macro.chokepoint.share"]}}
    plain = {"raw_code": "select 1", "config": {"materialized": "view"}, "depends_on": {"macros": []}}
    return {"metadata": {"project_name": "chokepoint"}, "macros": {"macro.chokepoint.share": macro},
            "nodes": {"model.chokepoint.m": node, "model.chokepoint.plain": plain}}


@pytest.fixture
def dbt_dir(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.yml").write_text("models: [{name: m}]\n")
    (tmp_path / "dbt_project.yml").write_text("name: chokepoint\n")
    return tmp_path


def _dbt(manifest, unique_id, project):
    return dbt_code_version(json.loads(json.dumps(manifest)), unique_id, "orchestration.defs.dbt_assets", project)


def test_a_dbt_model_version_covers_its_macros_yaml_and_config_not_other_models(dbt_dir):
    base = {uid: _dbt(_manifest(), uid, dbt_dir) for uid in ("model.chokepoint.m", "model.chokepoint.plain")}
    other_macro = _manifest("{% macro share(a, b) %}{{ a }} / nullif({{ b }}, 0){% endmacro %}")
    assert _dbt(other_macro, "model.chokepoint.m", dbt_dir) != base["model.chokepoint.m"]
    assert _dbt(other_macro, "model.chokepoint.plain", dbt_dir) == base["model.chokepoint.plain"]
    (dbt_dir / "models" / "m.yml").write_text("models: [{name: m, columns: [{name: x, data_tests: [not_null]}]}]\n")
    assert _dbt(_manifest(), "model.chokepoint.m", dbt_dir) != base["model.chokepoint.m"]
    assert _dbt(_manifest(), "model.chokepoint.plain", dbt_dir) == base["model.chokepoint.plain"]
    incremental = _manifest()
    incremental["nodes"]["model.chokepoint.plain"]["config"]["materialized"] = "incremental"
    assert _dbt(incremental, "model.chokepoint.plain", dbt_dir) != base["model.chokepoint.plain"]
    (dbt_dir / "dbt_project.yml").write_text("name: chokepoint\nvars: {x: 1}\n")
    assert _dbt(_manifest(), "model.chokepoint.plain", dbt_dir) != base["model.chokepoint.plain"]


def test_a_model_version_covers_the_ephemeral_models_it_inlines_but_not_the_tables_it_reads(dbt_dir):
    manifest = _manifest()
    nodes = manifest["nodes"]
    nodes["model.chokepoint.windows"] = {"raw_code": "select 1 as w", "config": {"materialized": "ephemeral"},
                                         "depends_on": {"macros": [], "nodes": ["model.chokepoint.plain"]}}
    nodes["model.chokepoint.study"] = {"raw_code": "select * from {{ ref('windows') }}", "config": {"materialized": "table"},
                                       "depends_on": {"macros": [], "nodes": ["model.chokepoint.windows"]}}
    nodes["model.chokepoint.m"]["depends_on"]["nodes"] = ["model.chokepoint.plain"]
    before = {uid: _dbt(manifest, uid, dbt_dir) for uid in ("model.chokepoint.study", "model.chokepoint.m")}
    nodes["model.chokepoint.windows"]["raw_code"] = "select 2 as w"
    assert _dbt(manifest, "model.chokepoint.study", dbt_dir) != before["model.chokepoint.study"]
    # a table parent is its own asset: Dagster sees it rebuilt; its SQL is not part of the child's code
    nodes["model.chokepoint.plain"]["raw_code"] = "select 3"
    assert _dbt(manifest, "model.chokepoint.m", dbt_dir) == before["model.chokepoint.m"]
