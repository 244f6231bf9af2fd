"""Paper pages in headless Chromium: formulas rendered by the vendored KaTeX, fetched only where
needed; the Cite block inside its box with Material's copy button; the headings in the TOC."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import BuiltSite
from .helpers import AXE, at

pytestmark = pytest.mark.browser

MATH = "trends-in-ai-supercomputers"  # "2\times10^{22}" in its abstract
NO_MATH = "stim-a-fast-stabilizer-circuit-simulator"  # quotes and {\em …}, no formula


def record_requests(page: Any) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def test_formula_is_rendered_by_katex_from_the_site(page: Any, built: BuiltSite) -> None:
    requests = record_requests(page)
    page.goto(f"/papers/{MATH}/")
    page.wait_for_selector(".rl-abstract .rl-math .katex")
    assert page.locator(".rl-abstract code.language-math").count() == 0  # every formula rendered
    assert page.locator(".rl-abstract .katex-error").count() == 0
    # KaTeX's MathML: what a screen reader reads, and proof of what was rendered.
    assert page.locator(".rl-abstract .katex-mathml annotation").first.text_content() == "2\\times10^{22}"
    katex = [u for u in requests if "katex" in u]
    assert any(u.endswith("/assets/katex/katex.min.js") for u in katex)
    assert all(u.startswith(page.url.split("/papers/")[0]) for u in katex)  # served by the site itself
    page.wait_for_load_state("networkidle")
    # The font of the digits came from the site too (woff2; the CSS's woff and ttf are fallbacks).
    fonts = [u for u in requests if "/assets/katex/fonts/" in u]
    assert fonts and all(u.endswith(".woff2") for u in fonts)


def test_page_without_math_loads_no_katex(page: Any, built: BuiltSite) -> None:
    requests = record_requests(page)
    page.goto(f"/papers/{NO_MATH}/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".rl-abstract em").first.text_content() == "inverse"
    assert "“Stim”" in page.locator(".rl-abstract").text_content()
    assert [u for u in requests if "katex" in u] == []
    assert page.evaluate("typeof window.katex") == "undefined"


def test_instant_navigation_to_a_math_page_renders_it(page: Any, built: BuiltSite) -> None:
    """Material's instant navigation swaps the content without a new <head>: math.js fetches KaTeX."""
    topic = next(t["id"] for t in built.paper(MATH)["topics"])
    requests = record_requests(page)
    page.goto(f"/topics/{topic}/")
    page.wait_for_load_state("networkidle")
    assert [u for u in requests if "katex" in u] == []
    page.evaluate("window.rlSamePage = true")
    page.locator(f'article a[href$="/papers/{MATH}/"]').first.click()
    page.wait_for_url(at(f"/papers/{MATH}/"))
    page.wait_for_selector(".rl-abstract .rl-math .katex")
    assert page.evaluate("window.rlSamePage === true"), "expected an instant navigation, not a page load"


def widest_citation(built: BuiltSite) -> str:
    """The paper whose BibTeX entry has the longest line."""

    def widest(slug: str) -> int:
        text = (built.site / "papers" / slug / "index.html").read_text(encoding="utf-8")
        _, _, entry = text.partition('<code class="language-bibtex">')
        return max(map(len, entry.partition("</code>")[0].splitlines()), default=0)

    slugs: list[str] = sorted(p["slug"] for p in built.papers)
    return max(slugs, key=widest)


@pytest.mark.parametrize("width", [1366, 390])
def test_cite_block_stays_in_its_box_and_keeps_the_copy_button(
    page: Any, built: BuiltSite, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/papers/{widest_citation(built)}/")
    page.wait_for_load_state("networkidle")
    box = page.locator(".rl-cite pre > code").first
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth"), "the BibTeX entry overflows its box"
    assert page.locator(".rl-cite pre button[data-md-type=copy]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_toc_keeps_the_generated_sections(page: Any, built: BuiltSite) -> None:
    paper = next(p for p in built.papers if p["related"])
    page.goto(f"/papers/{paper['slug']}/")
    toc = page.locator(".md-sidebar--secondary .md-nav__link").all_text_contents()
    assert {"Related papers", "Cite"} <= {t.strip() for t in toc}
    assert page.locator("h2#related-papers").count() == 1 and page.locator("h2#cite").count() == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_math_page_is_clean_for_axe(page: Any, built: BuiltSite, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(f"/papers/{MATH}/")
    page.wait_for_selector(".rl-abstract .rl-math .katex")
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run('article', {resultTypes: ['violations']})"
    )
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "axe-core violations:\n" + "\n".join(serious)
