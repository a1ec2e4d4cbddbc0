"""Walk docs/CONTRIBUTING.md's "Add a mart" recipe on a throwaway clone and report what follows by itself.

    .venv/bin/python tools/recipe_dry_run.py          (make recipe-dry-run; about a minute)

Issue 28 asks that a recipe's file count be walked through, not claimed. On a `git clone --shared` of this
checkout's HEAD (nothing here is touched) the script writes the recipe's required files for a small real mart
(register sources per measure part, from marts.measure_part_sources), then shows:
1. `git status` names exactly the recipe's files (the count the recipe states);
2. `dbt parse` accepts the project;
3. the Dagster code location has the mart as an asset, its dbt tests and blocking Pandera contract as checks, the
   serving copy downstream of it, and a Great Expectations suite for it (all without touching another file);
4. the guards the recipe cites pass (tests/unit: contract completeness, mart column docs, grain tests);
5. when this checkout has a built warehouse, `dbt build` builds the mart and its tests on a copy of it and the contract
   passes on the rows;
6. the recipe's "fails without it" holds: without the contract, test_contract_completeness fails naming the mart.
Exit status 0 only if every step holds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MART = "recipe_measure_source_counts"
RECIPE_FILES = 3  # docs/CONTRIBUTING.md, "Add a mart": required files

MART_SQL = """\
-- How many published sources the register cites for each measure part (tools/recipe_dry_run.py writes this model
-- on a throwaway clone to walk the "Add a mart" recipe; it is not part of the project).

select
    measure_id,
    part_id,
    cast(count(*) as {{ dbt.type_bigint() }}) as source_count
from {{ ref('measure_part_sources') }}
group by measure_id, part_id
"""

MART_YAML = """\
version: 2
models:
  - name: recipe_measure_source_counts
    description: >
      Register sources cited per measure part. GRAIN: one row per measure_id x part_id. Counts of source URLs
      (register text), not trade values: summing source_count over parts counts URLs, some shared by parts.
    data_tests:
      - unique_combination_of_columns:
          arguments:
            combination_of_columns: [measure_id, part_id]
    columns:
      - name: measure_id
        data_type: varchar
        description: Register id.
      - name: part_id
        data_type: varchar
        description: Part id within the measure.
      - name: source_count
        data_type: bigint
        description: Number of source URLs the register lists for the part (at least 1).
"""

CONTRACT = '''

class RecipeMeasureSourceCounts(pa.DataFrameModel):
    """measure x part: register sources cited (tools/recipe_dry_run.py)."""

    # the columns and their types are the YAML's (data_contracts/dbt_columns.py); here only their rules
    measure_id = pa.Field(nullable=False)
    part_id = pa.Field(nullable=False)
    source_count = pa.Field(ge=1)


CONTRACTS["recipe_measure_source_counts"] = RecipeMeasureSourceCounts
'''

DEFINITIONS_PROBE = textwrap.dedent(f"""
    import json
    import dagster as dg
    from data_contracts.quality_suites import SUITES
    from orchestration.definitions import defs
    from orchestration.defs.contract_checks import CONTRACT_CHECK

    repo = defs().get_repository_def()
    graph = repo.asset_graph
    key = dg.AssetKey(["marts", "{MART}"])
    checks = sorted(k.name for k in graph.asset_check_keys if k.asset_key == key)
    serving = [k for k in graph.get_all_asset_keys() if k.path == ["serve", "chokepoint"]]
    print(json.dumps({{
        "asset": graph.has(key),
        "checks": checks,
        "contract_check": CONTRACT_CHECK in checks,
        "serving_downstream": bool(serving) and key in graph.get(serving[0]).parent_keys,
        "gx_suite_expectations": len(SUITES.get("{MART}", [])),
    }}))
""")

GUARDS = ["tests/unit/test_contract_completeness.py", "tests/unit/test_mart_column_docs.py",
          "tests/unit/test_model_grain.py", "tests/unit/test_dbt_columns.py"]


def run(args: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise SystemExit(f"FAILED: {' '.join(args)}\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done


def step(number: int, text: str) -> None:
    print(f"{number}. {text}", flush=True)


def main() -> int:
    python = Path(sys.executable)
    dbt = python.parent / "dbt"
    with tempfile.TemporaryDirectory(prefix="recipe-") as scratch:
        clone = Path(scratch) / "chokepoint"
        subprocess.run(["git", "clone", "--quiet", "--shared", str(PROJECT_ROOT), str(clone)], check=True)
        marts = clone / "dbt_project" / "models" / "marts" / "measures"  # the mart's domain
        (marts / f"{MART}.sql").write_text(MART_SQL)
        (marts / f"{MART}.yml").write_text(MART_YAML)
        contracts = clone / "data_contracts" / "marts" / "measures.py"
        contracts.write_text(contracts.read_text() + CONTRACT)

        env = dict(os.environ, PYTHONPATH=str(clone), CHOKEPOINT_WAREHOUSE=str(clone / "warehouse" / "chokepoint.duckdb"),
                   DAGSTER_HOME=str(Path(scratch) / "dagster_home"))
        (Path(scratch) / "dagster_home").mkdir()
        touched = run(["git", "status", "--porcelain", "--untracked-files=all"], clone, env).stdout.split("\n")
        touched = sorted(line[3:] for line in touched if line.strip())
        step(1, f"files touched: {len(touched)} (recipe: {RECIPE_FILES}): {', '.join(touched)}")
        ok = len(touched) == RECIPE_FILES

        project = ["--project-dir", str(clone / "dbt_project"), "--profiles-dir", str(clone / "dbt_project")]
        run([str(dbt), "parse", "--quiet", *project], clone, env)
        step(2, "dbt parse: ok")

        probe = json.loads(run([str(python), "-c", DEFINITIONS_PROBE], clone, env).stdout.strip().splitlines()[-1])
        step(3, f"code location: asset {probe['asset']}, checks {probe['checks']}, serving copy downstream "
                f"{probe['serving_downstream']}, GX suite of {probe['gx_suite_expectations']} expectations")
        ok &= probe["asset"] and probe["contract_check"] and probe["serving_downstream"] and \
            probe["gx_suite_expectations"] > 0 and any(name.startswith("unique_combination") for name in probe["checks"])

        guards = run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *GUARDS], clone, env, check=False)
        step(4, f"guards: {guards.stdout.strip().splitlines()[-1] if guards.stdout.strip() else guards.stderr[-300:]}")
        ok &= guards.returncode == 0

        built = PROJECT_ROOT / "warehouse" / "chokepoint.duckdb"
        if built.exists():
            (clone / "warehouse").mkdir()
            shutil.copy(built, clone / "warehouse" / "chokepoint.duckdb")
            build = run([str(dbt), "build", "--quiet", "--select", MART, *project], clone, env, check=False)
            contract = run([str(python), "-c", textwrap.dedent(f"""
                from data_contracts.marts import MART_CONTRACTS
                from orchestration.validation import validate_unless_empty
                from orchestration.storage.warehouse import open_duckdb
                from orchestration.settings import warehouse_path
                con = open_duckdb(warehouse_path(), read_only=True)
                rows = con.execute('select count(*) from marts.{MART}').fetchone()[0]
                outcome = validate_unless_empty(con, 'marts', '{MART}', MART_CONTRACTS['{MART}'], rows)
                print(rows, outcome.passed, outcome.summary)""")], clone, env, check=False)
            step(5, f"dbt build of the mart and its tests: exit {build.returncode}; contract on its rows: "
                    f"{contract.stdout.strip() or contract.stderr[-300:]}")
            ok &= build.returncode == 0 and contract.returncode == 0 and " True " in f" {contract.stdout.strip()} "
        else:
            step(5, f"skipped: no built warehouse at {built} (make run builds one)")

        contracts.write_text(contracts.read_text().replace(CONTRACT, ""))
        without = run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", GUARDS[0]], clone, env, check=False)
        named = MART in without.stdout
        step(6, f"without the contract: test_contract_completeness exit {without.returncode}, names the mart: {named}")
        ok &= without.returncode != 0 and named
    print("recipe dry run: " + ("every step holds" if ok else "A STEP FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
