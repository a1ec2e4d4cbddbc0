"""Walk docs/CONTRIBUTING.md's recipes, "Add a snapshot source" and "Add a mart", on throwaway clones.

    .venv/bin/python tools/recipe_dry_run.py [--recipe source|mart]    (make recipe-dry-run; about two minutes)

Issue 28 asks that a recipe's file count be walked through, not claimed. On a `git clone --shared` of this
checkout's HEAD (nothing here is touched) the script writes each recipe's files, then shows for each:
1. `git status` names exactly the recipe's files (the count the recipe states);
2. `dbt parse` accepts the project;
3. the Dagster code location has the new assets and their checks without another file touched (source: the raw asset
   with its declared input and blocking raw contract, the staging model reading it with its grain test and contract;
   mart: the asset, its dbt tests and blocking contract, the serving copy downstream, a Great Expectations suite);
4. the guards the recipe cites pass (tests/unit);
5. source: the loader reads the real file (sha256 checked against the new manifest row) and the raw contract passes;
   with a built warehouse in this checkout, `dbt build` builds the new model and its tests on a copy of it, and the
   contract passes on the rows;
6. the recipe's "fails without it" holds: without the contract(s), test_contract_completeness fails, naming them.
The source recipe adds a real file (tools/recipe_inputs/README.md: USGS MCS 2025 rare-earth world production); the
mart recipe a small real mart (register sources per measure part, from marts.measure_part_sources).
Exit status 0 only if every step of every recipe walked holds."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUILT = PROJECT_ROOT / "warehouse" / "chokepoint.duckdb"

# ---------------------------------------------------------------- "Add a mart"
MART = "recipe_measure_source_counts"
MART_RECIPE_FILES = 3  # docs/CONTRIBUTING.md, "Add a mart": required files

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

MART_GUARDS = ["tests/unit/test_contract_completeness.py", "tests/unit/test_mart_column_docs.py",
          "tests/unit/test_model_grain.py", "tests/unit/test_dbt_columns.py"]


# ---------------------------------------------------------------- "Add a snapshot source": a new USGS file
SOURCE_TABLE = "usgs_mcs2025_world_production"
SOURCE_MODEL = "stg_usgs__mcs2025_world_production"
SOURCE_RECIPE_FILES = 6  # docs/CONTRIBUTING.md, "Add a snapshot source": a new file of a source already read
SOURCE_FILE = "mcs2025_rare_earths_world_mine_production.csv"  # real: tools/recipe_inputs/README.md
SOURCE_SHA256 = "1d8e2c1bba9e2f07de3e6255117d8406a7e04164534d31a6b6c35ab9577993df"
MANIFEST_ROW = (f'data/snapshot/usgs/{SOURCE_FILE},"Hand transcription of USGS MCS 2025 Rare Earths chapter pp.144-145 '
                f'(doi:10.3133/mcs2025), world mine production 2023-2024e and reserves",U.S. Geological Survey,2026-12-07,'
                f'Public domain (US Government work),{SOURCE_SHA256},4675\n')

PARSER_AND_LOADER = '''

MCS2025_WORLD_PRODUCTION_HEADER = ["edition", "commodity", "country", "mine_production_2023_t_REO",
                                   "mine_production_2024e_t_REO", "reserves_t_REO", "note", "source"]


def read_mcs2025_world_production(payload: bytes, file_name: str) -> pd.DataFrame:
    """Hand transcription of an MCS 2025 chapter's world mine production and reserves table; figures kept as text."""
    return _read_text_csv(payload.decode("utf-8"), file_name, MCS2025_WORLD_PRODUCTION_HEADER)


@raw_table("usgs_mcs2025_world_production", "USGS MCS 2025 rare-earth chapter, world mine production 2023-2024e and "
           "reserves by country (transcribed from the PDF).", {"csv"})
def load_usgs_mcs2025_world_production() -> pd.DataFrame:
    (entry,) = files_under("usgs", "mcs2025_rare_earths_world_mine_production.csv")
    return parsed(entry, read_mcs2025_world_production, "usgs_mcs")
'''

SOURCE_CONTRACTS = '''

USGS_FIGURE = r"^(\\d+|>\\d+|NA)$"  # a number, a lower bound or NA, as the chapter prints it


class UsgsMcs2025WorldProduction(Mcs2025Transcription):
    """One row per country (and the rounded World total) of an MCS 2025 world production table, figures as text."""

    country: Series[str] = pa.Field(unique=True)
    mine_production_2023_t_REO: Series[str] = pa.Field(str_matches=USGS_FIGURE)
    mine_production_2024e_t_REO: Series[str] = pa.Field(str_matches=USGS_FIGURE)
    reserves_t_REO: Series[str] = pa.Field(str_matches=USGS_FIGURE)
    source: Series[str]

    class Config:
        strict = True


class StgUsgsMcs2025WorldProduction(pi.DataFrameModel):
    edition = pi.Field(isin=[2025])
    production_2023_kind = pi.Field(isin=USGS_VALUE_KINDS)
    production_2023_t = pi.Field(ge=0, nullable=True)
    production_2024_est_t = pi.Field(ge=0, nullable=True)
    reserves_kind = pi.Field(isin=USGS_VALUE_KINDS)
    reserves_t = pi.Field(ge=0, nullable=True)


RAW["usgs_mcs2025_world_production"] = UsgsMcs2025WorldProduction
STAGING["stg_usgs__mcs2025_world_production"] = StgUsgsMcs2025WorldProduction
'''

SOURCE_SQL = """\
-- MCS 2025 rare-earth world mine production and reserves as transcribed, one row per country and the rounded World
-- total, tokens classified by the MCS macros. Written by tools/recipe_dry_run.py on a throwaway clone only.
select
    2025 as edition,
    source_row,
    commodity,
    country as country_published,
    {{ usgs_value_kind(usgs_clean_token('mine_production_2023_t_reo')) }} as production_2023_kind,
    {{ usgs_numeric_value(usgs_clean_token('mine_production_2023_t_reo')) }} as production_2023_t,
    {{ usgs_numeric_value(usgs_clean_token('mine_production_2024e_t_reo')) }} as production_2024_est_t,
    {{ usgs_clean_token('reserves_t_reo') }} as reserves_published,
    {{ usgs_value_kind(usgs_clean_token('reserves_t_reo')) }} as reserves_kind,
    {{ usgs_numeric_value(usgs_clean_token('reserves_t_reo')) }} as reserves_t,
    note,
    _source_file as source_file,
    _source_sha256 as source_sha256,
    _loaded_at as loaded_at
from {{ source('raw', 'usgs_mcs2025_world_production') }}
"""

SOURCE_YAML = """\
version: 2

models:
  - name: stg_usgs__mcs2025_world_production
    description: >
      USGS MCS 2025 rare-earth world mine production (2023, 2024 estimated) and reserves by country, as
      transcribed from the chapter PDF, one row per country plus the rounded World total (a sum over countries
      must leave it out). Metric tons of rare-earth-oxide equivalent; tokens kept (reserves_published).
    data_tests:
      - unique_combination_of_columns:
          arguments:
            combination_of_columns: [edition, commodity, country_published]
    columns:
      - name: edition
        data_type: integer
        description: MCS edition (2025).
      - name: source_row
        data_type: bigint
        description: Row of the transcription CSV.
      - name: commodity
        data_type: varchar
        description: Commodity code as transcribed ('rare_earths').
      - name: country_published
        data_type: varchar
        description: Country as USGS names it ('Other', 'World total (rounded)' included).
      - name: production_2023_kind
        data_type: varchar
        description: number / zero / lower_bound / token class of the 2023 figure (macros/usgs_tokens.sql).
      - name: production_2023_t
        data_type: double
        description: Mine production 2023, t REO.
      - name: production_2024_est_t
        data_type: double
        description: Mine production 2024 (USGS estimate), t REO.
      - name: reserves_published
        data_type: varchar
        description: Reserves as printed ('NA', '>90000000').
      - name: reserves_kind
        data_type: varchar
        description: number / lower_bound / not_available class of the reserves figure.
      - name: reserves_t
        data_type: double
        description: Reserves, t REO; the bound's number for a lower bound, NULL for NA.
      - name: note
        data_type: varchar
        description: Transcriber's note (footnotes).
      - name: source_file
        data_type: varchar
        description: "{{ doc('lineage__source_file') }}"
      - name: source_sha256
        data_type: varchar
        description: "{{ doc('lineage__source_sha256') }}"
      - name: loaded_at
        data_type: timestamp
        description: "{{ doc('lineage__loaded_at') }}"

sources:
  - name: raw
    schema: raw
    description: "{{ doc('source__raw') }}"
    tables:
      - name: usgs_mcs2025_world_production
        description: >
          USGS MCS 2025 rare-earth chapter, world mine production and reserves table (p. 145), one row per
          country as transcribed; figures as published text.
        columns:
          - name: source_row
            description: Row number in the transcription CSV.
          - name: edition
            description: "'MCS2025'."
          - name: commodity
            description: "'rare_earths'."
          - name: country
            description: Country as USGS names it.
          - name: mine_production_2023_t_REO
            description: Mine production 2023, t REO, as printed.
          - name: mine_production_2024e_t_REO
            description: Mine production 2024 (estimated), t REO, as printed.
          - name: reserves_t_REO
            description: Reserves, t REO, as printed.
          - name: note
            description: Transcriber's note (footnotes).
          - name: source
            description: Page and file transcribed.
          - name: _source
            description: "{{ doc('lineage__source') }}"
          - name: _source_file
            description: "{{ doc('lineage__source_file') }}"
          - name: _source_sha256
            description: "{{ doc('lineage__source_sha256') }}"
          - name: _retrieved_at
            description: "{{ doc('lineage__retrieved_at') }}"
          - name: _loaded_at
            description: "{{ doc('lineage__loaded_at') }}"
"""

SOURCE_PROBE = textwrap.dedent(f"""
    import json
    import dagster as dg
    from orchestration.definitions import defs
    from orchestration.defs.contract_checks import CONTRACT_CHECK
    from orchestration.versioning.inputs import INPUT_TAG

    graph = defs().get_repository_def().asset_graph
    raw, staging = dg.AssetKey(["raw", "{SOURCE_TABLE}"]), dg.AssetKey(["staging", "{SOURCE_MODEL}"])
    checks = lambda key: sorted(k.name for k in graph.asset_check_keys if k.asset_key == key)
    print(json.dumps({{
        "raw_asset": graph.has(raw),
        "raw_input": graph.get(raw).tags.get(INPUT_TAG) if graph.has(raw) else None,
        "raw_checks": checks(raw),
        "staging_asset": graph.has(staging),
        "staging_reads_raw": graph.has(staging) and raw in graph.get(staging).parent_keys,
        "staging_checks": checks(staging),
        "contract_check": CONTRACT_CHECK,
    }}))
""")

SOURCE_LOAD = textwrap.dedent(f"""
    from data_contracts.sources.registry import RAW_CONTRACTS
    from orchestration.extract.raw_loaders import RAW_TABLES
    from orchestration.validation import validate
    frame = RAW_TABLES['{SOURCE_TABLE}'].load()
    outcome = validate(frame, RAW_CONTRACTS['{SOURCE_TABLE}'])
    print(len(frame), outcome.passed, outcome.summary)
    if outcome.passed:
        from orchestration.storage.warehouse import write_raw_table
        import os
        if os.path.exists(os.environ['CHOKEPOINT_WAREHOUSE']):
            write_raw_table('{SOURCE_TABLE}', frame)
""")

SOURCE_GUARDS = ["tests/unit/test_contract_completeness.py", "tests/unit/test_snapshot_manifest.py",
                 "tests/unit/test_model_grain.py", "tests/unit/test_dbt_columns.py", "tests/unit/test_module_roles.py",
                 "tests/unit/test_raw_contracts.py::test_contract_passes_on_real_snapshot"]


def run(args: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise SystemExit(f"FAILED: {' '.join(args)}\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done


def step(number: int, text: str) -> None:
    print(f"{number}. {text}", flush=True)


def throwaway_clone(scratch: Path) -> tuple[Path, dict[str, str]]:
    """A shared clone of HEAD and the environment that points the project's code, warehouse and Dagster home at it."""
    clone = scratch / "chokepoint"
    subprocess.run(["git", "clone", "--quiet", "--shared", str(PROJECT_ROOT), str(clone)], check=True)
    (scratch / "dagster_home").mkdir()
    env = dict(os.environ, PYTHONPATH=str(clone), CHOKEPOINT_WAREHOUSE=str(clone / "warehouse" / "chokepoint.duckdb"),
               DAGSTER_HOME=str(scratch / "dagster_home"))
    return clone, env


def files_touched_and_parsed(clone: Path, env: dict[str, str], dbt: Path, recipe_files: int) -> bool:
    """Steps 1 and 2: the files git sees changed, against the recipe's count; `dbt parse` of the clone (must pass)."""
    status = run(["git", "status", "--porcelain", "--untracked-files=all"], clone, env).stdout.split("\n")
    touched = sorted(line[3:] for line in status if line.strip())
    step(1, f"files touched: {len(touched)} (recipe: {recipe_files}): {', '.join(touched)}")
    run([str(dbt), "parse", "--quiet", *dbt_project_args(clone)], clone, env)
    step(2, "dbt parse: ok")
    return len(touched) == recipe_files


def probed(clone: Path, env: dict[str, str], python: Path, probe: str) -> dict:
    """What a probe script prints (its last line, JSON) about the clone's Dagster code location."""
    return json.loads(run([str(python), "-c", probe], clone, env).stdout.strip().splitlines()[-1])


def dbt_project_args(clone: Path) -> list[str]:
    return ["--project-dir", str(clone / "dbt_project"), "--profiles-dir", str(clone / "dbt_project")]


def copy_built_warehouse(clone: Path) -> None:
    """This checkout's built warehouse, copied into the clone, if there is one."""
    if BUILT.exists():
        (clone / "warehouse").mkdir(exist_ok=True)
        shutil.copy(BUILT, clone / "warehouse" / "chokepoint.duckdb")


def guards_pass(clone: Path, env: dict[str, str], python: Path, tests: list[str]) -> tuple[bool, str]:
    done = run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], clone, env, check=False)
    return done.returncode == 0, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]


def build_step(number: int, what: str, clone: Path, env: dict[str, str], python: Path, dbt: Path, schema: str, model: str,
               contracts: str) -> bool:
    """`dbt build` of one model and its tests on the clone's warehouse copy, then its Pandera contract (``contracts``:
    the registry, "module:NAME") on the rows. Skipped, and held, when this checkout has no built warehouse."""
    if not (clone / "warehouse" / "chokepoint.duckdb").exists():
        step(number, f"skipped: no built warehouse at {BUILT} (make run builds one)")
        return True
    module, registry = contracts.split(":")
    build = run([str(dbt), "build", "--quiet", "--select", model, *dbt_project_args(clone)], clone, env, check=False)
    contract = run([str(python), "-c", textwrap.dedent(f"""
        from {module} import {registry}
        from orchestration.validation import validate_unless_empty
        from orchestration.storage.warehouse import open_duckdb
        from orchestration.settings import warehouse_path
        con = open_duckdb(warehouse_path(), read_only=True)
        rows = con.execute('select count(*) from {schema}.{model}').fetchone()[0]
        outcome = validate_unless_empty(con, '{schema}', '{model}', {registry}['{model}'], rows)
        print(rows, outcome.passed, outcome.summary)""")], clone, env, check=False)
    step(number, f"dbt build of {what} and its tests: exit {build.returncode}; contract on its rows: "
                 f"{contract.stdout.strip() or contract.stderr[-300:]}")
    return build.returncode == 0 and contract.returncode == 0 and " True " in f" {contract.stdout.strip()} "


def fails_without(number: int, what: str, clone: Path, env: dict[str, str], python: Path, names: list[str]) -> bool:
    """The recipe's "fails without it": test_contract_completeness fails and names each of ``names``."""
    done = run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit/test_contract_completeness.py"],
               clone, env, check=False)
    named = all(name in done.stdout for name in names)
    step(number, f"without {what}: test_contract_completeness exit {done.returncode}, names {', '.join(names)}: {named}")
    return done.returncode != 0 and named


def walk_mart(scratch: Path, python: Path, dbt: Path) -> bool:
    """docs/CONTRIBUTING.md, "Add a mart"."""
    clone, env = throwaway_clone(scratch)
    marts = clone / "dbt_project" / "models" / "marts" / "measures"  # the mart's domain
    (marts / f"{MART}.sql").write_text(MART_SQL)
    (marts / f"{MART}.yml").write_text(MART_YAML)
    contracts = clone / "data_contracts" / "marts" / "measures.py"
    contracts.write_text(contracts.read_text() + CONTRACT)

    ok = files_touched_and_parsed(clone, env, dbt, MART_RECIPE_FILES)

    probe = probed(clone, env, python, DEFINITIONS_PROBE)
    step(3, f"code location: asset {probe['asset']}, checks {probe['checks']}, serving copy downstream "
            f"{probe['serving_downstream']}, GX suite of {probe['gx_suite_expectations']} expectations")
    ok &= probe["asset"] and probe["contract_check"] and probe["serving_downstream"] and \
        probe["gx_suite_expectations"] > 0 and any(name.startswith("unique_combination") for name in probe["checks"])

    passed, said = guards_pass(clone, env, python, MART_GUARDS)
    step(4, f"guards: {said}")
    ok &= passed

    copy_built_warehouse(clone)
    ok &= build_step(5, "the mart", clone, env, python, dbt, "marts", MART, "data_contracts.marts:MART_CONTRACTS")

    contracts.write_text(contracts.read_text().replace(CONTRACT, ""))
    ok &= fails_without(6, "the contract", clone, env, python, [MART])
    return ok


def walk_source(scratch: Path, python: Path, dbt: Path) -> bool:
    """docs/CONTRIBUTING.md, "Add a snapshot source", for a new file of a source the project already reads (USGS)."""
    clone, env = throwaway_clone(scratch)
    data = clone / "data" / "snapshot" / "usgs" / SOURCE_FILE
    shutil.copy(PROJECT_ROOT / "tools" / "recipe_inputs" / SOURCE_FILE, data)
    manifest = clone / "data" / "snapshot" / "MANIFEST.csv"
    manifest.write_text(manifest.read_text() + MANIFEST_ROW)
    extract = clone / "orchestration" / "extract" / "usgs_mcs.py"
    extract.write_text(extract.read_text() + PARSER_AND_LOADER)
    contracts = clone / "data_contracts" / "sources" / "usgs.py"
    contracts.write_text(contracts.read_text() + SOURCE_CONTRACTS)
    staging = clone / "dbt_project" / "models" / "staging"
    (staging / f"{SOURCE_MODEL}.sql").write_text(SOURCE_SQL)
    (staging / f"{SOURCE_MODEL}.yml").write_text(SOURCE_YAML)

    ok = files_touched_and_parsed(clone, env, dbt, SOURCE_RECIPE_FILES)

    probe = probed(clone, env, python, SOURCE_PROBE)
    step(3, f"code location: raw asset {probe['raw_asset']} (input {probe['raw_input']}, checks {probe['raw_checks']}), "
            f"staging asset {probe['staging_asset']} reading it {probe['staging_reads_raw']} (checks {probe['staging_checks']})")
    ok &= probe["raw_asset"] and probe["raw_input"] == "snapshot" and probe["contract_check"] in probe["raw_checks"] and \
        probe["staging_reads_raw"] and probe["contract_check"] in probe["staging_checks"] and \
        any(name.startswith("unique_combination") for name in probe["staging_checks"])

    copy_built_warehouse(clone)
    loaded = run([str(python), "-c", SOURCE_LOAD], clone, env, check=False)
    step(4, f"loader (sha256 checked against the manifest row) and raw contract on the real file: rows, passed: "
            f"{loaded.stdout.strip() or loaded.stderr[-300:]}")
    ok &= loaded.returncode == 0 and " True " in f" {loaded.stdout.strip()} "

    passed, said = guards_pass(clone, env, python, SOURCE_GUARDS)
    step(5, f"guards: {said}")
    ok &= passed

    ok &= build_step(6, "the staging model on the loaded rows", clone, env, python, dbt, "staging", SOURCE_MODEL,
                     "data_contracts.sources.registry:STAGING_CONTRACTS")

    contracts.write_text(contracts.read_text().replace(SOURCE_CONTRACTS, ""))
    ok &= fails_without(7, "the contracts", clone, env, python, [SOURCE_TABLE, SOURCE_MODEL])
    return ok


WALKS = {"source": walk_source, "mart": walk_mart}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", choices=sorted(WALKS), help="walk one recipe (default: both)")
    recipe = parser.parse_args().recipe
    chosen = [recipe] if recipe else list(WALKS)
    python = Path(sys.executable)
    dbt = python.parent / "dbt"
    results = {}
    for name in chosen:
        print(f"recipe '{name}':", flush=True)
        with tempfile.TemporaryDirectory(prefix=f"recipe-{name}-") as scratch:
            results[name] = WALKS[name](Path(scratch), python, dbt)
    for name, ok in results.items():
        print(f"recipe dry run, {name}: " + ("every step holds" if ok else "A STEP FAILED"))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
