"""HTTP for `enrich`, as a good citizen of the scholarly APIs.

Every request names the project and a contact (`mailto`), keeps to the host's published
rate limit, retries 429 and 5xx answers with exponential backoff (honouring Retry-After),
times out instead of hanging, and is answered from `.cache/enrich/` when it was asked
before, so a re-run asks nothing new.  The network itself is a `Transport`, so tests
replay recorded responses through the same code.
"""

from __future__ import annotations

import email.utils
import errno
import hashlib
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

T = TypeVar("T")

#: Seconds between two requests to one host.  arXiv asks for one request every 3 s.
#: Semantic Scholar's pool without a key is shared by every caller and answers 429 when
#: busy; its former published limit, 100 requests per 5 minutes, is one every 3 s.
#: Crossref's and OpenAlex's polite pools allow 10 requests/s: we keep to half of that.
HOST_INTERVALS: dict[str, float] = {
    "export.arxiv.org": 3.0,
    "api.semanticscholar.org": 3.0,
    "api.crossref.org": 0.2,
    "api.openalex.org": 0.2,
}
DEFAULT_INTERVAL = 1.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CACHE_DIR = Path(".cache") / "enrich"


@dataclass(frozen=True)
class Request:
    url: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    #: Header names in lower case.
    headers: dict[str, str] = field(default_factory=dict)


class Unreachable(Exception):
    """The host cannot be reached at all: no network, no DNS, connection refused."""


class NoNetwork(Exception):
    """Raised by the client when a host is unreachable: the run stops and writes nothing."""


class FetchError(Exception):
    """A request that failed for good (after retries), with a one-line reason."""


class Transport(Protocol):
    def send(self, request: Request, timeout: float) -> Response:
        """Return the response (any status); raise TimeoutError or Unreachable."""


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


_UNREACHABLE_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ECONNREFUSED, errno.ENETDOWN}


class UrllibTransport:
    """The real network, through urllib.request (no dependency beyond the standard library)."""

    def send(self, request: Request, timeout: float) -> Response:
        req = urllib.request.Request(request.url, headers=dict(request.headers))
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return Response(resp.status, resp.read(), {k.lower(): v for k, v in resp.headers.items()})
        except urllib.error.HTTPError as exc:
            body = exc.read() if exc.fp is not None else b""
            return Response(exc.code, body, {k.lower(): v for k, v in (exc.headers or {}).items()})
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise TimeoutError(str(reason)) from None
            if isinstance(reason, socket.gaierror) or (
                isinstance(reason, OSError) and reason.errno in _UNREACHABLE_ERRNOS
            ):
                raise Unreachable(
                    f"cannot reach {urllib.parse.urlsplit(request.url).hostname}: {reason}"
                ) from None
            raise OSError(str(reason)) from None


class Cache:
    """Response bodies by request URL (without the contact address, which is not part of the question)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, url: str) -> Path:
        digest = hashlib.sha256(cache_key(url).encode()).hexdigest()
        return self.folder / digest[:2] / f"{digest}.json"

    def get(self, url: str) -> tuple[int, str] | None:
        try:
            data = json.loads(self._path(url).read_text(encoding="utf-8"))
            return int(data["status"]), str(data["body"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, url: str, status: int, body: str) -> None:
        path = self._path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        record = {"url": cache_key(url), "status": status, "body": body}
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)


def cache_key(url: str) -> str:
    """The URL without its `mailto` parameter."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != "mailto"]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def user_agent(mailto: str) -> str:
    contact = f" (mailto:{mailto})" if mailto else ""
    return f"reading-list-enrich/1.0{contact}"


class Client:
    """GET with identification, per-host rate limits, retries, timeouts and the cache."""

    def __init__(
        self,
        transport: Transport,
        *,
        mailto: str = "",
        cache: Cache | None = None,
        clock: Clock | None = None,
        timeout: float = 30.0,
        tries: int = 4,
        backoff: float = 2.0,
        max_wait: float = 120.0,
        intervals: dict[str, float] | None = None,
    ) -> None:
        self.transport = transport
        self.mailto = mailto
        self.cache = cache
        self.clock = clock or SystemClock()
        self.timeout = timeout
        self.tries = tries
        self.backoff = backoff
        self.max_wait = max_wait
        self.intervals = HOST_INTERVALS if intervals is None else intervals
        self.headers = (
            ("User-Agent", user_agent(mailto)),
            ("Accept", "application/json, application/atom+xml"),
        )
        self._last: dict[str, float] = {}
        #: Requests sent over the transport (cache hits are not counted).
        self.sent = 0

    def fetch(self, url: str, parse: Callable[[str], T]) -> T | None:
        """GET `url` and parse the body; None when the work is not there (404).

        A body is cached only once it parsed, so a malformed answer is asked again next time.
        Raises FetchError (the request failed for good, or the body is malformed) and
        NoNetwork (nothing can be reached).
        """
        host = urllib.parse.urlsplit(url).hostname or ""
        cached = self.cache.get(url) if self.cache else None
        if cached is not None:
            status, text = cached
            return None if status == 404 else self._parse(host, text, parse)
        status, text = self._get(host, url)
        if status == 404:
            if self.cache:
                self.cache.put(url, status, "")
            return None
        result = self._parse(host, text, parse)
        if self.cache:
            self.cache.put(url, status, text)
        return result

    @staticmethod
    def _parse(host: str, text: str, parse: Callable[[str], T]) -> T:
        try:
            return parse(text)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise FetchError(f"{host}: malformed response ({type(exc).__name__}: {exc})") from None

    def _get(self, host: str, url: str) -> tuple[int, str]:
        problem = ""
        for attempt in range(self.tries):
            self._wait_turn(host)
            try:
                response = self.transport.send(Request(url, self.headers), self.timeout)
            except Unreachable as exc:
                raise NoNetwork(str(exc)) from None
            except TimeoutError:
                problem = f"no answer within {self.timeout:g} s"
                wait = self.backoff * 2**attempt
            except OSError as exc:
                problem = f"connection failed ({exc})"
                wait = self.backoff * 2**attempt
            else:
                if response.status in (200, 404):
                    try:
                        return response.status, response.body.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        raise FetchError(f"{host}: malformed response (not UTF-8: {exc})") from None
                problem = f"HTTP {response.status}"
                if response.status not in RETRY_STATUSES:
                    break
                wait = self._retry_after(response) or self.backoff * 2**attempt
                if wait > self.max_wait:
                    problem += f", asked to wait {wait:g} s"
                    break
            if attempt + 1 < self.tries:
                self.clock.sleep(wait)
        raise FetchError(f"{host}: {problem} (after {attempt + 1} tries)")

    def _wait_turn(self, host: str) -> None:
        interval = self.intervals.get(host, DEFAULT_INTERVAL)
        last = self._last.get(host)
        if last is not None:
            ahead = last + interval - self.clock.monotonic()
            if ahead > 0:
                self.clock.sleep(ahead)
        self._last[host] = self.clock.monotonic()
        self.sent += 1

    @staticmethod
    def _retry_after(response: Response) -> float | None:
        value = response.headers.get("retry-after", "").strip()
        if not value:
            return None
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())
