"""MkDocs hooks (`hooks:` in mkdocs.yml): the theme changes Material has no block for.

- The edit button opens the *source* of a page in content/ (front matter `source`, written
  by `python -m generator generate`), not the generated file in docs/, which is not in the
  repository. A `source` that is not a path the generator writes gives no edit button.
- Material 9.8 gives its search dialog and its progress bar no accessible name (axe-core
  rules aria-dialog-name and aria-progressbar-name), and includes both partials outside any
  block: the names are added to the rendered HTML rather than by copying the partials.
- Search is Pagefind's (assets/javascripts/search.js), in Material's search box. Material
  draws that box only while its search plugin is configured, so the plugin stays, indexes
  no page (`search: {exclude: true}` on each) and its component is detached: the search
  dialog's `data-md-component="search"` becomes `"rl-search"`, so Material's script never
  mounts it and never starts its lunr worker or fetches its index.
- The generated parts of a paper page are raw HTML (generator/templates/paper.md.j2), which
  MkDocs does not look into: their links to other pages are written as Markdown links are, a
  relative `.md` path (Zensical resolves those in raw HTML itself), and `resolve_md_links`
  turns them into the page's URL here, as MkDocs does for Markdown links. One that names no
  page is a warning, which fails a --strict build.
- Those blocks are also most of what MkDocs spends on a paper page: Python-Markdown reads
  every tag of a raw HTML block with Python's HTML parser to find where it ends, and MkDocs
  reads the whole page once more for anchor ids. The generator lists the digest of each block
  it wrote in the front matter (`html_blocks`); `set_aside` swaps exactly those for a token
  before Markdown runs, and `put_back` returns them, unchanged, where the token came out: the
  output Python-Markdown would make of them. Nothing a curator wrote is set aside (its digest
  is not listed, and the token is new each build). A third of a build's time at 10,000 papers.

Kept beside the templates, so a project with `custom_dir: overrides` has them both.
"""

from __future__ import annotations

import hashlib
import html
import logging
import posixpath
import re
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

#: The sources the generator writes: a paper, a hand-written page, the taxonomy.
SOURCE_RE = re.compile(r"content/(?:(?:papers|pages)/[a-z0-9-]+\.md|topics\.yml)")
#: A repository address that can go into an href unescaped, as Material prints `page.edit_url`.
SAFE_URL_RE = re.compile(r"https?://[^\s\"'<>`\\]+", re.IGNORECASE)

#: Material's components that need an accessible name, and the name each gets (the site is in
#: English: `theme.language: en`).
LABELS = (("search", "Search"), ("progress", "Loading the page"))


def component_tag(component: str) -> re.Pattern[str]:
    """The start tag of Material's `component`. Bounded, so a page cannot make it slow."""
    return re.compile(rf'<div\b[^<>]{{0,300}}?\bdata-md-component="{component}"[^<>]{{0,300}}>')


def edit_url(source: object, repo_url: str | None, edit_uri: str | None) -> str | None:
    """The web editor's address for `source`, or None unless both are of the expected shape."""
    if not isinstance(source, str) or not SOURCE_RE.fullmatch(source) or not repo_url:
        return None
    url = f"{repo_url.rstrip('/')}/{(edit_uri or 'edit/main/').strip('/')}/{source}"
    return url if SAFE_URL_RE.fullmatch(url) else None


def edit_tags(html: str, component: str, edit: Callable[[str], str]) -> str:
    """`html` with each start tag of Material's `component` replaced by `edit(tag)`.

    The attribute is found with str.find and only the tag around it is matched: a regular
    expression scanning the whole of each page took 0.7 ms of it, 7 s of a build at 10,000 papers.
    """
    needle, pattern = f'data-md-component="{component}"', component_tag(component)
    out: list[str] = []
    pos = 0
    while (i := html.find(needle, pos)) >= 0:
        start, end = html.rfind("<", pos, i), html.find(">", i)
        if start >= 0 and end >= 0 and pattern.fullmatch(html, start, end + 1):
            out += [html[pos:start], edit(html[start : end + 1])]
            pos = end + 1
        else:
            out.append(html[pos : i + len(needle)])
            pos = i + len(needle)
    out.append(html[pos:])
    return "".join(out)


def add_labels(html: str) -> str:
    """Give the search dialog and the progress bar an aria-label, unless they have one."""
    for component, label in LABELS:

        def labelled(tag: str, label: str = label) -> str:
            return tag if "aria-label=" in tag else f'{tag[:-1]} aria-label="{label}">'

        html = edit_tags(html, component, labelled)
    return html


#: What detaches Material's search dialog from Material's script.
DETACHED = 'data-md-component="rl-search"'


def detach_search(html: str) -> str:
    """Rename Material's search component, so that its script leaves the dialog to ours."""
    return edit_tags(html, "search", lambda tag: tag.replace('data-md-component="search"', DETACHED))


#: An href in raw HTML to a Markdown file, relative (no scheme, no leading slash), with its
#: fragment. MkDocs turns every Markdown link to a page into its URL (or fails --strict), so
#: a relative `.md` href left in a page's HTML came from raw HTML.
MD_HREF = re.compile(r'(\shref=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/)([^"#?<>]+\.md)(#[^"<>]*)?"')
log = logging.getLogger("mkdocs.plugins.reading_list")


def resolve_md_links(content: str, page: Page, files: Files) -> str:
    """`content` with each relative `.md` href (raw HTML) made the URL of that page from `page`."""
    if ".md" not in content:
        return content
    base = posixpath.dirname(page.file.src_uri)

    def resolve(match: re.Match[str]) -> str:
        path, fragment = html.unescape(match.group(2)), match.group(3) or ""
        target = files.src_uris.get(posixpath.normpath(posixpath.join(base, path)))
        if target is None:
            log.warning(f"Doc file '{page.file.src_uri}' links to '{path}' in raw HTML, which is not found.")
            return match.group(0)
        return match.group(1) + html.escape(target.url_relative_to(page.file)) + fragment + '"'

    return MD_HREF.sub(resolve, content)


#: The front-matter key of the digests of a page's generated HTML blocks (generator/templating.py).
HTML_BLOCKS = "html_blocks"
#: What stands for a block set aside while Markdown runs: unguessable, so no page text is one.
TOKEN = f"rlblock{secrets.token_hex(8)}n"
_TOKEN_RE = re.compile(rf"<p>{TOKEN}(\d+)</p>")
_SET_ASIDE: dict[str, list[str]] = {}


def block_digest(block: str) -> str:
    """generator.templating.block_digest: a block's digest, blank lines around it aside."""
    return hashlib.blake2b(block.strip("\n").encode("utf-8"), digest_size=8).hexdigest()


def set_aside(markdown: str, digests: object) -> tuple[str, list[str]]:
    """`markdown` with each paragraph whose digest is in `digests` (a raw HTML block the
    generator wrote) replaced by a token paragraph; and those blocks, in order.

    A block whose text is on the page twice is left to Markdown: the copy may stand where
    Markdown reads it otherwise (a curator's code block can quote it).
    """
    if not isinstance(digests, list) or not digests:
        return markdown, []
    wanted = {d for d in digests if isinstance(d, str)}
    parts = markdown.split("\n\n")
    found: dict[str, list[int]] = {}
    for i, part in enumerate(parts):
        block = part.strip("\n")
        if block.startswith("<") and block_digest(block) in wanted:
            found.setdefault(block, []).append(i)
    blocks: list[str] = []
    for i in sorted(at[0] for at in found.values() if len(at) == 1):
        block = parts[i].strip("\n")
        parts[i] = parts[i].replace(block, f"{TOKEN}{len(blocks)}", 1)  # blank lines around stay
        blocks.append(block)
    return "\n\n".join(parts), blocks


def put_back(content: str, blocks: list[str]) -> str:
    """`content` (Markdown's HTML) with the blocks `set_aside` took back in their tokens' places."""
    if not blocks:
        return content
    found: list[int] = []

    def block(match: re.Match[str]) -> str:
        found.append(int(match.group(1)))
        # Python-Markdown ends a raw block with a blank line, but the page's last one
        return blocks[found[-1]] + ("" if match.end() == len(content) else "\n")

    content = _TOKEN_RE.sub(block, content)
    if sorted(found) != list(range(len(blocks))):
        raise ValueError(f"{len(blocks)} HTML blocks set aside, {len(found)} found again after Markdown")
    return content


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: object) -> str:
    # Material's search plugin is only kept for its search box: it indexes nothing.
    page.meta["search"] = {"exclude": True}
    markdown, _SET_ASIDE[page.file.src_uri] = set_aside(markdown, page.meta.get(HTML_BLOCKS))
    return markdown


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    content = put_back(content, _SET_ASIDE.pop(page.file.src_uri, []))
    return resolve_md_links(content, page, files)


def on_page_context(
    context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
) -> TemplateContext:
    # MkDocs made an edit URL for the file in docs/; every page gets ours or none.
    page.edit_url = edit_url(page.meta.get("source"), config.repo_url, config.edit_uri)
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return detach_search(add_labels(output))


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    # Static templates: 404.html has the header and the progress bar too.
    return detach_search(add_labels(output_content)) if template_name.endswith(".html") else output_content
