"""Fingerprint of every published mart: row count and, per numeric column, the sum rounded to 6 decimals.

A refactor that must not change behaviour (issue 28) is checked by writing a fingerprint before and after and
comparing them:

    .venv/bin/python tools/mart_fingerprint.py --out before.json
    ... change, rebuild ...
    .venv/bin/python tools/mart_fingerprint.py --out after.json --compare before.json

Sums are exact (DECIMAL(38,10)), written as text. Booleans are counted as their number of TRUE values and every
column also gets its NULL count, so a change in null handling shows even where sums agree. Reads the published copy read-only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

SCHEMAS = ("marts", "reference")
NUMERIC_PREFIXES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                    "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL", "REAL")


def fingerprint(database: Path) -> dict[str, dict]:
    con = duckdb.connect(str(database), read_only=True)
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables"
        " where table_schema in (?, ?) order by 1, 2", list(SCHEMAS)
    ).fetchall()
    result: dict[str, dict] = {}
    for schema, table in tables:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = ? and table_name = ? order by ordinal_position", [schema, table]
        ).fetchall()
        exprs = ["count(*)"]
        names = []
        for name, dtype in columns:
            quoted = '"' + name.replace('"', '""') + '"'
            if dtype.upper().startswith(NUMERIC_PREFIXES):
                # DECIMAL: an exact sum, so the order DuckDB adds rows in cannot move the 6th decimal
                exprs.append(f"cast(round(sum(cast({quoted} as decimal(38, 10))), 6) as varchar)")
                names.append(f"sum:{name}")
            elif dtype.upper() == "BOOLEAN":
                exprs.append(f"sum(case when {quoted} then 1 else 0 end)")
                names.append(f"true:{name}")
            exprs.append(f"count(*) - count({quoted})")
            names.append(f"nulls:{name}")
        row = con.execute(f'select {", ".join(exprs)} from "{schema}"."{table}"').fetchone()
        result[f"{schema}.{table}"] = {"rows": row[0], **dict(zip(names, row[1:]))}
    return result


def _within(before, after, rel_tol: float) -> bool:
    """Two sums that differ only in the last bits of the doubles they add up (DuckDB's parallel SUM is not
    order-stable) are equal within rel_tol; 0 asks for equality to the 6th decimal."""
    try:
        b, a = float(before), float(after)
    except (TypeError, ValueError):
        return False
    return rel_tol > 0 and abs(a - b) <= rel_tol * max(abs(a), abs(b))


def compare(before: dict, after: dict, rel_tol: float = 0.0) -> list[str]:
    problems = []
    for table in sorted(set(before) | set(after)):
        if table not in after:
            problems.append(f"{table}: missing after")
        elif table not in before:
            problems.append(f"{table}: new after")
        elif before[table] != after[table]:
            for key in sorted(set(before[table]) | set(after[table])):
                if before[table].get(key) != after[table].get(key) and not _within(
                    before[table].get(key), after[table].get(key), rel_tol
                ):
                    problems.append(f"{table}.{key}: {before[table].get(key)} -> {after[table].get(key)}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=Path("warehouse/serve/chokepoint.duckdb"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare", type=Path, help="an earlier fingerprint to compare with")
    parser.add_argument("--rel-tol", type=float, default=0.0, help="relative tolerance on sums (default 0: exact)")
    args = parser.parse_args()
    result = fingerprint(args.database)
    args.out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"{len(result)} tables fingerprinted -> {args.out}")
    if args.compare:
        problems = compare(json.loads(args.compare.read_text()), result, args.rel_tol)
        print("\n".join(problems) if problems else "every table equal")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
