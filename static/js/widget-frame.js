/* Inside a Bizalom widget frame: tell the embedding page how tall the form is (nothing else). */
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var observer = window.ResizeObserver ? new ResizeObserver(report) : null;

  function content() { return document.getElementById("widget"); }

  function report() {
    var box = content();
    if (!box) { return; }
    var rect = box.getBoundingClientRect();
    window.parent.postMessage({ bizalomHeight: Math.ceil(rect.bottom + window.scrollY) + 16 }, "*");
  }

  function watch() {
    if (observer && content()) { observer.disconnect(); observer.observe(content()); }
    report();
  }

  window.addEventListener("load", watch);
  document.addEventListener("htmx:afterSettle", watch);
})();
