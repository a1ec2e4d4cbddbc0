"""The README's three first questions: each query, as printed there, run on the serving copy of the snapshot build,
gives the answer the README states (issue 25). A change to a mart that changes an answer fails here first."""

import re

import duckdb
import pytest

from orchestration.settings import PROJECT_ROOT

SECTION = "## The first three questions, answered from the serving copy"


def readme_queries() -> list[str]:
    text = (PROJECT_ROOT / "README.md").read_text()
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION))]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


@pytest.fixture(scope="module")
def serving(golden):
    connection = duckdb.connect(str(golden.warehouse.parent / "serve" / "chokepoint.duckdb"), read_only=True)
    yield connection
    connection.close()


def test_the_readme_has_one_query_per_question():
    assert len(readme_queries()) == 3


def test_gallium_is_a_mixed_heading_and_the_us_ban_is_not_said_to_be_back(serving):
    rows = serving.execute(readme_queries()[0]).fetchall()
    assert rows and all(row[3] is True for row in rows)  # mixed_heading: no code isolates gallium
    assert (2024, "usitc_dataweb", 0.329, True, "selected_partners", "CN-2024-46", "art2", "US",
            "suspension_ended_unconfirmed", "assumed_lapse") in rows
    assert (2025, "usitc_dataweb", 0.161, True, "selected_partners", "CN-2023-23", "all", "all",
            "in_force", "sourced") in rows
    assert (2024, "cepii_baci", 0.192) in {row[:3] for row in rows}
    assert not [row for row in rows if row[5] == "CN-2024-46" and row[8] == "in_force"]


def test_rare_earth_exposure_is_the_us_only_with_an_incomplete_bound(serving):
    assert serving.execute(readme_queries()[1]).fetchall() == [("USA", "usitc_dataweb", 136.6, 101.8, 4)]


def test_the_netherlands_share_of_chinas_chip_tool_imports_rose_after_its_controls(serving):
    shares = {year: share for year, share, *_ in serving.execute(readme_queries()[2]).fetchall()}
    assert (shares[2022], shares[2023], shares[2024]) == (0.091, 0.206, 0.226)
