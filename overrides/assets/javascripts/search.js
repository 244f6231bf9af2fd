/*
 * Search with Pagefind in Material's own search box (issue 11).
 *
 * Material's header search box stays (input.md-search__input, the phone layout, the
 * "/", "s", "f" shortcuts); overrides/hooks.py detaches Material's search component so
 * that its lunr worker never starts, and this script answers the box instead:
 *
 * - nothing of the index is fetched until the reader focuses the box (or opens a ?q= link);
 *   then pagefind/pagefind.js is imported from the site root (Material's config.base), so
 *   the site works under any sub-path and from any static server;
 * - results go into Material's markup: .md-search-result__list > .md-search-result__item,
 *   one link each, with the title in an article h1, the credit (authors and year), a short
 *   excerpt with the query's words marked, and the topics as tags;
 * - ?q=terms opens the search with those terms; the address keeps the query while the
 *   search is open, so a search can be shared.
 *
 * Instant navigation keeps the header, so the box is wired once; each new page
 * (Material's document$) is checked for a ?q=.
 */
(() => {
  "use strict";

  const input = document.querySelector("input.md-search__input");
  const toggle = document.getElementById("__search");
  const configNode = document.getElementById("__config");
  if (!input || !toggle || !configNode || input.dataset.rlSearch) return;
  input.dataset.rlSearch = "on";

  const config = JSON.parse(configNode.textContent);
  const root = new URL(`${config.base.replace(/\/$/, "")}/`, location.href);
  const say = (key, fallback) => (config.translations || {})[key] || fallback;
  const form = input.form;
  const meta = document.querySelector(".md-search-result__meta");
  const list = document.querySelector(".md-search-result__list");
  const scrollwrap = document.querySelector(".md-search__scrollwrap");
  const PAGE = 10;
  // How long a query may take before the reader is told it has not answered (a first query at
  // 10,000 papers answers in about 0.5 s, benchmarks/RESULTS.md).
  const SLOW_MS = 8000;
  const TOPICS = " · ";

  let loading = null; // the Pagefind module, once asked for
  let asked = 0; // the number of the latest query; older answers are dropped
  let shown = null; // {results, next}: the answer on screen and how much of it is drawn

  function load() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", root).href).then(async (pagefind) => {
        await pagefind.options({ excerptLength: 24 });
        pagefind.init();
        return pagefind;
      });
    }
    return loading;
  }

  function setMeta(text) {
    meta.textContent = text;
  }

  function counted(n) {
    if (n === 0) return say("search.result.none", "No matching documents");
    if (n === 1) return say("search.result.one", "1 matching document");
    return say("search.result.other", "# matching documents").replace("#", String(n));
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Pagefind's excerpt is the page's text with < and > written &lt; and &gt; (and nothing else
  // escaped), and <mark> and </mark> put around the words found: those two are the only markup
  // read; everything else goes in as text, &lt; and &gt; back as < and >.
  function excerpt(marked) {
    const out = element("p", "rl-search__excerpt");
    let inMark = false;
    for (const part of marked.split(/(<mark>|<\/mark>)/)) {
      if (part === "<mark>" || part === "</mark>") {
        inMark = part === "<mark>";
      } else if (part) {
        const text = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
        out.append(inMark ? element("mark", "", text) : text);
      }
    }
    return out;
  }

  function item(data) {
    const li = element("li", "md-search-result__item");
    const link = element("a", "md-search-result__link");
    link.href = data.url;
    link.tabIndex = -1;
    const article = element("article", "md-search-result__article md-search-result__article--document md-typeset");
    article.append(element("div", "md-search-result__icon md-icon"), element("h1", "", data.meta.title || data.url));
    if (data.meta.authors || data.meta.year) {
      article.append(element("p", "rl-search__credit", data.meta.authors || data.meta.year));
    }
    if (data.excerpt) article.append(excerpt(data.excerpt));
    if (data.meta.topics) {
      const tags = element("div", "md-tags"); // a div: a nav in every result is a landmark each
      for (const title of data.meta.topics.split(TOPICS)) tags.append(element("span", "md-tag", title));
      article.append(tags);
    }
    link.append(article);
    li.append(link);
    return li;
  }

  // The topic (among the first few found) whose name is the query, if any.
  async function namedTopic(results, terms) {
    const wanted = titleKey(terms);
    for (const result of results.slice(0, 3)) {
      const data = await result.data();
      if (titleKey(data.meta.title) === wanted) return result;
    }
    return null;
  }

  function titleKey(text) {
    return (text || "").toLocaleLowerCase().replace(/\s+/g, " ").trim();
  }

  // A page whose title is the query itself (a topic's name, a pasted paper title) comes first:
  // Pagefind's scores saturate, so a paper that repeats the words can pass it otherwise.
  function exactFirst(data, terms) {
    const wanted = titleKey(terms);
    const exact = (d) => titleKey(d.meta.title) === wanted;
    return [...data.filter(exact), ...data.filter((d) => !exact(d))];
  }

  // Draw the next page of the answer on screen.
  async function more() {
    const answer = shown;
    if (!answer || answer.busy || answer.next >= answer.results.length) return;
    answer.busy = true;
    const page = answer.results.slice(answer.next, answer.next + PAGE);
    let data = await Promise.all(page.map((result) => result.data()));
    if (answer !== shown) return;
    if (answer.next === 0) data = exactFirst(data, answer.terms);
    list.append(...data.map(item));
    answer.next += page.length;
    answer.busy = false;
  }

  async function search(query) {
    const id = ++asked;
    const terms = query.trim();
    keepInAddress(terms);
    if (!terms) {
      shown = null;
      list.replaceChildren();
      setMeta(say("search.result.placeholder", "Type to start searching"));
      return;
    }
    let pagefind;
    try {
      pagefind = await load();
    } catch (error) {
      if (id === asked) unavailable();
      return;
    }
    // Pagefind waits for an index part that does not arrive rather than fail (and keeps
    // waiting for it on later queries): say so after a while; an answer that comes later is
    // still drawn.
    const slow = setTimeout(() => {
      if (id === asked) setMeta("The search has not answered yet (a part of the index did not arrive); reload the page to try again.");
    }, SLOW_MS);
    try {
      // The topics alone too: among thousands of papers that repeat a topic's words, its page may
      // rank past the first screen, and a topic's name should find its page first.
      const [answer, topics] = await Promise.all([
        pagefind.search(terms),
        pagefind.search(terms, { filters: { kind: "topic" } }),
      ]);
      if (id !== asked) return;
      const named = await namedTopic(topics.results, terms);
      if (id !== asked) return;
      const results = named ? [named, ...answer.results.filter((r) => r.id !== named.id)] : answer.results;
      shown = { results, next: 0, busy: false, terms };
      list.replaceChildren();
      await more();
      if (id === asked) setMeta(counted(answer.results.length));
    } catch (error) {
      // A part of the index that did not arrive (a dropped connection): say so, and let the
      // same words be asked again, rather than leave the last answer or nothing on screen.
      if (id !== asked) return;
      last = null;
      shown = null;
      list.replaceChildren();
      setMeta("The search did not answer (" + (error && error.message ? error.message : error) + "); type again to retry.");
      console.error("search:", error);
    } finally {
      clearTimeout(slow);
    }
  }

  function unavailable() {
    list.replaceChildren();
    setMeta(
      "Search is not available here: this copy of the site has no search index " +
        "(pagefind/). `python -m generator build` writes it into site/.",
    );
  }

  // The query in the address (?q=), so that the search can be shared; gone when it closes.
  function keepInAddress(terms) {
    const url = new URL(location.href);
    if ((url.searchParams.get("q") || "") === terms) return;
    if (terms) url.searchParams.set("q", terms);
    else url.searchParams.delete("q");
    history.replaceState(history.state, "", url.href);
  }

  function setOpen(open) {
    if (toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
    list.setAttribute("role", open ? "list" : "presentation");
  }

  function open() {
    setOpen(true);
    load().catch(unavailable);
  }

  function close() {
    setOpen(false);
    input.blur();
    keepInAddress("");
  }

  let last = null;
  function changed() {
    if (input.value === last) return;
    last = input.value;
    search(input.value);
  }

  function links() {
    return [...list.querySelectorAll("a.md-search-result__link")];
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", changed);
  input.addEventListener("keyup", changed);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => {
    setTimeout(() => {
      changed();
      input.focus();
    });
  });
  toggle.addEventListener("change", () => {
    list.setAttribute("role", toggle.checked ? "list" : "presentation");
    if (!toggle.checked) keepInAddress("");
  });
  // The magnifier of the phone layout opens the dialog: put the cursor in the box.
  for (const label of document.querySelectorAll("header [for=__search]")) {
    label.addEventListener("click", () => setTimeout(() => input.focus()));
  }
  list.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a")) setOpen(false);
  });
  scrollwrap.addEventListener("scroll", () => {
    if (scrollwrap.scrollTop + scrollwrap.clientHeight >= scrollwrap.scrollHeight - 200) more();
  });

  document.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    const active = document.activeElement;
    const inSearch = toggle.checked && (active === input || list.contains(active));
    if (!inSearch) {
      const typing = active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName));
      if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        input.focus();
        input.select();
      }
      return;
    }
    const all = links();
    const at = all.indexOf(active);
    switch (event.key) {
      case "Enter":
        if (active === input && all.length) {
          event.preventDefault();
          all[0].click();
        }
        break;
      case "Escape":
      case "Tab":
        if (event.key === "Escape") event.preventDefault();
        close();
        break;
      case "ArrowDown":
      case "ArrowUp": {
        event.preventDefault();
        const ring = [input, ...all];
        const next = (ring.indexOf(active) + (event.key === "ArrowDown" ? 1 : -1) + ring.length) % ring.length;
        ring[next].focus();
        if (at >= all.length - 2) more();
        break;
      }
      default:
        if (active !== input && event.key.length === 1) input.focus();
    }
  });

  // ?q=terms opens the search with them, on the first page and after instant navigation.
  function fromAddress() {
    const terms = new URL(location.href).searchParams.get("q");
    if (terms === null || !terms.trim()) return;
    input.value = terms;
    input.focus();
    open();
    changed();
  }

  setMeta(say("search.result.placeholder", "Type to start searching"));
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(fromAddress);
  } else {
    fromAddress();
  }
})();
