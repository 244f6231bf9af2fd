/*
 * Filters and sorting of the list pages (All papers, each topic), answered in the browser from
 * the facet file (facets.json, generator/facetfile.py): one row per paper, filtered, sorted and
 * counted here in one pass, a few ms at 10,000 papers. Pagefind's filtered search of no words
 * sorts and counts in time quadratic in its results (benchmarks/FACETS.md), so it is asked only
 * for words: its result ids map to papers of the facet file (pagefind/rl-facet-ids.json), and
 * the filters apply to those, with no fragment loaded.
 *
 * - The form (`form.rl-facets`, generator/templates/_list.html.j2) is in the page, hidden;
 *   this script shows it. Without JavaScript the plain list stays, and so it does on a page
 *   view until the reader's first change. Once facets.json is loaded, every state is drawn
 *   from it, the page's own too (Clear, back, the last filter undone, a list page reached by
 *   instant navigation): its papers in its order, PAGE at a time, as the plain list has them
 *   (less those of a topic page's "Start here" list, above the form). Showing the plain list
 *   again would style and lay out all its items: 3.1 s at 10,000 papers. The first change puts
 *   the plain list away at once (`putAway`), kept laid out but not shown.
 * - facets.json is fetched only when the reader touches a control (focus, pointer) or the URL
 *   holds a filter, from the form's `data-root` (relative to the page: any sub-path works);
 *   pagefind.js and the ids only when there are words (or the words field is touched).
 * - The state lives in the query of the URL (`?topic=a&year=2020-2023&has=code&sort=year`,
 *   words as `text=`): each change is a history entry, back and forward restore it. Other
 *   parameters (the search box's `q`) are left alone.
 * - Material's instant navigation swaps pages without reloading this script: each page is
 *   set up from `document$`, and popstate is listened to once (as `rl:popstate`, before
 *   Material: back and forward between states of one page are drawn here, not fetched again).
 *   The files stay loaded.
 * - Every text from the files goes in by textContent.
 * - After each redraw the results list dispatches `rl:list` (bubbling) for scripts that
 *   decorate list items (`li[data-slug]`); `form.dataset.state` is "busy" until the list and
 *   the counts are drawn, then "ready"; `form.dataset.index` is "loaded" once facets.json is.
 */
(() => {
  "use strict";

  const PAGE = 50;
  const TYPING_MS = 250;
  const SORTS = ["added", "year", "title"];
  const PARAMS = ["text", "topic", "year", "status", "tag", "has", "sort"];
  const FACETS_FILE = "facets.json";
  const IDS_FILE = "rl-facet-ids.json"; // inside the Pagefind folder
  const DAY = 86400000;
  const SLUG_MAX = 72; // generator/slugs.py
  const loaded = new Map(); // url -> Promise of the parsed file (kept across page views)
  const facetsAt = new Set(); // the urls of the facet files loaded
  let view = null;
  let here = new URL(location.href); // the history entry the reader is on (popstate)

  function once(url, load) {
    if (!loaded.has(url)) {
      const loading = load(url);
      loading.catch(() => loaded.delete(url)); // try again on the next change
      loaded.set(url, loading);
    }
    return loaded.get(url);
  }

  async function fetchJSON(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }

  /** generator/slugs.py's slugify of an ASCII title (facetfile.ascii_slug): facets.json leaves
   * out the slugs that are this. */
  function asciiSlug(title) {
    let slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (slug.length > SLUG_MAX) {
      const cut = slug.slice(0, SLUG_MAX);
      slug = cut.includes("-") ? cut.slice(0, cut.lastIndexOf("-")) : cut;
    }
    return slug || "paper";
  }

  /** facets.json as columns, with the lookups the filters need. */
  function loadFacets(form) {
    const url = new URL(form.dataset.root + FACETS_FILE, location.href).href;
    return once(url, async () => {
      const doc = await fetchJSON(url);
      const col = Object.fromEntries(doc.fields.map((name, i) => [name, i]));
      const rows = doc.papers;
      const n = rows.length;
      const d = {
        n,
        key: doc.key,
        slug: rows.map((r) => r[col.slug] || asciiSlug(r[col.title])),
        title: rows.map((r) => r[col.title]),
        authors: rows.map((r) => r[col.authors]),
        summary: rows.map((r) => r[col.summary]),
        topics: rows.map((r) => r[col.topics]),
        tags: rows.map((r) => r[col.tags]),
        year: Int32Array.from(rows, (r) => r[col.year] || 0),
        added: Int32Array.from(rows, (r) => r[col.added]),
        date: Int32Array.from(rows, (r) => r[col.date]),
        status: Int32Array.from(rows, (r) => r[col.status]),
        has: Int32Array.from(rows, (r) => r[col.has]),
        topicIds: doc.topics,
        statuses: doc.statuses,
        tagNames: doc.tags,
        hasKinds: doc.has,
        index: (list) => new Map(list.map((value, i) => [value, i])),
      };
      d.topicOf = d.index(doc.topics);
      d.statusOf = d.index(doc.statuses);
      d.tagOf = d.index(doc.tags);
      facetsAt.add(url);
      return d;
    });
  }

  function facetsLoaded(form) {
    return facetsAt.has(new URL(form.dataset.root + FACETS_FILE, location.href).href);
  }

  function loadPagefind(form) {
    const url = new URL(form.dataset.pagefind + "pagefind.js", location.href).href;
    return once(url, async () => {
      const pagefind = await import(url);
      await pagefind.init();
      return pagefind;
    });
  }

  /** Pagefind's page id -> the paper's place in facets.json. */
  function loadIds(form, d) {
    const url = new URL(form.dataset.pagefind + IDS_FILE, location.href).href;
    return once(url, async () => {
      const doc = await fetchJSON(url);
      if (doc.key !== d.key) throw new Error("the search index is of another list than facets.json");
      return new Map(doc.ids.map((id, i) => [id, i]).filter(([id]) => id));
    });
  }

  // --- the state: read from and written to the form and the URL ----------------------------

  function values(select) {
    return select ? [...select.options].map((o) => o.value).filter(Boolean) : [];
  }

  function defaults(form) {
    // sort "": the page's own order, or best match while there are words (sortOf).
    return { text: "", topic: form.dataset.topic, from: "", to: "", status: "", tag: "", has: [], sort: "" };
  }

  /** The sort the state means: what the reader chose, else best match for words, else the page's. */
  function sortOf(state, form) {
    if (state.sort) return state.sort;
    return state.text.trim() ? "match" : form.dataset.sort;
  }

  function isPlain(state, form) {
    const start = defaults(form);
    return (
      !state.text.trim() &&
      state.topic === start.topic &&
      !state.from &&
      !state.to &&
      !state.status &&
      !state.tag &&
      !state.has.length &&
      sortOf(state, form) === form.dataset.sort
    );
  }

  function fromURL(form) {
    const params = new URLSearchParams(location.search);
    const el = form.elements;
    const known = (name, value) => (values(el[name]).includes(value) ? value : "");
    const state = defaults(form);
    state.text = params.get("text") || "";
    if (params.has("topic")) state.topic = known("topic", params.get("topic"));
    // A year the list has no paper of becomes the nearest one inside the range ("2020-" is
    // "2021-" when no paper is of 2020); a bound with none inside is dropped.
    const [from = "", to = from] = (params.get("year") || "").split("-");
    const years = values(el.from).map(Number);
    const low = years.find((y) => y >= Number(from) && (!to || y <= Number(to)));
    const high = years.filter((y) => y <= Number(to) && (!from || y >= Number(from))).pop();
    state.from = /^\d{1,4}$/.test(from) && low !== undefined ? String(low) : "";
    state.to = /^\d{1,4}$/.test(to) && high !== undefined ? String(high) : "";
    state.status = known("status", params.get("status") || "");
    state.tag = known("tag", params.get("tag") || "");
    const offered = hasBoxes(form).map((box) => box.value);
    const asked = (params.get("has") || "").split(",");
    state.has = offered.filter((h) => asked.includes(h));
    const sort = params.get("sort") || "";
    state.sort = SORTS.includes(sort) || (sort === "match" && state.text.trim()) ? sort : "";
    return state;
  }

  function hasBoxes(form) {
    return [...form.querySelectorAll('input[name="has"]')];
  }

  function fromForm(form) {
    const el = form.elements;
    const pick = (name) => (el[name] ? el[name].value : "");
    return {
      text: pick("text"),
      topic: pick("topic"),
      from: pick("from"),
      to: pick("to"),
      status: pick("status"),
      tag: pick("tag"),
      has: hasBoxes(form).filter((box) => box.checked).map((box) => box.value),
      sort: form.dataset.chosenSort === "match" && !pick("text").trim() ? "" : form.dataset.chosenSort || "",
    };
  }

  function toForm(form, state) {
    const el = form.elements;
    const put = (name, value) => {
      if (el[name]) el[name].value = value;
    };
    put("text", state.text);
    put("topic", state.topic);
    put("from", state.from);
    put("to", state.to);
    put("status", state.status);
    put("tag", state.tag);
    for (const box of hasBoxes(form)) box.checked = state.has.includes(box.value);
    form.dataset.chosenSort = state.sort;
    showSort(form, state);
  }

  /** The sort menu: "Best match" is offered while there are words. */
  function showSort(form, state) {
    const select = form.elements.sort;
    const match = select.querySelector('option[value="match"]');
    const words = Boolean(state.text.trim());
    match.hidden = match.disabled = !words;
    select.value = sortOf(state, form);
  }

  function toURL(form, state) {
    const params = new URLSearchParams(location.search);
    for (const name of PARAMS) params.delete(name);
    const start = defaults(form);
    if (state.text.trim()) params.set("text", state.text.trim());
    if (state.topic !== start.topic) params.set("topic", state.topic);
    if (state.from || state.to) {
      params.set("year", state.from === state.to ? state.from : `${state.from}-${state.to}`);
    }
    if (state.status) params.set("status", state.status);
    if (state.tag) params.set("tag", state.tag);
    if (state.has.length) params.set("has", state.has.join(","));
    const sort = sortOf(state, form);
    if (sort !== (state.text.trim() ? "match" : form.dataset.sort)) params.set("sort", sort);
    const query = params.toString();
    return location.pathname + (query ? `?${query}` : "") + location.hash;
  }

  // --- filtering, sorting, counting: one pass over the papers ---------------------------------

  /** The papers that have the words, each with its place in Pagefind's ranking; null for none. */
  async function wordsOf(v, d, text) {
    const words = text.trim();
    if (!words) return null;
    if (v.words && v.words.text === words) return v.words.ranks;
    const [pagefind, ids] = await Promise.all([loadPagefind(v.form), loadIds(v.form, d)]);
    // No filters and no sort: Pagefind then loads no filter chunk and counts nothing.
    const response = await pagefind.search(words);
    const ranks = new Map();
    for (const result of response.results) {
      const i = ids.get(result.id);
      if (i !== undefined && !ranks.has(i)) ranks.set(i, ranks.size);
    }
    v.words = { text: words, ranks };
    return ranks;
  }

  const TOPIC = 1;
  const YEAR = 2;
  const STATUS = 3;
  const TAG = 4;
  const HAS = 5;

  /** The results in the state's order, and the counts of each choice: for a facet, of the
   * papers that pass every other filter (what picking a value of it would give); for the
   * checkboxes, which add up, of the results as they are. The slugs of `leftOut` (a Set, or
   * null) are not among the results, but counted: any choice shows them again. */
  function answer(d, form, state, ranks, leftOut) {
    const lookup = (map, value) => (value ? (map.has(value) ? map.get(value) : -2) : -1);
    const topic = lookup(d.topicOf, state.topic);
    const status = lookup(d.statusOf, state.status);
    const tag = lookup(d.tagOf, state.tag);
    const hasMask = state.has.reduce((mask, kind) => mask | (1 << d.hasKinds.indexOf(kind)), 0);
    const years = Boolean(state.from || state.to);
    let [low, high] = [Number(state.from || 0), Number(state.to || 9999)];
    if (low > high) [low, high] = [high, low];
    const counts = { topic: new Int32Array(d.topicIds.length), status: new Int32Array(d.statuses.length), tag: new Int32Array(d.tagNames.length), has: new Int32Array(d.hasKinds.length) };
    const results = [];
    for (let i = 0; i < d.n; i++) {
      if (ranks && !ranks.has(i)) continue;
      // The filters this paper fails: it is a result if none, counted for a facet if only that one.
      let misses = 0;
      let missed = 0;
      const miss = (facet) => {
        misses++;
        missed = facet;
      };
      if (topic !== -1 && !d.topics[i].includes(topic)) miss(TOPIC);
      if (years && !(d.year[i] && d.year[i] >= low && d.year[i] <= high)) miss(YEAR);
      if (status !== -1 && d.status[i] !== status) miss(STATUS);
      if (tag !== -1 && !d.tags[i].includes(tag)) miss(TAG);
      if ((d.has[i] & hasMask) !== hasMask) miss(HAS);
      if (misses > 1) continue;
      if (!misses || missed === TOPIC) for (const t of d.topics[i]) counts.topic[t]++;
      if ((!misses || missed === STATUS) && d.status[i] >= 0) counts.status[d.status[i]]++;
      if (!misses || missed === TAG) for (const t of d.tags[i]) counts.tag[t]++;
      if (misses) continue;
      for (let k = 0; k < d.hasKinds.length; k++) if (d.has[i] & (1 << k)) counts.has[k]++;
      if (!leftOut || !leftOut.has(d.slug[i])) results.push(i);
    }
    // facets.json is in title order: the results are too.
    const sort = sortOf(state, form);
    if (sort === "match" && ranks) results.sort((a, b) => ranks.get(a) - ranks.get(b));
    else if (sort === "added") results.sort((a, b) => d.added[a] - d.added[b]);
    else if (sort === "year") {
      // Newest first; papers of one year, and those of no year (last), newest added first.
      results.sort((a, b) => (d.year[b] || -1e4) - (d.year[a] || -1e4) || d.added[a] - d.added[b]);
    }
    return { results, counts };
  }

  function showCounts(form, d, counts) {
    const label = (el, text) => {
      if (el.dataset.label === undefined) el.dataset.label = text;
      return el.dataset.label;
    };
    const facets = { topic: d.topicOf, status: d.statusOf, tag: d.tagOf };
    for (const [facet, of] of Object.entries(facets)) {
      const select = form.elements[facet];
      if (!select) continue;
      for (const option of select.options) {
        if (!option.value) continue;
        const n = of.has(option.value) ? counts[facet][of.get(option.value)] : 0;
        const text = `${label(option, option.textContent)} (${n})`;
        if (option.textContent !== text) option.textContent = text;
      }
    }
    for (const box of hasBoxes(form)) {
      const node = box.nextSibling;
      if (!node || node.nodeType !== Node.TEXT_NODE) continue;
      const k = d.hasKinds.indexOf(box.value);
      node.textContent = `${label(box, node.textContent)} (${k < 0 ? 0 : counts.has[k]})`;
    }
  }

  // --- drawing: the plain list's markup (generator/templates/_list.html.j2) -----------------

  /** The summaries the page's own lists show (a topic page's are of the abstract). */
  function pageSummaries(v) {
    if (!v.summaries) {
      v.summaries = new Map();
      const article = v.form.closest("article") || document;
      for (const p of article.querySelectorAll("li.rl-item[data-slug] > .rl-item__summary")) {
        v.summaries.set(p.parentElement.dataset.slug, p.textContent);
      }
    }
    return v.summaries;
  }

  function item(v, d, i) {
    const slug = d.slug[i];
    const li = document.createElement("li");
    li.className = "rl-item";
    li.dataset.slug = slug;
    li.dataset.added = new Date(d.date[i] * DAY).toISOString().slice(0, 10);
    if (d.year[i]) li.dataset.year = d.year[i];
    const a = document.createElement("a");
    a.className = "rl-item__title";
    a.href = `${v.root}papers/${encodeURIComponent(slug)}/`;
    a.textContent = d.title[i];
    li.append(a);
    const credit = [d.authors[i], d.year[i] ? String(d.year[i]) : ""].filter(Boolean).join(", ");
    if (credit) {
      const span = document.createElement("span");
      span.className = "rl-item__credit";
      span.textContent = credit;
      li.append(" · ", span);
    }
    const topics = d.topics[i].map((t) => d.topicIds[t]).filter((id) => id !== v.form.dataset.topic && v.topics.has(id));
    if (topics.length) {
      const span = document.createElement("span");
      span.className = "rl-item__topics";
      topics.forEach((id, k) => {
        const link = document.createElement("a");
        link.href = `${v.root}topics/${encodeURIComponent(id)}/`;
        link.textContent = v.topics.get(id);
        span.append(...(k ? [", ", link] : [link]));
      });
      li.append(" — ", span);
    }
    if (d.status[i] >= 0) {
      const status = d.statuses[d.status[i]];
      const span = document.createElement("span");
      span.className = `rl-item__status rl-item__status--${status}`;
      span.textContent = status;
      li.append(" · ", span);
    }
    const summary = pageSummaries(v).get(slug) ?? d.summary[i];
    if (summary) {
      const p = document.createElement("p");
      p.className = "rl-item__summary";
      p.textContent = summary;
      li.append(p);
    }
    return li;
  }

  function resultsBox(v) {
    if (v.box) return v.box;
    const box = document.createElement("div");
    box.className = "rl-results";
    box.hidden = true;
    const list = document.createElement("ul");
    list.className = "rl-list rl-results__list";
    const more = document.createElement("button");
    more.type = "button";
    more.className = "md-button rl-results__more";
    more.hidden = true;
    more.addEventListener("click", () => showMore(v, true));
    box.append(list, more);
    v.plain.after(box);
    v.box = box;
    v.list = list;
    v.more = more;
    return box;
  }

  function showMore(v, focus) {
    resultsBox(v);
    // Held, not looked up: other scripts put buttons and lists inside the items (marks.js).
    const { list, more } = v;
    const items = v.results.slice(v.shown, v.shown + PAGE).map((i) => item(v, v.data, i));
    if (v.shown === 0) list.replaceChildren(...items);
    else list.append(...items);
    v.shown += items.length;
    const left = v.results.length - v.shown;
    more.hidden = left <= 0;
    more.textContent = `Show ${Math.min(left, PAGE)} more (${left} not shown)`;
    if (focus && items.length && more.hidden) items[0].querySelector("a")?.focus();
    list.dispatchEvent(new CustomEvent("rl:list", { bubbles: true }));
  }

  function describe(v, state, count) {
    const order = { match: "best match first", added: "newest added first", year: "newest first", title: "by title" }[sortOf(state, v.form)];
    if (!count) return "No paper matches these filters.";
    return `${count} paper${count === 1 ? "" : "s"} match${count === 1 ? "es" : ""}, ${order}.`;
  }

  /** Put the plain list away (`away`), or show it again. Hidden by content-visibility, not
   * display: none (facets.css), so that its items keep their layout: throwing it away is most of
   * a frame at 10,000 papers (190 ms). Inert: no focus, find in page or assistive technology
   * reaches it. */
  function putAway(v, away) {
    v.plain.hidden = away;
    v.plain.inert = away;
  }

  /** Show what `state` asks for: the papers of facets.json that match; the page's own state
   * as the plain list until facets.json is loaded. */
  async function draw(v, state) {
    const token = ++v.token;
    const status = v.form.querySelector(".rl-facets__status");
    const plain = isPlain(state, v.form);
    if (plain && !facetsLoaded(v.form)) {
      if (!v.box || v.box.hidden) putAway(v, false); // a change undone before the file came
      status.textContent = "";
      v.form.dataset.state = "ready";
      return;
    }
    v.form.dataset.state = "busy";
    if (!v.plain.hidden) {
      // Away now, in the change's own frame, not once the papers are drawn: that frame repaints
      // the page, and with the plain list still there it walks every item (130 ms at 10,000).
      putAway(v, true);
      status.textContent = "Loading the papers…"; // replaced in this task if nothing is to load
    }
    let d, ranks;
    try {
      d = await loadFacets(v.form);
      warmedUp(v.form);
      ranks = await wordsOf(v, d, state.text);
    } catch (error) {
      if (token !== v.token) return;
      if (!v.box || v.box.hidden) putAway(v, false);
      status.textContent = d
        ? "The search index could not be loaded; filters without words still work."
        : "The filters could not be loaded; the list below is complete.";
      v.form.dataset.state = "ready";
      return;
    }
    if (token !== v.token) return;
    // The page's own state is its plain list's papers: those of its start list are above.
    const { results, counts } = answer(d, v.form, state, ranks, plain ? v.start : null);
    v.data = d;
    v.results = results;
    v.shown = 0;
    showMore(v, false);
    resultsBox(v).hidden = false;
    // The page already says what its own list is (the count and order above it).
    status.textContent = plain ? "" : describe(v, state, results.length);
    v.form.dispatchEvent(new CustomEvent("rl:facets", { bubbles: true }));
    showCounts(v.form, d, counts);
    v.form.dataset.state = "ready";
  }

  function warmedUp(form) {
    if (form.isConnected) form.dataset.index = "loaded";
  }

  /** A reader who touches a control is about to change it: load facets.json meanwhile, and
   * for the words field Pagefind and its ids too. */
  function warmUp(form, words) {
    const facets = loadFacets(form);
    if (!form.dataset.index) {
      form.dataset.index = "loading";
      facets.then(
        () => warmedUp(form),
        () => delete form.dataset.index,
      );
    }
    if (words) {
      facets
        .then((d) => Promise.all([loadPagefind(form), loadIds(form, d)]))
        .catch(() => {}); // told when the words are drawn
    }
  }

  // --- wiring ------------------------------------------------------------------------------

  function change(v, replace) {
    const state = fromForm(v.form);
    showSort(v.form, state);
    const url = toURL(v.form, state);
    if (url !== location.pathname + location.search + location.hash) {
      if (replace) history.replaceState(history.state, "", url);
      else history.pushState(null, "", url);
      here = new URL(location.href);
    }
    return draw(v, state);
  }

  function setUp() {
    view = null;
    const form = document.querySelector("form.rl-facets");
    const plain = form && form.parentElement.querySelector("ul.rl-list");
    if (!form || !plain || !form.elements.sort) return;
    const topics = new Map([...form.elements.topic.options].filter((o) => o.value).map((o) => [o.value, o.textContent]));
    const article = form.closest("article") || document;
    const start = new Set([...article.querySelectorAll("ul.rl-start-list > li[data-slug]")].map((li) => li.dataset.slug));
    const v = { form, plain, start, root: form.dataset.root, topics, token: 0, data: null, results: [], shown: 0, box: null, list: null, more: null, words: null, summaries: null, path: location.pathname };
    view = v;
    let typing = null;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(typing);
      change(v, false);
    });
    form.addEventListener("reset", (event) => {
      event.preventDefault();
      clearTimeout(typing);
      toForm(form, defaults(form));
      change(v, false);
    });
    form.addEventListener("change", (event) => {
      if (event.target.name === "text") return; // drawn while typing
      if (event.target.name === "sort") form.dataset.chosenSort = event.target.value;
      change(v, false);
    });
    form.addEventListener("input", (event) => {
      if (event.target.name !== "text") return;
      clearTimeout(typing);
      typing = setTimeout(() => change(v, true), TYPING_MS);
    });
    form.addEventListener("focusin", (event) => warmUp(form, event.target.name === "text"));
    form.addEventListener("pointerdown", (event) => warmUp(form, event.target.name === "text"));
    const state = fromURL(form);
    toForm(form, state);
    form.hidden = false;
    draw(v, state);
  }

  // Back and forward between states of one list page. Material's instant navigation would
  // fetch the whole page again for the first popstate of a page view, which is new to it (3.5 s
  // on All papers at 10,000 papers), and leaves the later ones of the same path alone. So when
  // the entry the reader leaves has the same path (only the query or the anchor changed),
  // Material is kept from it: through `rl:popstate`, which overrides/main.html dispatches before
  // Material sees the popstate. A new anchor is then scrolled to here, as Material does. A new
  // path stays Material's, and so does a back taken while it is still fetching another page
  // (`here` is then that page, from location$).
  const drawn = new WeakSet(); // the popstates drawn through rl:popstate
  function restore() {
    const from = here;
    here = new URL(location.href);
    if (!view || view.path !== location.pathname || !view.form.isConnected) return false;
    if (from.search !== here.search || from.pathname !== here.pathname) {
      const state = fromURL(view.form);
      toForm(view.form, state);
      draw(view, state);
    }
    if (from.pathname !== here.pathname) return false;
    if (from.hash !== here.hash) scrollAsMaterial();
    return true;
  }

  // What Material does on a popstate within one page (its scroll restoration is manual): back
  // to the offset it keeps in the entry's state, else to the entry's anchor, else to the top.
  function scrollAsMaterial() {
    const y = history.state && Number.isFinite(history.state.y) ? history.state.y : null;
    let id = here.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (error) {
      // Not percent-encoded text: the id as written.
    }
    const target = id && y === null ? document.getElementById(id) : null;
    if (target) target.scrollIntoView();
    else window.scrollTo(0, y || 0);
  }
  window.addEventListener("rl:popstate", (event) => {
    drawn.add(event.detail);
    if (restore()) event.preventDefault();
  });
  window.addEventListener("popstate", (event) => {
    if (!drawn.has(event)) restore(); // a theme without the rl:popstate of main.html
  });
  if (window.location$) window.location$.subscribe((url) => (here = new URL(url.href)));

  if (window.document$) window.document$.subscribe(setUp);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
