"""dbt build on Spark with the Pandera contracts as blocking checks; runs inside the .venv-spark side env.

orchestration/spark/engine.py starts this module with the side env's python (no Dagster there): dbt runs in this
process (dbtRunner), so dbt-spark's session-method SparkSession is still alive after each invocation and the same
contracts Dagster runs on DuckDB (data_contracts.sources / data_contracts.marts, pandera's ibis backend) run on it
through ibis's pyspark backend. As on DuckDB, a failing staging contract stops the build before any intermediate
model or mart reads the bad rows; a failing mart contract fails the build.

    python -m orchestration.spark.build '<json: {"dbt_args": [...], "select": null}>'
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from data_contracts.marts import MART_CONTRACTS
from data_contracts.sources.registry import STAGING_CONTRACTS
from orchestration.validation import validate

CONTRACTS = {**{("staging", t): m for t, m in STAGING_CONTRACTS.items()},
             **{("marts", t): m for t, m in MART_CONTRACTS.items()}}

# Staging (with the seeds and sources it reads) first, then everything downstream: the staging contracts sit between
# the two, where Dagster's blocking checks sit on DuckDB.
STAGING_AND_UPSTREAM = "+path:models/staging"


# Cautious: a test runs in the stage that builds the last of its parents (a singular test reading a staging model and
# a mart waits for stage 2; dbt's default, eager, would run it in stage 1 against a mart not yet built). The two stages
# partition the project's nodes exactly: together they are one `dbt build`.
CAUTIOUS = ("--indirect-selection", "cautious")


def staged_selections(select: str | None) -> list[tuple[str, ...]]:
    """dbt selection arguments per stage: a user selection is split the same way (intersection, then the rest)."""
    if not select:
        return [("--select", STAGING_AND_UPSTREAM, *CAUTIOUS), ("--exclude", STAGING_AND_UPSTREAM, *CAUTIOUS)]
    terms = select.split()  # dbt reads spaces as union, commas as intersection: intersect each term
    return [("--select", *(f"{STAGING_AND_UPSTREAM},{term}" for term in terms), *CAUTIOUS),
            ("--select", *terms, "--exclude", STAGING_AND_UPSTREAM, *CAUTIOUS)]


@dataclass
class StageOutcome:
    dbt_ok: bool
    contract_failures: list[str]
    contracts_checked: int
    contracts_s: float


def run_stage(dbt_args: list[str]) -> StageOutcome:
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(dbt_args)
    built = [r.node for r in (result.result or []) if getattr(r.node, "resource_type", None) == "model"
             and str(r.status) == "success"]
    if not result.success:
        return StageOutcome(False, [], 0, 0.0)
    started = time.monotonic()
    failures = []
    checked = 0
    tables = [(node.schema, node.alias or node.name) for node in built]
    if any(key in CONTRACTS for key in tables):
        with _ibis_on_dbt_session() as connection:
            for schema, table in tables:
                contract = CONTRACTS.get((schema, table))
                if contract is None:
                    continue
                outcome = validate(connection.table(table, database=schema), contract)
                checked += 1
                print(f"contract {schema}.{table}: {outcome.summary}", flush=True)
                if not outcome.passed:
                    failures.append(f"{schema}.{table}: {outcome.summary}")
    return StageOutcome(True, failures, checked, time.monotonic() - started)


ESCAPED_LITERALS = "spark.sql.parser.escapedStringLiterals"


@contextmanager
def _ibis_on_dbt_session():
    """ibis over dbt's SparkSession, with Spark's default string-literal parsing while the contracts run.

    The dbt profile reads literals as DuckDB does (a backslash is a character); ibis writes regexes for Spark's
    default (`'^\\d{6}$'`), which under the profile's setting would look for a backslash and fail every row."""
    import ibis
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()
    dbt_setting = session.conf.get(ESCAPED_LITERALS, "false")
    session.conf.set(ESCAPED_LITERALS, "false")
    try:
        yield ibis.pyspark.connect(session)
    finally:
        session.conf.set(ESCAPED_LITERALS, dbt_setting)


def main(argv: list[str]) -> int:
    request = json.loads(argv[0])
    base = request["dbt_args"]
    selections = staged_selections(request.get("select"))
    total_checked = 0
    contracts_s = 0.0
    for selection in selections:
        outcome = run_stage([*base, *selection])
        total_checked += outcome.contracts_checked
        contracts_s += outcome.contracts_s
        if not outcome.dbt_ok:
            print(f"dbt build {' '.join(selection)} failed on Spark; later stages not run", file=sys.stderr)
            return 1
        if outcome.contract_failures:
            print("blocking contracts failed on Spark; later stages not run:\n  "
                  + "\n  ".join(outcome.contract_failures), file=sys.stderr)
            return 2
    print(f"Spark contracts: {total_checked} passed in {contracts_s:.1f}s", flush=True)
    # For callers that do not parse the log (tests/integration/test_spark_engine.py): cwd is the Spark dir.
    Path("contracts_passed.txt").write_text(f"{total_checked}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
