"""No vocabulary is copied outside its home (data_contracts/vocabularies.py).

A copy is a literal collection holding two or more values of one vocabulary: a SQL ``in ('a', 'b')`` list, a YAML
list (accepted_values or any other), a Python list / tuple / set or dict keys. Such a copy goes stale when the
vocabulary changes (the report coloured export bans grey because its dict was keyed on the register's old legal-type
names). A single value compared in logic (``legal_type = 'export_ban'``) is a use, not a copy, and is not flagged.
Sources read: the dbt project's SQL and YAML (the generated ``vars:`` block of dbt_project.yml excepted: it is the
dbt copy the generator writes and test_vocabularies.py keeps in sync) and the Python of data_contracts/,
orchestration/, scripts/ and tools/. tests/ is not read: its literal rows are synthetic fixtures.

Rules that are value lists too have their home in dbt, not in vocabularies.py (RULES): the China-including-Hong-Kong
pair in macros/trade_rules.sql (china_incl_hk) and the controlling countries in the seed chip_equipment_suppliers.csv
(is_controlling_country). A literal holding every value of such a rule outside its home is a copy as well; the
benchmark's hand-written variants (bench/) are read for these rules, being the one other place they were written out.

ALLOWED lists the justified exceptions, each with its reason; an entry that no longer matches anything fails too, so
the list cannot outlive what it excuses."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import yaml

from data_contracts.vocabularies import VOCABULARIES

ROOT = Path(__file__).resolve().parents[2]
HOME = Path("data_contracts/vocabularies.py")
PYTHON_DIRS = ("data_contracts", "orchestration", "scripts", "tools")
SQL_IN_LIST = re.compile(r"\bin\s*\(\s*('[^']*'(?:\s*,\s*'[^']*')+)\s*\)", re.IGNORECASE)


def _china_incl_hk() -> frozenset:
    macro = (ROOT / "dbt_project/macros/trade_rules.sql").read_text(encoding="utf-8")
    body = re.search(r"macro china_incl_hk\(.*?endmacro", macro, re.S).group(0)
    return frozenset(re.findall(r"'([^']*)'", SQL_IN_LIST.search(body).group(1)))


def _controlling_countries() -> frozenset:
    with (ROOT / "dbt_project/seeds/chip_equipment_suppliers.csv").open(encoding="utf-8") as seed:
        return frozenset(row["iso3"] for row in csv.DictReader(seed) if row["is_controlling_country"] == "true")


# rule -> (its home, its values read from there). A copy holds all of the values: one or two of them is a use
# (`exporter_iso3 = 'JPN'` names one supplier's column), the whole list is the rule written again.
RULES: dict[str, tuple[Path, frozenset]] = {
    "china_incl_hk": (Path("dbt_project/macros/trade_rules.sql"), _china_incl_hk()),
    "controlling_countries": (Path("dbt_project/seeds/chip_equipment_suppliers.csv"), _controlling_countries()),
}
RULE_DIRS = ("bench",)

# (path, vocabulary, values) -> why that literal is not a copy to replace.
ANNUAL_YTD = "a model's own subset (its rows are annual and year-to-date, never monthly): the model's rule, which " \
             "vocabularies.py's docstring keeps in the model"
NUMERIC_TOKENS = "the token kinds that carry a number: the rule of macros/usgs_tokens.sql (usgs_numeric_value), " \
                 "not the vocabulary; a model that uses the number restates which tokens it accepts"
BENCH = "the benchmark's DuckDB-only and pandas variants redo the bulk marts without dbt, so no macro reaches them; " \
        "tests/bench/test_bench_smoke.py fails when their marts stop agreeing with the dbt pipeline's"
ALLOWED: dict[tuple[str, str, frozenset], str] = {
    ("dbt_project/models/intermediate/int_trade__supplier_shares.sql", "period_kinds", frozenset({"annual", "ytd"})): ANNUAL_YTD,
    ("dbt_project/models/marts/trade/import_dependency.sql", "period_kinds", frozenset({"annual", "ytd"})): ANNUAL_YTD,
    ("dbt_project/models/marts/trade/import_dependency_hs6.sql", "period_kinds", frozenset({"annual", "ytd"})): ANNUAL_YTD,
    ("dbt_project/models/marts/trade/net_trade.sql", "period_kinds", frozenset({"annual", "ytd"})): ANNUAL_YTD,
    ("dbt_project/models/marts/trade/import_dependency.yml", "period_kinds", frozenset({"annual", "ytd"})): ANNUAL_YTD,
    ("dbt_project/models/staging/stg_usitc__trade.yml", "period_kinds", frozenset({"annual", "ytd"})): ANNUAL_YTD,
    ("data_contracts/marts/trade.py", "period_kinds", frozenset({"annual", "ytd"})): ANNUAL_YTD,
    ("dbt_project/macros/usgs_tokens.sql", "nir_value_kinds", frozenset({"number", "lower_bound", "upper_bound"})): NUMERIC_TOKENS,
    ("dbt_project/macros/usgs_tokens.sql", "usgs_share_value_kinds", frozenset({"number", "lower_bound", "upper_bound"})): NUMERIC_TOKENS,
    ("dbt_project/models/intermediate/int_supply__production_shares.sql", "nir_value_kinds", frozenset({"number", "zero"})): NUMERIC_TOKENS,
    ("dbt_project/models/marts/supply/supply_risk.sql", "nir_value_kinds", frozenset({"number", "zero"})): NUMERIC_TOKENS,
    ("dbt_project/models/marts/supply/supply_risk.sql", "nir_value_kinds", frozenset({"number", "zero", "lower_bound", "upper_bound"})): NUMERIC_TOKENS,
    ("dbt_project/models/marts/supply/supply_risk.sql", "usgs_share_value_kinds", frozenset({"number", "lower_bound", "upper_bound"})): NUMERIC_TOKENS,
    ("data_contracts/marts/supply.py", "nir_value_kinds", frozenset({"number", "lower_bound", "upper_bound", "zero"})): NUMERIC_TOKENS,
    ("data_contracts/marts/supply.py", "usgs_share_value_kinds", frozenset({"number", "lower_bound", "upper_bound"})): NUMERIC_TOKENS,
    ("dbt_project/macros/usgs_tokens.sql", "usgs_token_kinds", frozenset({"number", "lower_bound", "upper_bound"})): NUMERIC_TOKENS,
    ("dbt_project/models/intermediate/int_supply__production_shares.sql", "usgs_token_kinds", frozenset({"number", "zero"})): NUMERIC_TOKENS,
    ("dbt_project/models/marts/supply/supply_risk.sql", "usgs_token_kinds", frozenset({"number", "zero", "lower_bound", "upper_bound"})): NUMERIC_TOKENS,
    ("dbt_project/models/marts/supply/supply_risk.sql", "usgs_token_kinds", frozenset({"number", "zero"})): NUMERIC_TOKENS,
    ("data_contracts/marts/supply.py", "usgs_token_kinds", frozenset({"number", "lower_bound", "upper_bound", "zero"})): NUMERIC_TOKENS,
    ("data_contracts/marts/trade.py", "baci_hs_revisions", frozenset({"HS07", "HS12", "HS17", "HS22"})): "the revisions the BACI-mapped mart can hold (a model rule)",
    ("data_contracts/marts/trade.py", "baci_hs_revisions", frozenset({"HS17", "HS22"})): "the revisions that carry an HS 2017 code (a model rule)",
    ("data_contracts/marts/supply.py", "supply_risk_statuses", frozenset({"computed", "computed_unweighted"})): "the statuses that carry a value (supply_risk's rule)",
    ("data_contracts/register.py", "until_readings", frozenset({"stated_last_day", "stated_until_ambiguous", "stated_first_day_not_in_force"})): "date arithmetic per reading; an unknown reading raises KeyError there",
    ("data_contracts/register.py", "chip_product_levels", frozenset({"heading", "hs6"})): "column names of the register's code table, not values",
    ("dbt_project/tests/assert_measure_in_force_is_sourced.sql", "measure_statuses", frozenset({"in_force", "issued"})): "the statuses in which a part took effect: the test's own rule about date_effective",
    ("orchestration/extract/live/sciencebase.py", "mcs_editions", frozenset({"2025", "2026"})): "ScienceBase release ids by edition (the live source also reads 2022-2024), not the vocabulary",
    ("orchestration/extract/atlas_flows.py", "mirror_quality_breakdowns", frozenset({"hs6", "reporter"})):
        "the atlas file's column names (two of them happen to be breakdown values), not the breakdown vocabulary",
    ("bench/lower_bound.sql", "china_incl_hk", frozenset({"CHN", "HKG"})): BENCH,
    ("bench/variants.py", "china_incl_hk", frozenset({"CHN", "HKG"})): BENCH,
}


def _hits(values) -> list[tuple[str, frozenset]]:
    found = set(map(str, values))
    return [(v.name, frozenset(found & set(map(str, v.allowed)))) for v in VOCABULARIES
            if len(v.allowed) >= 2 and len(found & set(map(str, v.allowed))) >= 2] + [
            (name, rule) for name, (_, rule) in RULES.items() if rule <= found]


def sql_copies(path: Path, text: str) -> list[tuple[str, str, frozenset, int]]:
    out = []
    for match in SQL_IN_LIST.finditer(text):
        line = text[:match.start()].count("\n") + 1
        out += [(str(path), name, values, line) for name, values in _hits(re.findall(r"'([^']*)'", match.group(1)))]
    return out


def python_copies(path: Path, text: str) -> list[tuple[str, str, frozenset, int]]:
    out = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            elements = node.elts
        elif isinstance(node, ast.Dict):
            elements = [key for key in node.keys if key is not None]
        else:
            continue
        values = [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, (str, int))
                  and not isinstance(e.value, bool)]
        out += [(str(path), name, found, node.lineno) for name, found in _hits(values)]
    return out


# Lists of column names (a unique key naming a `commodity` and a `destination` column), not of values.
COLUMN_LIST_KEYS = {"combination_of_columns"}


def yaml_copies(path: Path, text: str) -> list[tuple[str, str, frozenset, int]]:
    document = yaml.safe_load(text)
    if path.name == "dbt_project.yml" and isinstance(document, dict):
        document = {key: value for key, value in document.items() if key != "vars"}  # the generated copy
    out = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in COLUMN_LIST_KEYS:
                    walk(value)
        elif isinstance(node, list):
            values = [x for x in node if isinstance(x, (str, int)) and not isinstance(x, bool)]
            out.extend((str(path), name, found, 0) for name, found in _hits(values))
            for value in node:
                walk(value)

    walk(document)
    return out


def _sources():
    dbt = ROOT / "dbt_project"
    skip = {"target", "logs", "dbt_packages"}
    for path in sorted(dbt.rglob("*")):
        if path.suffix in (".sql", ".yml") and not skip & set(path.relative_to(dbt).parts):
            yield path
    for folder in PYTHON_DIRS:
        yield from sorted((ROOT / folder).rglob("*.py"))
    for folder in RULE_DIRS:
        yield from sorted(path for path in (ROOT / folder).rglob("*") if path.suffix in (".sql", ".py"))


def vocabulary_copies() -> list[tuple[str, str, frozenset, int]]:
    found = []
    for path in _sources():
        relative = path.relative_to(ROOT)
        if relative == HOME:
            continue
        text = path.read_text(encoding="utf-8")
        scan = {".sql": sql_copies, ".yml": yaml_copies, ".py": python_copies}[path.suffix]
        found += [hit for hit in scan(relative, text) if _counts_in(relative, hit[1])]
    return found


def _counts_in(path: Path, name: str) -> bool:
    """A rule's home holds it by definition; bench/ is read for the rules only (its vocabularies are the bench's)."""
    if name in RULES:
        return path != RULES[name][0]
    return path.parts[0] not in RULE_DIRS


def test_no_vocabulary_is_copied_outside_its_home():
    unexcused = [f"{path}:{line}: {sorted(values)} copies vocabulary {name!r} (read it: var('{name}') / "
                 f"vocabulary_list('{name}') in dbt, data_contracts.vocabularies in Python)" if name not in RULES else
                 f"{path}:{line}: {sorted(values)} copies rule {name!r} (its home: {RULES[name][0]})"
                 for path, name, values, line in vocabulary_copies() if (path, name, values) not in ALLOWED]
    assert unexcused == []


def test_every_allowed_copy_still_exists():
    present = {(path, name, values) for path, name, values, _ in vocabulary_copies()}
    assert sorted(str(key) for key in set(ALLOWED) - present) == []


def test_the_scanner_finds_each_kind_of_copy():
    """Guards the scanner: the shapes the old code had (the report's colour dict, a goods-type IN list, a YAML list)."""
    report = 'COLOURS = {"export_ban": "#d62728", "licence_requirement": "#ff7f0e"}\n'
    assert sorted((n, sorted(v)) for _, n, v, _ in python_copies(Path("r.py"), report)) == [
        ("goods_legal_types", ["export_ban", "licence_requirement"]),
        ("legal_types", ["export_ban", "licence_requirement"])]
    sql = "select legal_type in ('licence_requirement', 'export_ban') as restricts_goods"
    assert {n for _, n, _, _ in sql_copies(Path("m.sql"), sql)} == {"legal_types", "goods_legal_types"}
    assert sql_copies(Path("m.sql"), "where legal_type = 'export_ban'") == []  # one value is a use, not a copy
    assert {n for _, n, _, _ in yaml_copies(Path("m.yml"), "values: [in_force, suspended]\n")} == {"measure_statuses"}


def test_the_scanner_finds_a_rule_written_out():
    """The China-incl.-Hong-Kong pair and the controlling countries, in each language, are copies of their rule;
    one country compared in logic is a use."""
    sql = "select exp.iso3 in ('CHN', 'HKG') as partner_in_china_incl_hk from flows"
    assert [(n, sorted(v)) for _, n, v, _ in sql_copies(Path("m.sql"), sql)] == [("china_incl_hk", ["CHN", "HKG"])]
    pandas = 'flows["partner_iso3"].isin(["HKG", "CHN"])\nCONTROLLING = ("USA", "JPN", "NLD")\n'
    assert sorted(n for _, n, _, _ in python_copies(Path("v.py"), pandas)) == ["china_incl_hk", "controlling_countries"]
    assert [n for _, n, _, _ in yaml_copies(Path("m.yml"), "values: [USA, JPN, NLD, KOR]\n")] == ["controlling_countries"]
    assert sql_copies(Path("m.sql"), "select sum(case when exporter_iso3 in ('JPN', 'NLD') then 1 end)") == []
    assert sql_copies(Path("m.sql"), "where partner_iso3 = 'CHN'") == []


def test_rule_values_are_read_from_their_home():
    assert RULES["china_incl_hk"][1] == {"CHN", "HKG"}
    assert RULES["controlling_countries"][1] == {"USA", "JPN", "NLD"}


def test_a_rule_is_flagged_outside_its_home_only():
    macro = "{% macro china_incl_hk(iso3_expr) -%} coalesce({{ iso3_expr }} in ('CHN', 'HKG'), false) {%- endmacro %}"
    home, elsewhere = RULES["china_incl_hk"][0], Path("dbt_project/models/marts/m.sql")
    assert [hit for hit in sql_copies(home, macro) if _counts_in(home, hit[1])] == []
    assert [hit[1] for hit in sql_copies(elsewhere, macro) if _counts_in(elsewhere, hit[1])] == ["china_incl_hk"]
