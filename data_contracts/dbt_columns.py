"""A model's columns and their types have one home: the model's dbt YAML (`data_type` on every column).

A Pandera contract here names only the columns it has a rule for (a domain, a bound, not-null) and its cross-column
checks; `typed_from_dbt` gives every contract column its type from the YAML and adds the columns the contract has
no rule for, type-checked and nullable. So the blocking check still fails a mart whose column changed type, the
Dagster UI shows the YAML's types (dagster-dbt reads `data_type` into the column schema), and a new column is typed
once, beside its description.

Why not dbt's enforced model contracts: they compare the YAML types with the adapter's own type names at build time,
so the same YAML could not build on Spark (`varchar` vs `string`), and the Pandera check would then test the same
types a second time. The types are written as DuckDB names and read as ibis logical types, which both engines'
Pandera checks compare against."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import ibis.expr.datatypes as dt
import pandera.ibis as pa
import yaml
from pandera.api.dataframe.model_components import FieldInfo
from pandera.engines import ibis_engine

MODELS_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "models"
# libyaml's loader: every process that imports a contract reads these 36 files (0.05 s; pure-Python SafeLoader 0.6 s,
# which the no-change refresh would pay)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ColumnTypeError(ValueError):
    """A YAML column without a usable `data_type`, or a contract disagreeing with its model's YAML."""


@cache
def declared_columns(layer: str, models_dir: Path = MODELS_DIR) -> dict[str, dict[str, str]]:
    """model -> {column: data_type} for every model documented under models/<layer>/, in YAML order."""
    models: dict[str, dict[str, str]] = {}
    for path in sorted((models_dir / layer).rglob("*.yml")):
        for model in (yaml.load(path.read_text(), Loader=_YAML_LOADER) or {}).get("models", []):
            columns = {}
            for column in model.get("columns", []):
                data_type = column.get("data_type")
                if not data_type:
                    raise ColumnTypeError(f"{path.relative_to(models_dir.parent)}: model {model['name']}, column "
                                          f"{column['name']}: no data_type (every column's type is written here)")
                columns[column["name"]] = data_type
            models[model["name"]] = columns
    return models


def ibis_type(data_type: str, where: str):
    from ibis.backends.sql.datatypes import DuckDBType

    try:
        parsed = DuckDBType.from_string(data_type)
    except Exception as error:  # sqlglot's parse error or ibis's unsupported type: name the column either way
        raise ColumnTypeError(f"{where}: data_type {data_type!r} is not a DuckDB type ibis reads ({error})") from error
    if parsed.is_unknown():  # a name DuckDB does not know parses as a user-defined type
        raise ColumnTypeError(f"{where}: data_type {data_type!r} is not a DuckDB type ibis reads")
    return AnyPrecisionTimestamp if parsed.is_timestamp() else parsed  # the class: pandera models keep a DataType class as it is


class AnyPrecisionTimestamp(ibis_engine.DataType):
    """A timestamp of whatever fractional-second precision the engine reports: DuckDB's tables say microseconds
    (ibis scale 6), Spark's say none, and pandera compares the scale too."""

    def __init__(self):
        object.__setattr__(self, "type", dt.Timestamp())

    def check(self, pandera_dtype, data_container=None) -> bool:
        return ibis_engine.Engine.dtype(pandera_dtype).type.is_timestamp()


def typed_from_dbt(contracts: dict[str, type[pa.DataFrameModel]], layer: str,
                   models_dir: Path = MODELS_DIR) -> dict[str, type[pa.DataFrameModel]]:
    """Type every contract from its model's YAML, in place, and return the contracts."""
    declared = declared_columns(layer, models_dir)
    for model, contract in contracts.items():
        if model not in declared:
            raise ColumnTypeError(f"{contract.__name__}: no dbt YAML documents a {layer} model named {model!r}")
        _type_contract(contract, declared[model], f"models/{layer} {model}")
    return contracts


def _type_contract(contract: type[pa.DataFrameModel], columns: dict[str, str], where: str) -> None:
    written = {name for name in vars(contract).get("__annotations__", {})}
    if written:
        raise ColumnTypeError(f"{contract.__name__}: {sorted(written)} typed in Python; a column's type is its "
                              f"data_type in {where}'s YAML (write `name = pa.Field(...)` for its rules)")
    rules = {name: value for name, value in vars(contract).items() if isinstance(value, FieldInfo)}
    unknown = set(rules) - set(columns)
    if unknown:
        raise ColumnTypeError(f"{contract.__name__}: rules for {sorted(unknown)}, which {where}'s YAML does not list")
    for name in columns.keys() - rules.keys():
        field = pa.Field(nullable=True)  # no rule but its type: NULLs and values are the YAML tests' and SQL's business
        field.__set_name__(contract, name)
        setattr(contract, name, field)
    contract.__annotations__ = {name: ibis_type(data_type, f"{where}.{name}") for name, data_type in columns.items()}
