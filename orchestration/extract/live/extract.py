"""Fetch one period of a source: request, land, then parse; or replay a period from the store without fetching.

Nothing here writes parsed rows: the caller validates the whole period against its contract first and then
appends it in one transaction, so a period is never half-written."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from orchestration import settings
from orchestration.extract import comtrade
from orchestration.extract.lineage import with_lineage
from orchestration.extract.live import census, comtrade_api, config, fedreg, map_defaults, sciencebase
from orchestration.extract.live.http import HttpClient
from orchestration.storage.landing_store import Landed, LandingStore, landed_responses

LINEAGE_SOURCE = {"comtrade": "un_comtrade", "census": "us_census", "fedreg": "federal_register", "sciencebase": "usgs_mcs"}


def client_for(source: str, **overrides) -> HttpClient:
    """A client configured from the environment (so a replay server or a slow mirror can tune it)."""
    key = config.api_key(source)
    options = dict(
        source=source,
        max_attempts=settings.HTTP_MAX_ATTEMPTS.get(),
        base_delay=settings.HTTP_BASE_DELAY.get(),
        timeout=settings.HTTP_TIMEOUT.get(),
        min_interval=settings.min_interval(source),
        secrets=(key,) if key else (),
    )
    options.update(overrides)
    return HttpClient(**options)


def _malformed_json(response) -> bool:
    """A complete 200 that says it is JSON but does not parse: cut short behind a proxy, or an overloaded API."""
    if response.status != 200 or "json" not in (response.content_type or "").lower():
        return False
    try:
        json.loads(response.body)
    except ValueError:
        return True
    return False


def get_and_land(client: HttpClient, store: LandingStore, source: str, request_key: str, period: str,
                 outcome: PeriodOutcome, url: str, **get_args):
    """GET, land every answer, and ask again (with the client's back-off) while a 200 body is malformed JSON, up
    to the client's attempt limit; the last answer is returned and its parser then raises the clear error."""
    for attempt in range(1, client.max_attempts + 1):
        response = client.get(url, **get_args)
        landed = store.land(source, request_key, period, response)  # landed before it is parsed, every attempt
        outcome.landed.append(landed)
        if not _malformed_json(response) or attempt == client.max_attempts:
            return response, landed
        client._pause(attempt, None, response.url, response.status, "malformed JSON body")


@dataclass
class PeriodOutcome:
    source: str
    period: str
    frame: pd.DataFrame
    landed: list[Landed] = field(default_factory=list)
    no_data: list[str] = field(default_factory=list)  # request keys answered 204 / empty: not published yet
    no_trade: list[str] = field(default_factory=list)  # codes without records in a published period: no trade
    split: list[str] = field(default_factory=list)  # request keys answered at the row cap and asked again in halves

    @property
    def complete(self) -> bool:
        return not self.no_data

    @property
    def revisions(self) -> list[str]:
        return sorted(item.request_key for item in self.landed if item.is_revision)

    def metadata(self) -> dict:
        """What a run reports: no key can appear here, URLs are stored redacted."""
        return {
            "period": self.period,
            "requests": len(self.landed),
            "rows": len(self.frame),
            "responses": [{"request": one.request_key, "status": one.status, "sha256": one.sha256, "url": one.request_url}
                          for one in self.landed],
            "no_data_yet": self.no_data,
            "no_trade": self.no_trade,
            "split_at_row_cap": self.split,
            "revised_requests": self.revisions,
        }


def fetch_census_month(month: str, store: LandingStore, client: HttpClient | None = None,
                       commodities: list[str] | None = None, flows: list[str] | None = None) -> PeriodOutcome:
    client = client or client_for("census")
    # default: every HS6 code of hs_mineral_map (map_defaults), one request per flow x code
    commodities = commodities or settings.CENSUS_COMMODITIES.get() or map_defaults.census_commodities()
    flows = flows or settings.CENSUS_FLOWS.get()
    key = config.api_key("census")
    outcome = PeriodOutcome("census", month, pd.DataFrame())
    frames = []
    empty: dict[str, list[str]] = {}  # flow -> request keys answered 204 / empty
    answered: set[str] = set()  # flows with at least one code answered
    for request in census.requests_for_month(month, commodities, flows):
        response, landed = get_and_land(client, store, "census", request.key, month, outcome,
                                        config.base_url("census") + request.flow.path, params=request.params(key))
        frame = census.parse_response(response.body, response.status, response.content_type, request, landed.request_url)
        if frame.empty:
            empty.setdefault(request.flow.name, []).append(request.key)
            continue
        answered.add(request.flow.name)
        frames.append(_lineage(frame, "census", request.key, landed, store.root))
    # The Census publishes a month for every code of a flow at once: a 204 beside answered codes is no trade
    # in that code; a flow with no answer at all is a month not published yet (asked again).
    for flow, keys in empty.items():
        (outcome.no_trade if flow in answered else outcome.no_data).extend(keys)
    outcome.frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return outcome


def fetch_comtrade_year(year: str, store: LandingStore, client: HttpClient | None = None,
                        reporters: list[str] | None = None, flows: list[str] | None = None,
                        commodities: list[str] | None = None) -> PeriodOutcome:
    return fetch_comtrade_period(year, store, client, reporters, flows, commodities, freq="A")


def fetch_comtrade_month(month: str, store: LandingStore, client: HttpClient | None = None,
                         reporters: list[str] | None = None, flows: list[str] | None = None,
                         commodities: list[str] | None = None) -> PeriodOutcome:
    """One month (YYYYMM, Comtrade's monthly period) of the same reporters x flows x codes as the annual fetch."""
    return fetch_comtrade_period(month, store, client, reporters, flows, commodities, freq="M")


def fetch_comtrade_period(year: str, store: LandingStore, client: HttpClient | None = None,
                          reporters: list[str] | None = None, flows: list[str] | None = None,
                          commodities: list[str] | None = None, freq: str = "A") -> PeriodOutcome:
    """Every reporter x flow x batch of codes for one period (a year YYYY for freq A, a month YYYYMM for freq M).
    Empty answers are told apart by reporter x flow: when nothing at all came back for it, the reporter has not
    published the period (``no_data``: the period stays
    incomplete and is asked again); when some code did come back, a code without records simply had no trade
    (``no_trade``: reported, the period is complete). A failed request (HTTP error after the retries, a malformed
    or capped single-code answer) raises: nothing of the year is written and the partition stays missing."""
    client = client or client_for("comtrade")
    key = config.api_key("comtrade")
    # default: China as importer of every code of hs_mineral_map (map_defaults), batched under the API's caps
    reporters = reporters or settings.COMTRADE_REPORTERS.get() or list(map_defaults.COMTRADE_REPORTERS)
    flows = flows or settings.COMTRADE_FLOWS.get()
    commodities = commodities or settings.COMTRADE_COMMODITIES.get() or map_defaults.comtrade_commodities()
    per_request = (settings.COMTRADE_CODES_PER_REQUEST.get()
                   or comtrade_api.CODES_PER_REQUEST["keyed" if key else "preview"])
    # The key travels in a header, never in the URL, so no stored URL can ever contain it.
    headers = {"Ocp-Apim-Subscription-Key": key} if key else {}
    outcome = PeriodOutcome("comtrade", year, pd.DataFrame())
    frames = []
    pending = comtrade_api.requests_for_year(year, reporters, flows, commodities, per_request, freq)
    answered: dict[tuple[str, str], set[str]] = {}  # (reporter, flow) -> codes that came back with records
    empty: dict[tuple[str, str], list[comtrade_api.ComtradeRequest]] = {}
    while pending:
        request = pending.pop(0)
        group = (request.reporter, request.flow)
        answered.setdefault(group, set())
        url = config.base_url("comtrade") + request.path(keyed=bool(key))
        response, landed = get_and_land(client, store, "comtrade", request.key, year, outcome, url,
                                        params=request.params(keyed=bool(key)), headers=headers)
        try:
            frame = _parse_comtrade(response.body, response.status, bool(key), landed.request_url)
        except comtrade_api.RowCapError:
            if len(request.codes) == 1:
                raise
            halves = comtrade_api.split(request)
            outcome.split.append(request.key)
            pending[:0] = halves  # the capped answer stays landed; its records come from the halves
            continue
        if frame is None:
            empty.setdefault(group, []).append(request)
            continue
        answered[group].update(_requested_codes_answered(frame, request))
        absent = [code for code in request.codes if code not in answered[group]]
        if absent:
            empty.setdefault(group, []).append(dataclasses.replace(request, commodity=",".join(absent)))
        frames.append(_lineage(frame, "comtrade", request.key, landed, store.root))
    for group, requests in empty.items():
        if answered[group]:
            outcome.no_trade.extend(dataclasses.replace(r, commodity=code).key for r in requests for code in r.codes)
        else:
            outcome.no_data.extend(r.key for r in requests)
    outcome.frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return outcome


def _requested_codes_answered(frame: pd.DataFrame, request: comtrade_api.ComtradeRequest) -> set[str]:
    """Requested codes with at least one record (Comtrade echoes each code as asked: 2504 as 2504, 280530 as 280530)."""
    returned = set(frame["cmdCode"].dropna().astype(str).str.strip())
    return {code for code in request.codes if code in returned}


def fetch_fedreg_documents(store: LandingStore, client: HttpClient | None = None, since: str | None = None,
                           document_types: list[str] | None = None) -> PeriodOutcome:
    """Every BIS document published since ``since`` (CHOKEPOINT_FEDREG_SINCE, default 2023-01-01), all pages."""
    client = client or client_for("fedreg")
    since = since or settings.FEDREG_SINCE.get()
    document_types = document_types or settings.FEDREG_TYPES.get()
    base = config.base_url("fedreg")
    outcome = PeriodOutcome("fedreg", since, pd.DataFrame())
    url, params, frames = base + fedreg.PATH, fedreg.first_page_params(since, document_types), []
    for page in range(1, fedreg.MAX_PAGES + 1):
        response, landed = get_and_land(client, store, "fedreg", f"documents/since={since}/page={page}", since,
                                        outcome, url, params=params)
        if response.status == 204:
            frame, next_url = pd.DataFrame(columns=fedreg.FIELDS), None
        else:
            frame, next_url = fedreg.parse_page(response.body, landed.request_url)
        frames.append(_lineage(frame, "fedreg", landed.request_key, landed, store.root))
        if not next_url:
            break
        url, params = fedreg.onto_base(next_url, base), None
    else:
        raise RuntimeError(f"fedreg: more than {fedreg.MAX_PAGES} pages since {since}; narrow CHOKEPOINT_FEDREG_SINCE")
    documents = pd.concat(frames, ignore_index=True)
    # Newest-first paging can shift a document onto the next page while we read: drop exact repeats only,
    # so two *different* records under one document number still fail the contract.
    outcome.frame = documents.drop_duplicates(subset=fedreg.FIELDS).reset_index(drop=True)
    return outcome


def fetch_mcs_edition(edition: str, store: LandingStore, client: HttpClient | None = None) -> PeriodOutcome:
    """One MCS edition from ScienceBase: the item JSON, then its data CSV, each landed before it is parsed."""
    client = client or client_for("sciencebase")
    item = sciencebase.item_id(edition)
    base = config.base_url("sciencebase")
    outcome = PeriodOutcome("sciencebase", edition, pd.DataFrame())
    response = client.get(base + sciencebase.item_path(item), params={"format": "json"}, ok_statuses=(200,))
    landed_item = store.land("sciencebase", f"MCS{edition}/item/{item}", edition, response)
    outcome.landed.append(landed_item)
    title, files = sciencebase.parse_item(response.body, landed_item.request_url)
    chosen = sciencebase.data_file(files, edition, landed_item.request_url)
    response = client.get(sciencebase.onto_base(chosen.url, base), ok_statuses=(200,))
    landed = store.land("sciencebase", f"MCS{edition}/file/{chosen.name}", edition, response)
    outcome.landed.append(landed)
    frame = sciencebase.parse_release(response.body, f"{chosen.name} ({landed.request_url})")
    frame.insert(0, "edition", edition)
    frame["item_id"] = item
    frame["item_title"] = title
    outcome.frame = _lineage(frame, "sciencebase", landed.request_key, landed, store.root)
    return outcome


def _parse_comtrade(body: bytes, status: int, keyed: bool, name: str) -> pd.DataFrame | None:
    if status == 204 or not body.strip():
        return None
    comtrade_api.check_row_cap(body, keyed, name)
    frame = comtrade.parse_response(body, name)
    return frame if len(frame) else None


def _lineage(frame: pd.DataFrame, source: str, request_key: str, landed: Landed, root: Path) -> pd.DataFrame:
    out = frame.copy()
    if source == "census":
        out["_request_key"] = request_key
    out["_request_url"] = landed.request_url
    return with_lineage(out, source=LINEAGE_SOURCE[source], source_file=_display(landed.path, root),
                        sha256=landed.sha256, retrieved_at=landed.retrieved_at)


def _display(path: Path, root: Path) -> str:
    return f"landing/{Path(path).relative_to(root)}" if Path(path).is_relative_to(root) else str(path)


def replay_period(source: str, period: str, store: LandingStore) -> pd.DataFrame:
    """Re-parse the latest landed vintage of every request of a period, from the store, without any request.

    Used after a parser fix: the rows are rebuilt from exactly the bytes that were fetched."""
    responses = landed_responses(source, period)
    responses = responses[responses["status"] == 200]
    latest = responses.sort_values("retrieved_at").groupby("request_key").tail(1)
    frames = []
    for row in latest.itertuples():
        body = store.read(Path(row.landing_path), row.sha256)
        landed = Landed(source, row.request_key, period, row.request_url, row.status,
                        pd.Timestamp(row.retrieved_at).to_pydatetime(), row.sha256, Path(row.landing_path), ())
        if source == "census":
            flow, commodity, month = row.request_key.split("/")
            request = census.CensusRequest(census.FLOWS[flow], commodity, month)
            frame = census.parse_response(body, row.status, row.content_type, request, row.request_url)
        elif source == "comtrade":
            try:
                frame = _parse_comtrade(body, row.status, "/data/v1/get/" in row.request_url, row.request_url)
            except comtrade_api.RowCapError:
                if "," not in row.request_key:
                    raise
                continue  # a batch split at fetch time: its records are in the halves' responses
        else:
            raise ValueError(f"replay is not implemented for {source}")
        if frame is not None and len(frame):
            frames.append(_lineage(frame, source, row.request_key, landed, store.root))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
