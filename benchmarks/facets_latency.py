"""How long a filter change takes to redraw a list page: `python benchmarks/facets_latency.py`.

For each size N (default 10,000) it writes the shipped list mixed into N papers
(benchmarks/mixed_list.py), builds the site, serves it under /reading-list/ and, in headless
Chromium, opens the All papers page and a topic page. Then it changes one control at a time
(topic, has code, a year range, status, tag, a sort order, words with a filter) and times, in
the page, from the control's change event until:

- redrawn: the results list holds the new first page (PAGE items drawn, the next frame
  painted): what issue 11 asks to be within 300 ms;
- counts: the choices' counts are updated too (they come from the same pass over the papers);
- done: the frame that shows the new list is rendered (style, layout, paint: the next frame
  has begun), which is where showing thousands of items costs.

Each change starts from the page's own state, as Clear leaves it (Clear is timed apart: from
the click until the frame after the one that shows the page's own list is done; the next change
starts after it). The first change of a page view also fetches the facet file, facets.json
("cold", as when a shared link holds filters); a reader who focuses a control starts that fetch
("focused first": the change is timed once the file is loaded, and the loading time is
reported). The first words of a page view load Pagefind (its script, WebAssembly, index chunks)
and the ids of the papers. Last, "back": one filter, then the browser's back, the first of the
page view, timed from history.back() until the frame after the page's own state is drawn is
done; or, where Material's instant navigation answers it by fetching the page again and
swapping it in (before rl:popstate, overrides/main.html), until the frame after the new page's
form is ready is done.
"fetched" is what the change fetched (the local server does not compress; the sizes of the
files, raw and gzip'd, are reported too). Medians over --runs fresh browser contexts.
Run it under the shared lock: `flock /work/wt/heavy.lock python benchmarks/facets_latency.py`.
`--workdir` keeps the lists and sites, and reuses a site built before (its facets.js and
facets.css are replaced by the repository's, so a change of them needs no new build; a site
without a facets.json of this version, generator/facetfile.py, is built again). `--repo`
measures another checkout (main's, say, from `git archive`): its generator builds the site and
its facets.js and facets.css are served, so two versions compare under one method.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

print = functools.partial(print, flush=True)  # progress shows when redirected
REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make `tests` and `benchmarks` importable
    sys.path.insert(0, str(REPO))

from benchmarks.mixed_list import make_mixed_content  # noqa: E402
from generator.facetfile import VERSION  # noqa: E402
from tests.browser.helpers import VIEWPORT, build_site, copy_project, launch, serve  # noqa: E402

SUB_PATH = "reading-list/"
#: The files of a checkout served over a site built before (a change of them needs no build).
SERVED = ("assets/javascripts/facets.js", "assets/stylesheets/facets.css")

#: The changes timed on a page, each from the page's own state (Clear first, timed apart):
#: (label, control name, value, an untimed change made before it). The first is made cold:
#: nothing of the index loaded yet, as for a link that holds filters.
CHANGES: list[tuple[str, str, str, tuple[str, str] | None]] = [
    ("has code (cold)", "has", "code", None),
    ("has code", "has", "code", None),
    ("topic", "topic", "@topic", None),
    ("year range", "from", "@year", None),
    ("status", "status", "@status", None),
    ("tag", "tag", "@tag", None),
    ("sort by year", "sort", "year", None),
    ("sort by title", "sort", "title", None),
    ("sort by date added", "sort", "added", None),
    ("status, then has code", "has", "code", ("status", "@status")),
    ("words + has code", "text", "network", ("has", "code")),
    ("other words + has code", "text", "learning", ("has", "code")),
]

# The frames after the form's `rl:facets` (the list drawn): [the next one begins, and the one
# after it] in ms since `start`. Put in each page before its scripts run.
_FRAMES_JS = """
window.framesAfterDrawn = (form, start) => new Promise(resolve => form.addEventListener('rl:facets', () =>
  requestAnimationFrame(() => {
    const redrawn = performance.now() - start;
    requestAnimationFrame(() => resolve([redrawn, performance.now() - start]));
  }), {once: true}));
"""

# Change one control and time it; resolves {redrawn, counts, done} in milliseconds.
_CHANGE_JS = """
async ([name, value]) => {
  const form = document.querySelector('form.rl-facets');
  const el = form.elements[name];
  const before = performance.getEntriesByType('resource').length;
  const start = performance.now();
  const drawn = framesAfterDrawn(form, start);
  const counted = new Promise(resolve => {
    const observer = new MutationObserver(() => {
      if (form.dataset.state === 'ready') { observer.disconnect(); resolve(performance.now() - start); }
    });
    observer.observe(form, {attributes: true, attributeFilter: ['data-state']});
  });
  if (name === 'has') {
    form.querySelector('input[name=has][value=code]').checked = value === 'code';
    form.querySelector('input[name=has]').dispatchEvent(new Event('change', {bubbles: true}));
  } else if (name === 'text') {
    el.value = value;
    form.requestSubmit();
  } else {
    el.value = value;
    el.dispatchEvent(new Event('change', {bubbles: true}));
  }
  const [[redrawn, done], counts] = await Promise.all([drawn, counted]);
  const fetched = performance.getEntriesByType('resource').slice(before)
                             .reduce((sum, e) => sum + e.encodedBodySize, 0);
  return {redrawn, counts, done, fetched, shown: document.querySelectorAll('.rl-results__list > li').length,
          status: form.querySelector('.rl-facets__status').textContent};
}
"""


def _current(facets: Path) -> bool:
    """Is `facets` there, written by this version of the generator (facetfile.VERSION)?"""
    if not facets.is_file():
        return False
    with facets.open(encoding="utf-8") as f:
        return bool(json.loads(f.readline().rstrip().rstrip(",") + "}").get("version") == VERSION)


def make_site(n: int, work: Path, repo: Path = REPO) -> tuple[Path, float | None]:
    """The list of `n` papers built by `repo`'s generator under `work`, with `repo`'s SERVED files."""
    content = work / f"mixed-{n}" / "content"
    if not (content / "topics.yml").is_file():
        make_mixed_content(n, content)
    project = work / f"project-{n}"
    site = project / "site"
    build_s = None
    if not (site / "pagefind" / "pagefind.js").is_file() or not _current(site / "facets.json"):
        shutil.rmtree(project, ignore_errors=True)
        copy_project(project, content=content, repo=repo)
        start = time.perf_counter()
        build_site(project, repo=repo)
        build_s = time.perf_counter() - start
    for name in SERVED:
        shutil.copy2(repo / "overrides" / name, site / name)
    return site, build_s


def choices(site: Path) -> dict[str, str]:
    """A value of each filter that narrows the list, from the site's papers.json."""
    data = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    papers = data["papers"]
    years = sorted({p["year"] for p in papers if p["year"]})
    statuses = sorted({p["status"] for p in papers if p["status"]})
    tags = sorted({t for p in papers for t in p["tags"] if '"' not in t and "\\" not in t})
    return {
        "@topic": data["topics"][1]["id"],
        "@year": str(years[len(years) // 2]) if years else "",
        "@status": statuses[0] if statuses else "",
        "@tag": tags[0] if tags else "",
    }


def sizes(site: Path) -> dict[str, tuple[int, int]]:
    """The facet file and the search ids: bytes raw and gzip'd (level 6, as servers do)."""
    out = {}
    for name in ("facets.json", "pagefind/rl-facet-ids.json"):
        data = (site / name).read_bytes()
        out[name] = (len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))
    return out


# What the list shows: the items drawn (or else the plain list's) and the "Show more" button.
_SHOWN_JS = """
() => { const drawn = document.querySelector('.rl-results:not([hidden])');
        const plain = 'article ul.rl-list:not(.rl-results__list):not([hidden]) > li';
        const items = document.querySelectorAll(drawn ? '.rl-results__list > li' : plain);
        const more = drawn && drawn.querySelector('.rl-results__more:not([hidden])');
        const status = document.querySelector('.rl-facets__status').textContent;
        return {shown: items.length,
                status: [drawn ? 'drawn' : 'the plain list', status, more ? more.textContent : '']
                        .filter(Boolean).join(', ')}; }
"""

# Clear, back to the page's own state, timed as a change; resolves once the frame that shows it
# is done, so that the next change is timed from an idle page, as a reader's is. A version that
# shows the plain list again does it at once, with no `rl:facets`: redrawn is done then.
_CLEAR_JS = """
async () => { const form = document.querySelector('form.rl-facets');
              const start = performance.now();
              const drawn = framesAfterDrawn(form, start);
              form.querySelector('button[type=reset]').click();
              let redrawn, done;
              if (form.dataset.state === 'ready') {
                await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                redrawn = done = performance.now() - start;
              } else [redrawn, done] = await drawn;
              return {redrawn, counts: redrawn, done, fetched: 0}; }
"""

# Back, the first of a page view, from one filter to the page's own state: until the frame
# after it is drawn (ms), and the bytes fetched. When Material's instant navigation answers it
# (its progress$ says it started a fetch), it fetches the page and swaps it in: then until the
# new page's form is ready (looked for each ms) and the frame after is done.
_BACK_JS = """
async () => { const old = document.querySelector('form.rl-facets');
              const before = performance.getEntriesByType('resource').length;
              let fetching = false;
              const watch = window.progress$.subscribe(() => { fetching = true; });
              const start = performance.now();
              const drawn = framesAfterDrawn(old, start);
              history.back();
              let [redrawn, done] = await drawn;
              if (fetching) {
                let form = old;
                while (form === old || !form || form.dataset.state !== 'ready') {
                  if (performance.now() - start > 60000) throw new Error('no page swapped in after back');
                  await new Promise(r => setTimeout(r, 1));
                  form = document.querySelector('form.rl-facets');
                }
                redrawn = performance.now() - start;
                await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                done = performance.now() - start;
              }
              watch.unsubscribe();
              const fetched = performance.getEntriesByType('resource').slice(before)
                                         .reduce((sum, e) => sum + e.encodedBodySize, 0);
              return {redrawn, counts: redrawn, done, fetched}; }
"""

# Focus a control, as a reader about to use it does; resolves when facets.json has loaded (ms).
_FOCUS_JS = """
async () => {
  const form = document.querySelector('form.rl-facets');
  const start = performance.now();
  form.elements.topic.focus();
  while (form.dataset.index !== 'loaded') await new Promise(r => setTimeout(r, 5));
  return performance.now() - start;
}
"""


def measure_page(browser: Any, base_url: str, path: str, values: dict[str, str]) -> list[dict[str, Any]]:
    context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    context.add_init_script(_FRAMES_JS)
    page = context.new_page()
    page.set_default_timeout(120_000)
    rows = []
    # The first change after the reader focused a control, once the index it loads is there.
    page.goto(path)
    page.wait_for_selector("form.rl-facets:not([hidden])")
    warm_up = page.evaluate(_FOCUS_JS)
    row = page.evaluate(_CHANGE_JS, ["has", "code"])
    loaded = f"facets.json loaded {warm_up:.0f} ms after focus"
    rows.append({"change": "has code (focused first)", **row, "status": loaded})
    page.goto(f"{path}?")  # a new page view: nothing loaded
    page.wait_for_selector("form.rl-facets:not([hidden])")
    for label, name, value, before in CHANGES:
        value = values.get(value, value)
        if name == "topic" and path.startswith("topics/"):
            value = ""  # a topic page starts at its topic: widen to all
        if not value and name not in ("has", "topic"):
            continue
        if name == "sort" and value == page.evaluate("document.querySelector('form.rl-facets').dataset.sort"):
            continue  # the page's own order: as Clear left it, nothing to redraw
        if not label.endswith("(cold)"):
            page.evaluate(_CLEAR_JS)
        if before:
            page.evaluate(_CHANGE_JS, [before[0], values.get(before[1], before[1])])
        rows.append({"change": label, **page.evaluate(_CHANGE_JS, [name, value])})
    # From the last change's results back to the page's own.
    rows.append({"change": "Clear", **page.evaluate(_CLEAR_JS), **page.evaluate(_SHOWN_JS)})
    page.evaluate(_CHANGE_JS, ["has", "code"])
    rows.append({"change": "back", **page.evaluate(_BACK_JS), **page.evaluate(_SHOWN_JS)})
    context.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000], help="list sizes")
    parser.add_argument("--runs", type=int, default=3, help="fresh browser contexts per page")
    parser.add_argument("--workdir", type=Path, required=True, help="keep lists and sites here")
    parser.add_argument("--json", type=Path, help="also write the medians here")
    parser.add_argument(
        "--repo", type=Path, default=REPO, help="the checkout whose generator and scripts to measure"
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    report: dict[str, Any] = {}
    for n in args.sizes:
        site, build_s = make_site(n, args.workdir, args.repo.resolve())
        www = args.workdir / f"www-{n}"
        www.mkdir(exist_ok=True)
        if not (www / SUB_PATH).exists():
            (www / SUB_PATH.rstrip("/")).symlink_to(site.resolve())
        values = choices(site)
        with serve(www) as url, sync_playwright() as playwright:
            browser = launch(playwright)
            for path in ["papers/", f"topics/{values['@topic']}/"]:
                runs = [measure_page(browser, url + SUB_PATH, path, values) for _ in range(args.runs)]
                rows = []
                for i, row in enumerate(runs[0]):
                    rows.append(
                        {
                            "change": row["change"],
                            "redrawn_ms": statistics.median(r[i]["redrawn"] for r in runs),
                            "counts_ms": statistics.median(r[i]["counts"] for r in runs),
                            "done_ms": statistics.median(r[i]["done"] for r in runs),
                            "fetched_kb": statistics.median(r[i]["fetched"] for r in runs) / 1000,
                            "shown": row["shown"],
                            "status": row["status"],
                        }
                    )
                report[f"{n} {path}"] = {"build_s": build_s, "files": sizes(site), "rows": rows}
                print(f"\n{n} papers, {path} (median of {args.runs}):")
                print(
                    f"  {'change':<24} {'redrawn':>9} {'counts':>9} {'done':>9} {'fetched':>9}  shown  status"
                )
                for r in rows:
                    print(
                        f"  {r['change']:<24} {r['redrawn_ms']:7.0f} ms {r['counts_ms']:6.0f} ms"
                        f" {r['done_ms']:6.0f} ms {r['fetched_kb']:6.0f} KB  {r['shown']:>5}  {r['status']}"
                    )
            for name, (raw, packed) in sizes(site).items():
                print(f"{n} papers, {name}: {raw / 1000:.0f} KB, {packed / 1000:.0f} KB gzip'd")
            browser.close()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
