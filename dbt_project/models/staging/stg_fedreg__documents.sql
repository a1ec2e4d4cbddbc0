-- Federal Register documents of the Bureau of Industry and Security (live source): candidate
-- policy events for the measures register. The register stays curated by people; this model only
-- lists what was published, with dates typed. Empty until the first live Federal Register run.

with

source as (

    select * from {{ live_source('fedreg_documents', "
        select
            cast(null as string) as document_number, cast(null as string) as title, cast(null as string) as type,
            cast(null as string) as publication_date, cast(null as string) as effective_on,
            cast(null as string) as html_url, cast(null as string) as abstract, cast(null as string) as _request_url,
            cast(null as string) as _source, cast(null as string) as _source_file, cast(null as string) as _source_sha256,
            cast(null as timestamp) as _retrieved_at, cast(null as timestamp) as _loaded_at
        where 1 = 0") }}

)

-- Every column cast: a live run that found no documents lands a table whose columns DuckDB could not type.
select
    cast(document_number as string) as document_number,
    cast(title as string) as title,
    cast(type as string) as document_type,
    cast(publication_date as date) as publication_date,
    cast(effective_on as date) as effective_on,
    cast(html_url as string) as html_url,
    cast(abstract as string) as abstract,
    'industry-and-security-bureau' as agency_slug,
    cast(_request_url as string) as request_url,
    cast(_source_file as string) as source_file,
    cast(_source_sha256 as string) as source_sha256,
    cast(_retrieved_at as timestamp) as retrieved_at
from source
