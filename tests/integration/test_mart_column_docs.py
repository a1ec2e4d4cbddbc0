"""Every column the built marts really have is described in their dbt YAML (the unit test sees only the columns the
contracts and the YAML name; this one sees what BI users see)."""

import json

import pytest

from tests.unit.test_mart_column_docs import MANIFEST, undocumented_columns

pytestmark = pytest.mark.integration


def marts_columns(connection) -> dict[str, list[str]]:
    rows = connection.execute("""select table_name, column_name from information_schema.columns
                                 where table_schema = 'marts' order by table_name, ordinal_position""").fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def test_every_built_mart_column_has_a_description(warehouse):
    columns = marts_columns(warehouse)
    assert columns, "no tables in schema marts"
    missing = undocumented_columns(json.loads(MANIFEST.read_text()), columns)
    assert not missing, f"mart columns without a description in dbt_project/models/marts: {', '.join(missing)}"
