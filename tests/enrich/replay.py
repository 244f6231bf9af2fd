"""Recorded API responses served by request URL, and a clock that only moves when slept."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.enrich.client import Request, Response, Unreachable

FIXTURES = Path(__file__).with_name("fixtures")

S2_FIELDS = "fields=title%2Cauthors%2Cyear%2Cvenue%2Cjournal%2CexternalIds%2Curl%2CopenAccessPdf%2Cabstract"
CHEMCROW_TITLE = "Augmenting+Large+Language+Models+with+Chemistry+Tools"
QUANTUM_TITLE = "Quantum+criticality+for+extended+nodes+on+a+Bethe+lattice+in+the+large+connectivity+limit"

#: The requests `enrich` makes for the fixture papers, and the recorded body each is answered
#: with (tests/enrich/fixtures/SOURCES.md says which request recorded it).  Where our request
#: differs from the recorded one, the note says how; the envelope and records are the same.
RECORDED: dict[str, str] = {
    # ChemCrow by title.  Recorded with query.title=, rows=1; we send query.bibliographic=.
    f"https://api.crossref.org/works?query.bibliographic={CHEMCROW_TITLE}&rows=5": (
        "crossref_query_title.json"
    ),
    # Recorded without per_page.
    f"https://api.openalex.org/works?filter=title.search%3A{CHEMCROW_TITLE}&per_page=5": (
        "openalex_search.json"
    ),
    # Recorded with more fields (citation counts and styles), no abstract.
    f"https://api.semanticscholar.org/graph/v1/paper/search/match?query={CHEMCROW_TITLE}&{S2_FIELDS}": (
        "s2_search_match.json"
    ),
    # ChemCrow by DOI (recorded with mailto=, which the cache key leaves out).
    "https://api.crossref.org/works/10.1038%2Fs42256-024-00832-8": "crossref_work_chemcrow.json",
    f"https://api.semanticscholar.org/graph/v1/paper/DOI:10.1038/s42256-024-00832-8?{S2_FIELDS}": (
        "s2_paper_chemcrow.json"
    ),
    # The PNAS paper by DOI: three answers recorded together on 2025-08-11.
    "https://api.crossref.org/works/10.1073%2Fpnas.1414271111": "crossref_work.json",
    "https://api.openalex.org/works/https://doi.org/10.1073%2Fpnas.1414271111": "openalex_work.json",
    f"https://api.semanticscholar.org/graph/v1/paper/DOI:10.1073/pnas.1414271111?{S2_FIELDS}": (
        "s2_paper.json"
    ),
    # arXiv by id (recorded with sortBy, sortOrder and max_results=100).
    "https://export.arxiv.org/api/query?id_list=1605.08386&max_results=1": "arxiv_id_list.xml",
    # arXiv by title.  Recorded for au:del_maestro AND ti:"quantum criticality": two papers,
    # one of them this one.
    f"https://export.arxiv.org/api/query?search_query=ti%3A%22{QUANTUM_TITLE}%22&start=0&max_results=5": (
        "arxiv_query_title.xml"
    ),
}


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class ReplayTransport:
    """Answers each request URL with its recorded body; an unknown URL fails the test.

    `script` gives a URL a list of answers to hand out first, one per request: a status
    (with the recorded body), a (status, headers) pair, a Response, or an exception to raise.
    """

    responses: dict[str, str] = field(default_factory=lambda: dict(RECORDED))
    script: dict[str, list[object]] = field(default_factory=dict)
    unreachable: bool = False
    requests: list[Request] = field(default_factory=list)

    def send(self, request: Request, timeout: float) -> Response:
        self.requests.append(request)
        if self.unreachable:
            raise Unreachable("cannot reach the host: [Errno -3] Temporary failure in name resolution")
        url = request.url
        if self.script.get(url):
            answer = self.script[url].pop(0)
            if isinstance(answer, BaseException):
                raise answer
            if isinstance(answer, Response):
                return answer
            status, headers = answer if isinstance(answer, tuple) else (answer, {})
            return Response(int(status), body(self.responses[url]) if status == 200 else b"", dict(headers))
        assert url in self.responses, f"request not recorded: {url}"
        return Response(200, body(self.responses[url]), {"content-type": "application/json"})

    @property
    def urls(self) -> list[str]:
        return [r.url for r in self.requests]


@dataclass
class FakeClock:
    """Monotonic time that moves only when slept; remembers every sleep."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
