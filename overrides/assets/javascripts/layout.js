/* Layout helpers (issue 14), run on every page that Material's instant navigation shows.

   1. Charts wider than a phone scroll sideways inside a box of their own: each chart image
      of the page text goes into a <span class="rl-chart-scroll">; while the chart is wider
      than the box, the box is a named region the keyboard can reach (tabindex 0), so that
      it can be scrolled with the arrow keys too. layout.css sizes the charts.
   2. The sidebar opens at its top. Material (9.8, its sidebar component) scrolls the
      sidebar on every page so that the current page's link sits in its middle, whether or
      not the link would show anyway; the item then at the top is cut in half under the
      sidebar's sticky title. After that first scroll: back to the top if the current link
      shows from there, else up to the start of the item cut in half. Never once the reader
      has scrolled or touched the sidebar. */
(function () {
  var refit = null;

  function fit(box, img) {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", (img.getAttribute("alt") || "Chart") + " (scrolls sideways)");
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function settle(wrap) {
    var title = wrap.querySelector(".md-nav--primary > .md-nav__title");
    var active = wrap.querySelector(".md-nav__link--active[href]");
    var top = wrap.getBoundingClientRect().top - wrap.scrollTop;
    var under = 0, shown = 0;
    if (title && getComputedStyle(title).position === "sticky") {
      // The title, and the shadow it casts on what scrolls under it (blur, then spread).
      var px = (getComputedStyle(title).boxShadow.match(/-?[\d.]+px/g) || []).map(parseFloat);
      shown = title.offsetHeight;
      under = shown + (px[3] || 0) + (px[2] || 0) / 2;
    }
    if (!active || !active.clientHeight) return;
    if (active.getBoundingClientRect().bottom - top <= wrap.clientHeight) {
      wrap.scrollTop = 0;
      return;
    }
    // The first link that shows below the title, wholly or in part, shows whole, and the
    // link before it hides wholly under the title.
    var edge = wrap.scrollTop + under;
    var before = 0;
    var links = wrap.querySelectorAll(".md-nav__link");
    for (var i = 0; i < links.length; i++) {
      var box = links[i].getBoundingClientRect();
      if (!box.height) continue;
      var start = box.top - top;
      if (start < edge && box.bottom - top > wrap.scrollTop + shown) {
        wrap.scrollTop = Math.max(0, Math.ceil(Math.max(start - under, before - shown)));
        return;
      }
      before = Math.max(before, box.bottom - top);
    }
  }

  function watchSidebar() {
    var wrap = document.querySelector(".md-sidebar--primary .md-sidebar__scrollwrap");
    if (!wrap) return;
    var touched = false;
    var stop = function () { touched = true; };
    ["wheel", "touchstart", "pointerdown", "keydown"].forEach(function (type) {
      wrap.addEventListener(type, stop, { once: true, passive: true });
    });
    wrap.addEventListener("scroll", function () {
      if (!touched) settle(wrap);
    }, { once: true });
  }

  document$.subscribe(function () {
    watchSidebar();
    var boxes = [];
    document.querySelectorAll('article img[src*="assets/charts/"]').forEach(function (img) {
      var box = img.parentElement;
      if (!box.classList.contains("rl-chart-scroll")) {
        box = document.createElement("span");
        box.className = "rl-chart-scroll";
        img.parentElement.insertBefore(box, img);
        box.appendChild(img);
      }
      boxes.push([box, img]);
      img.addEventListener("load", function () { fit(box, img); });
      fit(box, img);
    });
    if (refit) window.removeEventListener("resize", refit);
    refit = function () { boxes.forEach(function (pair) { fit(pair[0], pair[1]); }); };
    window.addEventListener("resize", refit);
  });
})();
