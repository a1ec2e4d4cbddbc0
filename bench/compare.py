"""Check that the pipeline, the lower bound and the pandas baseline produce the same bulk-source marts:
row counts, column sums (relative tolerance for floats) and every column of a deterministic sample of keys."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb

REL_TOL = 1e-9
SAMPLE_KEYS = 200
SUMS = {
    "fct_trade_flows": ["value_usd", "quantity", "cast(partner_in_china_incl_hk as int)", "year"],
    "import_dependency": ["total_value_usd", "china_value_usd", "china_hk_value_usd", "china_share", "china_hk_share",
                          "hhi", "equivalent_suppliers", "positive_supplier_count", "top_supplier_share"],
}
KEYS = {
    "fct_trade_flows": ["reporter_iso3", "partner_iso3", "commodity_code", "year"],
    "import_dependency": ["importer_iso3", "mineral", "year"],
}
COLUMNS = {
    "fct_trade_flows": ["mineral", "value_usd", "quantity", "quantity_unit", "partner_in_china_incl_hk", "partner_is_country"],
    "import_dependency": ["total_value_usd", "china_share", "china_hk_share", "hhi", "top_supplier_iso3",
                          "top_supplier_share", "positive_supplier_count", "denominator_scope"],
}


def relations(pipeline_db: Path, lower_db: Path, pandas_dir: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(f"attach '{pipeline_db}' as pipeline (read_only)")
    connection.execute(f"attach '{lower_db}' as lower_bound (read_only)")
    for mart in SUMS:
        connection.execute(f"create view pipeline_{mart} as select * from pipeline.marts.{mart} where source = 'bulk_trade'")
        connection.execute(f"create view lower_bound_{mart} as select * from lower_bound.main.{mart}")
        connection.execute(f"create view pandas_{mart} as select * from read_parquet('{pandas_dir / mart / '*.parquet'}')")
    return connection


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=1e-9)
    return a == b


def compare(pipeline_db: Path, lower_db: Path, pandas_dir: Path) -> list[str]:
    """Return the differences found (empty = the three variants agree)."""
    connection = relations(pipeline_db, lower_db, pandas_dir)
    problems = []
    try:
        for mart, sums in SUMS.items():
            select = ", ".join(["count(*)"] + [f"sum({c})" for c in sums])
            figures = {v: connection.execute(f"select {select} from {v}_{mart}").fetchone()
                       for v in ("pipeline", "lower_bound", "pandas")}
            for variant in ("lower_bound", "pandas"):
                for label, a, b in zip(["rows"] + sums, figures["pipeline"], figures[variant]):
                    if not _close(a, b):
                        problems.append(f"{mart}.{label}: pipeline {a} vs {variant} {b}")
            keys, columns = KEYS[mart], COLUMNS[mart]
            sample = connection.execute(
                f"select {', '.join(keys)} from lower_bound_{mart} order by hash({', '.join(keys)}) limit {SAMPLE_KEYS}"
            ).fetchall()
            if not sample:
                continue
            values = ", ".join(str(tuple(k)) for k in sample)
            connection.execute(f"create or replace temp table sample_keys as select * from (values {values}) as s({', '.join(keys)})")
            rows = {}
            for variant in ("pipeline", "lower_bound", "pandas"):
                rows[variant] = {tuple(r[:len(keys)]): r[len(keys):] for r in connection.execute(
                    f"select {', '.join(keys + columns)} from {variant}_{mart} join sample_keys using ({', '.join(keys)})").fetchall()}
            for key in rows["lower_bound"]:
                for variant in ("pipeline", "pandas"):
                    other = rows[variant].get(key)
                    if other is None:
                        problems.append(f"{mart} key {key}: missing in {variant}")
                        continue
                    for column, a, b in zip(columns, rows["lower_bound"][key], other):
                        if not _close(a, b):
                            problems.append(f"{mart} key {key} {column}: lower_bound {a!r} vs {variant} {b!r}")
    finally:
        connection.close()
    return problems
