"""Issue 25 item 9: the texts that flow into published marts (seeds, the measure register) carry no path of our
machines; tests/integration/test_comparable_marts.py scans every text column of every built mart."""

from pathlib import Path

import pytest

from tests.local_paths import has_local_path

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED_INPUTS = sorted([*(ROOT / "dbt_project" / "seeds").glob("*.csv"), *(ROOT / "data" / "register").glob("*.yaml")])


@pytest.mark.parametrize("text, found", [
    ("figures as reported by Reuters (see /work/shared/notes/measures-facts.md C-2)", True),
    ("/home/user/chokepoint/warehouse.duckdb", True),
    ("written to /tmp/x.parquet", True),
    ("https://selectcommitteeontheccp.house.gov/media/reports/selling-the-forges-of-the-future", False),
    ("https://example.org/home/index.html", False),
    ("data/snapshot/usgs/usgs_mcs2026_commodities_data.csv", False),
])
def test_the_pattern(text, found):
    assert has_local_path(text) is found


@pytest.mark.parametrize("path", PUBLISHED_INPUTS, ids=lambda p: p.name)
def test_no_local_path_in_a_published_input(path):
    lines = [f"{n}: {line.strip()[:160]}" for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if has_local_path(line)]
    assert lines == [], f"{path.name} holds a local path"
