"""Federal Register API: documents of the Bureau of Industry and Security, landed as candidate policy events.

``GET /api/v1/documents.json`` answers ``{count, total_pages, next_page_url, results: [...]}``; pages are
followed through ``next_page_url`` (rewritten onto the configured base URL, so a mirror or a replay server keeps
serving the later pages). The measures register is curated by people: these rows are candidates, never merged
into data/register automatically."""

from __future__ import annotations

import urllib.parse

import pandas as pd

from orchestration.extract.errors import SourceFormatError, parse_json

SOURCE = "fedreg"
PATH = "/api/v1/documents.json"
AGENCY = "industry-and-security-bureau"
FIELDS = ["document_number", "title", "type", "publication_date", "effective_on", "html_url", "abstract"]
REQUIRED = ["document_number", "title", "type", "publication_date", "html_url"]
MAX_PAGES = 50  # ~2,000 results per query is the API's own ceiling (not verified); split by date beyond that


def first_page_params(since: str, document_types: list[str], per_page: int = 100) -> list[tuple[str, str]]:
    params = [("conditions[agencies][]", AGENCY), ("conditions[publication_date][gte]", since)]
    params += [("conditions[type][]", kind) for kind in document_types]
    params += [("per_page", str(per_page)), ("order", "newest")]
    params += [("fields[]", name) for name in FIELDS]
    return params


def parse_page(payload: bytes, name: str) -> tuple[pd.DataFrame, str | None]:
    """(documents of this page, next_page_url or None)."""
    document = parse_json(payload, name)
    if not isinstance(document, dict):
        raise SourceFormatError(name, "expected a JSON object with 'results'")
    if "errors" in document:
        raise SourceFormatError(name, f"API reported errors: {document['errors']}", field="errors")
    results = document.get("results", [])  # an empty search omits 'results'
    if not isinstance(results, list):
        raise SourceFormatError(name, "'results' is not a list", field="results")
    for index, item in enumerate(results):
        missing = [f for f in REQUIRED if f not in item]
        if missing:
            raise SourceFormatError(name, f"document lacks {missing} (schema drift?)", row=index, field=missing[0])
    frame = pd.DataFrame.from_records([{f: item.get(f) for f in FIELDS} for item in results], columns=FIELDS)
    return frame.astype({f: "object" for f in FIELDS}), document.get("next_page_url")


def onto_base(next_url: str, base_url: str) -> str:
    """Keep the path and query of next_page_url, but on our configured host (mirror / replay server)."""
    following, base = urllib.parse.urlsplit(next_url), urllib.parse.urlsplit(base_url)
    return urllib.parse.urlunsplit((base.scheme, base.netloc, following.path, following.query, ""))
