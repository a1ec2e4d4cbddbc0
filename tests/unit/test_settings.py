"""orchestration/settings.py is the one home of every environment variable: the README table is generated from it,
every CHOKEPOINT_* name the code, Makefile, dbt profile or docs mention is declared there, the defaults the dbt
profile and the Makefile must repeat agree with it, and no Python module reads a CHOKEPOINT_* variable itself."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from orchestration import settings
from orchestration.settings import BY_NAME, DBT_PROJECT_DIR, PROJECT_ROOT, SETTINGS

START, END = settings.README_MARKERS
# A whole name: not a prefix written before a placeholder (CHOKEPOINT_<SOURCE>_URL, CHOKEPOINT_COMTRADE_*, f-strings).
NAME = re.compile(r"\bCHOKEPOINT_[A-Z0-9_]*[A-Z0-9]\b(?![_*<{])")
SCANNED = ["orchestration", "data_contracts", "bench", "scripts", "tools", "tests", "docs", "dbt_project/models",
           "dbt_project/macros"]
SCANNED_FILES = ["Makefile", "dbt_project/profiles.yml", "workspace.yaml", "pyproject.toml", "README.md"]
SUFFIXES = {".py", ".md", ".yml", ".yaml", ".sql", ".sh", ".toml"}
# spark/engine.py is being switched to the accessors on another branch; its two names are declared already.
PENDING_DIRECT_READS: set[str] = set()
ENV_VAR = re.compile(r"env_var\(\s*'(?P<name>[A-Z0-9_]+)'\s*(?:,\s*'(?P<default>[^']*)')?\s*\)")


@pytest.fixture
def clean_env(monkeypatch):
    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
    return monkeypatch


# --- the checks, as functions so each is also shown failing on a bad fixture ------------------------------------

def readme_table(readme: str) -> str:
    if START not in readme or END not in readme:
        raise AssertionError(f"README.md has no {START} ... {END} section")
    return readme.split(START, 1)[1].split(END, 1)[0].strip()


def _rows(table: str) -> dict[str, str]:
    rows = {}
    for line in table.splitlines():
        match = re.match(r"\| `([A-Z0-9_]+)` \|", line)
        if match:
            rows[match.group(1)] = line
    return rows


def table_differences(readme: str) -> list[str]:
    """Variables whose README row is missing, extra or not the generated one (empty when the table is current)."""
    expected, actual = _rows(settings.markdown()), _rows(readme_table(readme))
    problems = [f"{name}: missing from README" for name in expected if name not in actual]
    problems += [f"{name}: in README, not declared in orchestration/settings.py" for name in actual if name not in expected]
    problems += [f"{name}: README says {actual[name]!r}, settings generate {expected[name]!r}"
                 for name in expected if name in actual and actual[name] != expected[name]]
    if not problems and readme_table(readme) != settings.markdown():
        problems.append("README table differs from `python -m orchestration.settings --markdown` (order or header)")
    return problems


def undeclared_names(texts: dict[str, str]) -> list[str]:
    return sorted({f"{name} ({where})" for where, text in texts.items() for name in NAME.findall(text)
                   if name not in BY_NAME})


def direct_env_reads(source: str) -> list[str]:
    """CHOKEPOINT_* reads that bypass the settings module: os.environ.get / os.getenv / os.environ[...] / any *env*
    helper called with a literal or f-string CHOKEPOINT_ name, or with a *_ENV constant."""
    def names_a_chokepoint_variable(node: ast.AST) -> bool:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value.startswith("CHOKEPOINT_")
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            return str(node.values[0].value).startswith("CHOKEPOINT_")
        return isinstance(node, (ast.Name, ast.Attribute)) and (getattr(node, "id", None) or node.attr).endswith("_ENV")

    def is_environ(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ" or isinstance(node, ast.Name) and node.id == "environ"

    found = []
    for node in ast.walk(ast.parse(source)):
        argument = None
        if isinstance(node, ast.Call) and node.args and isinstance(node.func, ast.Attribute):
            func = node.func
            # os.environ.get, os.getenv, and home-made readers such as the old config.env_int / env_list
            if (func.attr == "get" and is_environ(func.value)) or \
                    ("env" in func.attr and func.attr not in ("setenv", "delenv")):
                argument = node.args[0]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and is_environ(node.value):
            argument = node.slice
        if argument is not None and names_a_chokepoint_variable(argument):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def profile_mismatches(profile_text: str) -> list[str]:
    """env_var() calls of the dbt profile whose variable is undeclared or whose default is not the module's."""
    problems = []
    for match in ENV_VAR.finditer(profile_text):
        name, default = match.group("name"), match.group("default")
        setting = BY_NAME.get(name)
        if setting is None:
            problems.append(f"{name}: not declared in orchestration/settings.py")
        elif default is None:
            problems.append(f"{name}: env_var() without a default fails when unset; give it {setting.default!r}")
        elif _resolved_default(name) != (_relative_to(DBT_PROJECT_DIR, default) if setting.type is Path else default):
            problems.append(f"{name}: profiles.yml default {default!r}, settings default {_resolved_default(name)!r}")
    return problems


def _relative_to(folder: Path, value: str) -> Path:
    return (folder / value).resolve()


def _resolved_default(name: str):
    """The module's default with the environment clear (caller's fixture), as a path where it is one."""
    derived = {"CHOKEPOINT_SPARK_DIR": settings.spark_dir, "CHOKEPOINT_SERVE_DIR": settings.serve_dir,
               "CHOKEPOINT_REPORT_DIR": settings.report_dir, "CHOKEPOINT_LANDING_DIR": settings.landing_dir}
    if name in derived:
        return derived[name]()
    value = BY_NAME[name].get()
    return value.resolve() if isinstance(value, Path) else value if isinstance(value, str) else str(value)


def makefile_mismatches(makefile: str) -> list[str]:
    """Defaults the Makefile repeats (`export X ?= ...`, `$(or $(X),...)`) that are not the module's."""
    problems = []
    patterns = [r"^export (?P<name>CHOKEPOINT_[A-Z0-9_]+) \?= (?P<default>\S+)$",
                r"\$\(or \$\((?P<name>CHOKEPOINT_[A-Z0-9_]+)\),(?P<default>[^)]+)\)"]
    for pattern in patterns:
        for match in re.finditer(pattern, makefile, flags=re.MULTILINE):
            name, default = match.group("name"), match.group("default").replace("$(CURDIR)", str(PROJECT_ROOT))
            if name not in BY_NAME:
                problems.append(f"{name}: not declared in orchestration/settings.py")
                continue
            expected = _resolved_default(name)
            if (Path(default).resolve() if isinstance(expected, Path) else default) != expected:
                problems.append(f"{name}: Makefile default {default!r}, settings default {expected!r}")
    return problems


def _scanned_texts() -> dict[str, str]:
    texts = {}
    for folder in SCANNED:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            # this file's bad fixtures name undeclared variables on purpose
            if path.suffix in SUFFIXES and path.is_file() and not any("vendor" in part for part in path.parts) and path != Path(__file__):
                texts[str(path.relative_to(PROJECT_ROOT))] = path.read_text(errors="replace")
    for name in SCANNED_FILES:
        texts[name] = (PROJECT_ROOT / name).read_text()
    return texts


# --- the project passes them ----------------------------------------------------------------------------------

def test_readme_table_is_the_generated_one():
    assert table_differences((PROJECT_ROOT / "README.md").read_text()) == []


def test_every_chokepoint_name_in_code_makefile_profile_and_docs_is_declared():
    texts = _scanned_texts()
    assert {"Makefile", "dbt_project/profiles.yml", "orchestration/defs/live_assets.py"} <= texts.keys()
    assert undeclared_names(texts) == []


def test_no_python_module_reads_a_chokepoint_variable_itself():
    reads = {}
    for folder in ("orchestration", "data_contracts", "bench", "scripts", "tools", "tests"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            relative = str(path.relative_to(PROJECT_ROOT))
            if relative == "orchestration/settings.py" or relative in PENDING_DIRECT_READS:
                continue
            found = direct_env_reads(path.read_text())
            if found:
                reads[relative] = found
    assert reads == {}


def test_dbt_profile_defaults_are_the_modules(clean_env):
    profile = (DBT_PROJECT_DIR / "profiles.yml").read_text()
    names = {match.group("name") for match in ENV_VAR.finditer(profile)}
    assert {"CHOKEPOINT_WAREHOUSE", "CHOKEPOINT_DUCKDB_MEMORY_LIMIT", "CHOKEPOINT_ENGINE", "CHOKEPOINT_SPARK_DIR",
            "CHOKEPOINT_SPARK_DRIVER_MEMORY"} == names
    assert profile_mismatches(profile) == []
    # the parsed profile is YAML dbt can read: the memory limit sits where dbt-duckdb takes its settings
    parsed = yaml.safe_load(profile)
    assert "CHOKEPOINT_DUCKDB_MEMORY_LIMIT" in parsed["chokepoint"]["outputs"]["dev"]["settings"]["memory_limit"]


def test_makefile_defaults_are_the_modules(clean_env):
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert "CHOKEPOINT_WAREHOUSE ?=" in makefile and "$(or $(CHOKEPOINT_BENCH_DIR)," in makefile
    assert makefile_mismatches(makefile) == []


def test_code_location_is_declared_once_in_workspace_yaml():
    (entry,) = yaml.safe_load((PROJECT_ROOT / "workspace.yaml").read_text())["load_from"]
    location = entry["python_module"]
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    assert "dagster" not in pyproject["tool"]  # [tool.dagster] was a second declaration nothing read
    project = pyproject["tool"]["dg"]["project"]
    assert project["code_location_name"] == location["location_name"] == "chokepoint"
    assert location["module_name"] == f"{project['root_module']}.definitions"


def test_every_schedule_takes_its_cron_from_the_settings():
    from orchestration.definitions import defs

    schedules = {schedule.name: schedule.cron_schedule for schedule in defs().get_repository_def().schedule_defs}
    assert set(schedules) == set(settings.SCHEDULE_CRONS)
    assert schedules == {name: setting.get() for name, setting in settings.SCHEDULE_CRONS.items()}


# --- the checks fail on bad fixtures --------------------------------------------------------------------------

def test_a_stale_readme_row_is_named():
    readme = (PROJECT_ROOT / "README.md").read_text()
    stale = readme.replace("| `CHOKEPOINT_GX_MAX_ROWS` | `250000` |", "| `CHOKEPOINT_GX_MAX_ROWS` | `100000` |")
    assert stale != readme
    (problem,) = table_differences(stale)
    assert problem.startswith("CHOKEPOINT_GX_MAX_ROWS: README says")
    missing = "\n".join(line for line in readme.splitlines() if "`CHOKEPOINT_WGI_YEARS`" not in line)
    assert table_differences(missing) == ["CHOKEPOINT_WGI_YEARS: missing from README"]
    extra = readme.replace(END, "| `CHOKEPOINT_NOT_A_SETTING` | unset | x |\n" + END)
    assert table_differences(extra) == ["CHOKEPOINT_NOT_A_SETTING: in README, not declared in orchestration/settings.py"]


def test_an_undeclared_name_is_named_but_placeholders_are_not():
    texts = {"orchestration/x.py": 'os.environ.get("CHOKEPOINT_NEW_KNOB", "1")',
             "docs/x.md": "`CHOKEPOINT_<SOURCE>_URL`, CHOKEPOINT_COMTRADE_*, f'CHOKEPOINT_{source}_URL', "
                          "CHOKEPOINT_SOURCE"}
    assert undeclared_names(texts) == ["CHOKEPOINT_NEW_KNOB (orchestration/x.py)"]


def test_a_direct_read_is_found_in_every_spelling():
    source = '\n'.join([
        'import os',
        'a = os.environ.get("CHOKEPOINT_WAREHOUSE", "x")',
        'b = os.getenv(f"CHOKEPOINT_{source.upper()}_URL")',
        'c = os.environ[THREADS_ENV]',
        'os.environ[WAREHOUSE_ENV] = "written, not read"',
        'd = os.environ.get("DAGSTER_HOME")',
        'e = config.env_int("CHOKEPOINT_REVISION_LOOKBACK", 0)',
        'monkeypatch.setenv("CHOKEPOINT_SOURCE", "live")',
        'env = dict(os.environ, CHOKEPOINT_WAREHOUSE="a child process")',
    ])
    assert [read.split(":")[0] for read in direct_env_reads(source)] == ["line 2", "line 3", "line 4", "line 7"]


def test_a_profile_default_that_drifted_is_named(clean_env):
    profile = (DBT_PROJECT_DIR / "profiles.yml").read_text()
    drifted = profile.replace("env_var('CHOKEPOINT_DUCKDB_MEMORY_LIMIT', '1GB')",
                              "env_var('CHOKEPOINT_DUCKDB_MEMORY_LIMIT', '2GB')")
    assert drifted != profile
    assert profile_mismatches(drifted) == ["CHOKEPOINT_DUCKDB_MEMORY_LIMIT: profiles.yml default '2GB', "
                                           "settings default '1GB'"]
    moved = profile.replace("'../warehouse/chokepoint.duckdb'", "'warehouse/chokepoint.duckdb'")
    assert [problem.split(":")[0] for problem in profile_mismatches(moved)] == ["CHOKEPOINT_WAREHOUSE"]
    assert profile_mismatches("x: \"{{ env_var('CHOKEPOINT_UNKNOWN', 'a') }}\"") == [
        "CHOKEPOINT_UNKNOWN: not declared in orchestration/settings.py"]


def test_a_makefile_default_that_drifted_is_named(clean_env):
    assert makefile_mismatches("export CHOKEPOINT_WAREHOUSE ?= $(CURDIR)/build/chokepoint.duckdb\n") == [
        f"CHOKEPOINT_WAREHOUSE: Makefile default '{PROJECT_ROOT}/build/chokepoint.duckdb', settings default "
        f"{PROJECT_ROOT / 'warehouse' / 'chokepoint.duckdb'!r}"]
    assert makefile_mismatches("--doc $(or $(CHOKEPOINT_BENCH_DIR),/var/bench)/x.md") == [
        f"CHOKEPOINT_BENCH_DIR: Makefile default '/var/bench', settings default {Path('/tmp/bench')!r}"]


# --- accessors read the environment when called ------------------------------------------------------------------

def test_accessors_read_the_environment_at_call_time(clean_env, tmp_path):
    assert settings.warehouse_path() == PROJECT_ROOT / "warehouse" / "chokepoint.duckdb"
    assert settings.serve_dir() == PROJECT_ROOT / "warehouse" / "serve"
    clean_env.setenv("CHOKEPOINT_WAREHOUSE", str(tmp_path / "w" / "chokepoint.duckdb"))
    # derived defaults follow the warehouse, so a test's temporary warehouse gets its own folders
    assert settings.serve_dir() == tmp_path / "w" / "serve"
    assert settings.landing_dir() == tmp_path / "w" / "landing"
    assert settings.report_dir() == tmp_path / "w" / "report"
    assert settings.spark_dir() == tmp_path / "w" / "spark"
    clean_env.setenv("CHOKEPOINT_SERVE_DIR", str(tmp_path / "elsewhere"))
    assert settings.serve_dir() == tmp_path / "elsewhere"
    assert settings.memory_limit() == "1GB"
    clean_env.setenv("CHOKEPOINT_DUCKDB_MEMORY_LIMIT", "512MB")
    assert settings.memory_limit() == "512MB"
    clean_env.setenv("CHOKEPOINT_NIGHTLY_CRON", "* * * * *")
    assert settings.schedule_cron("nightly_refresh") == "* * * * *"


def test_typed_values_blank_means_unset_and_bad_values_name_the_variable(clean_env):
    assert settings.HTTP_MAX_ATTEMPTS.get() == 5 and settings.HTTP_TIMEOUT.get() == 30.0
    assert settings.bulk_dir() is None and settings.api_key("census") is None and settings.api_key("fedreg") is None
    clean_env.setenv("CHOKEPOINT_HTTP_MAX_ATTEMPTS", "3")
    clean_env.setenv("CHOKEPOINT_COMTRADE_REPORTERS", " 156, 842 ,,")
    clean_env.setenv("CHOKEPOINT_CENSUS_KEY", "  ")
    clean_env.setenv("CHOKEPOINT_FEDREG_URL", "http://127.0.0.1:9/")
    assert settings.HTTP_MAX_ATTEMPTS.get() == 3
    assert settings.COMTRADE_REPORTERS.get() == ["156", "842"]
    assert settings.api_key("census") is None
    assert settings.base_url("fedreg") == "http://127.0.0.1:9"
    clean_env.setenv("CHOKEPOINT_REVISION_LOOKBACK", "two")
    with pytest.raises(ValueError, match="CHOKEPOINT_REVISION_LOOKBACK must be an integer, not 'two'"):
        settings.REVISION_LOOKBACK.get()


def test_every_setting_is_documented_and_declared_once():
    assert len(BY_NAME) == len(SETTINGS)
    for setting in SETTINGS:
        assert setting.meaning and setting.type in settings.TYPE_NAMES, setting.name
        assert setting.name.startswith("CHOKEPOINT_") or setting.name == "DAGSTER_HOME"


def test_markdown_cli_prints_the_table(capsys):
    assert settings.main(["--markdown"]) == 0
    assert capsys.readouterr().out.strip() == settings.markdown()


# --- the memory limit reaches every warehouse connection ---------------------------------------------------------

def file_connections(source: str) -> list[str]:
    """duckdb.connect(<a file>) calls: they skip CHOKEPOINT_DUCKDB_MEMORY_LIMIT, which warehouse.open_duckdb sets
    (an in-memory duckdb.connect() that only attaches files is not one)."""
    return [f"line {node.lineno}: {ast.unparse(node)}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect"
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "duckdb" and (node.args or node.keywords)]


def test_orchestration_opens_warehouse_files_only_through_open_duckdb():
    found = {}
    for path in sorted((PROJECT_ROOT / "orchestration").rglob("*.py")):
        relative = str(path.relative_to(PROJECT_ROOT))
        if relative in ("orchestration/storage/warehouse.py", *PENDING_DIRECT_READS):
            continue
        if file_connections(path.read_text()):
            found[relative] = file_connections(path.read_text())
    assert found == {}


def test_a_file_connection_without_the_limit_is_found():
    # b: how the make-run runner (then make_run.py) opened the warehouse before it went through open_duckdb
    source = "import duckdb\na = duckdb.connect()\nb = duckdb.connect(str(warehouse_path()), read_only=True)\n"
    assert file_connections(source) == ["line 3: duckdb.connect(str(warehouse_path()), read_only=True)"]
