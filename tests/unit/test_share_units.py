"""Issue 25 item 10: every mart column the dbt YAML or a Pandera contract names follows one unit for shares: no
percent column unless it is the source's printed figure (``*_pct_published``), and every share column bounded to a
fraction in its contract or YAML. The built marts are checked in tests/integration/test_comparable_marts.py."""

from pathlib import Path

import pytest
import yaml

from data_contracts.marts import MART_CONTRACTS
from tests.share_units import is_declared_published_percent, is_percent_column, is_share_column, share_bounds

MARTS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts"


def yaml_columns() -> dict[str, dict[str, dict]]:
    columns: dict[str, dict[str, dict]] = {}
    for path in sorted(MARTS_DIR.rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models") or []:
            columns[model["name"]] = {c["name"]: c for c in model.get("columns") or []}
    return columns


def all_columns() -> list[tuple[str, str]]:
    named = {(mart, column) for mart, columns in yaml_columns().items() for column in columns}
    named |= {(mart, column) for mart, contract in MART_CONTRACTS.items() for column in contract.to_schema().columns}
    return sorted(named)


@pytest.mark.parametrize("name, percent, published, share, bounds", [
    ("nir_pct", True, False, False, (0, 1)),
    ("nir_pct_published", True, True, False, (0, 1)),
    ("gap_pct_points", True, False, False, (-1, 1)),
    ("china_hk_share", False, False, True, (0, 1)),
    ("china_share_by_quantity", False, False, True, (0, 1)),
    ("share_of_8486", False, False, True, (0, 1)),
    ("post_minus_pre_share", False, False, True, (-1, 1)),
    ("share_denominator", False, False, False, (0, 1)),
    ("counts_in_shares", False, False, False, (0, 1)),
])
def test_the_naming_rules(name, percent, published, share, bounds):
    assert (is_percent_column(name), is_declared_published_percent(name), is_share_column(name)) == (percent, published, share)
    assert share_bounds(name) == bounds


def test_no_mart_column_is_an_undeclared_percent():
    offending = [f"{mart}.{column}" for mart, column in all_columns()
                 if is_percent_column(column) and not is_declared_published_percent(column)]
    assert offending == [], "percent columns: store a fraction named *_share, or name the source's figure *_pct_published"


def test_every_contracted_share_column_is_bounded_as_a_fraction():
    loose = []
    for mart, contract in MART_CONTRACTS.items():
        for name, column in contract.to_schema().columns.items():
            if not is_share_column(name):
                continue
            low, high = share_bounds(name)
            stats = {type(check).__name__: check.statistics for check in column.checks}
            bounds = {k: v for s in stats.values() for k, v in (s or {}).items()}
            upper = bounds.get("max_value", bounds.get("le", bounds.get("lt")))
            if upper is not None and upper > high:
                loose.append(f"{mart}.{name} <= {upper}")
    assert loose == [], f"share columns bounded above {1}: {loose}"
