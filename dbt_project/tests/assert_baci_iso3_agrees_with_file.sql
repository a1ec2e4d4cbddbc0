-- Where a BACI extract writes ISO3 beside the numeric code, the country table must name the code the same way:
-- a disagreement means baci_country_codes maps a code to the wrong country.
select year, hs_revision, exporter_code, exporter_iso3, exporter_iso3_in_file, importer_code, importer_iso3, importer_iso3_in_file
from {{ ref('stg_baci__trade_flows') }}
where (exporter_iso3_in_file is not null and exporter_iso3 is distinct from exporter_iso3_in_file)
   or (importer_iso3_in_file is not null and importer_iso3 is distinct from importer_iso3_in_file)
