"""The code fingerprint covers what decides mart contents, not how they are presented.

Run on a copy of the real tree: editing the report or a progress line must not force a full rebuild, editing an
extractor, a contract, a dbt model or a new orchestration module must."""

import shutil

import pytest

from orchestration.refresh_plan import code_fingerprint
from orchestration.settings import PROJECT_ROOT

COPIED = ("orchestration", "data_contracts", "dbt_project/models", "dbt_project/seeds", "dbt_project/macros",
          "dbt_project/tests")


@pytest.fixture
def tree(tmp_path):
    for folder in COPIED:
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(PROJECT_ROOT / "dbt_project" / name, tmp_path / "dbt_project" / name)
    return tmp_path


def _edit(path):
    path.write_text(path.read_text() + "\n# an edited comment\n")


@pytest.mark.parametrize("presentation", ["orchestration/report/build.py", "orchestration/defs/report_assets.py",
                                          "orchestration/publish/data_docs.py", "orchestration/refresh_progress.py",
                                          "orchestration/measure_status_lines.py", "orchestration/make_run.py"])
def test_editing_a_presentation_module_keeps_the_fingerprint(tree, presentation):
    before = code_fingerprint(tree)
    _edit(tree / presentation)
    assert code_fingerprint(tree) == before


@pytest.mark.parametrize("code", ["orchestration/extract/comtrade.py", "orchestration/defs/raw_assets.py",
                                  "orchestration/publish/serving.py", "data_contracts/staging.py",
                                  "dbt_project/dbt_project.yml"])
def test_editing_what_shapes_rows_changes_the_fingerprint(tree, code):
    before = code_fingerprint(tree)
    _edit(tree / code)
    assert code_fingerprint(tree) != before


def test_a_new_orchestration_module_counts_as_code_until_excluded(tree):
    before = code_fingerprint(tree)
    (tree / "orchestration" / "defs" / "new_source_assets.py").write_text('"""A new loader."""\n')
    assert code_fingerprint(tree) != before
