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
    """Validate lazily so one run reports every broken field, not just the first.

    An ibis table is first asked every rule of the contract in one aggregate query (`rules_hold_in_one_query`): pandera's
    ibis backend runs one query per rule, and on Spark each builtin check also joins the table back to itself by row
    number, so a contract took 4 to 140 queries. pandera itself runs only when that query finds a broken rule (or a
    rule it cannot fold in), to name the failing checks, columns and rows as before."""
    if _is_ibis_table(data):
        rows, holds = rules_hold_in_one_query(data, contract)
        if rows == 0:
            return _validate_empty(data, contract)
        if holds:
            return ContractOutcome(True, {"contract": contract.__name__, "failure_count": 0},
                                   f"{contract.__name__}: passed")
    try:
        contract.validate(data, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        return _failed(contract.__name__, errors.failure_cases)
    except pandera.errors.SchemaError as error:
        return _failed(contract.__name__, getattr(error, "failure_cases", None), str(error))
    return ContractOutcome(True, {"contract": contract.__name__, "failure_count": 0}, f"{contract.__name__}: passed")


def _is_ibis_table(data) -> bool:
    import ibis.expr.types as ir

    return isinstance(data, ir.Table)


def rules_hold_in_one_query(table, contract) -> tuple[int, bool]:
    """(row count, whether every rule of ``contract`` holds) in one query.

    Column presence and types come from pandera itself (its schema-only depth runs no query). Each row rule is the
    pandera check's own function applied to the table, with pandera's null handling (``ignore_na``; NaN counts as null
    in a non-nullable float column), reduced with ``all``: the verdict pandera would reach, check by check. A rule whose
    function does not give a boolean over the table's own rows (element-wise UDFs, cross-table checks), a uniqueness
    setting or a regex column leaves the verdict to pandera (False here)."""
    from pandera.config import ValidationDepth, config_context

    schema = contract.to_schema()
    try:
        with config_context(validation_depth=ValidationDepth.SCHEMA_ONLY):
            contract.validate(table, lazy=True)
        foldable = not schema.unique and not any(column.regex for column in schema.columns.values())
        rules = _row_rules(table, schema) if foldable else None
    except Exception:  # a schema error, or a type pandera cannot read: its own validation reports either
        rules = None
    aggregate = {"row_count": table.count()}
    aggregate.update({f"rule_{index}": rule.all() for index, rule in enumerate(rules or [])})
    try:
        verdict = table.aggregate(**aggregate).to_pyarrow().to_pylist()[0]
    except Exception:  # a rule the engine cannot run: pandera runs it again, alone, and names it
        return table.count().execute(), False
    rows = verdict.pop("row_count")
    return rows, rules is not None and all(value is True for value in verdict.values())


def _row_rules(table, schema) -> list | None:
    """Every data rule of ``schema`` as a boolean expression over ``table``'s rows, or None when one is not."""
    import ibis
    import ibis.expr.operations as ops

    rules = []
    for name, column in schema.columns.items():
        if name not in table.columns:
            return None
        if not column.nullable:
            values = table[name]
            null = values.isnull()
            if values.type().is_floating() and ibis.get_backend(values).has_operation(ops.IsNan):
                null |= values.isnan()
            rules.append(~null)
        rules.extend(_row_rule(table, name, check) for check in column.checks)
    rules.extend(_row_rule(table, None, check) for check in schema.checks)
    return None if any(rule is None for rule in rules) else rules


def _row_rule(table, key, check):
    """``check`` as a boolean column over ``table``, as pandera's ibis check backend would compute it before joining
    it back to the table; None when the check is not such a function of the table's own rows."""
    import ibis.expr.operations as ops
    import ibis.expr.types as ir
    from pandera.api.ibis.types import IbisData

    if check.element_wise or check.groupby:
        return None
    function = check._check_fn
    # As pandera's Check.__call__ does: a builtin check's dispatcher is looked up again, to find its ibis version.
    builtin = getattr(function, "__name__", None)
    if builtin is not None and check.is_builtin_check(builtin):
        function = check.get_builtin_check_fn(builtin)
    try:
        output = function(IbisData(table, key), **check._check_kwargs)
    except Exception:  # pandera runs it again and reports the error as the check's failure
        return None
    if isinstance(output, ir.Table):
        projection = output.op()
        if not (isinstance(projection, ops.Project) and projection.parent == table.op() and projection.values):
            return None
        columns = [value.to_expr() for value in projection.values.values()]
        if not all(column.type().is_boolean() for column in columns):
            return None
        rule = columns[0]
        for column in columns[1:]:
            rule = rule & column
    elif isinstance(output, ir.BooleanColumn) and set(output.op().relations) == {table.op()}:
        rule = output
    else:
        return None
    if check.ignore_na and key is not None:
        rule = rule | table[key].isnull()
    return rule


def _validate_empty(table, contract) -> ContractOutcome:
    """An empty table holds no value to break a rule; its columns and types still have to match.

    pandera's ibis backend (0.35) reports every non-nullable column of an empty table as null, so a live source not
    fetched yet (empty in snapshot mode) would fail its staging contract; this checks what an empty table can break."""
    columns = table.schema()
    problems = [
        f"{name}: missing" if name not in columns else f"{name}: {columns[name]} where the contract says {spec.dtype.type}"
        for name, spec in contract.to_schema().columns.items()
        if name not in columns or (spec.dtype is not None and not _same_type(columns[name], spec.dtype))
    ]
    if problems:
        return ContractOutcome(False, {"contract": contract.__name__, "failure_count": len(problems), "rows": 0},
                               f"{contract.__name__} failed on an empty table: {'; '.join(problems)}")
    return ContractOutcome(True, {"contract": contract.__name__, "failure_count": 0, "rows": 0},
                           f"{contract.__name__}: passed (empty table: columns and types only)")


def _same_type(actual, expected) -> bool:
    """``actual``: an ibis column type; ``expected``: the contract's pandera type, whose own check decides (a timestamp
    of any precision: data_contracts/dbt_columns.py). Nullability is a value rule (checked on rows), not a type."""
    from pandera.engines import ibis_engine

    return bool(expected.check(ibis_engine.Engine.dtype(actual.copy(nullable=True))))


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
