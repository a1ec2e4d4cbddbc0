"""A loopback HTTP server that answers like the real sources (formats in tests/live/fixtures) and injects faults.

Bounded: it listens on 127.0.0.1 only, on a free port, serves at most ``max_requests`` requests (then answers
410 so a runaway retry loop fails the test), and is shut down by the fixture that started it."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from orchestration.settings import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures"
COMTRADE_SNAPSHOT = PROJECT_ROOT / "data/snapshot/comtrade/china_imports_2846"
WGI_SNAPSHOT = PROJECT_ROOT / "data/snapshot/worldbank/WGIData.csv"
# The path prefixes each source's requests start with (break_source answers all of them 500).
SOURCE_PATHS = {"census": ("/data/timeseries/intltrade/",), "comtrade": ("/public/v1/preview/", "/data/v1/get/"),
                "fedreg": ("/api/v1/documents",), "sciencebase": ("/catalog/",), "worldbank": ("/v2/",)}
CENSUS_HEADERS = {
    "imports": ["CTY_CODE", "CTY_NAME", "I_COMMODITY", "I_COMMODITY_SDESC", "GEN_VAL_MO", "CON_VAL_MO", "GEN_QY1_MO",
                "UNIT_QY1", "time", "COMM_LVL", "I_COMMODITY"],
    "exports": ["CTY_CODE", "CTY_NAME", "E_COMMODITY", "E_COMMODITY_SDESC", "ALL_VAL_MO", "QTY_1_MO", "UNIT_QY1",
                "time", "COMM_LVL", "E_COMMODITY"],
}
CENSUS_COUNTRIES = [("-", "TOTAL FOR ALL COUNTRIES"), ("0003", "EUROPEAN UNION"), ("5700", "CHINA"),
                    ("5820", "HONG KONG"), ("5570", "MALAYSIA"), ("5880", "JAPAN"), ("4470", "ESTONIA")]


@dataclass
class Fault:
    """One injected misbehaviour, served instead of the normal answer to the next matching request."""

    kind: str  # status | timeout | short_read | html | empty_204 | body (any bytes: truncated JSON, drift...)
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    body: bytes = b""


@dataclass
class Logged:
    path: str
    query: dict


class Replay:
    def __init__(self, max_requests: int = 400):
        self.max_requests = max_requests
        self.log: list[Logged] = []
        self.faults: list[tuple[str, Fault]] = []  # (path prefix, fault), consumed first-match
        self.census_months: set[str] = set()
        self.census_revision: dict[str, float] = {}  # month -> factor applied to every value (a re-publication)
        self.census_rows: dict[str, list[list[str]]] = {}  # override rows for a month (schema drift, duplicates)
        self.census_outage: dict[str, int] = {}  # month -> status answered to every request for it (a lasting outage)
        self.census_no_trade: set[str] = set()  # commodity codes answered 204 in a published month (no US trade)
        self.comtrade_years: dict[str, bytes] = {}  # the same body for any request of the year (the snapshot's query)
        # (year, reporter) -> cmdCode -> records: answers built from the request's own reporterCode and cmdCode list
        self.comtrade_records: dict[tuple[str, str], dict[str, list[dict]]] = {}
        self.comtrade_outage: set[str] = set()  # cmdCodes whose every request is answered 500 (a lasting failure)
        self.fedreg_pages: list[dict] = []
        self.sciencebase_items: dict[str, dict] = {}  # item id -> item JSON
        self.sciencebase_files: dict[str, tuple[bytes, str]] = {}  # 'f' query value -> (bytes, content type)
        self.wgi_rows: list[dict] = []  # World Bank WGI estimates in the API loader's long layout
        self.broken: set[str] = set()  # sources whose every request is answered 500 (a lasting outage)
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- set-up helpers used by tests
    def publish_census(self, *months: str) -> None:
        self.census_months.update(months)

    def publish_comtrade_from_snapshot(self, *years: str) -> None:
        for year in years:
            self.comtrade_years[year] = (COMTRADE_SNAPSHOT / f"{year}.json").read_bytes()

    def publish_comtrade_codes(self, year: str, reporter: str, codes: list[str], from_snapshot_year: str = "2020") -> None:
        """Every code gets the records of the snapshot's year (27 partners + World, real fields), renamed to the code
        and reporter, so an answer holds one record per partner and requested code, as the API's does."""
        records = json.loads((COMTRADE_SNAPSHOT / f"{from_snapshot_year}.json").read_bytes())["data"]
        published = self.comtrade_records.setdefault((year, reporter), {})
        for code in codes:
            published[code] = [{**record, "cmdCode": code, "aggrLevel": len(code), "reporterCode": int(reporter),
                                "period": year, "refYear": int(year)} for record in records]

    def publish_comtrade_world_below_partners(self, *years: str, factor: float = 0.9) -> None:
        """The snapshot's answer for each year, but with the World row at ``factor`` of the partners' sum, as real
        Comtrade answers sometimes are (confidential trade, revisions): every field in its raw contract's shape."""
        for year in years:
            document = json.loads((COMTRADE_SNAPSHOT / f"{year}.json").read_bytes())
            partners = sum(r["primaryValue"] for r in document["data"] if r["partnerCode"] != 0)
            for record in document["data"]:
                if record["partnerCode"] == 0:
                    record["primaryValue"] = round(partners * factor, 2)
            self.comtrade_years[year] = json.dumps(document).encode()

    def publish_sciencebase_item(self, item_id: str, title: str, files: list[tuple[str, bytes, str]],
                                 use_download_uri: bool = False) -> None:
        """An item JSON listing ``files`` (name, bytes, content type) with download URLs on the real host, as
        ScienceBase writes them (the client must rewrite them onto its configured base URL)."""
        listed = []
        for name, body, content_type in files:
            sha = hashlib.sha256(body).hexdigest()
            key = f"__disk__{sha[:2]}/{sha[2:4]}/{sha}"
            self.sciencebase_files[key] = (body, content_type)
            url = f"https://www.sciencebase.gov/catalog/file/get/{item_id}?f={key}"
            listed.append({"name": name, "contentType": content_type, "size": len(body),
                           **({"downloadUri": url} if use_download_uri else {"url": url})})
        self.sciencebase_items[item_id] = {"id": item_id, "title": title, "files": listed}

    def publish_wgi_from_snapshot(self) -> None:
        """The snapshot's real WGIData.csv (World Bank DataBank export), answered in the API v2 format."""
        from orchestration.extract.worldbank_wgi import read_wgi_databank_csv

        frame = read_wgi_databank_csv(WGI_SNAPSHOT.read_bytes(), WGI_SNAPSHOT.name)
        rows = frame[["indicator_id", "indicator_name", "country_iso3", "country_name", "year", "value"]].to_dict("records")
        # An empty cell is no estimate: the API sends null there (json.dumps would write NaN, which is not JSON).
        self.wgi_rows = [{**row, "value": None if row["value"] != row["value"] else row["value"]} for row in rows]

    def wgi_mean_above_the_scale(self, country_iso3: str = "DNK", year: str = "2022", estimate: float = 3.2) -> None:
        """All six estimates of one country-year at ``estimate``: each within the API's -3.5..3.5, their mean not
        within the -3..3 that int_supply__governance's scaled score (0..10, tested at -1..11) assumes."""
        for row in self.wgi_rows:
            if row["country_iso3"] == country_iso3 and row["year"] == year:
                row["value"] = estimate

    def break_source(self, source: str) -> None:
        """Every request to ``source`` (one of SOURCE_PATHS) is answered 500 from now on."""
        if source not in SOURCE_PATHS:
            raise ValueError(f"unknown source {source!r}: one of {', '.join(SOURCE_PATHS)}")
        self.broken.add(source)

    def inject(self, path_prefix: str, *faults: Fault) -> None:
        self.faults.extend((path_prefix, fault) for fault in faults)

    def requests_to(self, path_prefix: str) -> list[Logged]:
        return [entry for entry in self.log if entry.path.startswith(path_prefix)]

    # ---------------------------------------------------------------- answers
    def answer(self, path: str, query: dict) -> Fault:
        with self._lock:
            self.log.append(Logged(path, query))
            if len(self.log) > self.max_requests:
                return Fault("status", 410, body=b"replay server request budget exhausted")
            for index, (prefix, fault) in enumerate(self.faults):
                if path.startswith(prefix):
                    del self.faults[index]
                    return fault
        for source in self.broken:
            if any(path.startswith(prefix) for prefix in SOURCE_PATHS[source]):
                return Fault("status", 500, body=b'{"error": "replayed outage of this source"}')
        if path.startswith("/v2/country/all/indicator/"):
            return self._worldbank(path.rsplit("/", 1)[-1], query)
        if path.startswith("/data/timeseries/intltrade/"):
            return self._census(path, query)
        if path.startswith("/public/v1/preview/") or path.startswith("/data/v1/get/"):
            return self._comtrade(query)
        if path.startswith("/api/v1/documents.json"):
            return self._fedreg(query)
        if path.startswith("/catalog/item/"):
            item = self.sciencebase_items.get(path.rsplit("/", 1)[-1])
            return _json(item) if item is not None and query.get("format") == "json" else Fault("status", 404, body=b"item not found")
        if path.startswith("/catalog/file/get/"):
            found = self.sciencebase_files.get(query.get("f", ""))
            if found is None:
                return Fault("status", 404, body=b"file not found")
            return Fault("body", 200, headers={"Content-Type": found[1]}, body=found[0])
        return Fault("status", 404, body=b'{"error": "not found"}')

    def _census(self, path: str, query: dict) -> Fault:
        flow = "imports" if "/imports/" in path else "exports"
        month = query.get("time", "")
        if month in self.census_outage:
            return Fault("status", self.census_outage[month], body=b'{"error": "replayed outage"}')
        if "time" in query.get("get", ""):
            return Fault("status", 400, body=b"error: unknown variable 'time'")  # the real API refuses it too
        if month not in self.census_months:
            return Fault("empty_204", 204)
        commodity = query.get("I_COMMODITY" if flow == "imports" else "E_COMMODITY", "")
        if commodity in self.census_no_trade:
            return Fault("empty_204", 204)
        if month in self.census_rows:
            return _json(self.census_rows[month])
        factor = self.census_revision.get(month, 1.0)
        rows = [CENSUS_HEADERS[flow]]
        for rank, (code, name) in enumerate(CENSUS_COUNTRIES):
            value = int((1000 + 37 * rank + int(month[-2:]) * 11 + int(commodity[-3:] or 0)) * 1000 * factor)
            if flow == "imports":
                rows.append([code, name, commodity, "RARE-EARTH COMPOUNDS", str(value), str(value - 10), str(value // 20),
                             "KG", month, "HS6", commodity])
            else:
                rows.append([code, name, commodity, "RARE-EARTH COMPOUNDS", str(value // 3), str(value // 60), "KG",
                             month, "HS6", commodity])
        return _json(rows)

    def _comtrade(self, query: dict) -> Fault:
        year, codes = query.get("period", ""), query.get("cmdCode", "").split(",")
        if self.comtrade_outage & set(codes):
            return Fault("status", 500, body=b'{"statusCode": 500, "message": "replayed outage"}')
        if (year, query.get("reporterCode", "")) in self.comtrade_records or any(y == year for y, _ in self.comtrade_records):
            published = self.comtrade_records.get((year, query.get("reporterCode", "")), {})
            flow = query.get("flowCode")  # a response answers one flow, as the API's does
            records = [record for code in codes for record in published.get(code, [])
                       if flow is None or record.get("flowCode", flow) == flow]
            records = records[:int(query.get("maxRecords", "500"))]  # the API stops at the cap, without a cursor
            return _json({"elapsedTime": "0.01 secs", "count": len(records), "data": records, "error": ""})
        body = self.comtrade_years.get(year)
        if body is None:
            return _json({"elapsedTime": "0.01 secs", "count": 0, "data": [], "error": ""})
        return Fault("body", 200, headers={"Content-Type": "application/json"}, body=body)

    def _worldbank(self, indicator: str, query: dict) -> Fault:
        first, _, last = query.get("date", "").partition(":")
        records = [row for row in self.wgi_rows if row["indicator_id"] == indicator
                   and (not first or first <= row["year"] <= (last or first))]
        per_page, page = int(query.get("per_page", "50")), int(query.get("page", "1"))
        chunk = records[(page - 1) * per_page: page * per_page]
        return _json([
            {"page": page, "pages": max(1, -(-len(records) // per_page)), "per_page": per_page, "total": len(records),
             "sourceid": "3", "lastupdated": "replay of data/snapshot/worldbank/WGIData.csv"},
            [{"indicator": {"id": row["indicator_id"], "value": row["indicator_name"]},
              "country": {"id": row["country_iso3"][:2], "value": row["country_name"]}, "countryiso3code": row["country_iso3"],
              "date": row["year"], "value": row["value"], "unit": "", "obs_status": "", "decimal": 2} for row in chunk],
        ])

    def _fedreg(self, query: dict) -> Fault:
        page = int(query.get("page", "1"))
        if page > len(self.fedreg_pages):
            return _json({"count": 0, "total_pages": 0, "results": []})
        return _json(self.fedreg_pages[page - 1])


def _json(document) -> Fault:
    return Fault("body", 200, headers={"Content-Type": "application/json"}, body=json.dumps(document).encode())


def load_fedreg_pages() -> list[dict]:
    """Fixture pages; next_page_url points at the real host, as the API writes it (the client must rewrite it).
    Page 2 repeats the last document of page 1, as newest-first paging does when a document is published meanwhile."""
    return [json.loads((FIXTURES / f"fedreg_documents_page{n}.json").read_text()) for n in (1, 2)]


def serve(replay: Replay, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep pytest output clean
            pass

        def do_GET(self):
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
            fault = replay.answer(parts.path, query)
            try:
                self._send(fault)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def _send(self, fault: Fault):
            if fault.kind == "timeout":
                time.sleep(fault.delay)
                fault = Fault("body", 200, body=b'{"late": true}')
            if fault.kind == "empty_204":
                self.send_response(204)
                self.end_headers()
                return
            if fault.kind == "html":
                body = fault.body or (FIXTURES / "census_invalid_key.html").read_bytes()
                self._reply(fault.status or 200, body, {"Content-Type": "text/html"})
                return
            if fault.kind == "short_read":
                # Declares more bytes than it sends, then closes: the client sees IncompleteRead.
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(fault.body) + 500))
                self.end_headers()
                self.wfile.write(fault.body)
                self.close_connection = True
                return
            headers = {"Content-Type": "application/json", **fault.headers}
            self._reply(fault.status, fault.body, headers)

        def _reply(self, status: int, body: bytes, headers: dict):
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def demo_replay(broken: tuple[str, ...] = (), world_below_partners: tuple[str, ...] = ()) -> Replay:
    """Every source answering from real formats: Comtrade with the snapshot's China x 2846 years, the Federal
    Register fixture pages, World Bank WGI from the snapshot's WGIData.csv; Census months are not published (204)."""
    replay = Replay(max_requests=100_000)
    replay.publish_comtrade_from_snapshot(*sorted(path.stem for path in COMTRADE_SNAPSHOT.glob("[12][0-9][0-9][0-9].json")))
    replay.fedreg_pages = load_fedreg_pages()
    replay.publish_wgi_from_snapshot()
    for source in broken:
        replay.break_source(source)
    replay.publish_comtrade_world_below_partners(*world_below_partners)
    return replay


def demo_environment(url: str) -> dict[str, str]:
    """What `CHOKEPOINT_SOURCE=live make run` needs to read every source from the replay at ``url``: the snapshot's
    own Comtrade query (which the replayed bodies answer) and fast retries."""
    env = {"CHOKEPOINT_SOURCE": "live", "CHOKEPOINT_HTTP_BASE_DELAY": "0.01", "CHOKEPOINT_HTTP_MAX_ATTEMPTS": "3",
           "CHOKEPOINT_HTTP_TIMEOUT": "5", "CHOKEPOINT_COMTRADE_REPORTERS": "156", "CHOKEPOINT_COMTRADE_COMMODITIES": "2846",
           "CHOKEPOINT_CENSUS_COMMODITIES": "280530,284690"}
    for source in SOURCE_PATHS:
        env[f"CHOKEPOINT_{source.upper()}_URL"] = url
        env[f"CHOKEPOINT_{source.upper()}_MIN_INTERVAL"] = "0"
    return env


def main(argv: list[str] | None = None) -> None:
    import argparse
    import shlex

    parser = argparse.ArgumentParser(description="Replay every live source on 127.0.0.1, optionally with some broken")
    parser.add_argument("--break", dest="broken", action="append", default=[], choices=sorted(SOURCE_PATHS),
                        help="answer every request to this source 500 (repeatable)")
    parser.add_argument("--world-below-partners", action="append", default=[], metavar="YEAR",
                        help="answer this Comtrade year with a World row below its partners' sum (repeatable)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    server, url = serve(demo_replay(tuple(args.broken), tuple(args.world_below_partners)), args.port)
    exports = " ".join(f"{name}={shlex.quote(value)}" for name, value in demo_environment(url).items())
    print(f"Replaying the live sources at {url}; broken: {', '.join(args.broken) or 'none'}. In another shell:\n\n"
          f"  {exports} make run\n\nCtrl-C stops the server.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
