#!/usr/bin/env bash
# sqlfluff with dbt's templater (.sqlfluff) on the SQL files given, by default every model and dbt test; `make lint`
# and the pre-commit hook both run this. The templater opens a DuckDB connection to compile, so it gets a throwaway
# file: linting never creates or touches the warehouse.
set -u
cd "$(dirname "$0")/.."
lint_dir=$(mktemp -d)
trap 'rm -rf "$lint_dir"' EXIT
[ $# -gt 0 ] || set -- dbt_project/models dbt_project/tests
# One process per core (0 = every CPU): the files lint independently, and on CI's two cores the whole project took
# 62 s in one process, 43 s in two (each compiles the dbt project once).
CHOKEPOINT_WAREHOUSE="$lint_dir/lint.duckdb" .venv/bin/sqlfluff lint "$@" --disable-progress-bar --nocolor --processes 0
