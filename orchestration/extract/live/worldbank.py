"""World Bank API v2, every page of the six WGI estimates: fetched with the shared retrying client, each answer
landed (``raw.worldbank_wgi_responses`` and the landing folder) before it is parsed, like every other live source.

A complete 200 whose JSON body does not parse is asked again up to the attempt limit (extract.get_and_land), then
the parser's clear error is raised."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from orchestration.extract.live.extract import PeriodOutcome, client_for, get_and_land
from orchestration.extract.live.http import HttpClient
from orchestration.extract.worldbank_wgi import SOURCE, WGI_INDICATORS, base_url, parse_page, rows_of, wgi_frame
from orchestration.storage.landing_store import LandingStore

CLIENT_SOURCE = "worldbank"  # the client's name: its base URL, rate and secrets settings


def fetch_wgi(store: LandingStore, first_year: int, last_year: int, client: HttpClient | None = None,
              indicators=WGI_INDICATORS, per_page: int = 20000, url: str | None = None) -> tuple[pd.DataFrame, PeriodOutcome]:
    """Every page of every indicator for all countries, [first_year, last_year]; the frame and what was landed."""
    client = client or client_for(CLIENT_SOURCE)
    root = (url or base_url()).rstrip("/")
    period = f"{first_year}:{last_year}"
    outcome = PeriodOutcome(SOURCE, period, pd.DataFrame())
    rows: list[dict] = []
    retrieved_at = datetime.now(UTC)
    for indicator in indicators:
        page, pages = 1, 1
        while page <= pages:
            response, _ = get_and_land(client, store, SOURCE, f"{indicator}/{period}/page{page}", period, outcome,
                                       f"{root}/v2/country/all/indicator/{indicator}",
                                       params={"format": "json", "date": period, "per_page": str(per_page),
                                               "page": str(page)})
            info, records = parse_page(response.body, response.url)
            pages = int(info["pages"] or 0)
            rows.extend(rows_of(records))
            page += 1
    frame = wgi_frame(rows, f"{root}/v2/country/all/indicator/{{{','.join(indicators)}}}", retrieved_at)
    outcome.frame = frame
    return frame, outcome
