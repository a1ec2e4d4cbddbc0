"""The `make run` summary lists every measure part's status on the build date with its basis, none lost in wrapping."""

import re
from datetime import date

import duckdb

from orchestration.cli.measure_status_lines import WIDTH, measure_status_lines

PARTS = [
    ("CN-2024-46", "art1", "in_force", "sourced"),
    ("CN-2024-46", "art2", "suspension_ended_unconfirmed", "assumed_lapse"),
    ("CN-2024-46", "art3", "in_force", "sourced"),
    ("CN-2025-72", "all", "end_date_passed_unconfirmed", "assumed_lapse"),
    ("CN-WTO-DS431", "report", "issued", "sourced"),
    *[(f"XX-2025-{n:02d}", "all", "in_force", "sourced") for n in range(20)],  # forces wrapping
]


def _parse(lines: list[str]) -> dict[tuple[str, str], set[tuple[str, str]]]:
    groups, current = {}, None
    for line in lines[1:]:
        head = re.match(r"^    (\w+) · (\w+) \((\d+)\): (.*)$", line)
        if head:
            current = (head[1], head[2])
            groups[current], rest = set(), head[4]
        else:
            assert line.startswith("      ") and current, line
            rest = line.strip()
        for cell in filter(None, (c.strip() for c in rest.split(","))):
            measure, _, parts = cell.partition(":")
            groups[current] |= {(measure, part) for part in (parts.split("+") if parts else ["all"])}
    return groups


def test_every_part_is_listed_once_under_its_status_and_basis():
    connection = duckdb.connect()
    connection.execute("create schema marts")
    connection.execute("create table marts.export_measures (status_as_of date, status varchar, status_basis varchar,"
                       " measure_id varchar, part_id varchar)")
    connection.executemany("insert into marts.export_measures values (?, ?, ?, ?, ?)",
                           [(date(2026, 12, 1), status, basis, m, p) for m, p, status, basis in PARTS])
    lines = measure_status_lines(connection)

    assert lines[0].startswith("  measure parts on 2026-12-01 (25,")
    assert all(len(line) <= WIDTH for line in lines)
    expected = {}
    for measure, part, status, basis in PARTS:
        expected.setdefault((status, basis), set()).add((measure, part))
    assert _parse(lines) == expected
    assert any(line.startswith("      ") for line in lines)  # the 20 filler measures did wrap


def test_no_register_no_lines():
    connection = duckdb.connect()
    connection.execute("create schema marts")
    connection.execute("create table marts.export_measures (status_as_of date, status varchar, status_basis varchar,"
                       " measure_id varchar, part_id varchar)")
    assert measure_status_lines(connection) == []
