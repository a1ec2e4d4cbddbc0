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
where importer_iso3 = 'USA'
    and source = 'usitc_dataweb'
    and period_kind = 'annual'
    and mineral in ({{ vocabulary_list('report_minerals') }})
    and total_value_usd > 0
