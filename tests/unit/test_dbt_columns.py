"""A mart column's type is written once, as `data_type` in its dbt YAML; the Pandera contracts read it
(data_contracts/dbt_columns.py). Each way of breaking that is named, and a column the contract only types still
fails the blocking check when its type changes."""

import ibis.expr.datatypes as dt
import pandera.ibis as pa
import pytest

from data_contracts.dbt_columns import ColumnTypeError, declared_columns, typed_from_dbt
from data_contracts.marts import MART_CONTRACTS
from data_contracts.sources.registry import STAGING_CONTRACTS
from tests.contract_harness import validate_frame
from tests.unit.test_dependency_contracts import GOOD

YAML = """version: 2
models:
  - name: probe
    columns:
      - name: code
        data_type: varchar
      - name: share
        data_type: {share_type}
        description: a share
"""


def _models(tmp_path, share_type="double", name="probe"):
    (tmp_path / "marts").mkdir()
    (tmp_path / "marts" / "probe.yml").write_text(YAML.format(share_type=share_type).replace("probe", name))
    return tmp_path


@pytest.mark.parametrize("layer, contracts", [
    ("marts", MART_CONTRACTS), ("staging", STAGING_CONTRACTS)])
def test_every_yaml_column_is_typed_in_its_contract(layer, contracts):
    declared = declared_columns(layer)
    assert set(declared) == set(contracts)  # every model of the layer has a contract
    for model, contract in contracts.items():
        schema = contract.to_schema().columns
        assert list(schema) == list(declared[model]), model
        assert all(str(schema[c].dtype) == declared[model][c].replace("varchar", "string").replace("double", "float64")
                   .replace("integer", "int32").replace("bigint", "int64") for c in schema), model


def test_a_mart_column_keeps_its_contract_rules_and_gets_its_type():
    columns = MART_CONTRACTS["import_dependency"].to_schema().columns
    assert str(columns["positive_supplier_count"].dtype) == "int64"  # a rule (ge=0) and its YAML type
    only_typed = columns["importer_is_country"]  # no rule in the contract: typed and nullable, nothing else
    assert (str(only_typed.dtype), only_typed.nullable, only_typed.checks) == ("boolean", True, [])


def test_a_column_the_contract_only_types_fails_it_when_the_mart_changes_its_type():
    contract = MART_CONTRACTS["import_dependency_hs6"]
    frame = GOOD["import_dependency_hs6"]
    column, spec = next((c, s) for c, s in contract.to_schema().columns.items()
                        if c not in frame and not s.checks and str(s.dtype) != "string")
    assert validate_frame("import_dependency_hs6", frame, contract).passed  # the column added as a NULL of its type
    outcome = validate_frame("import_dependency_hs6", frame.assign(**{column: "7"}), contract)
    assert not outcome.passed and column in outcome.summary and "dtype" in outcome.summary


def test_a_yaml_column_without_a_type_is_named(tmp_path):
    models = _models(tmp_path)
    (models / "marts" / "probe.yml").write_text(YAML.format(share_type="double").replace("        data_type: double\n", ""))
    with pytest.raises(ColumnTypeError, match=r"marts/probe.yml: model probe, column share: no data_type"):
        declared_columns("marts", models)


def test_an_unreadable_type_is_named(tmp_path):
    class Probe(pa.DataFrameModel):
        code = pa.Field(nullable=False)

    with pytest.raises(ColumnTypeError, match=r"models/marts probe.share: data_type 'percent'"):
        typed_from_dbt({"probe": Probe}, "marts", _models(tmp_path, share_type="percent"))


def test_a_contract_typing_its_own_columns_or_ruling_an_unlisted_one_is_refused(tmp_path):
    models = _models(tmp_path)

    class TypedHere(pa.DataFrameModel):
        code: dt.String

    class Unlisted(pa.DataFrameModel):
        code = pa.Field(nullable=False)
        ratio = pa.Field(ge=0)

    class Nameless(pa.DataFrameModel):
        code = pa.Field(nullable=False)

    with pytest.raises(ColumnTypeError, match=r"TypedHere: \['code'\] typed in Python"):
        typed_from_dbt({"probe": TypedHere}, "marts", models)
    with pytest.raises(ColumnTypeError, match=r"Unlisted: rules for \['ratio'\], which models/marts probe's YAML"):
        typed_from_dbt({"probe": Unlisted}, "marts", models)
    with pytest.raises(ColumnTypeError, match=r"Nameless: no dbt YAML documents a marts model named 'absent'"):
        typed_from_dbt({"absent": Nameless}, "marts", models)


def test_a_typed_contract_validates_a_table_of_the_yaml_types_and_refuses_another(tmp_path):
    import pandas as pd

    class Probe(pa.DataFrameModel):
        code = pa.Field(nullable=False, isin=["a", "b"])

    typed_from_dbt({"probe": Probe}, "marts", _models(tmp_path))
    good = pd.DataFrame({"code": ["a", "b"], "share": [0.5, None]})
    assert validate_frame("probe", good, Probe).passed
    assert not validate_frame("probe", good.assign(share=["half", None]), Probe).passed  # varchar, not double
    assert not validate_frame("probe", good.assign(code=["a", "c"]), Probe).passed  # the contract's own rule
