/* Charts wider than a phone scroll sideways inside a box of their own (issue 14).
   Each chart image of the page text goes into a <span class="rl-chart-scroll">; while the
   chart is wider than the box, the box is a named region the keyboard can reach (tabindex 0),
   so that it can be scrolled with the arrow keys too. layout.css sizes the charts. */
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

  document$.subscribe(function () {
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
