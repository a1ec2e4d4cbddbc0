"""The shared vocabularies have one home (data_contracts/vocabularies.py): dbt's copy is generated and in sync, and no
dbt YAML test or Pandera contract spells a vocabulary out again."""

import ast
import re
from pathlib import Path

import yaml

from data_contracts import register, vocabularies
from data_contracts.marts import measures
from data_contracts.vocabularies import DBT_PROJECT_YML, VOCABULARIES, dbt_differences, dbt_vars, with_block

DBT_PROJECT = DBT_PROJECT_YML.parent
VAR_REFERENCE = re.compile(r"""var\(\s*['"](\w+)['"]\s*\)""")  # also inside e.g. var('supply_stages') + ['imports']


def _accepted_values(document) -> list[tuple[str, object]]:
    """(where, values) of every accepted_values test in a dbt properties document."""
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "accepted_values" and isinstance(value, dict):
                    arguments = value.get("arguments", value)
                    found.append((where, arguments.get("values")))
                else:
                    walk(value, f"{where}.{key}" if not isinstance(value, list) else where)
        elif isinstance(node, list):
            for item in node:
                name = item.get("name") if isinstance(item, dict) else None
                walk(item, f"{where}.{name}" if isinstance(name, str) else where)

    walk(document, "")
    return found


def _yaml_tests() -> list[tuple[str, object]]:
    tests = []
    for path in sorted([*(DBT_PROJECT / "models").rglob("*.yml"), *(DBT_PROJECT / "seeds").rglob("*.yml")]):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        tests += [(f"{path.relative_to(DBT_PROJECT)}{where}", values) for where, values in _accepted_values(document)]
    return tests


def spelled_out_vocabularies(tests) -> list[str]:
    """accepted_values tests that write a vocabulary's values as a literal list instead of reading its var."""
    by_values = {frozenset(v.allowed): v.name for v in VOCABULARIES}
    return [f"{where}: write \"{{{{ var('{by_values[frozenset(values)]}') }}}}\""
            for where, values in tests
            if isinstance(values, list) and all(isinstance(x, (str, int)) for x in values)
            and frozenset(values) in by_values]


def unknown_vars(tests) -> list[str]:
    known = set(dbt_vars())
    return [f"{where}: var({name!r}) is not a generated vocabulary"
            for where, values in tests if isinstance(values, str)
            for name in VAR_REFERENCE.findall(values) if name not in known]


def test_dbt_project_holds_the_generated_vocabularies():
    text = DBT_PROJECT_YML.read_text(encoding="utf-8")
    assert dbt_differences(text) == [], "run: python -m data_contracts.vocabularies --write"
    assert with_block(text) == text, "generated block edited by hand: python -m data_contracts.vocabularies --write"


def test_a_hand_edited_dbt_copy_is_named():
    text = DBT_PROJECT_YML.read_text(encoding="utf-8")
    edited = text.replace('measure_statuses: ["not_yet_announced", ', 'measure_statuses: [')
    missing = "\n".join(line for line in text.splitlines() if not line.strip().startswith("flows:"))
    assert edited != text
    problems = dbt_differences(edited)
    assert len(problems) == 1 and problems[0].startswith("measure_statuses:") and "'not_yet_announced'" in problems[0]
    assert dbt_differences(missing) == ["flows: missing from dbt_project.yml vars"]
    assert with_block(edited) == text  # --write restores it


def test_generating_into_a_project_without_the_block_adds_it_to_vars():
    bare = "name: p\nvars:\n  as_of_date: null\n\nmodels:\n  p: {}\n"
    generated = with_block(bare)
    assert dbt_differences(generated) == []
    assert yaml.safe_load(generated)["vars"]["as_of_date"] is None and yaml.safe_load(generated)["models"] == {"p": {}}
    assert with_block(generated) == generated


def test_dbt_tests_read_the_vocabularies_never_a_copy():
    tests = _yaml_tests()
    assert spelled_out_vocabularies(tests) == []
    assert unknown_vars(tests) == []
    readers = {name for _, values in tests if isinstance(values, str) for name in VAR_REFERENCE.findall(values)}
    # the brief's duplicates read the vocabulary now; trade_sources, flows, period_kinds, coverage_levels and legal_types
    # left dbt YAML for the Pandera contracts that already held them (tests/unit/test_value_rule_homes.py)
    assert {"measure_statuses", "status_bases", "denominator_scopes"} <= readers


def test_the_guards_catch_a_copy_and_a_typo():
    document = yaml.safe_load("""
models:
  - name: m
    columns:
      - name: status
        data_tests:
          - accepted_values:
              arguments:
                values: [end_date_passed_unconfirmed, suspension_ended_unconfirmed, suspended, issued, in_force, announced, not_yet_announced]
      - name: source
        data_tests:
          - accepted_values:
              arguments:
                values: "{{ var('trade_source') }}"
      - name: kind
        data_tests:
          - accepted_values:
              arguments:
                values: [annual, ytd]
""")
    tests = _accepted_values(document)
    assert spelled_out_vocabularies(tests) == [""".m.status: write "{{ var('measure_statuses') }}\""""]
    assert unknown_vars(tests) == [".m.source: var('trade_source') is not a generated vocabulary"]


def test_denominator_scope_case_is_built_from_the_generated_mapping():
    macro = (DBT_PROJECT / "macros" / "dependency_measures.sql").read_text(encoding="utf-8")
    assert "var('denominator_scope_by_source')" in macro
    assert not re.search(r"when\s+'(" + "|".join(vocabularies.SOURCES) + r")'", macro)
    assert set(vocabularies.DENOMINATOR_SCOPE_BY_SOURCE) == set(vocabularies.SOURCES)


def retyped_vocabularies(source: str, where: str) -> list[str]:
    """Literal lists, tuples or sets of strings or integers in Python source holding exactly a vocabulary's values."""
    by_values = {frozenset(v.allowed): v.name for v in VOCABULARIES}
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)) and node.elts and all(
                isinstance(e, ast.Constant) and isinstance(e.value, (str, int)) and not isinstance(e.value, bool)
                for e in node.elts):
            values = frozenset(e.value for e in node.elts)
            if values in by_values:
                found.append(f"{where}:{node.lineno}: the vocabulary {by_values[values]} retyped")
    return found


def test_contracts_import_the_vocabularies_never_retype_them():
    found = []
    home = Path(vocabularies.__file__).parent
    for path in sorted(home.rglob("*.py")):
        if path.name != "vocabularies.py":
            found += retyped_vocabularies(path.read_text(encoding="utf-8"), str(path.relative_to(home)))
    assert found == []
    assert register.LEGAL_TYPES is vocabularies.LEGAL_TYPES and measures.MEASURE_STATUSES is vocabularies.MEASURE_STATUSES


def test_a_retyped_vocabulary_is_found():
    source = 'STATUSES = ["sourced", "assumed_lapse"]\nOTHER = ("annual", "ytd")\nEDITIONS = {2026, 2025}\n'
    assert retyped_vocabularies(source, "x.py") == ["x.py:1: the vocabulary status_bases retyped",
                                                    "x.py:3: the vocabulary mcs_editions retyped"]


def test_every_value_has_a_meaning():
    assert all(vocabulary.meaning and all(vocabulary.values.values()) for vocabulary in VOCABULARIES)
    plain = {"denominator_scope_by_source", "status_period_open_start", "mirror_agreement_band", "not_a_country_supplier"}
    assert {v.name for v in VOCABULARIES} | plain == set(dbt_vars())
