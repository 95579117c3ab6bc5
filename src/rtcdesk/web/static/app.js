// rtcdesk: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Show timestamps in the reader's own time zone.
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var d = new Date(el.getAttribute("datetime"));
    if (isNaN(d)) { return; }
    el.title = el.textContent;
    el.textContent = d.toLocaleString(document.documentElement.lang || undefined, {
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"
    });
  });
  // Ask before destructive actions (merge, delete).
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-confirm]");
    if (el && el.tagName === "BUTTON" && !window.confirm(el.getAttribute("data-confirm"))) {
      ev.preventDefault();
    }
  });
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      ev.preventDefault();
      return;
    }
    // Prevent double submission of the same form.
    if (form.method.toLowerCase() === "post") {
      if (form.dataset.sent) { ev.preventDefault(); return; }
      form.dataset.sent = "1";
    }
  });
  // Selects marked data-autosubmit submit their form on change.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Ctrl/Cmd+Enter sends a reply.
  document.querySelectorAll("form.reply textarea").forEach(function (el) {
    el.addEventListener("keydown", function (ev) {
      if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") { el.form.requestSubmit(); }
    });
  });
  // The back link of error pages.
  document.querySelectorAll("[data-back]").forEach(function (el) {
    el.addEventListener("click", function (ev) { ev.preventDefault(); history.back(); });
  });
})();
