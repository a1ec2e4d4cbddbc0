"""Comtrade v1 response parser on real responses and on the malformed ones an API can return."""

import json

import pytest

from orchestration.extract.comtrade import RECORD_FIELDS, parse_response
from orchestration.extract.errors import SourceFormatError
from orchestration.settings import PROJECT_ROOT

RESPONSE_2020 = PROJECT_ROOT / "data/snapshot/comtrade/china_imports_2846/2020.json"


def test_real_response_keeps_every_field_and_value():
    frame = parse_response(RESPONSE_2020.read_bytes(), "2020.json")
    assert len(frame) == 28
    assert set(RECORD_FIELDS) <= set(frame.columns)
    by_partner = frame.set_index("partnerCode").primaryValue
    assert by_partner[0] == 503_272_416.0  # World
    assert by_partner[104] == 387_673_406.0  # Myanmar
    assert by_partner.drop(0).sum() == by_partner[0]
    assert frame.cmdCode.iloc[0] == "2846" and frame.period.iloc[0] == "2020"


def test_truncated_json_is_reported_with_position():
    payload = RESPONSE_2020.read_bytes()[:500]
    with pytest.raises(SourceFormatError, match=r"2020.json: response is not valid JSON"):
        parse_response(payload, "2020.json")


def test_count_mismatch_is_refused():
    document = json.loads(RESPONSE_2020.read_bytes())
    document["data"] = document["data"][:10]
    with pytest.raises(SourceFormatError, match=r"field 'count'.*28 records but 'data' holds 10"):
        parse_response(json.dumps(document).encode(), "2020.json")


def test_missing_field_names_record_and_field():
    document = json.loads(RESPONSE_2020.read_bytes())
    del document["data"][3]["primaryValue"]
    with pytest.raises(SourceFormatError, match=r"row 3, field 'primaryValue'"):
        parse_response(json.dumps(document).encode(), "2020.json")


def test_api_error_member_is_surfaced():
    payload = json.dumps({"count": 0, "data": [], "error": "Invalid subscription key"}).encode()
    with pytest.raises(SourceFormatError, match="API reported an error: Invalid subscription key"):
        parse_response(payload, "2020.json")


def test_text_in_a_numeric_field_names_record_and_field():
    document = json.loads(RESPONSE_2020.read_bytes())
    document["data"][5]["primaryValue"] = "1,234"
    with pytest.raises(SourceFormatError, match=r"row 5, field 'primaryValue'.*'1,234'"):
        parse_response(json.dumps(document).encode(), "2020.json")
