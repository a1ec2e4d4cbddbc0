"""Code versions of the Python assets: what Dagster records on each materialization and compares with the asset's
definition, so the UI shows "code version changed" and a refresh rebuilds only what an edit can affect.

An asset's version is a digest of the module that defines it and of every project module that module imports,
directly or not (``orchestration.*``, ``data_contracts.*``, imports inside functions included), read from the source
with ``ast``: editing an extractor changes the raw assets that import it, editing the report changes only the report,
editing `make run`'s progress lines changes nothing. A new module counts as soon as something imports it, so nobody
has to keep a list. Non-Python files a module reads count when the module names them: every module of the closure
that mentions ``"seeds"`` (the dbt seeds it loads reference lists from) adds the seed CSVs, and a string naming a file
beside the module (the report's ``"template.html"``) adds that file. dbt models take their versions from dbt
(dbt_versions.py)."""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT

PROJECT_PACKAGES = ("orchestration", "data_contracts")
SEEDS_FOLDER = "seeds"
COMPANION_NAME = re.compile(r"[\w-]+\.(?!py$)[A-Za-z0-9]+")  # a plain file name, not a module
VERSION_LENGTH = 16  # hex digits: short in the UI, and at 64 bits two versions of one asset never collide in practice


def module_path(module: str, root: Path = PROJECT_ROOT) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _is_project(module: str) -> bool:
    return module.split(".")[0] in PROJECT_PACKAGES


def _direct_imports(path: Path, root: Path) -> tuple[frozenset[str], bool, frozenset[Path]]:
    stat = path.stat()
    return _parsed_imports(path, root, stat.st_mtime_ns, stat.st_size)


@cache  # keyed on mtime and size too: a test that edits a file sees the edit; a code location parses each file once
def _parsed_imports(path: Path, root: Path, _mtime_ns: int, _size: int) -> tuple[frozenset[str], bool, frozenset[Path]]:
    """Project modules ``path`` imports (``from pkg import name`` counts ``pkg.name`` when that is a module), whether
    it names the seeds folder, and the non-Python files beside it that it names."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    found: set[str] = set()
    reads_seeds = False
    companions: set[Path] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if _is_project(alias.name)}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and _is_project(node.module):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names
                      if module_path(f"{node.module}.{alias.name}", root) is not None}
        elif isinstance(node, ast.Constant) and node.value == SEEDS_FOLDER:
            reads_seeds = True
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and COMPANION_NAME.fullmatch(node.value)
              and (path.parent / node.value).is_file()):
            companions.add(path.parent / node.value)
    # Importing a.b.c runs a/__init__.py and a/b/__init__.py first.
    parents = {".".join(name.split(".")[:depth]) for name in found for depth in range(1, name.count(".") + 1)}
    return frozenset(found | parents), reads_seeds, frozenset(companions)


def module_closure(module: str, root: Path = PROJECT_ROOT, excluding: Iterable[str] = ()) -> tuple[frozenset[Path], bool]:
    """Source files of ``module`` and of every project module it imports transitively; whether any reads seeds.
    Modules in ``excluding`` are not followed (nor counted)."""
    seen: set[str] = set(excluding)
    files: set[Path] = set()
    reads_seeds = False
    frontier = [module]
    while frontier:
        name = frontier.pop()
        if name in seen or name == __name__:  # how versions are computed does not shape any rows
            continue
        seen.add(name)
        path = module_path(name, root)
        if path is None:
            continue
        imported, seeds, companions = _direct_imports(path, root)
        files |= {path, *companions}
        reads_seeds = reads_seeds or seeds
        frontier += sorted(imported - seen)
    return frozenset(files), reads_seeds


def digest(files: Iterable[Path], root: Path = PROJECT_ROOT) -> str:
    hashed = hashlib.sha256()
    for path in sorted(set(files)):
        hashed.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()[:VERSION_LENGTH]


def seed_files(root: Path = PROJECT_ROOT) -> list[Path]:
    return sorted((root / DBT_PROJECT_DIR.relative_to(PROJECT_ROOT) / SEEDS_FOLDER).glob("*.csv"))


def code_version(module: str, root: Path = PROJECT_ROOT, *, also: Iterable[str] = (), excluding: Iterable[str] = ()) -> str:
    """The code version of the assets ``module`` defines (pass ``__name__``). One asset of a module that defines many
    can be narrower: ``also`` adds the modules only it uses, ``excluding`` leaves out the registries that import every
    such module (a raw table: its source's loader and contract, not the other sources')."""
    files: set[Path] = set()
    reads_seeds = False
    for name in (module, *also):
        found, seeds = module_closure(name, root, excluding)
        files |= found
        reads_seeds = reads_seeds or seeds
    if not files:
        raise ValueError(f"code_version: no source file for module {module!r} under {root}")
    return digest([*files, *(seed_files(root) if reads_seeds else [])], root)


@cache
def location_asset_graph():
    """The code location's whole asset graph, as this process loaded it (so with the code versions of run start).
    Not the run's job graph: a run of a few assets only knows those and their parents."""
    from orchestration.definitions import defs  # here, not at the top: every asset module imports this one

    return defs().resolve_asset_graph()


def lineage_code_version(key, *extra: str) -> str:
    """One version for the code that shaped an asset's rows: its own code version and every upstream asset's, plus
    ``extra`` (e.g. the checking code). What a recorded pass is valid for (refresh/recheck_scope.py): an edit anywhere
    upstream invalidates it, an edit of the report does not."""
    graph = location_asset_graph()
    seen: set = set()
    frontier = [key]
    while frontier:
        current = frontier.pop()
        if current in seen:
            continue
        seen.add(current)
        frontier += list(graph.get(current).parent_keys)
    parts = [f"{k.to_user_string()}={graph.get(k).code_version}" for k in sorted(seen, key=lambda k: k.to_user_string())]
    return hashlib.sha256("\n".join([*parts, *extra]).encode()).hexdigest()[:VERSION_LENGTH]
