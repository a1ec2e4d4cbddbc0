#!/usr/bin/env bash
# dbt-score ([tool.dbt-score] in pyproject.toml) on a manifest parsed for the purpose, in a throwaway target folder:
# `make lint` runs before `make manifest` in `make test`, and must not touch dbt_project/target or the warehouse.
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CHOKEPOINT_WAREHOUSE="$work/score.duckdb" .venv/bin/dbt parse --quiet --project-dir dbt_project --profiles-dir dbt_project \
    --target-path "$work/target"
.venv/bin/dbt-score lint --manifest "$work/target/manifest.json"
