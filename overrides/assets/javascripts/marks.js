/*
 * A reader's own marks (read, to read, starred), the My list page and "new since your last
 * visit" badges, all kept in this browser's localStorage: no account, no server, and no
 * request but for the site's own papers.json and papers.bib.
 *
 * - Buttons are made here, not in the pages, so a reader without JavaScript or storage gets
 *   none: on a paper page inside its card (`aside.rl-card[data-slug]`), elsewhere beside each
 *   list item of a paper (`li[data-slug]`, or a list item whose first link is a paper page).
 * - One storage key per site (its path, as Material keys its own settings), holding
 *   {"v": 1, "marks": {slug: ["read", ...]}, "visit": {"last": ms, "previous": ms}}. What is
 *   read back is checked value by value; anything else is ignored, never shown as HTML (every
 *   text goes in by textContent).
 * - A visit ends after VISIT_GAP without a page view. A paper is new when it was added on a
 *   later day than the last page view of the reader's previous visit; a first visit has none.
 * - Storage that throws (private mode, blocked, full) leaves the plain site: no buttons, no
 *   badges, a sentence on My list, and nothing thrown or logged.
 * - Material's instant navigation swaps pages without reloading this script: every page is
 *   decorated from `document$`, and clicks are handled once, on the document.
 */
(() => {
  "use strict";

  const VERSION = 1;
  const VISIT_GAP = 30 * 60 * 1000;
  const DAY = 24 * 60 * 60 * 1000;
  const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  const MARKS = [
    { id: "read", name: "Mark as read", text: "Read", heading: "Read" },
    { id: "to-read", name: "Mark to read", text: "To read", heading: "To read" },
    { id: "star", name: "Star", text: "Star", heading: "Starred" },
  ];
  const MARK_IDS = MARKS.map((mark) => mark.id);

  /** The site's root URL, from Material's config (relative to the page this script loaded on). */
  const root = (() => {
    try {
      const config = JSON.parse(document.getElementById("__config").textContent);
      return new URL(config.base, location.href);
    } catch (error) {
      return typeof __md_scope !== "undefined" && __md_scope instanceof URL
        ? new URL(__md_scope.href)
        : new URL("/", location.href);
    }
  })();
  if (!root.pathname.endsWith("/")) root.pathname += "/";
  const KEY = `${root.pathname}.rl-marks`;

  // --- storage -----------------------------------------------------------------------------

  function emptyState() {
    return { v: VERSION, marks: Object.create(null), visit: { last: 0, previous: 0 } };
  }

  function validTime(value) {
    return typeof value === "number" && Number.isFinite(value) && value > 0 && value < Date.now() + DAY
      ? value
      : 0;
  }

  /** The stored state, checked; null when storage cannot be read at all. */
  function readState() {
    let raw;
    try {
      raw = window.localStorage.getItem(KEY);
    } catch (error) {
      return null;
    }
    const state = emptyState();
    let data;
    try {
      data = raw === null ? null : JSON.parse(raw);
    } catch (error) {
      return state;
    }
    if (!data || typeof data !== "object" || data.v !== VERSION) return state;
    const marks = data.marks;
    if (marks && typeof marks === "object" && !Array.isArray(marks)) {
      for (const slug of Object.keys(marks)) {
        const list = marks[slug];
        if (slug.length > 200 || !SLUG.test(slug) || !Array.isArray(list)) continue;
        const kept = MARK_IDS.filter((id) => list.includes(id));
        if (kept.length) state.marks[slug] = kept;
      }
    }
    const visit = data.visit;
    if (visit && typeof visit === "object") {
      state.visit.last = validTime(visit.last);
      state.visit.previous = Math.min(validTime(visit.previous), state.visit.last);
    }
    return state;
  }

  /** Store `state`; false when the browser refuses (blocked, or full). */
  function writeState(state) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
      return true;
    } catch (error) {
      return false;
    }
  }

  /** Count this page view; the last page view of the previous visit, 0 if none. */
  function recordVisit() {
    const state = readState();
    if (state === null) return 0;
    const now = Date.now();
    if (!state.visit.last) state.visit = { last: now, previous: 0 };
    else if (now - state.visit.last > VISIT_GAP) state.visit = { last: now, previous: state.visit.last };
    else state.visit.last = now;
    return writeState(state) ? state.visit.previous : 0;
  }

  function marksOf(state, slug) {
    return (state && state.marks[slug]) || [];
  }

  // --- reading the page --------------------------------------------------------------------

  /** The slug of a link to a paper page of this site, or null. */
  function slugOfLink(link) {
    let url;
    try {
      url = new URL(link.href, location.href);
    } catch (error) {
      return null;
    }
    const prefix = `${root.pathname}papers/`;
    if (url.origin !== root.origin || !url.pathname.startsWith(prefix)) return null;
    const match = /^([a-z0-9-]+)\/(?:index\.html)?$/.exec(url.pathname.slice(prefix.length));
    return match && SLUG.test(match[1]) && match[1] !== "index" ? match[1] : null;
  }

  /** The list items of papers in `roots` and below them: [item, slug, the link to the paper]. */
  function paperItems(roots) {
    const found = [];
    const seen = new Set();
    for (const top of roots) {
      const items = top.matches("li") ? [top, ...top.querySelectorAll("li")] : top.querySelectorAll("li");
      for (const item of items) {
        if (seen.has(item) || item.querySelector("li")) continue;
        seen.add(item);
        const link = item.querySelector("a[href]");
        const own = item.getAttribute("data-slug");
        if (own !== null) {
          if (SLUG.test(own)) found.push([item, own, link && slugOfLink(link) === own ? link : null]);
          continue;
        }
        if (item.closest("[data-slug]")) continue;
        const slug = link ? slugOfLink(link) : null;
        if (slug) found.push([item, slug, link]);
      }
    }
    return found;
  }

  /** Where the page is, relative to the site's root: "" for home, "topics/x/", … */
  function pagePath() {
    return location.pathname.startsWith(root.pathname) ? location.pathname.slice(root.pathname.length) : null;
  }

  // --- buttons -----------------------------------------------------------------------------

  function makeGroup(slug, compact, label, marks) {
    const group = document.createElement("span");
    group.className = compact ? "rl-marks rl-marks--compact" : "rl-marks";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", label);
    group.dataset.rlMarks = slug;
    for (const mark of MARKS) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `rl-mark rl-mark--${mark.id}`;
      button.dataset.mark = mark.id;
      button.setAttribute("aria-pressed", String(marks.includes(mark.id)));
      button.setAttribute("aria-label", mark.name);
      button.title = mark.name;
      if (!compact) button.append(element("span", "rl-mark__text", mark.text));
      group.append(button);
    }
    return group;
  }

  /** Show `state` on the groups of buttons of `slug`, or of every paper. */
  function showState(state, slug) {
    const selector = slug ? `[data-rl-marks="${slug}"]` : "[data-rl-marks]";
    for (const group of document.querySelectorAll(selector)) {
      const marks = marksOf(state, group.dataset.rlMarks);
      for (const button of group.querySelectorAll("button[data-mark]")) {
        button.setAttribute("aria-pressed", String(marks.includes(button.dataset.mark)));
      }
    }
  }

  function addCardButtons(state, card) {
    const slug = card.getAttribute("data-slug");
    if (!SLUG.test(slug) || card.querySelector("[data-rl-marks]")) return;
    const box = element("div", "rl-card__marks");
    box.append(makeGroup(slug, false, "Your marks for this paper", marksOf(state, slug)));
    const status = element("span", "rl-marks__status");
    status.setAttribute("role", "status");
    box.append(status);
    card.append(box);
  }

  function addItemButtons(state, item, slug, link) {
    if (item.querySelector("[data-rl-marks]")) return;
    const title = (link ? link.textContent : item.textContent).trim().slice(0, 200);
    const group = makeGroup(slug, true, `Your marks for ${title}`, marksOf(state, slug));
    if (link && link.parentNode === item) link.after(group);
    else item.append(group);
  }

  // A long list gets its first EAGER items' buttons at once, the others' as they come near the
  // screen: laying out 30,000 buttons takes Chromium seconds on a list of 10,000 papers.
  const EAGER = 300;
  const waiting = new WeakMap();
  let lazy = null;

  function addListButtons(state, items) {
    const todo = items.filter(([item]) => !waiting.has(item) && !item.querySelector("[data-rl-marks]"));
    const later = typeof IntersectionObserver === "function" ? todo.slice(EAGER) : [];
    for (const [item, slug, link] of todo.slice(0, todo.length - later.length)) addItemButtons(state, item, slug, link);
    if (!later.length) return;
    if (!lazy) lazy = new IntersectionObserver(showWaiting, { rootMargin: "100% 0px" });
    for (const entry of later) {
      waiting.set(entry[0], entry);
      lazy.observe(entry[0]);
    }
  }

  function showWaiting(entries, observer) {
    const state = readState();
    for (const { target, isIntersecting } of entries) {
      const entry = waiting.get(target);
      if (!isIntersecting || !entry) continue;
      observer.unobserve(target);
      waiting.delete(target);
      if (state !== null) addItemButtons(state, ...entry);
    }
  }

  function toggle(button) {
    const group = button.closest("[data-rl-marks]");
    const mark = button.dataset.mark;
    if (!group || !MARK_IDS.includes(mark)) return;
    const slug = group.dataset.rlMarks;
    const state = readState();
    if (state === null) return;
    const before = marksOf(state, slug);
    const on = !before.includes(mark);
    const after = MARK_IDS.filter((id) => (id === mark ? on : before.includes(id)));
    if (after.length) state.marks[slug] = after;
    else delete state.marks[slug];
    const saved = writeState(state);
    showState(saved ? state : readState(), slug);
    const status = group.parentNode.querySelector(".rl-marks__status");
    if (status) status.textContent = saved ? "" : "This browser did not keep the mark: its storage is full or blocked.";
  }

  // --- new since the last visit ------------------------------------------------------------

  let papersJson = null;

  /** papers.json, fetched once per page load (instant navigation keeps it). */
  function loadPapers() {
    if (!papersJson) {
      papersJson = fetch(new URL("papers.json", root), { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
        .then((data) => {
          const papers = new Map();
          for (const paper of (data && Array.isArray(data.papers) && data.papers) || []) {
            if (paper && typeof paper.slug === "string" && SLUG.test(paper.slug)) papers.set(paper.slug, paper);
          }
          return papers;
        });
      papersJson.catch(() => {
        papersJson = null;
      });
    }
    return papersJson;
  }

  function addedTime(added) {
    const match = typeof added === "string" && /^(\d{4})-(\d{2})-(\d{2})$/.exec(added);
    return match ? Date.UTC(+match[1], +match[2] - 1, +match[3]) : NaN;
  }

  async function addBadges(found, previous) {
    if (!previous) return;
    const items = found.filter(([item]) => !item.querySelector(".rl-new"));
    if (!items.length) return;
    // The items of the list pages carry their date (data-added); the others are looked up.
    let papers = new Map();
    if (items.some(([item]) => !item.dataset.added)) {
      try {
        papers = await loadPapers();
      } catch (error) {
        // Without papers.json, only the items that carry their date can be new.
      }
    }
    const since = Math.floor(previous / DAY) * DAY + DAY;
    for (const [item, slug, link] of items) {
      const paper = papers.get(slug);
      const added = addedTime(item.dataset.added || (paper && paper.added));
      if (!(added >= since) || item.querySelector(".rl-new")) continue;
      const badge = document.createElement("span");
      badge.className = "rl-new";
      badge.textContent = "New";
      const rest = document.createElement("span");
      rest.className = "rl-visually-hidden";
      rest.textContent = " since your last visit";
      badge.append(rest);
      badge.title = "New since your last visit";
      if (link && link.parentNode === item) link.after(badge);
      else item.prepend(badge);
    }
  }

  /** Decorate the list items a page's own script adds later (the filtered lists of list pages). */
  let observer = null;

  function watch(article, previous, badges) {
    const added = [];
    observer = new MutationObserver((records) => {
      const before = added.length;
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType === 1 && !node.matches("[data-rl-marks], .rl-new")) added.push(node);
        }
      }
      if (before || !added.length) return;
      requestAnimationFrame(() => {
        const state = readState();
        const items = paperItems(added.splice(0).filter((node) => node.isConnected));
        if (state === null || !items.length) return;
        try {
          addListButtons(state, items);
          if (badges) addBadges(items, previous).catch(() => {});
        } catch (error) {
          // As in `run`: the page stays as it is.
        }
      });
    });
    observer.observe(article, { childList: true, subtree: true });
  }

  /** Forget the previous page's observers: instant navigation replaced its content. */
  function unwatch() {
    if (observer) observer.disconnect();
    if (lazy) lazy.disconnect();
    observer = lazy = null;
  }

  // --- My list -----------------------------------------------------------------------------

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function credit(paper) {
    const authors = Array.isArray(paper.authors) ? paper.authors.filter((a) => typeof a === "string") : [];
    const who = authors.length > 2 ? `${authors[0]} et al.` : authors.join(" and ");
    const year = Number.isInteger(paper.year) ? String(paper.year) : "";
    return [who, year].filter(Boolean).join(", ");
  }

  function paperHref(paper) {
    const url = new URL(`papers/${paper.slug}/`, root);
    return url.href;
  }

  async function renderMyList(box, state) {
    const status = element("p", "rl-mylist__status");
    status.setAttribute("role", "status");
    box.replaceChildren(status);
    if (state === null) {
      status.textContent =
        "This browser does not let this site keep data on your device (private browsing, or storage blocked), so there are no marks to show.";
      return;
    }
    const slugs = Object.keys(state.marks).sort();
    if (!slugs.length) {
      status.textContent =
        "You have not marked any paper yet. Use the Read, To read and Star buttons on a paper's page or beside it in a list.";
      return;
    }
    status.textContent = "Loading the list…";
    let papers;
    try {
      papers = await loadPapers();
    } catch (error) {
      status.textContent = "The list's data (papers.json) could not be loaded; try again later.";
      return;
    }
    status.textContent = `${slugs.length} paper${slugs.length === 1 ? "" : "s"} marked.`;
    const title = (slug) => (papers.has(slug) ? String(papers.get(slug).title) : slug);
    for (const mark of MARKS) {
      const marked = slugs.filter((slug) => state.marks[slug].includes(mark.id));
      marked.sort((a, b) => title(a).localeCompare(title(b)) || (a < b ? -1 : 1));
      const section = element("section", "rl-mylist__group");
      section.dataset.group = mark.id;
      section.append(element("h2", "", `${mark.heading} (${marked.length})`));
      if (!marked.length) section.append(element("p", "", "None."));
      const list = element("ul");
      for (const slug of marked) {
        const item = element("li");
        item.dataset.slug = slug;
        const paper = papers.get(slug);
        if (paper) {
          const link = element("a", "", String(paper.title));
          link.href = paperHref(paper);
          item.append(link);
          const by = credit(paper);
          if (by) item.append(` · ${by}`);
        } else {
          item.append(element("span", "", slug), " · no longer on the list");
        }
        list.append(item);
      }
      if (marked.length) section.append(list);
      box.append(section);
    }
    box.append(exportControls(state, papers));
    addListButtons(state, paperItems(box.querySelectorAll(".rl-mylist__group")));
  }

  function exportControls(state, papers) {
    const section = element("section", "rl-mylist__export");
    section.append(element("h2", "", "Export"));
    const fieldset = element("fieldset");
    fieldset.append(element("legend", "", "Papers to export"));
    for (const mark of MARKS) {
      const label = element("label");
      const box = element("input");
      box.type = "checkbox";
      box.checked = true;
      box.name = "rl-export";
      box.value = mark.id;
      label.append(box, ` ${mark.heading}`);
      fieldset.append(label);
    }
    section.append(fieldset);
    const buttons = element("p", "rl-mylist__buttons");
    for (const [kind, text] of [
      ["bibtex", "Download BibTeX"],
      ["json", "Download JSON"],
    ]) {
      const button = element("button", "md-button md-button--primary", text);
      button.type = "button";
      button.dataset.export = kind;
      buttons.append(button, " ");
    }
    section.append(buttons);
    const note = element("div", "rl-mylist__uncited");
    note.setAttribute("aria-live", "polite");
    section.append(note);
    const update = () => describeUncited(note, selection(section, state), papers);
    fieldset.addEventListener("change", update);
    update();
    return section;
  }

  /** The marked slugs whose marks are among the boxes ticked, sorted. */
  function selection(section, state) {
    const ticked = [...section.querySelectorAll("input[name=rl-export]:checked")].map((box) => box.value);
    return Object.keys(state.marks)
      .filter((slug) => state.marks[slug].some((mark) => ticked.includes(mark)))
      .sort();
  }

  function describeUncited(note, slugs, papers) {
    const uncited = slugs.filter((slug) => !papers.has(slug) || typeof papers.get(slug).cite !== "string");
    note.replaceChildren();
    if (!slugs.length) {
      note.append(element("p", "", "No paper is selected: tick at least one kind of mark."));
      return;
    }
    if (!uncited.length) {
      const all = slugs.length === 1 ? "the selected paper" : `all ${slugs.length} selected papers`;
      note.append(element("p", "", `The BibTeX will hold ${all}.`));
      return;
    }
    note.append(
      element(
        "p",
        "",
        `The BibTeX will hold ${slugs.length - uncited.length} of the ${slugs.length} selected papers. ` +
          `The list cannot cite ${uncited.length === 1 ? "this one" : `these ${uncited.length}`} ` +
          "(it lacks their authors and identifiers, or they left the list); the JSON has every selected paper:",
      ),
    );
    const list = element("ul");
    for (const slug of uncited) {
      const paper = papers.get(slug);
      const item = element("li");
      item.dataset.uncited = slug;
      if (paper) {
        const link = element("a", "", String(paper.title));
        link.href = paperHref(paper);
        item.append(link);
      } else item.append(`${slug} (no longer on the list)`);
      list.append(item);
    }
    note.append(list);
  }

  /** The entries of papers.bib by key: each starts a line with "@" (generator/bibtex.py). */
  async function loadBibliography() {
    const response = await fetch(new URL("papers.bib", root), { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    const entries = new Map();
    for (const entry of (await response.text()).split(/\n(?=@)/)) {
      const match = /^@[A-Za-z]+\{([^,\s]+),/.exec(entry.trimStart());
      if (match) entries.set(match[1], `${entry.trim()}\n`);
    }
    return entries;
  }

  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = element("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  async function exportMarks(button) {
    const section = button.closest(".rl-mylist__export");
    const state = readState();
    const note = section && section.querySelector(".rl-mylist__uncited");
    if (!section || state === null) return;
    const slugs = selection(section, state);
    try {
      const papers = await loadPapers();
      if (button.dataset.export === "json") {
        const out = slugs.map((slug) => {
          const paper = papers.get(slug);
          const entry = { slug, marks: state.marks[slug] };
          if (!paper) return Object.assign(entry, { on_list: false });
          return Object.assign(entry, {
            title: paper.title,
            url: paperHref(paper),
            authors: paper.authors,
            year: paper.year,
            venue: paper.venue,
            added: paper.added,
            cite: paper.cite,
          });
        });
        download("my-list.json", "application/json", `${JSON.stringify({ version: VERSION, site: root.href, papers: out }, null, 2)}\n`);
      } else {
        const entries = await loadBibliography();
        const text = slugs
          .map((slug) => papers.get(slug))
          .filter((paper) => paper && typeof paper.cite === "string" && entries.has(paper.cite))
          .map((paper) => entries.get(paper.cite))
          .join("\n");
        download("my-list.bib", "application/x-bibtex", text);
      }
    } catch (error) {
      if (note) note.replaceChildren(element("p", "", "The export failed: the list's data could not be loaded."));
    }
  }

  // --- wiring ------------------------------------------------------------------------------

  function decorate() {
    unwatch();
    const article = document.querySelector(".md-content article") || document.querySelector("article");
    if (!article) return;
    const previous = recordVisit();
    const state = readState();
    const box = article.querySelector("[data-rl-mylist]");
    if (box) {
      renderMyList(box, state).catch(() => {});
      return;
    }
    if (state === null) return;
    const card = article.querySelector("aside.rl-card[data-slug]");
    if (card) {
      addCardButtons(state, card);
      return;
    }
    const items = paperItems([article]);
    addListButtons(state, items);
    const path = pagePath();
    const badges = path === "" || path === "index.html" || /^topics\/[a-z0-9-]+\/(?:index\.html)?$/.test(path || "");
    if (badges) addBadges(items, previous).catch(() => {});
    if (typeof MutationObserver === "function") watch(article, previous, badges);
  }

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const mark = target && target.closest("button[data-mark]");
    if (mark && mark.closest("[data-rl-marks]")) toggle(mark);
    const exporter = target && target.closest("button[data-export]");
    if (exporter) exportMarks(exporter).catch(() => {});
  });
  window.addEventListener("storage", (event) => {
    if (event.key === KEY || event.key === null) showState(readState());
  });

  const run = () => {
    try {
      decorate();
    } catch (error) {
      // The page stays as it was built: marks are an extra, never a reason for a broken page.
    }
  };
  if (typeof document$ !== "undefined" && document$ && typeof document$.subscribe === "function") {
    document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
