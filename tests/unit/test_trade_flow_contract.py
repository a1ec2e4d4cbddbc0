"""fct_trade_flows never holds a World or blank partner row (each dollar would count twice): the rule's one home is
the FctTradeFlows contract (data_contracts/marts/trade.py), run as a blocking check in DuckDB and published as GX
expectations. It replaced a singular dbt test and an integration-test query that said the same."""

import duckdb
import ibis
import pytest

from data_contracts.marts.trade import FctTradeFlows
from data_contracts.quality_suites import SUITES
from data_contracts.vocabularies import WORLD_PARTNER_CODES
from orchestration.validation import validate
from tests.contract_harness import add_unruled_columns

# Two rows as the snapshot gives them: USITC DataWeb, US imports for consumption from China, heading 2846, 2024; UN
# Comtrade, China's imports from Myanmar, heading 2846, 2020 (data/snapshot/comtrade/china_imports_2846/2020.json).
ROWS = """
    select * from (values
        ('usitc_dataweb', 'USA', 'CHN', true, 'import', '2846', cast(null as string), 'rare_earths', 2024, 'annual',
         cast(null as integer), cast(112644992 as double), cast(null as double), cast(null as string)),
        ('un_comtrade', 'CHN', 'MMR', false, 'import', '2846', null, 'rare_earths', 2020, 'annual',
         null, 387673406, 35453640, 'kg')
    ) as t(source, reporter_iso3, partner_iso3, partner_in_china_incl_hk, flow, commodity_code, hs6, mineral, year,
           period_kind, ytd_through_month, value_usd, quantity, quantity_unit)
"""


def _validate(partner_of_second_row: str | None):
    connection = duckdb.connect()
    try:
        connection.execute(f"""create table fct_trade_flows as
            select * replace (cast(year as integer) as year,
                              case when source = 'un_comtrade' then ? else partner_iso3 end as partner_iso3)
            from ({ROWS})""", [partner_of_second_row])
        add_unruled_columns(connection, "fct_trade_flows", FctTradeFlows)
        return validate(ibis.duckdb.from_connection(connection).table("fct_trade_flows"), FctTradeFlows)
    finally:
        connection.close()


def test_country_partners_pass():
    outcome = _validate("MMR")
    assert outcome.passed, outcome.summary


@pytest.mark.parametrize("partner", [*WORLD_PARTNER_CODES, "", None])
def test_world_blank_or_missing_partner_fails(partner):
    outcome = _validate(partner)
    assert not outcome.passed, f"partner_iso3={partner!r} should fail FctTradeFlows"


def test_published_suite_carries_the_rule():
    forbidden = [e for e in SUITES["fct_trade_flows"]
                 if type(e).__name__ == "ExpectColumnValuesToNotBeInSet" and e.column == "partner_iso3"]
    assert [sorted(e.value_set) for e in forbidden] == [["W00", "WLD"]]
