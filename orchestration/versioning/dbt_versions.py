"""Code versions of dbt models and seeds: what decides a model's rows, as dbt's manifest describes it.

dagster-dbt's default version is a hash of the model's SQL alone, so editing a macro it calls, its config in YAML
or a project variable would leave the model looking up to date. This version adds the node's config, its YAML file
(tests and contracts run with the model), the source of every project macro it calls (transitively), the version
of every ephemeral model it reads (dbt inlines those as CTEs, and dagster-dbt makes no asset of them, so nothing
else would notice their edits), dbt_project.yml, and the Python that runs dbt (defs/dbt_assets.py and what it
imports)."""

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.versioning.code_versions import VERSION_LENGTH, code_version

PROJECT_FILE = "dbt_project.yml"


def _project_macros(manifest: Mapping[str, Any], roots: list[str]) -> list[str]:
    macros = manifest.get("macros", {})
    seen: set[str] = set()
    frontier = list(roots)
    while frontier:
        unique_id = frontier.pop()
        macro = macros.get(unique_id)
        if unique_id in seen or macro is None or macro.get("package_name") != manifest["metadata"].get("project_name"):
            continue  # dbt's own macros change only with the pinned dbt version
        seen.add(unique_id)
        frontier += macro.get("depends_on", {}).get("macros", [])
    return [macros[unique_id]["macro_sql"] for unique_id in sorted(seen)]


def _patch_file(node: Mapping[str, Any], project_dir: Path) -> str:
    patch = node.get("patch_path")  # "chokepoint://models/marts/trade/x.yml"
    if not patch:
        return ""
    path = project_dir / patch.split("://", 1)[-1]
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _ephemeral_parents(manifest: Mapping[str, Any], node: Mapping[str, Any]) -> list[str]:
    nodes = manifest["nodes"]
    return sorted(parent for parent in node.get("depends_on", {}).get("nodes", [])
                  if nodes.get(parent, {}).get("config", {}).get("materialized") == "ephemeral")


def dbt_code_version(manifest: Mapping[str, Any], unique_id: str, runner_module: str,
                     project_dir: Path = DBT_PROJECT_DIR) -> str:
    node = manifest["nodes"][unique_id]
    parts = [
        node.get("raw_code") or "",
        node.get("checksum", {}).get("checksum", ""),  # a seed's CSV
        json.dumps(node.get("config", {}), sort_keys=True, default=str),
        _patch_file(node, project_dir),
        *_project_macros(manifest, node.get("depends_on", {}).get("macros", [])),
        *(dbt_code_version(manifest, parent, runner_module, project_dir) for parent in _ephemeral_parents(manifest, node)),
        (project_dir / PROJECT_FILE).read_text(encoding="utf-8"),
        code_version(runner_module),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:VERSION_LENGTH]
