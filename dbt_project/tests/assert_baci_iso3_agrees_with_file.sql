-- Where a BACI extract writes ISO3 beside the numeric code, the country table must name the code the same way:
-- a disagreement means baci_country_codes maps a code to the wrong country.
select year, hs_revision, exporter_code, exporter_iso3, exporter_iso3_in_file, importer_code, importer_iso3, importer_iso3_in_file
from {{ ref('stg_cepii__trade_flows') }}
-- only the snapshot's files write ISO3; the source filter also keeps the test off the bulk rows
where source = 'cepii_baci'
  and ((exporter_iso3_in_file is not null and exporter_iso3 is distinct from exporter_iso3_in_file)
   or (importer_iso3_in_file is not null and importer_iso3 is distinct from importer_iso3_in_file))
