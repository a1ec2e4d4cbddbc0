"""World Bank WGI extractor against a local replay server (127.0.0.1, port 0).

The fixture below is SYNTHETIC: it has the recorded format of https://api.worldbank.org/v2 responses
([page-info, records], paged) but made-up values - it is not World Bank data."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from orchestration.extract.live.http import HttpClient, SourceHTTPError
from orchestration.extract.live.worldbank import fetch_wgi
from orchestration.extract.worldbank_wgi import WorldBankFormatError
from orchestration.storage.landing_store import LandingStore, landed_responses

SYNTHETIC_RECORDS = {  # indicator -> [(iso3, name, year, value)]; values are made up
    "GE.EST": [("CHN", "China", "2023", 0.5), ("USA", "United States", "2023", 1.2), ("MMR", "Myanmar", "2023", None)],
    "RQ.EST": [("CHN", "China", "2023", -0.2), ("USA", "United States", "2023", 1.3)],
}


def _page(indicator: str, page: int, per_page: int) -> bytes:
    records = SYNTHETIC_RECORDS.get(indicator, [])
    pages = max(1, -(-len(records) // per_page))
    chunk = records[(page - 1) * per_page: page * per_page]
    return json.dumps([
        {"page": page, "pages": pages, "per_page": per_page, "total": len(records), "sourceid": "3",
         "lastupdated": "2025-01-01"},
        [{"indicator": {"id": indicator, "value": f"synthetic {indicator}"}, "country": {"id": iso[:2], "value": name},
          "countryiso3code": iso, "date": year, "value": value, "unit": "", "obs_status": "", "decimal": 2}
         for iso, name, year, value in chunk],
    ]).encode()


class Replay:
    def __init__(self, faults=None):
        self.faults = list(faults or [])  # (status, body) answered before the real pages
        self.requests: list[str] = []

    def __enter__(self):
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                replay.requests.append(self.path)
                if replay.faults:
                    status, body = replay.faults.pop(0)
                else:
                    parts = urlsplit(self.path)
                    query = parse_qs(parts.query)
                    indicator = parts.path.rstrip("/").split("/")[-1]
                    status, body = 200, _page(indicator, int(query["page"][0]), int(query["per_page"][0]))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _client():
    return HttpClient(source="worldbank", max_attempts=3, sleep=lambda s: None, jitter=lambda: 0.0, timeout=5)


@pytest.fixture
def store(tmp_path, monkeypatch):
    """Every answer is landed in the warehouse's response index, so each test gets its own warehouse."""
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(tmp_path / "w.duckdb"))
    return LandingStore(tmp_path / "landing")


def test_fetches_every_page_of_every_indicator(store):
    with Replay() as replay:
        frame, outcome = fetch_wgi(store, 2023, 2023, _client(), indicators=("GE.EST", "RQ.EST"), per_page=2, url=replay.url)
    # GE.EST has 3 records -> 2 pages of 2; RQ.EST 2 records -> 1 page
    assert len(replay.requests) == 3
    assert all("format=json" in r and ("date=2023%3A2023" in r or "date=2023:2023" in r) for r in replay.requests)
    assert len(frame) == 5
    china_ge = frame[(frame.indicator_id == "GE.EST") & (frame.country_iso3 == "CHN")]
    assert china_ge["value"].item() == 0.5 and china_ge["year"].item() == "2023"
    assert frame[frame.country_iso3 == "MMR"]["value"].isna().all()  # no estimate stays NULL
    assert set(frame["_source"]) == {"worldbank_wgi"}
    # Every page is in the landing store, before it was parsed.
    landed = landed_responses("worldbank_wgi")
    assert sorted(landed["request_key"]) == ["GE.EST/2023:2023/page1", "GE.EST/2023:2023/page2", "RQ.EST/2023:2023/page1"]
    assert len(outcome.landed) == 3 and all(entry.path.exists() for entry in outcome.landed)


def test_server_error_then_success_is_retried(store):
    with Replay(faults=[(500, b"busy")]) as replay:
        client = _client()
        frame, _ = fetch_wgi(store, 2023, 2023, client, indicators=("RQ.EST",), per_page=50, url=replay.url)
    assert len(frame) == 2 and len(replay.requests) == 2 and len(client.slept) == 1


def test_malformed_json_is_asked_again_then_parsed(store):
    """A complete 200 whose body is not JSON (a proxy's maintenance page): both answers are landed."""
    with Replay(faults=[(200, b"<html>maintenance</html>")]) as replay:
        frame, outcome = fetch_wgi(store, 2023, 2023, _client(), indicators=("GE.EST",), url=replay.url)
    assert len(replay.requests) == 2 and len(frame) == 3 and len(outcome.landed) == 2


def test_malformed_json_up_to_the_attempt_limit_fails_with_a_clear_error(store):
    with Replay(faults=[(200, b"<html>maintenance</html>")] * 3) as replay:
        with pytest.raises(WorldBankFormatError, match="did not return JSON"):
            fetch_wgi(store, 2023, 2023, _client(), indicators=("GE.EST",), url=replay.url)
    assert len(replay.requests) == 3 and len(landed_responses("worldbank_wgi")) == 3


def test_api_error_message_is_surfaced(store):
    body = json.dumps([{"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}]).encode()
    with Replay(faults=[(200, body)]) as replay:
        with pytest.raises(WorldBankFormatError, match="API error"):
            fetch_wgi(store, 2023, 2023, _client(), indicators=("GE.EST",), url=replay.url)


def test_persistent_failure_names_the_source(store):
    with Replay(faults=[(503, b"down")] * 3) as replay:
        with pytest.raises(SourceHTTPError, match="worldbank"):
            fetch_wgi(store, 2023, 2023, _client(), indicators=("GE.EST",), url=replay.url)


def test_base_url_is_overridable_by_env(monkeypatch):
    from orchestration.extract import worldbank_wgi

    monkeypatch.setenv("CHOKEPOINT_WORLDBANK_URL", "http://127.0.0.1:9/")
    assert worldbank_wgi.base_url() == "http://127.0.0.1:9"
