"""Run a Pandera contract and turn its outcome into Dagster check metadata (failing rows included)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.errors

FAILURE_ROWS_SHOWN = 25
# The asset-check name of every Pandera contract, on every stage: the UI groups and filters checks by it.
CONTRACT_CHECK = "pandera_contract"


@dataclass
class ContractOutcome:
    passed: bool
    metadata: dict = field(default_factory=dict)
    summary: str = ""


def validate(data, contract) -> ContractOutcome:
    """Validate lazily so one run reports every broken field, not just the first."""
    if _is_empty_ibis_table(data):
        return _validate_empty(data, contract)
    try:
        contract.validate(data, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        return _failed(contract.__name__, errors.failure_cases)
    except pandera.errors.SchemaError as error:
        return _failed(contract.__name__, getattr(error, "failure_cases", None), str(error))
    return ContractOutcome(True, {"contract": contract.__name__, "failure_count": 0}, f"{contract.__name__}: passed")


def _is_empty_ibis_table(data) -> bool:
    import ibis.expr.types as ir

    return isinstance(data, ir.Table) and data.count().execute() == 0


def _validate_empty(table, contract) -> ContractOutcome:
    """An empty table holds no value to break a rule; its columns and types still have to match.

    pandera's ibis backend (0.35) reports every non-nullable column of an empty table as null, so a live source not
    fetched yet (empty in snapshot mode) would fail its staging contract; this checks what an empty table can break."""
    columns = table.schema()
    problems = [
        f"{name}: missing" if name not in columns else f"{name}: {columns[name]} where the contract says {spec.dtype.type}"
        for name, spec in contract.to_schema().columns.items()
        if name not in columns or (spec.dtype is not None and not _same_type(columns[name], spec.dtype.type))
    ]
    if problems:
        return ContractOutcome(False, {"contract": contract.__name__, "failure_count": len(problems), "rows": 0},
                               f"{contract.__name__} failed on an empty table: {'; '.join(problems)}")
    return ContractOutcome(True, {"contract": contract.__name__, "failure_count": 0, "rows": 0},
                           f"{contract.__name__}: passed (empty table: columns and types only)")


def _same_type(actual, expected) -> bool:
    # Nullability is a value rule (checked on rows), not a type difference.
    return actual.copy(nullable=True) == expected.copy(nullable=True)


def _failed(contract_name: str, failure_cases, message: str | None = None) -> ContractOutcome:
    cases = _as_pandas(failure_cases)
    metadata = {"contract": contract_name, "failure_count": len(cases) if cases is not None else 1,
                "failing_checks": [], "failing_row_indexes": []}
    if cases is not None and len(cases):
        shown = cases.head(FAILURE_ROWS_SHOWN).astype(str)
        metadata["failing_checks"] = sorted(set(cases["check"].astype(str))) if "check" in cases else []
        metadata["failing_columns"] = sorted(set(cases["column"].dropna().astype(str))) if "column" in cases else []
        metadata["failure_cases"] = _markdown(shown.to_markdown(index=False))
        if "index" in cases:
            metadata["failing_row_indexes"] = sorted({int(i) for i in cases["index"].dropna() if str(i).lstrip("-").isdigit()})
        summary = "; ".join(
            f"{row.get('column')}: {row.get('check')} (e.g. {row.get('failure_case')!r}, row {row.get('index')})"
            for row in shown.head(5).to_dict("records")
        )
    else:
        summary = message or "contract failed"
    # The rules broken come first (a quarantine's error and the run summary show the first 200 characters).
    rules = f" [{'; '.join(metadata['failing_checks'])}]" if metadata["failing_checks"] else ""
    return ContractOutcome(False, metadata, f"{contract_name} failed{rules}: {summary}")


def _markdown(text: str):
    try:
        import dagster as dg
    except ImportError:  # the Spark side env (orchestration/spark/build.py) validates without Dagster: plain text
        return text
    return dg.MetadataValue.md(text)


def _as_pandas(cases) -> pd.DataFrame | None:
    if cases is None:
        return None
    if isinstance(cases, pd.DataFrame):
        return cases
    for converter in ("to_pandas", "execute"):  # polars / ibis failure tables
        if hasattr(cases, converter):
            return getattr(cases, converter)()
    return pd.DataFrame(cases)


def validate_unless_empty(connection, schema: str, table: str, contract, rows: int) -> ContractOutcome:
    import ibis  # here: the pandas-only callers (raw assets) need not load ibis

    return validate_rows_unless_empty(ibis.duckdb.from_connection(connection).table(table, database=schema), contract, rows)


def validate_rows_unless_empty(rows_expr, contract, rows: int) -> ContractOutcome:
    """pandera's ibis backend (0.35) fails every check of an empty table; an empty table breaks no row rule."""
    if rows == 0:
        return ContractOutcome(True, {"contract": contract.__name__, "failure_count": 0}, f"{contract.__name__}: passed (no rows)")
    return validate(rows_expr, contract)
