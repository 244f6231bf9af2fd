"""The importer's fast paths give exactly what the plain code they replace gave.

`yamlemit.dump_yaml` writes the very text `yaml.dump` (libyaml's safe dumper, `yamlemit.Dumper`) writes:
it hands libyaml's emitter the events PyYAML's representer would make, without
running the representer; these tests hold the two equal on every kind of value the
importer writes and on text chosen to hit every YAML quoting and folding rule.
`yamlemit.dump_mapping` also builds the nodes our front-matter reader reads back from that
text, so the importer checks a new file without parsing it: the same texts, the same `plain`
flags (the emitter's choice of style, which YAML 1.1 checks look at) and the same structure.
`merge.field_digest` (recorded in every imported file) hashes the same JSON as before, and
`match.clean`, `text.one_line` and `latex.to_text`, which return text that is clean already as it
is, clean as the regex and split do; the loader's checks that skip work on printable text or
long abstracts still find every control character and every short abstract.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import frontmatter as fm
from generator import match, merge, paperfile, text, yamlemit
from generator.load import load_paper_text
from generator.sources.entry import SourceEntry
from generator.sources.latex import to_text

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that YAML reads as something else, or must quote, escape or fold.
TRICKY = [
    "",
    " ",
    "yes",
    "No",
    "off",
    "Y",
    "~",
    "null",
    "NULL",
    "true",
    "123",
    "-1",
    "+1",
    "010",
    "0o7",
    "0x1F",
    "1_000",
    "1e3",
    "1.5",
    ".inf",
    "-.inf",
    ".NaN",
    "1:30",
    "2020-01-01",
    "2020-1-1 10:00:00",
    "=",
    "<<",
    ": x",
    "a: b",
    "a #b",
    "#c",
    "- a",
    "-",
    "?",
    "? a",
    "[x]",
    "{x}",
    "'",
    '"',
    "'q'",
    "@a",
    "`a",
    "%a",
    "!a",
    "&a",
    "*a",
    "|",
    ">",
    "a\nb",
    "a\n\nb",
    "\n",
    "tab\there",
    " lead",
    "trail ",
    "\x07",
    "\x85",
    "\u2028",
    "\ufeff",
    "ünï ☃",
    "\U0001f600",
    "\\",
    "a\\nb",
    "...",
    "---",
    "x" * 150,
    " ".join(["word"] * 60),
    "é" * 120,
    "a  b " * 40,
    "http://x.org/a?b=c#d",
]
SPECIAL = st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?\\/<=;()\t\n\r ~^$_.+0123456789\x00\x85\u2028é"))
TEXT = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=30),
    st.lists(st.one_of(SPECIAL, st.sampled_from(["yes", "no", "1", "a", "word", " "])), max_size=40).map(
        "".join
    ),
    st.lists(st.sampled_from(["word", "longer-word", "a", " ", "  "]), max_size=80).map("".join),
)
SCALAR = st.one_of(TEXT, st.integers(), st.booleans(), st.none(), st.dates())
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(TEXT, inner, max_size=5)),
    max_leaves=20,
)


def pyyaml(data: object) -> str:
    """What the importer wrote before dump_yaml made its own events."""
    return yaml.dump(
        data,
        Dumper=yamlemit.Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=yamlemit.WIDTH,
        default_flow_style=False,
    )


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_as_key_value_and_item(text: str) -> None:
    data: dict[str, object] = {text: text, "list": [text, [text]], "map": {"k": text, text: [text]}}
    assert yamlemit.dump_yaml(data) == pyyaml(data)


def test_a_paper_file() -> None:
    data = paperfile.new_fields(
        {
            "title": "Attention Is All You Need",
            "abstract": "The dominant sequence transduction models " * 12,
            "authors": ["Ashish Vaswani", "Noam Shazeer", "Łukasz Kaiser"],
            "year": 2017,
            "venue": "NeurIPS",
            "doi": "10.5555/3295222.3295349",
            "tags": [],
            "bib_fields": {"pages": "5998--6008", "month": "dec"},
        },
        dt.date(2026, 12, 1),
        {"from": "library.bib", "key": "0123456789ab", "bib": "title=1a2b3c4d5e abstract=0a1b2c3d4e"},
    )
    assert yamlemit.dump_yaml(data) == pyyaml(data)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"a": (shared := ["x"]), "b": shared}, id="shared list: PyYAML writes an alias"),
        pytest.param({"a": ("x", "y")}, id="tuple: PyYAML refuses it"),
        pytest.param({"a": dt.datetime(2026, 1, 1, 10, 0)}, id="datetime"),
        pytest.param({"a": 1.5}, id="float"),
    ],
)
def test_values_left_to_pyyaml(data: dict[str, object]) -> None:
    """What dump_yaml does not write itself is written (or refused) by yaml.dump, as before."""
    try:
        expected = pyyaml(data)
    except yaml.representer.RepresenterError:
        with pytest.raises(yaml.representer.RepresenterError):
            yamlemit.dump_yaml(data)
        return
    assert yamlemit.dump_yaml(data) == expected


def reference_digest(value: object) -> str:
    """field_digest before its fast paths."""
    canon = json.dumps(paperfile.canonical(value), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canon.encode()).hexdigest()[:10]


@SETTINGS
@given(VALUE)
def test_field_digest_is_the_json_digest(value: object) -> None:
    assert merge.field_digest(value) == reference_digest(value)
    if isinstance(value, list):
        assert merge.field_digest(tuple(value)) == reference_digest(value)


def shape(node: fm.Node) -> object:
    """A node without its positions: what the loader's checks look at."""
    if isinstance(node, fm.Scalar):
        return (node.text, node.plain)
    if isinstance(node, fm.Seq):
        return [shape(item) for item in node.items]
    return {"map": [(shape(key), shape(value)) for key, value in node.entries]}


def read_back(text: str) -> fm.Map:
    return fm.parse("---\n" + text + "---\n").meta


# One test for both functions: drawing these mappings is most of its time (~12 s for 300),
# so each drawn mapping checks dump_yaml and dump_mapping instead of drawing 300 twice.
@SETTINGS
@given(st.dictionaries(TEXT, VALUE, max_size=8))
def test_dump_yaml_is_pyyaml_dump_and_dump_mapping_builds_the_nodes_the_reader_reads_back(
    data: dict[str, object],
) -> None:
    expected = pyyaml(data)
    assert yamlemit.dump_yaml(data) == expected
    text, meta = yamlemit.dump_mapping(data)
    assert text == expected
    assert meta is not None  # text keys, and values the importer writes: always built
    assert shape(meta) == shape(read_back(text))


def test_every_character_is_plain_exactly_when_the_reader_finds_it_plain() -> None:
    """libyaml writes a character plain or not by its class (printable to it, a line break)."""
    texts = [f"a{chr(i)}b" for i in range(0x10000) if not 0xD800 <= i <= 0xDFFF] + ["a\U0001f600b"]
    text, meta = yamlemit.dump_mapping({"texts": list(texts)})
    assert meta is not None
    built, read = meta.entries[0][1], read_back(text).entries[0][1]
    assert isinstance(built, fm.Seq) and isinstance(read, fm.Seq)
    wrong = [shape(b) for b, r in zip(built.items, read.items, strict=True) if shape(b) != shape(r)]
    assert wrong == []
    plain = sum(isinstance(item, fm.Scalar) and item.plain for item in built.items)
    assert 0 < plain < len(texts)  # both styles were met


# Where a character stands decides for the ASCII indicators, spaces, blanks and breaks.
CONTEXTS = ["{c}", "{c}a", "a{c}", "a {c}b", "a{c} b", "{c} a", "a {c}", "{c}{c}", "--{c}", "..{c}"]
POSITIONAL = [chr(i) for i in range(0x100)] + ["\u2028", "\u2029", "\ufeff", "\U0001f600"]


@pytest.mark.parametrize("context", CONTEXTS)
def test_characters_where_they_stand_are_plain_exactly_when_the_reader_finds_them_plain(
    context: str,
) -> None:
    data: dict[str, object] = {t: [t] for t in (context.format(c=c) for c in POSITIONAL)}
    text, meta = yamlemit.dump_mapping(data)
    assert meta is not None
    read = read_back(text)
    wrong = [
        key.text
        for (key, value), (k, v) in zip(meta.entries, read.entries, strict=True)
        if shape(key) != shape(k) or shape(value) != shape(v)
    ]
    assert wrong == []


def test_keys_that_are_not_text_are_left_to_the_reader() -> None:
    """1 and '1' are one key to the reader (a duplicate): the text is parsed then."""
    data: dict[object, object] = {1: "a", "1": "b"}
    text, meta = yamlemit.dump_mapping(data)  # type: ignore[arg-type]
    assert meta is None
    assert fm.parse("---\n" + text + "---\n").duplicates


# Values the loader refuses in a paper file, or reads as something else than text.
REFUSED = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<b>bold</b> title",
        "On <img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "y",
        "n",
        "1.2.3",
        "2020-1-1",
        ".",
        "a b",
        "http://doi.org/10.1/x",
        "javascript:alert(1)",
        "10.1000/ok",
        "2401.01234",
        "https://example.org/a",
        "nonsense",
        "misc",
        "\u2028",
    ]
)
IMPORTER_TEXT = st.one_of(TEXT, REFUSED)
PAPER = st.fixed_dictionaries(
    {"title": IMPORTER_TEXT},
    optional={
        "abstract": IMPORTER_TEXT,
        "authors": st.lists(IMPORTER_TEXT, max_size=3),
        "year": st.one_of(st.integers(), IMPORTER_TEXT),
        "venue": IMPORTER_TEXT,
        "type": IMPORTER_TEXT,
        "cite_key": IMPORTER_TEXT,
        "doi": IMPORTER_TEXT,
        "arxiv": IMPORTER_TEXT,
        "url": IMPORTER_TEXT,
        "pdf": IMPORTER_TEXT,
        "tags": st.lists(IMPORTER_TEXT, max_size=3),
        "code": st.lists(IMPORTER_TEXT, max_size=2),
        "bib_fields": st.dictionaries(st.sampled_from(["pages", "note", "Bad Name", "title"]), IMPORTER_TEXT),
    },
)


@SETTINGS
@given(PAPER)
def test_checking_the_built_nodes_finds_what_parsing_the_file_finds(values: dict[str, object]) -> None:
    """The importer's check of a new file, on the nodes it built, reports what the loader reports."""
    record: dict[str, object] = {"from": "library.bib", "key": "0123456789ab", "bib": "title=1a2b3c4d5e"}
    front, meta = yamlemit.dump_mapping(paperfile.new_fields(values, dt.date(2026, 1, 2), record))
    assert meta is not None
    text = "---\n" + front + "---\n"
    doc = fm.Document(meta, "", text.count("\n") + 1, ())
    assert shape(doc.meta) == shape(fm.parse(text).meta)
    built = load_paper_text(text, "papers/x.md", ("ml",), "x.md", doc=doc)
    parsed = load_paper_text(text, "papers/x.md", ("ml",), "x.md")
    assert [(p.message, p.severity) for p in built[1]] == [(p.message, p.severity) for p in parsed[1]]
    assert (built[0] is None) == (parsed[0] is None)


def test_printable_ascii_is_pythons() -> None:
    for i in range(128):
        assert text.is_printable(f"a{chr(i)}b") == f"a{chr(i)}b".isprintable(), i


def reference_clean(text: str) -> str:
    """match.clean before its fast path."""
    return " ".join(match._CONTROL.sub(" ", text).split())


WHITESPACE = st.sampled_from(
    [" ", "  ", "\t", "\n", "\r", "\x0b", "\x1c", "\x85", "\xa0", "\u2028", "\u3000"]
)
DIRTY = st.lists(
    st.one_of(TEXT, WHITESPACE, st.sampled_from(["\x00", "\x07", "\x7f", "\x9f", "\ufeff", "\u200b"]))
)


@SETTINGS
@given(st.one_of(TEXT, DIRTY.map("".join)))
def test_clean_is_the_regex_and_split(value: str) -> None:
    assert text.is_printable(value) == value.isprintable()
    assert match.clean(value) == reference_clean(value)
    assert text.one_line(value) == " ".join(value.split())
    if not any(c in value for c in "\\{}$~`'") and "--" not in value:  # no LaTeX to read
        assert to_text.__wrapped__(value) == " ".join(value.split())


@SETTINGS
@given(
    st.builds(
        SourceEntry,
        line=st.just(1),
        col=st.just(1),
        title=TEXT,
        abstract=TEXT,
        authors=st.lists(TEXT, max_size=3).map(tuple),
        venue=st.one_of(st.none(), TEXT),
        tags=st.lists(TEXT, max_size=3).map(tuple),
        bib_fields=st.lists(st.tuples(st.sampled_from(["pages", "note"]), TEXT), max_size=2).map(tuple),
    )
)
def test_clean_entry_cleans_every_text(entry: SourceEntry) -> None:
    cleaned = match.clean_entry(entry)
    assert cleaned.title == reference_clean(entry.title)
    assert cleaned.abstract == reference_clean(entry.abstract)
    assert cleaned.authors == tuple(a for a in map(reference_clean, entry.authors) if a)
    assert cleaned.venue == (reference_clean(entry.venue) or None if entry.venue is not None else None)
    assert cleaned.tags == tuple(dict.fromkeys(t for t in map(reference_clean, entry.tags) if t))
    assert cleaned.bib_fields == tuple(
        (k, reference_clean(v)) for k, v in entry.bib_fields if reference_clean(v)
    )
    assert (cleaned.line, cleaned.doi) == (entry.line, entry.doi)


CONTROL = [chr(i) for i in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029) if chr(i) not in "\t\n"]


@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_a_control_character_in_text_is_refused(char: str) -> None:
    title = json.dumps(f"A title{char}here")  # JSON's escapes are YAML's double-quoted escapes
    text = f"---\ntitle: {title}\nadded: 2026-01-02\nabstract: {' '.join(['word'] * 20)}\n---\n"
    _paper, problems = load_paper_text(text, "papers/x.md", (), "x.md")
    message = f"title: control character U+{ord(char):04X} is not allowed in text; remove it"
    assert [p.message for p in problems] == [message]


@pytest.mark.parametrize("words", [1, 19, 20, 21, 200])
def test_an_abstract_under_twenty_words_is_reported(words: int) -> None:
    abstract = " ".join(f"w{i}" for i in range(words)) + "  \t "
    text = f"---\ntitle: A title\nadded: 2026-01-02\nabstract: {json.dumps(abstract)}\n---\n"
    _paper, problems = load_paper_text(text, "papers/x.md", (), "x.md")
    expected = [f"abstract: only {words} words; is it complete?"] if words < 20 else []
    assert [p.message for p in problems] == expected


@pytest.mark.parametrize("text", ["y", "N", "off", "~", "1.2.3", "017", "2020-1-1", "1:20", ".NaN", "0b101"])
def test_text_yaml_1_1_reads_as_another_type_is_quoted_and_reads_back_as_text(text: str) -> None:
    """PyYAML leaves these plain; other YAML tools (and the loader's check) read a boolean,
    null, a number or a date: written quoted, they are text to every reader."""
    written = yamlemit.dump_yaml({"title": text, "tags": [text]})
    assert f"title: {text}\n" not in written
    assert yaml.safe_load(written) == {"title": text, "tags": [text]}
    mapping = fm.parse_mapping(written)[0]
    assert isinstance(mapping, fm.Map)
    title, tags = mapping.get("title"), mapping.get("tags")
    assert isinstance(title, fm.Scalar) and isinstance(tags, fm.Seq)
    assert all(isinstance(n, fm.Scalar) and fm.yaml11_surprise(n) is None for n in (title, *tags.items))
