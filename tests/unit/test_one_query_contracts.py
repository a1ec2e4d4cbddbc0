"""orchestration.validation asks a contract's rules in one aggregate query and leaves the verdict to pandera when a
rule breaks or cannot be folded in. The contract files' harness (tests/contract_harness.py) checks the verdict on
every real contract; these check the edges: how many queries a pass costs, NaN in a non-nullable float column, an
empty table, and rules the fold leaves to pandera."""

import duckdb
import ibis
import ibis.expr.datatypes as dt
import pandas as pd
import pandera.ibis as pa
import pytest

from orchestration.validation import rules_hold_in_one_query, validate


class Shares(pa.DataFrameModel):
    code: dt.String = pa.Field(str_matches=r"^\d{6}$")
    share: dt.Float64 = pa.Field(ge=0, le=1)
    tonnes: dt.Float64 = pa.Field(ge=0)  # NaN >= 0 holds in DuckDB (NaN sorts above every number)
    note: dt.String = pa.Field(nullable=True, isin=["estimate", "reported"])

    @pa.check("note", name="a note is never blank")
    def note_not_blank(cls, data):
        # False, not NULL, on a NULL note: only pandera's ignore_na (nulls pass a column check) lets the NULL through.
        return data.table[data.key].fill_null("") != ""

    @pa.dataframe_check(name="a reported share is never zero")
    def reported_share_positive(cls, data):
        return (data.table.note != "reported") | (data.table.share > 0)


class SharesWithTableVerdict(Shares):
    # One verdict for the whole table (a boolean scalar), not a rule per row: not foldable into the one query.
    @pa.dataframe_check(name="at least one reported share")
    def some_share_reported(cls, data):
        return (data.table.note == "reported").any()


GOOD = pd.DataFrame({"code": ["260400", "811292", "280530"], "share": [0.25, 1.0, 0.5], "tonnes": [1.0, 0.0, 2.5],
                     "note": [None, "reported", "estimate"]})


@pytest.fixture
def table():
    connection = duckdb.connect()

    def load(frame: pd.DataFrame, limit: int | None = None):
        connection.register("frame", frame)
        connection.execute(f"create or replace table t as select * from frame{'' if limit is None else f' limit {limit}'}")
        return ibis.duckdb.from_connection(connection).table("t")

    yield load
    connection.close()


def _count_queries(monkeypatch) -> list[str]:
    """Every query the ibis DuckDB backend runs, by the method that ran it."""
    calls = []
    backend = type(ibis.duckdb.from_connection(duckdb.connect()))
    for method in ("execute", "to_pyarrow"):
        original = getattr(backend, method)

        def counted(self, *args, _original=original, _method=method, **kwargs):
            calls.append(_method)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(backend, method, counted)
    return calls


def test_a_passing_contract_costs_one_query(table, monkeypatch):
    rows = table(GOOD)
    calls = _count_queries(monkeypatch)
    outcome = validate(rows, Shares)
    assert outcome.passed, outcome.summary
    assert calls == ["to_pyarrow"]


@pytest.mark.parametrize("column, value", [("code", "26040"), ("share", 1.5), ("note", "guess"), ("note", ""),
                                           ("note", None)])
def test_each_broken_rule_is_found_by_the_one_query_and_named_by_pandera(table, column, value):
    bad = GOOD.copy()
    bad.loc[1, column] = value  # ("note", None) on the reported row breaks nothing: note is nullable
    expected_to_fail = not (column == "note" and value is None)
    assert rules_hold_in_one_query(table(bad), Shares) == (3, not expected_to_fail)
    outcome = validate(table(bad), Shares)
    assert outcome.passed is not expected_to_fail
    if expected_to_fail:
        assert f"{column}': {value!r}" in outcome.summary


def test_the_table_level_rule_is_folded_in_too(table):
    bad = GOOD.assign(share=[0.25, 0.0, 0.5])
    assert rules_hold_in_one_query(table(bad), Shares) == (3, False)
    outcome = validate(table(bad), Shares)
    assert not outcome.passed
    assert "a reported share is never zero" in outcome.metadata["failing_checks"]


def test_nan_counts_as_null_in_a_non_nullable_float_column_as_pandera_says(table):
    rows = table(GOOD)
    # Written in SQL: DuckDB reads a pandas NaN as NULL.
    rows.get_backend().raw_sql("update t set tonnes = 'nan'::double where code = '811292'")
    assert rules_hold_in_one_query(rows, Shares) == (3, False)
    assert not validate(rows, Shares).passed


def test_an_empty_table_is_counted_in_the_same_query(table):
    assert rules_hold_in_one_query(table(GOOD, limit=0), Shares) == (0, False)
    assert validate(table(GOOD, limit=0), Shares).passed


def test_a_wrong_type_is_left_to_pandera(table):
    bad = GOOD.assign(share=["0.25", "1.0", "0.5"])
    assert rules_hold_in_one_query(table(bad), Shares) == (3, False)
    outcome = validate(table(bad), Shares)
    assert not outcome.passed
    assert "share" in outcome.summary


def test_a_rule_the_query_cannot_hold_leaves_the_verdict_to_pandera(table):
    rows = table(GOOD)
    assert rules_hold_in_one_query(rows, SharesWithTableVerdict) == (3, False)
    assert validate(rows, SharesWithTableVerdict).passed
    unreported = table(GOOD.assign(note=[None, "estimate", "estimate"]))
    outcome = validate(unreported, SharesWithTableVerdict)
    assert not outcome.passed
    assert "at least one reported share" in outcome.summary
