"""One small broken fixture per kind of bad input.

Each case runs the real `python -m generator validate` and asserts the exit
status and the exact `path:line:col` of the message; then `generate` and
`build` must fail too and leave docs/, site/ and mkdocs.yml byte-for-byte as
they were.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import ABSTRACT, TOPICS, Result, paper, run_cli, run_main, snapshot, write

P = "content/papers/bad.md"
JS = "'javascript:' links are not allowed"
SYMLINK = object()  # a file that is a symbolic link to /etc/hostname


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, object]
    #: (path:line:col, a part of the message) that must each appear as one line of stderr.
    expect: tuple[tuple[str, str], ...]
    strict: bool = False
    remove: tuple[str, ...] = field(default=())


def bad(text: str | bytes, where: str, message: str) -> Case:
    return Case("", {P: text}, ((where, message),))


def notes(body: str, where: str, message: str) -> Case:
    """A paper whose notes (the body, from line 6) carry `body`."""
    return bad(paper(body=body), f"{P}:{where}", message)


PG = "content/pages/hostile.md"
#: A page that tries every way out of its front matter (each line is refused where it is).
HOSTILE_PAGE = (
    "---\n"
    "title: '\"><script>alert(1)</script>'\n"
    "description: '\" onmouseover=\"alert(1)'\n"
    "template: ../../etc\n"
    "source: javascript:alert(1)\n"
    "paper:\n"
    "  links:\n"
    "    - {kind: url, label: Paper, url: 'javascript:alert(1)'}\n"
    "---\n"
    "# Hostile\n"
)


def page(front: str, where: str, *messages: str) -> Case:
    """A hand-written page with front matter `front` (from line 2), refused at `where`."""
    return Case("", {PG: f"---\n{front}---\nBody.\n"}, tuple((where, m) for m in messages))


CASES: dict[str, Case] = {
    # --- front matter that cannot be read ---------------------------------------------------
    "yaml-syntax": bad(paper(extra="tags: a: b\n"), f"{P}:5:8", "YAML syntax error: mapping values"),
    "yaml-unclosed-list": bad(
        paper(extra="tags: [a, b\n"), f"{P}:6:1", "flow sequence that starts on line 5, column 7"
    ),
    "no-opening-delimiter": bad("title: x\nadded: 2025-01-02\n", f"{P}:1:1", "must start with a '---' line"),
    "unclosed-delimiter": bad("---\ntitle: x\nadded: 2025-01-02\n", f"{P}:1:1", "is never closed"),
    "front-matter-list": bad("---\n- a\n- b\n---\n", f"{P}:2:1", "found a list"),
    "front-matter-scalar": bad("---\njust a sentence\n---\n", f"{P}:2:1", "found a single value"),
    "document-end": bad("---\ntitle: x\n...\nmore: y\n---\n", f"{P}:4:1", "YAML syntax error"),
    "control-character": bad(paper(extra="tags: [a\x07]\n"), f"{P}:5:9", "is not allowed in YAML"),
    "deep-nesting": bad(paper(extra="tags: " + "[" * 40 + "]" * 40 + "\n"), f"{P}:5:23", "nested more than"),
    "anchor-alias": bad(paper(extra="authors: &who [A]\ntags: *who\n"), f"{P}:5:10", "anchors and aliases"),
    "alias-bomb": bad(
        paper(extra="lol: &a [x, x]\nlol2: &b [*a, *a]\nlol3: [*b, *b, *b]\n"),
        f"{P}:5:6",
        "anchors and aliases",
    ),
    "python-tag": bad(
        paper(extra="year: !!python/object/apply:os.system ['true']\n"), f"{P}:5:7", "YAML tags such as"
    ),
    # --- the file itself --------------------------------------------------------------------
    "not-utf8": bad(paper(title="Caf\xe9 Reasoning").encode("latin-1"), f"{P}:2:11", "file is not UTF-8"),
    "empty-file": bad("", f"{P}:1:1", "file is empty"),
    "blank-file": bad(" \n\n", f"{P}:1:1", "file is empty"),
    "too-big": bad(paper(body="x" * 300_000), f"{P}:1:1", "over the limit of 262144"),
    "symlink": bad("", f"{P}:1:1", "symbolic link"),
    "not-markdown": Case(
        "", {"content/papers/notes.txt": "hello"}, (("content/papers/notes.txt:1:1", ".md"),)
    ),
    "folder": Case(
        "",
        {"content/papers/sub/x.md": paper()},
        (("content/papers/sub:1:1", "folders in papers/ are not read"),),
    ),
    "slug-space": Case(
        "",
        {"content/papers/My Paper.md": paper("Mine")},
        (("content/papers/My Paper.md:1:1", "not a valid slug"),),
    ),
    "slug-underscore": Case(
        "", {"content/papers/a_b.md": paper("Mine")}, (("content/papers/a_b.md:1:1", "not a valid slug"),)
    ),
    "slug-uppercase": Case(
        "",
        {"content/papers/Valid-Paper.md": paper("First"), "content/papers/valid-paper.md": paper("Second")},
        (
            ("content/papers/Valid-Paper.md:1:1", "rename it to 'valid-paper.md'"),
            ("content/papers/valid-paper.md:1:1", "differs only by case from content/papers/Valid-Paper.md"),
        ),
    ),
    # --- fields -----------------------------------------------------------------------------
    "missing-required": bad(
        f"---\ntitle: T\nabstract: {ABSTRACT}\n---\n", f"{P}:1:1", "added: required field"
    ),
    "empty-required": bad(paper(title="''"), f"{P}:2:8", "title: is empty"),
    "year-word": bad(paper(extra="year: twenty\n"), f"{P}:5:7", "expected a four-digit year"),
    "year-octal": bad(paper(extra="year: 010\n"), f"{P}:5:7", "YAML 1.1 reads as an octal number"),
    "year-boolean": bad(paper(extra="year: no\n"), f"{P}:5:7", "which YAML reads as a boolean"),
    "title-boolean": bad(paper(title="no"), f"{P}:2:8", "'no' is read as a boolean"),
    "title-number": bad(paper(title="010"), f"{P}:2:8", "'010' is read as a number"),
    "tag-boolean": bad(paper(extra="tags:\n  - on\n"), f"{P}:6:5", "'on' is read as a boolean"),
    "tag-date": bad(paper(extra="tags: [2024-01-01]\n"), f"{P}:5:8", "is read as a date"),
    "added-impossible": bad(
        f"---\ntitle: T\nadded: 2025-02-30\nabstract: {ABSTRACT}\n---\n", f"{P}:3:8", "not a real date"
    ),
    "added-format": bad(
        f"---\ntitle: T\nadded: 02/01/2025\nabstract: {ABSTRACT}\n---\n",
        f"{P}:3:8",
        "expected a date YYYY-MM-DD",
    ),
    "duplicate-key": bad(
        paper(extra="title: Again\n"),
        f"{P}:5:1",
        "title: duplicate key, first set on line 2 and again on line 5",
    ),
    "unknown-field": bad(paper(extra="autors: [A. Turing]\n"), f"{P}:5:1", "did you mean 'authors'?"),
    "unknown-topic": bad(
        paper(extra="topics: [quantum, reasonin]\n"),
        f"{P}:5:19",
        "'reasonin' is not a topic (did you mean 'reasoning'?)",
    ),
    "topics-mapping": bad(paper(extra="topics: {a: b}\n"), f"{P}:5:9", "expected a list of topic ids"),
    "status": bad(paper(extra="status: raed\n"), f"{P}:5:9", "did you mean 'read'?"),
    "url-ftp": bad(paper(extra="url: ftp://example.org/paper.pdf\n"), f"{P}:5:6", "http:// or https:// link"),
    "url-javascript": bad(paper(extra="url: javascript:alert(1)\n"), f"{P}:5:6", "http:// or https:// link"),
    "url-quote": bad(
        paper(extra="url: 'https://example.org/\"onmouseover=\"alert(1)'\n"),
        f"{P}:5:6",
        "without spaces, quotes",
    ),
    "code-item": bad(
        paper(extra="code:\n  - https://github.com/a/b\n  - github.com/a/c\n"),
        f"{P}:7:5",
        "code: expected an http",
    ),
    "url-list": bad(paper(extra="url: [https://a.org, https://b.org]\n"), f"{P}:5:6", "expected one link"),
    "arxiv": bad(paper(extra="arxiv: '2401.1'\n"), f"{P}:5:8", "expected an arXiv id"),
    # An unquoted arXiv id is a float to YAML 1.1 tools: 2401.10100 would become 2401.101.
    "arxiv-float": bad(paper(extra="arxiv: 2401.10100\n"), f"{P}:5:8", "'2401.10100' is read as a number"),
    "doi-link": bad(paper(extra="doi: https://doi.org/10.1000/xyz\n"), f"{P}:5:6", "not a link"),
    "doi-markup": bad(paper(extra="doi: 10.1000/x<script>\n"), f"{P}:5:6", "expected a DOI"),
    # --- the same paper twice ---------------------------------------------------------------
    "same-title": Case(
        "",
        {"content/papers/a.md": paper("Attention Is All You Need"), P: paper("attention is all you need!")},
        ((f"{P}:2:1", "title: the same paper as content/papers/a.md:2:1"),),
    ),
    "same-arxiv": Case(
        "",
        {
            "content/papers/a.md": paper("One", extra="arxiv: '1706.03762'\n"),
            P: paper("Two", extra="url: https://arxiv.org/abs/1706.03762v5\n"),
        },
        ((f"{P}:5:1", "url: the same paper as content/papers/a.md:5:1: arXiv id 1706.03762"),),
    ),
    "same-doi": Case(
        "",
        {
            "content/papers/a.md": paper("One", extra="doi: 10.1000/ABC\n"),
            P: paper("Two", extra="doi: 10.1000/abc\n"),
        },
        ((f"{P}:5:1", "doi: the same paper as content/papers/a.md:5:1: DOI 10.1000/abc"),),
    ),
    # --- script in what a reader sees -------------------------------------------------------
    "notes-script": notes("<script>alert(1)</script>\n", "6:1", "<script> is not allowed"),
    "notes-script-upper": notes("Text\n<SCRIPT SRC=//x.js></SCRIPT>\n", "7:1", "<script> is not allowed"),
    "notes-iframe": notes("See <iframe src=//x></iframe>\n", "6:5", "<iframe> is not allowed"),
    "notes-object": notes("<object data=x.swf></object>\n", "6:1", "<object> is not allowed"),
    "notes-embed": notes("<embed src=x.swf>\n", "6:1", "<embed> is not allowed"),
    "notes-onerror": notes('Look <img src=x onerror="alert(1)">\n', "6:17", "<img onerror> is not allowed"),
    "notes-onerror-quoted-gt": notes('<img alt=">" onerror=alert(1) src=x>\n', "6:14", "<img onerror>"),
    "notes-svg-onload": notes("<svg/onload=alert(1)>\n", "6:1", "<svg> is not allowed"),
    "notes-link": notes("[click](javascript:alert(1))\n", "6:9", JS),
    "notes-link-case-space": notes("[click]( JaVaScRiPt:alert(1))\n", "6:9", JS),
    "notes-link-tab": notes("[x](java\tscript:alert(1))\n", "6:5", JS),
    "notes-link-newline": notes("[x](java\nscript:alert(1))\n", "6:5", JS),
    "notes-link-entity": notes("[x](&#106;avascript:alert(1))\n", "6:5", JS),
    "notes-link-angle": notes("[x](<javascript:alert(1)>)\n", "6:5", JS),
    "notes-image-data": notes("![x](data:image/svg+xml;base64,PHN2Zz4=)\n", "6:6", "'data:' images"),
    "notes-vbscript": notes("[x](vbscript:msgbox(1))\n", "6:5", "'vbscript:' links are not allowed"),
    "notes-reference": notes("Intro [x][r].\n\n[r]: javascript:alert(1)\n", "8:5", "(in a link definition)"),
    "notes-href-entity": notes('<a href="&#106;avascript:alert(1)">x</a>\n', "6:10", JS),
    "notes-href-hex-colon": notes("<a href=javascript&colon;alert(1)>x</a>\n", "6:9", JS),
    "notes-attr-list": notes('Para\n{: onclick="alert(1)" }\n', "7:4", "sets 'onclick=alert(1)'"),
    "notes-attr-list-href": notes(
        '[a](https://ok.org){: href="javascript:x" }\n', "6:23", "sets 'href=javascript:x'"
    ),
    "notes-fence-attributes": notes(
        '```{.py onclick="alert(1)"}\nx = 1\n```\n', "6:9", "sets 'onclick=alert(1)'"
    ),
    "notes-code-span-bypass": notes("`x\n<script>alert(1)</script>`\n", "7:1", "<script> is not allowed"),
    # --- HTML outside the allow-list of notes (issue 9, item 2) -------------------------------
    **{
        f"notes-{tag}": notes(
            f"Text\n<{tag}>x\n", "7:1", f"notes: <{tag}> is not allowed in notes; allowed: a, abbr"
        )
        for tag in (
            "plaintext",
            "textarea",
            "xmp",
            "noembed",
            "noframes",
            "style",
            "title",
            "select",
            "button",
            "input",
            "dialog",
            "marquee",
        )
    },
    "notes-style-attribute": notes(
        'A <span>x</span> <b style="position:fixed;inset:0">y</b>\n', "6:3", "<span> is not allowed"
    ),
    "notes-style-overlay": notes('<p style="position:fixed;inset:0">y</p>\n', "6:4", "<p style="),
    "notes-target": notes(
        '<a href="https://x.org" target="_blank">y</a>\n', "6:25", "<a target> is not allowed"
    ),
    "notes-attr-list-style": notes(
        'Para\n{: style="position:fixed" }\n', "7:4", "sets 'style=position:fixed'"
    ),
    "notes-attr-list-class": notes("## Heading {: .md-sidebar }\n", "6:15", "sets '.md-sidebar'"),
    "notes-attr-list-bare": notes("[a](https://x.org){ onclick }\n", "6:21", "sets 'onclick'"),
    "notes-ftp-link": notes("[a](ftp://x.org/f)\n", "6:5", "'ftp:' links are not allowed in notes"),
    "notes-unknown-admonition": notes("!!! md-nav\n    x\n", "6:1", "class='admonition md-nav'"),
    "notes-comment": notes("x <!-- hidden -->\n", "6:3", "'<!' (an HTML comment"),
    # --- notes that would stall Markdown (item 10) ------------------------------------------
    "notes-nested-lists": notes("- " * 5000 + "x\n", "6:1", "lists or quotes nested on one line"),
    "notes-unclosed-brackets": notes("[" * 20000 + "\n", "6:1", "too many unclosed '['"),
    "notes-fences": notes("```\n" * 1000, "6:1", "code fence lines"),
    # --- links that mkdocs build --strict refuses (item 13) ---------------------------------
    "notes-link-missing-paper": notes(
        "See [x](../papers/no-such-paper.md).\n",
        "6:9",
        "link to '../papers/no-such-paper.md' points to no page",
    ),
    "notes-link-missing-sibling": notes(
        "Intro.\n\nSee [x](qubit.md).\n",
        "8:9",
        "link to 'qubit.md' points to no page (did you mean 'qubits.md'?)",
    ),
    "notes-link-missing-topic": notes("[t](../topics/nope.md#frag)\n", "6:5", "points to no page"),
    "notes-link-folder": notes("[t](../topics/)\n", "6:5", "(did you mean '../topics/index.md'?)"),
    "notes-link-absolute": notes("[t](/papers/qubits/)\n", "6:5", "is absolute"),
    "notes-link-anchor": notes(
        "[t](qubits.md#nope)\n", "6:5", "points to no anchor '#nope' of papers/qubits.md"
    ),
    "notes-link-reference": notes(
        "Intro [x][r].\n\n[r]: ../nope.md\n", "8:6", "link to '../nope.md' points to no page"
    ),
    "page-link-missing": Case(
        "",
        {"content/pages/about.md": "---\ntitle: About\n---\n# About\n\nSee [the list](papers/nope.md).\n"},
        (("content/pages/about.md:6:16", "page: link to 'papers/nope.md' points to no page"),),
    ),
    "title-onerror": bad(paper(title="'<img src=x onerror=alert(1)>'"), f"{P}:2:20", "title: event handler"),
    "title-markup": bad(paper(title="'<b>bold</b> claims'"), f"{P}:2:9", "would be read as HTML"),
    "abstract-script": bad(
        paper(abstract=ABSTRACT + " <script>alert(1)</script>"), f"{P}:4:{11 + len(ABSTRACT) + 1}", "<script>"
    ),
    "author-markup": bad(paper(extra="authors: [<i>Eve</i>]\n"), f"{P}:5:11", "authors: '<i>Eve</i>'"),
    "page-script": Case(
        "",
        {"content/pages/about.md": "---\ntitle: About\n---\n# About\n\n<script>alert(1)</script>\n"},
        (("content/pages/about.md:6:1", "page: <script> is not allowed in a page"),),
    ),
    # --- hand-written pages: an allow-list of fields, plain text, the generator's own keys refused
    "page-hostile": Case(
        "",
        {PG: HOSTILE_PAGE},
        (
            (f"{PG}:2:11", "title: raw HTML <script>"),
            (f"{PG}:3:17", "description: 'onmouseover=' reads as an HTML event handler"),
            (f"{PG}:4:1", "template: unknown field for a page; allowed: title, description, hide"),
            (f"{PG}:5:1", "source: unknown field for a page; allowed: title, description, hide"),
            (f"{PG}:6:1", "paper: unknown field for a page; allowed: title, description, hide"),
        ),
    ),
    **{
        f"page-{key}": Case(
            "",
            {PG: f"---\ntitle: Hostile\n{key}: {value}\n---\nBody.\n"},
            ((f"{PG}:3:1", f"{key}: unknown field for a page; allowed: title, description, hide"),),
        )
        for key, value in (
            ("tags", "[a]"),
            ("search", "{boost: 1000}"),
            ("feed", "{href: 'javascript:alert(1)', title: x}"),
            ("author", "Eve"),
            ("og_image", "https://evil.example/x.png"),
        )
    },
    "page-unknown-field": page("titel: About\n", f"{PG}:2:1", "titel: unknown field for a page", "'title'"),
    "page-missing-title": page("description: About us.\n", f"{PG}:1:1", "title: required field is missing"),
    "page-title-list": page("title: [a, b]\n", f"{PG}:2:8", "title: expected text, found a list"),
    "page-title-markup": page("title: <b>About</b>\n", f"{PG}:2:8", "would be read as HTML"),
    "page-description-mapping": page(
        "title: T\ndescription: {a: b}\n", f"{PG}:3:14", "description: expected text, found a mapping"
    ),
    "page-hide-value": page("title: T\nhide: [toc, tabs]\n", f"{PG}:3:13", "'tabs' cannot be hidden"),
    "page-hide-mapping": page("title: T\nhide: {toc: true}\n", f"{PG}:3:7", "hide: expected a list"),
    "page-reserved-name": Case(
        "",
        {"content/pages/index.md": "---\ntitle: Home\n---\nBody.\n"},
        (("content/pages/index.md:1:1", "would replace a generated page"),),
    ),
    "page-my-list-name": Case(
        "",
        {"content/pages/my-list.md": "---\ntitle: Mine\n---\nBody.\n"},
        (("content/pages/my-list.md:1:1", "would replace a generated page"),),
    ),
    "page-bad-name": Case(
        "",
        {"content/pages/About Us.md": "---\ntitle: About\n---\nBody.\n"},
        (("content/pages/About Us.md:1:1", "not a valid page name"),),
    ),
    "page-not-markdown": Case(
        "", {"content/pages/about.html": "<script>"}, (("content/pages/about.html:1:1", "must end in .md"),)
    ),
    # --- the taxonomy -----------------------------------------------------------------------
    "topics-octal": Case(
        "",
        {"content/topics.yml": TOPICS.replace("threshold: 4", "threshold: 010")},
        (("content/topics.yml:2:14", "octal number 8"),),
    ),
    "topics-unknown-setting": Case(
        "",
        {"content/topics.yml": TOPICS.replace("max_topics:", "max_topic:")},
        (("content/topics.yml:3:3", "did you mean 'max_topics'?"),),
    ),
    "topics-reserved-id": Case(
        "",
        {"content/topics.yml": TOPICS.replace("- id: reasoning", "- id: index")},
        (("content/topics.yml:6:9", "id: 'index' is reserved"),),
    ),
    "topics-title-markup": Case(
        "",
        {
            "content/topics.yml": TOPICS.replace(
                "title: Reasoning", "title: Reasoning <img src=x onerror=alert(1)>"
            )
        },
        (("content/topics.yml:7:33", "title: event handler"),),
    ),
    # --- warnings, which fail only with --strict --------------------------------------------
    "no-topic": Case(
        "",
        {P: paper("Sorting Networks", abstract="We sort numbers with networks of comparators " * 3)},
        ((f"{P}:2:1", "warning: topics: the paper is in no topic"),),
        strict=True,
    ),
    "no-abstract": Case(
        "",
        {P: "---\ntitle: Quantum error correction with surface codes\nadded: 2025-01-02\n---\n"},
        ((f"{P}:1:1", "warning: abstract: the paper has none"),),
        strict=True,
    ),
    "short-abstract": Case(
        "",
        {P: paper(abstract="Too short.")},
        ((f"{P}:4:11", "warning: abstract: only 2 words"),),
        strict=True,
    ),
}


#: Cases run through a real `python -m generator` process: one of each family.
SUBPROCESS = {
    "yaml-syntax",
    "not-utf8",
    "symlink",
    "duplicate-key",
    "same-arxiv",
    "notes-link-entity",
    "topics-octal",
    "no-topic",
}


def apply(root: Path, case: Case) -> None:
    for rel, data in case.files.items():
        path = root / rel
        if rel == P and case is CASES["symlink"]:
            path.symlink_to("/etc/hostname")
        else:
            assert isinstance(data, str | bytes)
            write(path, data)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_reported_where_it_is_and_nothing_is_written(project: Path, name: str) -> None:
    case = CASES[name]
    apply(project, case)
    before = snapshot(project)
    mtimes = {p: os.stat(project / p).st_mtime_ns for p in before}

    strict = ["--strict"] if case.strict else []
    # `python -m generator` for a sample of the cases (it costs an interpreter start each);
    # the others run the same command line in this process.
    result = (
        Result(*(lambda p: (p.returncode, p.stderr))(run_cli(project, "validate", *strict)))
        if name in SUBPROCESS
        else run_main(project, "validate", *strict)
    )
    assert result.status == 1, result.stderr
    lines = result.stderr.splitlines()
    for where, message in case.expect:
        hits = [line for line in lines if line.startswith(f"{where}: ") and message in line]
        assert hits, f"no line '{where}: …{message}…' in:\n{result.stderr}"
    if case.strict:
        relaxed = run_main(project, "validate")
        assert relaxed.status == 0, relaxed.stderr

    for command in ("generate", "build"):
        result = run_main(project, command, *(["--strict"] if case.strict else []))
        assert result.status == 1, result.stderr
        assert "nothing was written" in result.stderr
    assert snapshot(project) == before
    assert {p: os.stat(project / p).st_mtime_ns for p in before} == mtimes


def test_every_problem_is_reported_in_one_run_in_a_stable_order(project: Path) -> None:
    write(project / "content/papers/a.md", paper("Same Title", extra="year: twenty\n"))
    write(project / "content/papers/b.md", paper("Same title", extra="url: https://x.org\n"))
    write(project / "content/papers/c.md", paper("Same Title."))
    write(project / "content/papers/d.md", "no front matter\n")
    write(project / "content/papers/e.md", paper("Other", extra="topics: [reasonin]\n", body="<script>\n"))
    proc = run_cli(project, "validate")
    assert proc.returncode == 1
    located = [line.split(": ", 1)[0] for line in proc.stderr.splitlines() if line.startswith("content/")]
    assert located == [
        "content/papers/a.md:5:7",
        "content/papers/c.md:2:1",  # the same title as b.md, found though other files have errors
        "content/papers/d.md:1:1",
        "content/papers/e.md:5:10",
        "content/papers/e.md:7:1",
    ]
    assert proc.stderr.splitlines()[-1] == "5 error(s), 0 warning(s)"
    assert run_cli(project, "validate").stderr == proc.stderr


def test_clean_content_validates(project: Path) -> None:
    proc = run_cli(project, "validate", "--strict")
    assert proc.returncode == 0, proc.stderr
    assert "content is valid" in proc.stderr
