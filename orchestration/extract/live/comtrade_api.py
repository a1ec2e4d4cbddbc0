"""UN Comtrade v1 requests: keyed ``/data/v1/get`` when CHOKEPOINT_COMTRADE_KEY is set, else the keyless preview.

The API has no cursor: a response silently stops at the cap (500 records for the preview, 250,000 keyed). Requests
are therefore split by period x reporter x flow x a batch of commodity codes (``cmdCode`` takes a comma list); a
batch whose response reaches the cap is asked again in two halves (``split``), and a single code at the cap is
refused (``RowCapError``) instead of being landed as if it were complete. Records are parsed by the snapshot's own
parser (``orchestration.extract.comtrade``), so live and snapshot rows have the same shape."""

from __future__ import annotations

import json
from dataclasses import dataclass

from orchestration.extract.errors import SourceFormatError

SOURCE = "comtrade"
PREVIEW_CAP = 500
KEYED_CAP = 250_000
# Codes per request (CHOKEPOINT_COMTRADE_CODES_PER_REQUEST overrides). No published limit on the number of cmdCode
# values was found; the API refuses URLs over 4,096 characters (ropensci/comtradr#50, maintainer comment), far above
# 50 codes (~350 characters). The preview batch is small because its 500 records are one per partner and code (World
# included): five codes fit while each has fewer than 100 partners; a batch that reaches the cap is halved
# (``split``), at the cost of more calls.
CODES_PER_REQUEST = {"preview": 5, "keyed": 50}


class RowCapError(SourceFormatError):
    """The response holds as many records as the endpoint's cap: it is probably cut off."""


@dataclass(frozen=True)
class ComtradeRequest:
    reporter: str
    flow: str
    commodity: str
    period: str  # YYYY (freq A) or YYYYMM (freq M)
    freq: str = "A"

    @property
    def codes(self) -> list[str]:
        return self.commodity.split(",")

    @property
    def key(self) -> str:
        return f"{self.reporter}/{self.flow}/{self.commodity}/{self.freq}/{self.period}"

    def path(self, keyed: bool) -> str:
        return f"/data/v1/get/C/{self.freq}/HS" if keyed else f"/public/v1/preview/C/{self.freq}/HS"

    def params(self, keyed: bool) -> dict[str, str]:
        # The same query the snapshot responses were downloaded with (data/snapshot/comtrade/.../manifest.json),
        # so a live response for a year is a new vintage of the snapshot response for that year.
        return {
            "period": self.period, "reporterCode": self.reporter, "cmdCode": self.commodity, "flowCode": self.flow,
            "partner2Code": "0", "customsCode": "C00", "motCode": "0",
            "maxRecords": str(KEYED_CAP if keyed else PREVIEW_CAP), "breakdownMode": "classic",
            "includeDesc": "true", "format": "JSON",
        }


def requests_for_year(year: str, reporters: list[str], flows: list[str], commodities: list[str],
                      codes_per_request: int = 1, freq: str = "A") -> list[ComtradeRequest]:
    """Reporter x flow x batches of ``codes_per_request`` codes: one call per batch, against a daily call quota.
    ``year`` is the period of ``freq``: YYYY annual, YYYYMM monthly."""
    if codes_per_request < 1:
        raise ValueError(f"codes per request must be at least 1, not {codes_per_request}")
    batches = [commodities[start:start + codes_per_request] for start in range(0, len(commodities), codes_per_request)]
    return [ComtradeRequest(r, f, ",".join(batch), year, freq) for r in reporters for f in flows for batch in batches]


def split(request: ComtradeRequest) -> list[ComtradeRequest]:
    """The two halves of a batch that reached the cap; a single code cannot be split (the caller refuses it)."""
    codes = request.codes
    middle = (len(codes) + 1) // 2
    return [ComtradeRequest(request.reporter, request.flow, ",".join(half), request.period, request.freq)
            for half in (codes[:middle], codes[middle:])]


def check_row_cap(payload: bytes, keyed: bool, name: str) -> None:
    """Fail loudly when a response reaches the cap: the missing records would otherwise vanish without trace."""
    cap = KEYED_CAP if keyed else PREVIEW_CAP
    try:
        document = json.loads(payload)
    except json.JSONDecodeError:
        return  # the parser reports invalid JSON with its position
    records = document.get("data") if isinstance(document, dict) else None
    count = document.get("count") if isinstance(document, dict) else None
    held = max(len(records) if isinstance(records, list) else 0, count if isinstance(count, int) else 0)
    if held >= cap:
        raise RowCapError(name, f"response holds {held} records, the {'keyed' if keyed else 'preview'} cap of {cap}: "
                                "it is probably truncated; split the request further (fewer commodities or partners)",
                          field="count")
