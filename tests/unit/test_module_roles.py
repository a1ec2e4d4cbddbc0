"""Folders hold what they say: ``extract/`` parses and fetches but never writes a warehouse table (writers are
``storage/warehouse.py`` and ``storage/landing_store.py``), and no module outside the live client opens an HTTP connection."""

import ast
from pathlib import Path

from orchestration.settings import PROJECT_ROOT

ORCHESTRATION = PROJECT_ROOT / "orchestration"
TABLE_WRITERS = {"orchestration.storage.warehouse", "orchestration.storage.landing_store"}
HTTP_MODULES = {"urllib.request", "http.client", "requests", "httpx", "urllib3"}
HTTP_CLIENT = ORCHESTRATION / "extract" / "live" / "http.py"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def table_writer_imports(folder: Path) -> dict[str, set[str]]:
    found = {}
    for path in sorted(folder.rglob("*.py")):
        # A fetcher hands its response to ``LandingStore.land``: the store writes, the fetcher does not.
        writers = imported_modules(path) & TABLE_WRITERS - {"orchestration.storage.landing_store"}
        if writers:
            found[str(path.relative_to(folder))] = writers
    return found


def test_extract_modules_never_import_a_table_writer():
    assert table_writer_imports(ORCHESTRATION / "extract") == {}


def test_a_parser_importing_the_warehouse_is_found(tmp_path):
    (tmp_path / "parser.py").write_text("from orchestration.storage.warehouse import connect\n")
    (tmp_path / "fetcher.py").write_text("from orchestration.storage.landing_store import LandingStore\n")
    assert table_writer_imports(tmp_path) == {"parser.py": {"orchestration.storage.warehouse"}}


def http_importers(folder: Path) -> dict[str, list[str]]:
    return {
        str(path.relative_to(folder)): sorted(imported_modules(path) & HTTP_MODULES)
        for path in sorted(folder.rglob("*.py"))
        if path != HTTP_CLIENT and imported_modules(path) & HTTP_MODULES
    }


def test_only_the_live_client_opens_http_connections():
    assert http_importers(ORCHESTRATION) == {}


def test_a_module_fetching_by_itself_is_found(tmp_path):
    (tmp_path / "worldbank_wgi.py").write_text("from urllib.request import urlopen\n")
    (tmp_path / "parser.py").write_text("import json\n")
    assert http_importers(tmp_path) == {"worldbank_wgi.py": ["urllib.request"]}
