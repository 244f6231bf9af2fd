"""The HTTP client: identification, cache, rate limits, retries and failures, with a fake clock."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from generator.enrich import arxiv, crossref, openalex
from generator.enrich.client import Cache, Client, FetchError, NoNetwork, Response, cache_key

from .replay import FakeClock, ReplayTransport

PNAS_CROSSREF = "https://api.crossref.org/works/10.1073%2Fpnas.1414271111"
HEAT_BATH = "https://export.arxiv.org/api/query?id_list=1605.08386&max_results=1"
QUANTUM = next(u for u in ReplayTransport().responses if "search_query" in u)


def client(transport: ReplayTransport, clock: FakeClock | None = None, **kwargs) -> Client:
    return Client(transport, clock=clock or FakeClock(), **kwargs)


def test_requests_name_the_project_and_the_contact() -> None:
    transport = ReplayTransport()
    transport.responses[PNAS_CROSSREF + "?mailto=curator%40example.org"] = transport.responses[PNAS_CROSSREF]
    c = client(transport, mailto="curator@example.org")
    crossref.by_doi(c, "10.1073/pnas.1414271111")
    [request] = transport.requests
    assert request.url == PNAS_CROSSREF + "?mailto=curator%40example.org"
    assert dict(request.headers)["User-Agent"] == "reading-list-enrich/1.0 (mailto:curator@example.org)"
    assert openalex.doi_url("10.1/x", "a@b.org").endswith("?mailto=a%40b.org")


def test_the_cache_answers_a_second_run_and_ignores_the_contact(tmp_path: Path) -> None:
    first = ReplayTransport()
    found = client(first, cache=Cache(tmp_path))
    _url, records = crossref.by_doi(found, "10.1073/pnas.1414271111")
    assert len(first.requests) == 1 and found.sent == 1
    second = ReplayTransport(responses={})  # any request would fail the test
    again = client(second, cache=Cache(tmp_path), mailto="someone@example.org")
    assert crossref.by_doi(again, "10.1073/pnas.1414271111")[1] == records
    assert second.requests == [] and again.sent == 0
    assert cache_key(PNAS_CROSSREF + "?mailto=a%40b.org&rows=1") == PNAS_CROSSREF + "?rows=1"


def test_not_found_is_cached_too(tmp_path: Path) -> None:
    url = arxiv.id_url("2401.99999")
    transport = ReplayTransport(script={url: [404]})
    assert client(transport, cache=Cache(tmp_path)).fetch(url, arxiv.parse) is None
    quiet = ReplayTransport(responses={})
    assert client(quiet, cache=Cache(tmp_path)).fetch(url, arxiv.parse) is None
    assert quiet.requests == []


def test_arxiv_requests_are_three_seconds_apart() -> None:
    clock = FakeClock()
    transport = ReplayTransport()
    c = client(transport, clock)
    starts = []
    for url in (HEAT_BATH, QUANTUM, HEAT_BATH):
        c.fetch(url, arxiv.parse)
        starts.append(clock.now)
        clock.now += 0.5  # parsing and the rest of the run take a little time
    assert [b - a for a, b in itertools.pairwise(starts)] == [3.0, 3.0]
    assert clock.sleeps == [2.5, 2.5]


def test_hosts_are_limited_separately() -> None:
    clock = FakeClock()
    c = client(ReplayTransport(), clock)
    c.fetch(HEAT_BATH, arxiv.parse)
    c.fetch(PNAS_CROSSREF, crossref.parse)  # another host: no wait for arXiv's 3 s
    assert clock.sleeps == []
    c.fetch(PNAS_CROSSREF, crossref.parse)
    assert clock.sleeps == [pytest.approx(0.2)]


def test_429_then_success_waits_as_retry_after_says() -> None:
    clock = FakeClock()
    transport = ReplayTransport(script={PNAS_CROSSREF: [(429, {"retry-after": "7"})]})
    [record] = client(transport, clock).fetch(PNAS_CROSSREF, crossref.parse) or []
    assert record.doi == "10.1073/pnas.1414271111"
    assert len(transport.requests) == 2
    assert clock.sleeps == [7.0]


def test_429_and_503_without_retry_after_back_off_exponentially() -> None:
    clock = FakeClock()
    transport = ReplayTransport(script={PNAS_CROSSREF: [429, 503, 502]})
    assert client(transport, clock).fetch(PNAS_CROSSREF, crossref.parse)
    assert clock.sleeps == [2.0, 4.0, 8.0]


def test_500_every_time_fails_after_the_last_try() -> None:
    clock = FakeClock()
    transport = ReplayTransport(script={PNAS_CROSSREF: [500] * 4})
    with pytest.raises(FetchError, match=r"^api\.crossref\.org: HTTP 500 \(after 4 tries\)$"):
        client(transport, clock).fetch(PNAS_CROSSREF, crossref.parse)
    assert len(transport.requests) == 4
    assert clock.sleeps == [2.0, 4.0, 8.0]


def test_a_wait_longer_than_allowed_gives_up_at_once() -> None:
    transport = ReplayTransport(script={PNAS_CROSSREF: [(429, {"retry-after": "3600"})]})
    with pytest.raises(FetchError, match="HTTP 429, asked to wait 3600 s \\(after 1 tries\\)"):
        client(transport).fetch(PNAS_CROSSREF, crossref.parse)


def test_other_client_errors_are_not_retried() -> None:
    transport = ReplayTransport(script={PNAS_CROSSREF: [400]})
    with pytest.raises(FetchError, match="HTTP 400"):
        client(transport).fetch(PNAS_CROSSREF, crossref.parse)
    assert len(transport.requests) == 1


def test_timeouts_are_retried_then_reported() -> None:
    clock = FakeClock()
    transport = ReplayTransport(script={PNAS_CROSSREF: [TimeoutError("timed out")] * 4})
    with pytest.raises(FetchError, match=r"no answer within 30 s \(after 4 tries\)"):
        client(transport, clock).fetch(PNAS_CROSSREF, crossref.parse)
    assert len(transport.requests) == 4
    transport = ReplayTransport(script={PNAS_CROSSREF: [TimeoutError("timed out")]})
    assert client(transport).fetch(PNAS_CROSSREF, crossref.parse), "a timeout, then the answer"


def test_a_malformed_body_is_reported_and_not_cached(tmp_path: Path) -> None:
    broken = Response(200, b'{"status": "ok", "message-type": "work", "message": {"DOI": ')
    transport = ReplayTransport(script={PNAS_CROSSREF: [broken]})
    with pytest.raises(FetchError, match=r"^api\.crossref\.org: malformed response \(JSONDecodeError: "):
        client(transport, cache=Cache(tmp_path)).fetch(PNAS_CROSSREF, crossref.parse)
    assert list(tmp_path.rglob("*.json")) == []
    # The next run asks again, and gets the real answer.
    assert client(transport, cache=Cache(tmp_path)).fetch(PNAS_CROSSREF, crossref.parse)
    assert len(transport.requests) == 2


def test_a_body_that_is_not_utf8_is_malformed() -> None:
    transport = ReplayTransport(script={PNAS_CROSSREF: [Response(200, b"\xff\xfe{}")]})
    with pytest.raises(FetchError, match="not UTF-8"):
        client(transport).fetch(PNAS_CROSSREF, crossref.parse)


def test_no_network_stops_at_the_first_request() -> None:
    transport = ReplayTransport(unreachable=True)
    with pytest.raises(NoNetwork, match="Temporary failure in name resolution"):
        client(transport).fetch(PNAS_CROSSREF, crossref.parse)
    assert len(transport.requests) == 1, "no retries when nothing can be reached"
