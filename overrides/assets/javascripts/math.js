/*
 * Formulas in abstracts: generator/typeset.py writes each one's TeX as
 * <code class="language-math">; this renders them with the KaTeX vendored in
 * assets/katex/ (the version pinned in package-lock.json), and fetches KaTeX only
 * on a page that has one. A page flagged `math` in its front matter already links
 * KaTeX in its <head> (overrides/main.html); after an instant navigation
 * (Material's document$) the script is added here. Unknown commands show in red
 * as KaTeX's own error text, never break the page.
 */
(function () {
  "use strict";
  var base = new URL("../katex/", document.currentScript.src);
  var loading = null;

  function load() {
    if (window.katex) return Promise.resolve(window.katex);
    if (loading) return loading;
    if (!document.querySelector('link[href$="katex.min.css"]')) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("katex.min.css", base).href;
      document.head.appendChild(css);
    }
    // A script of its own, even when the page's <head> has one: this runs once the document is
    // parsed, when a page's own (deferred) KaTeX has already run; and the <head> of a page
    // reached by instant navigation is copied in by Material from a parsed document, whose
    // scripts the browser never runs (waiting for theirs would wait forever).
    loading = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.addEventListener("load", function () { resolve(window.katex); });
      script.addEventListener("error", function (error) {
        loading = null; // try again on the next page
        reject(error);
      });
      script.src = new URL("katex.min.js", base).href;
      document.head.appendChild(script);
    });
    return loading;
  }

  function render(katex, code) {
    var span = document.createElement("span");
    span.className = "rl-math";
    try {
      katex.render(code.textContent, span, {
        displayMode: false,
        throwOnError: false,
        trust: false,
        strict: "ignore",
        maxExpand: 1000,
        maxSize: 20
      });
    } catch (error) {
      return; // the TeX stays as it was written
    }
    code.replaceWith(span);
  }

  function typeset() {
    var codes = document.querySelectorAll(".md-content code.language-math");
    if (!codes.length) return;
    load().then(function (katex) {
      codes.forEach(function (code) { render(katex, code); });
    }, function () { /* offline: the TeX stays readable as it is */ });
  }

  if (window.document$) {
    window.document$.subscribe(typeset);
  } else {
    document.addEventListener("DOMContentLoaded", typeset);
  }
})();
