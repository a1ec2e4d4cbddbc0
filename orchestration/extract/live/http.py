"""The one HTTP client of the live path: retries, back-off with jitter, Retry-After, timeouts, a per-source rate
limit, and errors that name the source, the URL (key removed), the status and an excerpt of the body.

Sleep, clock and randomness are injected so the fault tests run in milliseconds instead of real back-off time."""

from __future__ import annotations

import email.utils
import http.client
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

# Query parameters that carry credentials at the sources we call (Comtrade, Census) or commonly elsewhere.
SECRET_PARAMS = {"subscription-key", "key", "api_key", "apikey", "token", "access_token"}
RETRY_STATUSES = {429, 500, 502, 503, 504}
EXCERPT_CHARS = 300


def redact(url: str) -> str:
    """The URL without credential parameters: what may be stored, logged or shown."""
    parts = urllib.parse.urlsplit(url)
    kept = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in SECRET_PARAMS]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(kept, safe=",*:")))


class SourceHTTPError(RuntimeError):
    """A source kept failing (or refused the request): names source, URL without key, status and body excerpt."""

    def __init__(self, source: str, url: str, status: int | None, excerpt: str, attempts: int, reason: str = ""):
        shown = f"HTTP {status}" if status is not None else (reason or "no response")
        super().__init__(
            f"{source}: GET {url} failed with {shown} after {attempts} attempt(s)"
            + (f"; body starts: {excerpt!r}" if excerpt else "")
        )
        self.source, self.url, self.status, self.excerpt, self.attempts = source, url, status, excerpt, attempts


@dataclass
class Response:
    url: str  # redacted
    status: int
    body: bytes
    content_type: str
    retrieved_at: datetime
    attempts: int


@dataclass
class HttpClient:
    """One client per source, so the rate limit and the back-off state are per source."""

    source: str
    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    max_retry_after: float = 300.0  # a server asking for a longer pause fails the run instead of stalling it
    timeout: float = 30.0
    min_interval: float = 0.0  # seconds between requests (rate limit)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random
    secrets: tuple[str, ...] = ()  # key values to blank out of error excerpts, should a server echo them
    slept: list[float] = field(default_factory=list)  # every pause, for tests and run metadata
    _last_request: float | None = None

    def get(self, url: str, params: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
            headers: Mapping[str, str] | None = None, ok_statuses: Iterable[int] = (200, 204)) -> Response:
        # A list of pairs allows repeated names (the Federal Register's fields[]=a&fields[]=b).
        full_url = url + ("?" + urllib.parse.urlencode(params, safe=",*:") if params else "")
        shown_url = redact(full_url)
        ok_statuses = set(ok_statuses)
        last_status, last_excerpt, last_reason = None, "", ""
        for attempt in range(1, self.max_attempts + 1):
            self._respect_rate_limit()
            retry_after = None
            try:
                status, body, content_type, retry_after = self._fetch(full_url, headers or {})
            except (TimeoutError, ConnectionError, http.client.IncompleteRead, http.client.RemoteDisconnected, urllib.error.URLError) as exc:
                # Timeouts, resets and bodies cut short of their Content-Length are transient: try again.
                last_status, last_excerpt, last_reason = None, "", f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
            else:
                if status in ok_statuses:
                    return Response(shown_url, status, body, content_type, datetime.now(UTC), attempt)
                last_status, last_excerpt = status, self._excerpt(body)
                if status not in RETRY_STATUSES:
                    break  # 400/401/403/404: asking again will not help
            if attempt < self.max_attempts:
                self._pause(attempt, retry_after, shown_url, last_status, last_excerpt)
        raise SourceHTTPError(self.source, shown_url, last_status, last_excerpt, attempt, last_reason)

    def _fetch(self, url: str, headers: Mapping[str, str]) -> tuple[int, bytes, str, str | None]:
        request = urllib.request.Request(url, headers={"User-Agent": "chokepoint-live/1", **headers})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                return reply.status, reply.read(), reply.headers.get("Content-Type", ""), reply.headers.get("Retry-After")
        except urllib.error.HTTPError as error:
            body = error.read() if error.fp else b""
            return error.code, body, error.headers.get("Content-Type", ""), error.headers.get("Retry-After")

    def _pause(self, attempt: int, retry_after: str | None, url: str, status, excerpt: str) -> None:
        # Exponential back-off with "equal jitter": half fixed, half random, so parallel clients spread out.
        backoff = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        delay = backoff / 2 + self.jitter() * backoff / 2
        asked = _retry_after_seconds(retry_after)
        if asked is not None:
            if asked > self.max_retry_after:
                raise SourceHTTPError(self.source, url, status, f"Retry-After {asked:.0f} s exceeds the "
                                      f"{self.max_retry_after:.0f} s limit; {excerpt}", attempt)
            delay = max(delay, asked)
        self.slept.append(delay)
        self.sleep(delay)

    def _respect_rate_limit(self) -> None:
        now = self.clock()
        if self._last_request is not None and self.min_interval > 0:
            wait = self._last_request + self.min_interval - now
            if wait > 0:
                self.sleep(wait)
                now = self.clock()
        self._last_request = now

    def _excerpt(self, body: bytes) -> str:
        text = " ".join(body[:2000].decode("utf-8", "replace").split())[:EXCERPT_CHARS]
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "***")
        return text


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())
