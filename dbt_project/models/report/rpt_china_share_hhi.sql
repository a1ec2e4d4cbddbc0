-- Figure "US imports: China share and supplier HHI over time": the annual USITC DataWeb series of the report
-- minerals, years with imports only (a year without imports has no share to draw).

select
    mineral,
    year,
    china_share,
    china_hk_share,
    hhi,
    denominator_scope
from {{ ref('import_dependency') }}
where {{ report_us_annual_series() }}
    and total_value_usd > 0
