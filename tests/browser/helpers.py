"""Shared by the browser tests and benchmarks/search_latency.py: serve a built site, drive its search.

Playwright drives Debian's chromium (`playwright install` cannot download browsers here).
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Wide enough that Material shows the search box in the header instead of behind an icon.
VIEWPORT = {"width": 1280, "height": 900}


def copy_project(dest: Path, content: Path | None = None, repo: Path = REPO) -> Path:
    """Copy what a build reads (content/, mkdocs.yml, overrides/ of `repo`) into `dest`; return `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(content or repo / "content", dest / "content")
    shutil.copytree(repo / "overrides", dest / "overrides")
    shutil.copy2(repo / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def build_site(root: Path, repo: Path = REPO) -> Path:
    """Run `python -m generator --root ROOT build` with `repo`'s generator; return the site/ folder."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", PYTHONPATH=str(repo))
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "--quiet", "build"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"build of {root} failed:\n{proc.stdout}\n{proc.stderr}")
    return root / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the files as they are, but for sitemap.xml, whose addresses are moved to where the
    site is served, as if it were published at its site_url.

    Material navigates instantly only to the pages its sitemap lists, matched with the scheme
    and host of the page but the port and path of the sitemap's addresses (site_url's). Served
    as they are, on a port of localhost and often at another path, no link matches: every click
    is a full page load, and no test would see the instant navigation a reader gets.
    """

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.endswith("/sitemap.xml"):
            return super().send_head()
        file = Path(self.translate_path(path))
        if not file.is_file():
            return super().send_head()
        # Cached as the other files are (Last-Modified, 304): Material fetches it once for
        # itself and once for each feed link of a page.
        modified = self.date_time_string(int(file.stat().st_mtime))
        if self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            self.end_headers()
            return None
        body = served_sitemap(file.read_text(encoding="utf-8"), f"http://{self.headers['Host']}{path[:-11]}")
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", modified)
        self.end_headers()
        return io.BytesIO(data)


def served_sitemap(text: str, base: str) -> str:
    """`text` (a sitemap.xml) with the site's address in each <loc> replaced by `base`."""
    locs = re.findall(r"<loc>([^<]*)</loc>", text)
    if not locs:
        return text
    prefix = os.path.commonprefix(locs)  # noqa: RUF071 -- by character, then cut at its last slash
    prefix = prefix[: prefix.rfind("/") + 1]
    return text.replace(f"<loc>{prefix}", f"<loc>{base}")


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` at the root path of 127.0.0.1 on a free port; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def missing_browser_tools() -> list[str]:
    """What the browser tests need and this machine lacks, as readable reasons."""
    missing = []
    if not CHROMIUM.is_file():
        missing.append(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    if not AXE.is_file():
        missing.append(f"no axe-core at {AXE} (npm ci)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("no playwright for Python (pip install -r requirements-test.txt)")
    return missing


def launch(playwright: Any) -> Any:
    """Start headless Debian chromium through Playwright."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


@dataclass(frozen=True)
class SearchHit:
    """One result in Material's result list (drawn by overrides/assets/javascripts/search.js):
    the page it links to and its title."""

    href: str
    title: str


_RESULTS_JS = """
() => [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')].map(li => {
  const a = li.querySelector('a.md-search-result__link');
  const h = li.querySelector('article h1, article h2');
  return {href: a ? a.getAttribute('href') : '', title: h ? h.textContent.trim() : ''};
})
"""

# Set the query in one go and wait for the answer to be drawn: the meta line leaves
# "Type to start searching" for "N matching documents" once this query is answered.
_QUERY_JS = """
async ([query, timeoutMs]) => {
  const input = document.querySelector('input.md-search__input');
  const meta = document.querySelector('.md-search-result__meta');
  const list = document.querySelector('.md-search-result__list');
  input.focus();
  const start = performance.now();
  const answered = new Promise(resolve => {
    const check = () => {
      const text = meta.textContent;
      if (/matching document/i.test(text) && (list.children.length > 0 || /no matching/i.test(text))) {
        observer.disconnect();
        resolve(performance.now() - start);
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(meta, {childList: true, characterData: true, subtree: true});
    observer.observe(list, {childList: true});
  });
  // page.evaluate has no timeout of its own: a query never answered fails, not hangs.
  const late = new Promise((_, reject) => setTimeout(() => reject(new Error(
    `no answer to ${JSON.stringify(query)} in ${timeoutMs} ms; the results say: ${meta.textContent}`
  )), timeoutMs));
  input.value = query;
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
  return await Promise.race([answered, late]);
}
"""


def at(path: str) -> re.Pattern[str]:
    """For `page.wait_for_url`: an address whose path ends in `path` (`*` for one segment), with
    or without an anchor. Material's anchor tracking may add one (the heading in view) right
    after an instant navigation."""
    parts = ("[^/?#]+" if part == "*" else re.escape(part) for part in path.split("/"))
    return re.compile("/".join(parts) + r"(?:#.*)?$")


#: The page's h1 as a reader sees it, without the ¶ permalink ("" before there is one).
_HEADING_JS = """() => { const h = document.querySelector('article h1');
                        if (!h) return "";
                        const c = h.cloneNode(true);
                        c.querySelectorAll('.headerlink').forEach(a => a.remove());
                        return c.textContent.trim(); }"""


def wait_for_heading(page: Any, expected: str, *, start: bool = False) -> None:
    """Wait until the page's h1 (see `heading`) is `expected`, or starts with it: after a click,
    Material's instant navigation changes the address at once and swaps the page in later."""
    page.wait_for_function(
        f"""([expected, start]) => {{ const text = ({_HEADING_JS})();
               return start ? text.startsWith(expected) : text === expected; }}""",
        arg=[expected, start],
    )


def heading(page: Any) -> str:
    """The page's h1 as a reader sees it, without the ¶ permalink."""
    text: str = page.evaluate(_HEADING_JS)
    return text


def clear_search(page: Any) -> None:
    """Empty the search box and wait until Material shows no results."""
    page.evaluate(
        """() => { const input = document.querySelector('input.md-search__input');
                   input.value = ''; input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true})); }"""
    )
    page.wait_for_function("() => document.querySelector('.md-search-result__list').children.length === 0")


def run_query(page: Any, query: str, timeout_ms: float = 120_000) -> tuple[list[SearchHit], float]:
    """Put `query` in the search box; return the result pages and the milliseconds to render them."""
    clear_search(page)
    page.set_default_timeout(timeout_ms)
    elapsed = float(page.evaluate(_QUERY_JS, [query, timeout_ms]))
    hits = [SearchHit(r["href"], r["title"]) for r in page.evaluate(_RESULTS_JS)]
    return hits, elapsed
