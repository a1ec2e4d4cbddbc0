"""The `make run` summary's answer to "which export controls are in force today, and on what basis"."""

from __future__ import annotations

import textwrap
from collections import defaultdict

import duckdb

WIDTH = 118
INDENT = "      "


def measure_status_lines(connection: duckdb.DuckDBPyConnection, schema: str = "marts") -> list[str]:
    """Every measure part's status on the build date, grouped by status and basis, parts of one measure together.

    `assumed_lapse` (the status follows from an original end date, no source confirms it) is printed as a basis like
    `sourced` so a reader quoting a status sees which ones rest on inference. Only `in_force · sourced` is in force
    on a source's word; `suspension_ended_unconfirmed` and `end_date_passed_unconfirmed` say an end date passed and
    nothing sourced says what followed (int_measures__status_periods)."""
    rows = connection.execute(
        f"select status_as_of, status, status_basis, measure_id, part_id from {schema}.export_measures "
        "order by status, status_basis, measure_id, part_id"
    ).fetchall()
    if not rows:
        return []
    as_of = max(row[0] for row in rows)
    groups: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for _, status, basis, measure_id, part_id in rows:
        groups[(status, basis)][measure_id].append(part_id)
    lines = [f"  measure parts on {as_of} ({len(rows)}, status · basis; detail in {schema}.export_measures):"]
    for (status, basis), measures in groups.items():
        # Part "all" is the measure itself. No spaces inside a cell, so a wrapped line never splits a measure.
        cells = [measure if parts == ["all"] else f"{measure}:{'+'.join(parts)}" for measure, parts in measures.items()]
        count = sum(len(parts) for parts in measures.values())
        text = f"{status} · {basis} ({count}): " + ", ".join(cells)
        wrapped = textwrap.wrap(text, width=WIDTH, initial_indent="    ", subsequent_indent=INDENT, break_on_hyphens=False)
        lines += wrapped
    return lines
