/* Bizalom sign-up widgets for other sites: turns <div data-bizalom-widget="newsletter|workshop|trial">
   into an iframe from the Bizalom origin and keeps its height equal to the form's. Sets no cookies. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var base = new URL(script.src).origin;
  var kinds = { newsletter: true, workshop: true, trial: true };

  function mount(slot) {
    var kind = slot.getAttribute("data-bizalom-widget");
    if (!kinds[kind] || slot.querySelector("iframe[data-bizalom]")) { return; }
    var lang = slot.getAttribute("data-lang");
    var frame = document.createElement("iframe");
    frame.src = base + "/embed/" + kind + (lang ? "?lang=" + encodeURIComponent(lang) : "");
    frame.title = slot.getAttribute("data-title") || "Bizalom";
    frame.setAttribute("data-bizalom", kind);
    frame.style.border = "0";
    frame.style.width = "100%";
    frame.style.height = "640px";
    slot.replaceChildren(frame);
  }

  window.addEventListener("message", function (event) {
    var height = event.data && event.data.bizalomHeight;
    if (event.origin !== base || typeof height !== "number") { return; }
    document.querySelectorAll("iframe[data-bizalom]").forEach(function (frame) {
      if (frame.contentWindow === event.source) {
        frame.style.height = Math.max(120, Math.min(Math.ceil(height), 4000)) + "px";
      }
    });
  });
  document.querySelectorAll("[data-bizalom-widget]").forEach(mount);
})();
