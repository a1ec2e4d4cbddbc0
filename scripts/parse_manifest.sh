#!/usr/bin/env bash
# `make manifest`: dbt parse into a private folder, then the manifest and parse state renamed into target/. dbt writes
# the manifest in place; a Dagster process of this checkout loading it meanwhile (a run's worker, the daemon, a test
# running beside `make run` in the parallel suite) would read half a file. orchestration/defs/dbt_assets._parse is the
# same swap for `dagster dev`. Paths are absolute: dagster-dbt runs dbt from inside dbt_project/ and reuses this parse.
set -euo pipefail
dbt=$1
project=$2
target="$project/target"
private="$target/.parse-$$"
mkdir -p "$private"
trap 'rm -rf "$private"' EXIT
# The last parse state, so dbt parses only what changed.
[ -f "$target/partial_parse.msgpack" ] && cp "$target/partial_parse.msgpack" "$private/"
"$dbt" parse --project-dir "$project" --profiles-dir "$project" --target-path "$private" --quiet
[ -f "$private/partial_parse.msgpack" ] && mv -f "$private/partial_parse.msgpack" "$target/partial_parse.msgpack"
mv -f "$private/manifest.json" "$target/manifest.json"
