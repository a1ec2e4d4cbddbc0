"""Contracts for the marts BI users read, validated inside DuckDB with pandera's ibis backend: one module per domain,
as the marts are grouped in dbt_project/models/marts/<domain>/.

Column names and domains here are the public interface of the warehouse: a change that breaks them should
fail this contract before a dashboard notices. Each contract names the columns it has a rule for; every column's
type comes from the mart's dbt YAML (data_contracts/dbt_columns.py)."""

from data_contracts.dbt_columns import typed_from_dbt
from data_contracts.marts import chip_equipment, measures, supply, trade

DOMAINS = {"trade": trade, "measures": measures, "supply": supply, "chip_equipment": chip_equipment}
# mart name -> contract, every domain's, typed from the marts' YAML
MART_CONTRACTS = typed_from_dbt({name: contract for module in DOMAINS.values() for name, contract in module.CONTRACTS.items()},
                                "marts")
