"""One unit for shares across the marts (issue 25 item 10): a column named like a share holds a fraction (0..1; a
difference of two shares -1..1), and a percent appears only as the source's own printed figure, named
``*_pct_published``. Both tests (tests/unit/test_share_units.py on the dbt YAML and contracts,
tests/integration/test_comparable_marts.py on the built marts) read these rules."""

import re

PERCENT_WORDS = re.compile(r"(^|_)(pct|percent|percentage)(_|$)")
PUBLISHED_PERCENT = re.compile(r"_pct_published$")
DIFFERENCE = re.compile(r"(^gap_|_minus_)")


def is_percent_column(name: str) -> bool:
    return bool(PERCENT_WORDS.search(name.lower()))


def is_declared_published_percent(name: str) -> bool:
    return bool(PUBLISHED_PERCENT.search(name.lower()))


def is_share_column(name: str) -> bool:
    """'share', '*_share', '*_share_by_*' and 'share_of_*' (not share_denominator, share_basis, counts_in_shares)."""
    name = name.lower()
    return name == "share" or name.endswith("_share") or "_share_by_" in name or name.startswith("share_of_")


def share_bounds(name: str) -> tuple[float, float]:
    return (-1.0, 1.0) if DIFFERENCE.search(name.lower()) else (0.0, 1.0)
