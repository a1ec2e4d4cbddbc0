"""The grain test (dbt_project/tests/generic/unique_combination_of_columns.sql) on DuckDB: it fails on a duplicated key
and on a key column left NULL outside nullable_columns, which is why key columns carry no not_null test of their own
(issue 31). The macro is plain Jinja, rendered here as dbt renders it, without a dbt invocation (~30 s)."""

from __future__ import annotations

import duckdb
import jinja2
import pytest

from orchestration.settings import DBT_PROJECT_DIR

MACRO_FILE = DBT_PROJECT_DIR / "tests" / "generic" / "unique_combination_of_columns.sql"


def grain_test_sql(model: str, combination_of_columns: list[str], nullable_columns: list[str] | None = None) -> str:
    source = MACRO_FILE.read_text().replace("{% test ", "{% macro test_").replace("{% endtest %}", "{% endmacro %}")
    macro = jinja2.Environment().from_string(source).module.test_unique_combination_of_columns
    arguments = {} if nullable_columns is None else {"nullable_columns": nullable_columns}
    return str(macro(model, combination_of_columns, **arguments))


def failures(rows: str, nullable_columns: list[str] | None = None) -> int:
    """Rows the grain test returns (dbt fails the test on any) over (importer, year, month) rows."""
    model = f"(select * from (values {rows}) as t(importer, year, month))"
    with duckdb.connect() as connection:  # not duckdb.sql: the module's shared connection may hold another test's result
        return len(connection.execute(grain_test_sql(model, ["importer", "year", "month"], nullable_columns)).fetchall())


GOOD = "('USA', 2024, 1), ('USA', 2024, 2), ('DEU', 2024, 1)"


@pytest.mark.parametrize(("rows", "nullable", "expected"), [
    (GOOD, None, 0),
    ("('USA', 2024, 1), ('USA', 2024, 1), ('DEU', 2024, 1)", None, 1),  # a duplicated key
    ("('USA', 2024, 1), (NULL, 2024, 1)", None, 1),  # a key column missing
    ("('USA', 2024, 1), ('USA', NULL, 1)", ["month"], 1),  # missing outside nullable_columns
    ("('USA', 2024, NULL), ('USA', 2024, 1)", ["month"], 0),  # an annual row beside a monthly one
    ("('USA', 2024, NULL), ('USA', 2024, NULL)", ["month"], 1),  # two annual rows: NULL counts as a value
    ("('USA', 2024, NULL), ('USA', 2024, 1)", None, 1),  # month required by default
])
def test_the_grain_test_fails_on_a_duplicate_or_a_missing_key_column(rows, nullable, expected):
    assert failures(rows, nullable) == expected


def test_every_grain_test_in_the_project_names_nullable_columns_of_its_own_key(manifest):
    """A nullable column that is not in the key would silently leave a key column required (or be a typo)."""
    wrong = []
    for node in manifest["nodes"].values():
        if (node.get("test_metadata") or {}).get("name") == "unique_combination_of_columns":
            arguments = node["test_metadata"]["kwargs"]
            extra = set(arguments.get("nullable_columns") or []) - set(arguments["combination_of_columns"])
            if extra:
                wrong.append(f"{node['name']}: {sorted(extra)}")
    assert wrong == []
