/*
 * Filters and sorting of the list pages (All papers, each topic), answered by the Pagefind
 * index (site/pagefind/, generator/searchindex.py) with a search of no words, so a change
 * costs the same at 10,000 papers as at 215.
 *
 * - The form (`form.rl-facets`, generator/templates/_list.html.j2) is in the page, hidden;
 *   this script shows it. Without JavaScript the plain list stays, and while the filters are
 *   as the page starts (its topic, its order) the plain list is what shows.
 * - pagefind.js is loaded only when the reader touches a control (focus, pointer) or the URL
 *   holds a filter, from the form's `data-pagefind` (relative to the page: any sub-path works).
 * - Only the first PAGE results' data are fetched; "Show more" fetches the next.
 * - The state lives in the query of the URL (`?topic=a&year=2020-2023&has=code&sort=year`,
 *   words as `text=`): each change is a history entry, back and forward restore it. Other
 *   parameters (the search box's `q`) are left alone.
 * - Material's instant navigation swaps pages without reloading this script: each page is
 *   set up from `document$`, and popstate is listened to once.
 * - Every text from the index goes in by textContent.
 * - After each redraw the results list dispatches `rl:list` (bubbling) for scripts that
 *   decorate list items (`li[data-slug]`); `form.dataset.state` is "busy" until the list and the counts are drawn, then "ready".
 */
(() => {
  "use strict";

  const PAGE = 50;
  const TYPING_MS = 250;
  const SORTS = { added: { added: "desc" }, year: { year: "desc" }, title: { title: "asc" } };
  const PARAMS = ["text", "topic", "year", "status", "tag", "has", "sort"];
  const modules = new Map();
  let view = null;

  function loadPagefind(form) {
    const url = new URL(form.dataset.pagefind + "pagefind.js", location.href).href;
    if (!modules.has(url)) {
      const loading = import(url).then(async (pagefind) => {
        await pagefind.init();
        return pagefind;
      });
      loading.catch(() => modules.delete(url)); // try again on the next change
      modules.set(url, loading);
    }
    return modules.get(url);
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
    state.sort = sort in SORTS || (sort === "match" && state.text.trim()) ? sort : "";
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

  // --- Pagefind: filters, searches, counts ---------------------------------------------------

  /** The years of the range, as the index holds them ("2021"), or null for no year filter. */
  function yearsOf(form, state) {
    if (!state.from && !state.to) return null;
    let [low, high] = [Number(state.from || -Infinity), Number(state.to || Infinity)];
    if (low > high) [low, high] = [high, low];
    return values(form.elements.to).filter((y) => Number(y) >= low && Number(y) <= high);
  }

  function filtersOf(form, state, leaveOut = "") {
    const filters = { kind: "paper" };
    if (state.topic && leaveOut !== "topic") filters.topic = state.topic;
    const years = leaveOut === "year" ? null : yearsOf(form, state);
    if (years) filters.year = { any: years };
    if (state.status && leaveOut !== "status") filters.status = state.status;
    if (state.tag && leaveOut !== "tag") filters.tag = state.tag;
    if (state.has.length && leaveOut !== "has") filters.has = { all: state.has };
    return filters;
  }

  /** Every result, in the state's order. Pagefind leaves out of a sorted search the pages
   * without that sort key (papers of unknown year): they follow, newest added first. */
  async function searchAll(pagefind, form, state) {
    const term = state.text.trim() || null;
    const filters = filtersOf(form, state);
    const sort = sortOf(state, form);
    if (yearsOf(form, state)?.length === 0) return { results: [], filters: {} };
    const response = await pagefind.search(term, { filters, sort: SORTS[sort] || {} });
    if (sort === "year") {
      const all = await pagefind.search(term, { filters, sort: SORTS.added });
      if (all.results.length > response.results.length) {
        const seen = new Set(response.results.map((r) => r.id));
        response.results = response.results.concat(all.results.filter((r) => !seen.has(r.id)));
      }
      response.filters = all.filters;
    }
    return response;
  }

  /** Counts for each choice: of the results as they are, or for a facet that has a value, of
   * the results without it (what picking another value of it would give). */
  async function countsOf(pagefind, form, state, response) {
    const counts = { ...response.filters };
    // Checkboxes add up (code and data): their counts are of the results as they are.
    const chosen = { topic: state.topic, status: state.status, tag: state.tag };
    const term = state.text.trim() || null;
    await Promise.all(
      Object.entries(chosen)
        .filter(([, value]) => value)
        .map(async ([facet]) => {
          const other = await pagefind.search(term, { filters: filtersOf(form, state, facet) });
          counts[facet] = other.filters[facet];
        }),
    );
    return counts;
  }

  function showCounts(form, counts) {
    const label = (el) => {
      if (el.dataset.label === undefined) el.dataset.label = el.textContent;
      return el.dataset.label;
    };
    for (const facet of ["topic", "status", "tag"]) {
      const select = form.elements[facet];
      if (!select) continue;
      for (const option of select.options) {
        if (!option.value) continue;
        const n = (counts[facet] || {})[option.value] || 0;
        option.textContent = `${label(option)} (${n})`;
      }
    }
    for (const box of hasBoxes(form)) {
      const text = box.nextSibling;
      if (!text || text.nodeType !== Node.TEXT_NODE) continue;
      const n = (counts.has || {})[box.value] || 0;
      if (box.dataset.label === undefined) box.dataset.label = text.textContent;
      text.textContent = `${box.dataset.label} (${n})`;
    }
  }

  // --- drawing ---------------------------------------------------------------------------------

  function slugOf(data) {
    const match = /\/papers\/([^/?#]+)\/?(?:index\.html)?(?:[?#].*)?$/.exec(data.raw_url || data.url || "");
    return match ? decodeURIComponent(match[1]) : null;
  }

  function item(v, data) {
    const slug = slugOf(data);
    const li = document.createElement("li");
    li.className = "rl-item";
    if (!slug) return li;
    const meta = data.meta || {};
    li.dataset.slug = slug;
    if (meta.year) li.dataset.year = meta.year;
    const a = document.createElement("a");
    a.className = "rl-item__title";
    a.href = `${v.root}papers/${encodeURIComponent(slug)}/`;
    a.textContent = meta.title || slug;
    li.append(a);
    if (meta.authors) {
      const credit = document.createElement("span");
      credit.className = "rl-item__credit";
      credit.textContent = meta.authors;
      li.append(" · ", credit);
    }
    const topics = ((data.filters || {}).topic || []).filter((id) => id !== v.form.dataset.topic && v.topics.has(id));
    if (topics.length) {
      const span = document.createElement("span");
      span.className = "rl-item__topics";
      topics.forEach((id, i) => {
        const link = document.createElement("a");
        link.href = `${v.root}topics/${encodeURIComponent(id)}/`;
        link.textContent = v.topics.get(id);
        span.append(...(i ? [", ", link] : [link]));
      });
      li.append(" — ", span);
    }
    // The status is a filter of the record (one value), so it needs no meta of its own.
    const status = ((data.filters || {}).status || [])[0];
    if (status) {
      const span = document.createElement("span");
      span.className = `rl-item__status rl-item__status--${status}`;
      span.textContent = status;
      li.append(" · ", span);
    }
    if (meta.summary) {
      const p = document.createElement("p");
      p.className = "rl-item__summary";
      p.textContent = meta.summary;
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

  async function showMore(v, focus) {
    const token = v.token;
    resultsBox(v);
    // Held, not looked up: other scripts put buttons and lists inside the items (marks.js).
    const { list, more } = v;
    const next = v.results.slice(v.shown, v.shown + PAGE);
    const datas = await Promise.all(next.map((r) => r.data()));
    if (token !== v.token) return;
    const items = datas.map((data) => item(v, data));
    if (v.shown === 0) list.replaceChildren(...items);
    else list.append(...items);
    v.shown += next.length;
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

  /** Show what `state` asks for: the plain list, or the results of the index. */
  async function draw(v, state) {
    const token = ++v.token;
    const status = v.form.querySelector(".rl-facets__status");
    if (isPlain(state, v.form)) {
      v.plain.hidden = false;
      if (v.box) v.box.hidden = true;
      status.textContent = "";
      v.form.dataset.state = "ready";
      return;
    }
    v.form.dataset.state = "busy";
    let pagefind;
    try {
      pagefind = await loadPagefind(v.form);
    } catch (error) {
      if (token !== v.token) return;
      status.textContent = "The filters could not load the search index; the list below is complete.";
      v.form.dataset.state = "ready";
      return;
    }
    const response = await searchAll(pagefind, v.form, state);
    if (token !== v.token) return;
    v.results = response.results;
    v.shown = 0;
    await showMore(v, false);
    if (token !== v.token) return;
    v.plain.hidden = true;
    resultsBox(v).hidden = false;
    status.textContent = describe(v, state, v.results.length);
    v.form.dispatchEvent(new CustomEvent("rl:facets", { bubbles: true }));
    const counts = await countsOf(pagefind, v.form, state, response);
    if (token !== v.token) return;
    showCounts(v.form, counts);
    v.form.dataset.state = "ready";
  }

  /** A reader who touches a control is about to change it: load the index meanwhile (the
   * script, its WebAssembly and the filter chunks, which the counts need anyway). */
  function warmUp(form) {
    if (form.dataset.index) return;
    form.dataset.index = "loading";
    loadPagefind(form)
      .then((pagefind) => pagefind.filters())
      .then(
        () => (form.dataset.index = "loaded"),
        () => delete form.dataset.index,
      );
  }

  // --- wiring ------------------------------------------------------------------------------

  function change(v, replace) {
    const state = fromForm(v.form);
    showSort(v.form, state);
    const url = toURL(v.form, state);
    if (url !== location.pathname + location.search + location.hash) {
      if (replace) history.replaceState(history.state, "", url);
      else history.pushState(null, "", url);
    }
    return draw(v, state);
  }

  function setUp() {
    view = null;
    const form = document.querySelector("form.rl-facets");
    const plain = form && form.parentElement.querySelector("ul.rl-list");
    if (!form || !plain || !form.elements.sort) return;
    const topics = new Map([...form.elements.topic.options].filter((o) => o.value).map((o) => [o.value, o.textContent]));
    const v = { form, plain, root: form.dataset.root, topics, token: 0, results: [], shown: 0, box: null, list: null, more: null, path: location.pathname };
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
    form.addEventListener("focusin", () => warmUp(form));
    form.addEventListener("pointerdown", () => warmUp(form));
    const state = fromURL(form);
    toForm(form, state);
    form.hidden = false;
    draw(v, state);
  }

  window.addEventListener("popstate", () => {
    if (!view || view.path !== location.pathname || !view.form.isConnected) return;
    const state = fromURL(view.form);
    toForm(view.form, state);
    draw(view, state);
  });

  if (window.document$) window.document$.subscribe(setUp);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
