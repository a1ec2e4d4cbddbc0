-- China's side of the mirror: per partner, HS6 and year, what China declares it exported beside what the partner
-- declares it imported from China and from Hong Kong, so goods routed through Hong Kong are seen next to the direct
-- flow and "exports to Hong Kong" are not read as Hong Kong's own demand. No Hong Kong re-export share: the
-- snapshot has no re-export flows (RX) and Hong Kong's export declarations carry no origin.

with

mirror as (

    select * from {{ ref('mirror_flows') }}

),

from_china as (

    select * from mirror where exporter_code = 156

),

from_hong_kong as (

    select * from mirror where exporter_code = 344

)

select
    coalesce(from_china.year, from_hong_kong.year) as year,
    coalesce(from_china.importer_code, from_hong_kong.importer_code) as partner_code,
    coalesce(from_china.importer_iso3, from_hong_kong.importer_iso3) as partner_iso3,
    coalesce(from_china.hs6, from_hong_kong.hs6) as hs6,
    from_china.exporter_declared_fob_usd as china_declared_exports_usd,
    from_china.exporter_net_weight_kg as china_declared_exports_kg,
    from_china.importer_declared_cif_usd as partner_declared_imports_from_china_usd,
    from_china.importer_net_weight_kg as partner_declared_imports_from_china_kg,
    from_hong_kong.importer_declared_cif_usd as partner_declared_imports_from_hong_kong_usd,
    from_hong_kong.importer_net_weight_kg as partner_declared_imports_from_hong_kong_kg,
    from_china.importer_to_exporter_ratio as partner_to_china_ratio,
    from_china.gap_class as china_gap_class,
    from_hong_kong.exporter_declared_fob_usd as hong_kong_declared_exports_usd,
    from_china.baci_value_usd as baci_china_to_partner_usd
from from_china
full outer join from_hong_kong
    on
        from_china.year = from_hong_kong.year
        and from_china.importer_code = from_hong_kong.importer_code
        and from_china.hs6 = from_hong_kong.hs6
