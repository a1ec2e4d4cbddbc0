"""The HTTP client against the replay server: retries, back-off, Retry-After, timeouts, rate limit, clear errors.

Sleeps are recorded, not slept (injected), so back-off of many seconds costs nothing here."""

import pytest

from orchestration.extract.live.http import HttpClient, SourceHTTPError, redact
from tests.live.replay_server import Fault

KEY = "secret-key-0123"


def _client(**settings) -> HttpClient:
    pauses = []
    defaults = dict(source="census", max_attempts=4, base_delay=1.0, timeout=2.0, sleep=pauses.append, jitter=lambda: 0.5)
    return HttpClient(**{**defaults, **settings})


def _url(replay, path="/data/timeseries/intltrade/imports/hs"):
    return replay.url + path


def test_429_with_retry_after_is_honoured_then_succeeds(replay):
    replay.publish_census("2024-01")
    replay.inject("/data/timeseries", Fault("status", 429, headers={"Retry-After": "7"}, body=b"Too Many Requests"))
    client = _client()
    response = client.get(_url(replay), params={"get": "CTY_CODE", "time": "2024-01", "I_COMMODITY": "280530"})
    assert response.status == 200 and response.attempts == 2
    assert client.slept == [7.0]  # Retry-After beats the 0.75 s back-off
    assert len(replay.log) == 2


def test_500s_are_retried_with_exponential_backoff_and_jitter(replay):
    replay.publish_census("2024-01")
    replay.inject("/data/timeseries", Fault("status", 500), Fault("status", 503))
    client = _client()
    response = client.get(_url(replay), params={"time": "2024-01", "I_COMMODITY": "280530"})
    assert response.status == 200 and response.attempts == 3
    assert client.slept == [0.75, 1.5]  # 1 s then 2 s, each half fixed + half jitter (jitter pinned to 0.5)


def test_a_source_that_keeps_failing_raises_a_clear_error_without_the_key(replay):
    body = f"upstream exploded while serving key={KEY}".encode()
    replay.inject("/data/timeseries", *[Fault("status", 500, body=body)] * 4)
    client = _client(secrets=(KEY,))
    with pytest.raises(SourceHTTPError) as error:
        client.get(_url(replay), params={"time": "2024-01", "key": KEY})
    message = str(error.value)
    assert message.startswith("census: GET http://127.0.0.1:")
    assert "HTTP 500 after 4 attempt(s)" in message and "upstream exploded" in message
    assert "time=2024-01" in message and KEY not in message
    assert len(replay.log) == 4


def test_timeout_is_retried_then_succeeds(replay):
    replay.publish_census("2024-01")
    replay.inject("/data/timeseries", Fault("timeout", delay=1.0))
    client = _client(timeout=0.3)
    response = client.get(_url(replay), params={"time": "2024-01", "I_COMMODITY": "280530"})
    assert response.status == 200 and response.attempts == 2


def test_body_cut_short_of_content_length_is_retried(replay):
    replay.publish_census("2024-01")
    replay.inject("/data/timeseries", Fault("short_read", body=b'[["CTY_CODE"'))
    response = _client().get(_url(replay), params={"time": "2024-01", "I_COMMODITY": "280530"})
    assert response.status == 200 and response.attempts == 2


def test_client_errors_are_not_retried(replay):
    with pytest.raises(SourceHTTPError, match=r"HTTP 404 after 1 attempt"):
        _client().get(replay.url + "/no/such/endpoint")
    assert len(replay.log) == 1


def test_retry_after_beyond_the_limit_fails_instead_of_stalling(replay):
    replay.inject("/data/timeseries", Fault("status", 429, headers={"Retry-After": "86400"}))
    with pytest.raises(SourceHTTPError, match=r"Retry-After 86400 s exceeds"):
        _client().get(_url(replay))


def test_rate_limit_spaces_requests_per_source(replay):
    replay.publish_census("2024-01")
    now = [100.0]
    pauses = []

    def sleep(seconds):
        pauses.append(seconds)
        now[0] += seconds

    client = HttpClient("census", min_interval=0.5, sleep=sleep, clock=lambda: now[0])
    for _ in range(3):
        client.get(_url(replay), params={"time": "2024-01", "I_COMMODITY": "280530"})
    assert pauses == [0.5, 0.5]


def test_redact_removes_every_credential_parameter():
    url = "https://api.census.gov/data?get=A,B&key=abc&time=2024-01&subscription-key=xyz"
    assert redact(url) == "https://api.census.gov/data?get=A,B&time=2024-01"
