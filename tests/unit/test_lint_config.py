"""`make lint` is part of `make test`, its ruff config catches what it claims, and every sqlfluff rule it turns off
says why in .sqlfluff."""

import configparser
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUFF = Path(sys.executable).parent / "ruff"
DBT_SCORE = Path(sys.executable).parent / "dbt-score"
MANIFEST = ROOT / "dbt_project" / "target" / "manifest.json"


def test_make_test_runs_lint_first():
    makefile = (ROOT / "Makefile").read_text()
    prerequisites = re.search(r"^test: (.*)$", makefile, re.MULTILINE).group(1).split()
    assert prerequisites[0] == "lint", prerequisites
    assert re.search(r"^lint: .*\n\t\$\(BIN\)/ruff check \.\n", makefile, re.MULTILINE)
    assert re.search(r"^lint: .*\n\t\$\(BIN\)/ruff check \.\n\t@scripts/lint_sql.sh\n\t@scripts/score_dbt.sh\n", makefile, re.MULTILINE)
    script = (ROOT / "scripts" / "lint_sql.sh").read_text()
    assert "set -- dbt_project/models dbt_project/tests" in script
    assert '.venv/bin/sqlfluff lint "$@"' in script


def test_the_pre_commit_hook_runs_the_same_linters_and_fails_on_a_bad_file(tmp_path):
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["ruff"]["entry"].startswith(".venv/bin/ruff check") and hooks["ruff"]["language"] == "system"
    assert hooks["sqlfluff"]["entry"] == "scripts/lint_sql.sh" and re.match(hooks["sqlfluff"]["files"],
                                                                           "dbt_project/models/marts/supply/supply_risk.sql")
    pre_commit = Path(sys.executable).parent / "pre-commit"
    bad = tmp_path / "module.py"
    bad.write_text("import sys\nimport os\n")
    failed = subprocess.run([str(pre_commit), "run", "ruff", "--files", str(bad)], cwd=ROOT, capture_output=True, text=True)
    assert failed.returncode == 1 and "F401" in failed.stdout, failed.stdout
    bad.write_text('"""Fine."""\n')
    passed = subprocess.run([str(pre_commit), "run", "ruff", "--files", str(bad)], cwd=ROOT, capture_output=True, text=True)
    assert passed.returncode == 0, passed.stdout


def _ruff(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    module = tmp_path / "module.py"
    module.write_text(source)
    return subprocess.run([str(RUFF), "check", "--config", str(ROOT / "pyproject.toml"), "--no-cache", str(module)],
                          capture_output=True, text=True)


def test_ruff_flags_unsorted_imports_unused_names_and_lines_over_150(tmp_path):
    bad = "import sys\nimport os\n\nx = '" + "a" * 150 + "'\n"
    result = _ruff(tmp_path, bad)
    assert result.returncode == 1
    for code in ("I001", "F401", "E501"):
        assert code in result.stdout, result.stdout


def test_ruff_passes_clean_code_within_150_columns(tmp_path):
    good = "import os\nimport sys\n\nprint(os.sep, sys.argv, '" + "a" * 120 + "')\n"
    result = _ruff(tmp_path, good)
    assert result.returncode == 0, result.stdout


def test_every_sqlfluff_rule_turned_off_is_explained():
    text = (ROOT / ".sqlfluff").read_text()
    config = configparser.ConfigParser()
    config.read_string(text)
    assert config["sqlfluff"]["templater"] == "dbt"
    excluded = [rule.strip() for rule in config["sqlfluff"]["exclude_rules"].split(",")]
    explained = set(re.findall(r"\b[A-Z]{2}\d{2}\b", "\n".join(line for line in text.splitlines() if line.startswith("#"))))
    assert excluded and set(excluded) <= explained, sorted(set(excluded) - explained)
    assert set(excluded) == explained, f"documented but not excluded: {sorted(explained - set(excluded))}"


def dbt_score(manifest: Path) -> subprocess.CompletedProcess:
    # Run from the project root so dbt-score reads [tool.dbt-score] in pyproject.toml, as `make lint` does.
    return subprocess.run([str(DBT_SCORE), "lint", "--manifest", str(manifest)], cwd=ROOT, capture_output=True, text=True)


def test_dbt_score_passes_the_project_and_fails_models_without_an_owner(tmp_path):
    import json

    assert MANIFEST.exists(), "run `make manifest` (make test does)"
    passed = dbt_score(MANIFEST)
    assert passed.returncode == 0, passed.stdout[-2000:]
    manifest = json.loads(MANIFEST.read_text())
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["fqn"][1] == "marts":
            node["meta"].pop("owner", None)
            node["config"]["meta"].pop("owner", None)
    damaged = tmp_path / "manifest.json"
    damaged.write_text(json.dumps(manifest))
    failed = dbt_score(damaged)
    output = re.sub(r"\x1b\[[0-9;]*m", "", failed.stdout + failed.stderr)
    assert failed.returncode == 1
    assert "Model: import_dependency" in output and "Model lacks an owner." in output
    assert "project score too low, fail_project_under = 9.9" in output
