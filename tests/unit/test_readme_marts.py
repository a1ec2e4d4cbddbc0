"""README.md's table of marts says what the marts are: every mart it names exists, every mart of the dbt project is
named, the grain it states is the mart's key (the unique test of the mart's dbt YAML, where the grain has its home),
and every column it names in backticks is a column of that mart.

The grain cell lists the key columns in backticks (prose may follow in parentheses); any other backticked
snake_case word in a row must be a column of the mart, a mart or seed name, or a value of one of the vocabularies
(data_contracts/vocabularies.py), since the table also quotes values such as `net_exporter`."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from data_contracts.vocabularies import VOCABULARIES

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| `marts\.(\w+)` \| (.*?) \| (.*) \|$")
TICKED = re.compile(r"`([^`]+)`")


def _unique_key(model: dict) -> list[str] | None:
    for test in model.get("data_tests") or []:
        if isinstance(test, dict) and "unique_combination_of_columns" in test:
            config = test["unique_combination_of_columns"]
            return list(config.get("arguments", config)["combination_of_columns"])
    for column in model.get("columns") or []:
        for test in column.get("data_tests") or []:
            if test == "unique":
                return [column["name"]]
    return None


def dbt_marts() -> dict[str, tuple[set[str], list[str] | None]]:
    """Mart name -> (documented columns, key columns) from the dbt YAML of models/marts."""
    marts = {}
    for path in sorted((ROOT / "dbt_project" / "models" / "marts").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models") or []:
            marts[model["name"]] = ({c["name"] for c in model.get("columns") or []}, _unique_key(model))
    return marts


def readme_rows(text: str) -> dict[str, tuple[str, str]]:
    return {m.group(1): (m.group(2), m.group(3)) for m in map(ROW.match, text.splitlines()) if m}


def readme_problems(readme: str, marts: dict) -> list[str]:
    values = {str(value) for vocabulary in VOCABULARIES for value in vocabulary.allowed}
    values |= {path.stem for path in (ROOT / "dbt_project" / "seeds").glob("*.csv")}  # seeds named as sources
    rows = readme_rows(readme)
    problems = [f"marts.{name}: in the dbt project, not in README's table" for name in sorted(set(marts) - set(rows))]
    for name, (grain, answers) in rows.items():
        if name not in marts:
            problems.append(f"marts.{name}: in README, no such mart in the dbt project")
            continue
        columns, key = marts[name]
        stated = TICKED.findall(grain.split("(")[0])
        if key is not None and sorted(stated) != sorted(key):
            problems.append(f"marts.{name}: README grain {stated}, dbt key {key}")
        for word in TICKED.findall(grain + " " + answers):
            if re.fullmatch(r"[a-z][a-z0-9_]*_[a-z0-9_]+", word) and word not in columns | values | set(marts):
                problems.append(f"marts.{name}: README names `{word}`, not a column of the mart")
    return problems


def test_readme_marts_match_the_dbt_project():
    assert readme_problems((ROOT / "README.md").read_text(encoding="utf-8"), dbt_marts()) == []


def test_a_prose_grain_or_a_renamed_column_is_caught():
    marts = {"m": ({"commodity", "stage", "year", "hhi"}, ["commodity", "stage", "year"])}
    good = "| `marts.m` | `commodity` × `stage` × `year` (USGS) | `hhi` by `stage` |\n"
    assert readme_problems(good, marts) == []
    assert readme_problems(good.replace("`commodity`", "`mineral`"), marts) == [
        "marts.m: README grain ['mineral', 'stage', 'year'], dbt key ['commodity', 'stage', 'year']"]
    assert readme_problems(good.replace("`hhi`", "`hhi_value`"), marts) == [
        "marts.m: README names `hhi_value`, not a column of the mart"]
    assert readme_problems("", marts) == ["marts.m: in the dbt project, not in README's table"]
