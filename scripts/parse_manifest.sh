#!/usr/bin/env bash
# `make manifest`: dbt parse into a private folder, then the manifest and parse state renamed into target/. dbt writes
# the manifest in place; a Dagster process of this checkout loading it meanwhile (a run's worker, the daemon, a test
# running beside `make run` in the parallel suite) would read half a file. orchestration/defs/dbt_assets._parse is the
# same swap for `dagster dev`. Paths are absolute: dagster-dbt runs dbt from inside dbt_project/ and reuses this parse.
#
# No parse at all when nothing a parse reads has changed since the one that wrote target/manifest.json: the
# project's files, the environment its env_var() calls read, the installed dbt. Even a partial parse costs ~4 s, most
# of a `make run` that finds nothing to refresh (the no-change refresh must stay within 7 s). The recorded inputs
# name the manifest they produced (size, mtime): a manifest written by anything else (dagster dev, sqlfluff's
# templater, another environment) is parsed again.
set -euo pipefail
dbt=$1
project=$2
target="$project/target"
recorded="$target/.manifest_inputs"
# Not an input: the manifest holds no warehouse path (dbt hashes the path only into the parse state, whose origin the
# parse below records, so a warehouse elsewhere still starts from it: orchestration/storage/dbt_parse_state.py).
warehouse_var=CHOKEPOINT_WAREHOUSE

parse_inputs() {
  {
    find "$project" \( -path "$target" -o -path "$project/logs" \) -prune -o -type f -printf '%P %s %T@\n' | LC_ALL=C sort
    env | grep -E '^(CHOKEPOINT|DBT)_' | grep -v "^$warehouse_var=" | LC_ALL=C sort || true
    find "$(dirname "$dbt")/.." -maxdepth 1 -name .installed -printf 'installed %T@\n'
  } | sha256sum | cut -d' ' -f1
}
manifest_written() { find "$target/manifest.json" -printf '%s %T@' 2>/dev/null || true; }

inputs=$(parse_inputs)
if [ -f "$target/manifest.json" ] && [ -f "$recorded" ] && [ "$(cat "$recorded")" = "$inputs $(manifest_written)" ]; then
  exit 0
fi

private="$target/.parse-$$"
mkdir -p "$private"
trap 'rm -rf "$private"' EXIT
# The last parse state, so dbt parses only what changed.
[ -f "$target/partial_parse.msgpack" ] && cp "$target/partial_parse.msgpack" "$private/"
"$dbt" parse --project-dir "$project" --profiles-dir "$project" --target-path "$private" --quiet
if [ -f "$private/partial_parse.msgpack" ]; then
  mv -f "$private/partial_parse.msgpack" "$target/partial_parse.msgpack"
  "$(dirname "$dbt")/python" -m orchestration.storage.dbt_parse_state "$target/partial_parse.msgpack"
fi
mv -f "$private/manifest.json" "$target/manifest.json"
# The inputs as they were before the parse: a file edited while dbt read it makes the next call parse again.
echo "$inputs $(manifest_written)" > "$recorded"
