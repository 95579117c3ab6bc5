// rtcdesk: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Drafts: what a person types into a form marked data-draft="<area>:<person>:<what>" is
  // kept in localStorage, so sending another form on the page (ticket properties while a
  // reply is half written), an expired session or a closed tab does not lose it. Each
  // field remembers the page's value it started from: a draft comes back only while the
  // page still shows that value (it never overwrites what someone else changed since).
  // A draft is dropped once its own form was sent and the next page did not answer with an
  // error, and every draft is dropped when the person signs out.
  var drafts = (function () {
    var PREFIX = "rtcdesk:draft:";
    var SENT = "rtcdesk:sent-draft";
    function store(kind) {
      try { return window[kind]; } catch (e) { return null; } // storage can be disabled
    }
    var local = store("localStorage");
    var session = store("sessionStorage");
    // The draft-worthy controls of a form, each as {name, now(), start(), set(value)}:
    // text fields and text areas, single selects, and radio groups (a reply's "internal
    // note" choice must come back with its text). Passwords and files never.
    function controls(form) {
      var list = [];
      var radios = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name === "_csrf") { return; }
        if (el.tagName === "TEXTAREA" ||
            (el.tagName === "INPUT" && /^(text|search|email|url|number|tel)$/.test(el.type))) {
          list.push({ name: el.name, now: function () { return el.value; },
            start: function () { return el.defaultValue; },
            set: function (v) { el.value = v; } });
        } else if (el.tagName === "SELECT" && !el.multiple) {
          list.push({ name: el.name, now: function () { return el.value; },
            start: function () {
              var chosen = Array.prototype.filter.call(el.options, function (o) {
                return o.defaultSelected;
              });
              return chosen.length ? chosen[0].value : (el.options[0] ? el.options[0].value : "");
            },
            set: function (v) { el.value = v; } });
        } else if (el.tagName === "INPUT" && el.type === "radio" && !radios[el.name]) {
          var group = form.querySelectorAll("input[type=radio]");
          group = Array.prototype.filter.call(group, function (r) { return r.name === el.name; });
          var pick = function (test) {
            var hit = group.filter(test)[0];
            return hit ? hit.value : "";
          };
          radios[el.name] = true;
          list.push({ name: el.name,
            now: function () { return pick(function (r) { return r.checked; }); },
            start: function () { return pick(function (r) { return r.defaultChecked; }); },
            set: function (v) { group.forEach(function (r) { r.checked = r.value === v; }); } });
        }
      });
      return list;
    }
    var KEEP_DAYS = 30; // a draft nobody came back to in a month is forgotten
    // Stored as {at: <ms>, fields: {<name>: {start, text}}}; read() returns the fields.
    function read(key) {
      try {
        var stored = JSON.parse(local.getItem(PREFIX + key) || "{}") || {};
        return stored.fields || {};
      } catch (e) { return {}; }
    }
    function write(key, saved) {
      try {
        if (Object.keys(saved).length) {
          local.setItem(PREFIX + key, JSON.stringify({ at: Date.now(), fields: saved }));
        } else { local.removeItem(PREFIX + key); }
      } catch (e) { /* full or disabled: a draft is a convenience */ }
    }
    function forget(old) {
      Object.keys(local).forEach(function (key) {
        if (key.indexOf(PREFIX) !== 0) { return; }
        var at = 0;
        try { at = (JSON.parse(local.getItem(key)) || {}).at || 0; } catch (e) { at = 0; }
        if (old(at)) { local.removeItem(key); }
      });
    }
    function save(form) {
      var old = read(form.dataset.draft);
      var saved = {};
      controls(form).forEach(function (c) {
        var start = old[c.name] ? old[c.name].start : c.start();
        if (c.now() !== start) { saved[c.name] = { start: start, text: c.now() }; }
      });
      write(form.dataset.draft, saved);
    }
    function restore(form) {
      var saved = read(form.dataset.draft);
      controls(form).forEach(function (c) {
        var entry = saved[c.name];
        if (!entry) { return; }
        if (c.start() === entry.start && c.now() === c.start()) {
          c.set(entry.text);
        } else if (c.start() !== entry.start) {
          delete saved[c.name]; // saved meanwhile, or changed by someone else
        }
      });
      write(form.dataset.draft, saved);
    }
    function lastSubmitFailed() {
      var nav = window.performance && performance.getEntriesByType &&
        performance.getEntriesByType("navigation")[0];
      if (!nav || nav.type !== "navigate") { return true; } // back, reload: not an answer
      if (nav.responseStatus) { return nav.responseStatus >= 400; }
      return !!document.querySelector(".form-error, .field-error, .flash.warn");
    }
    function start() {
      if (!local) { return; }
      var cutoff = Date.now() - KEEP_DAYS * 86400 * 1000;
      forget(function (at) { return at < cutoff; });
      var sent = session && session.getItem(SENT);
      if (sent) {
        session.removeItem(SENT);
        if (!lastSubmitFailed()) { write(sent, {}); }
      }
      document.querySelectorAll("form[data-draft]").forEach(function (form) {
        if (form.querySelector(".form-error, .field-error")) { save(form); } // came back
        else { restore(form); }
      });
      ["input", "change"].forEach(function (type) {
        document.addEventListener(type, function (ev) {
          var form = ev.target.form;
          if (form && form.dataset.draft) { save(form); }
        });
      });
    }
    function submitted(form) {
      if (!local) { return; }
      if (/\/logout$/.test(form.getAttribute("action") || "")) {
        forget(function () { return true; });
      } else if (form.dataset.draft && session) {
        save(form);
        session.setItem(SENT, form.dataset.draft);
      }
    }
    return { start: start, submitted: submitted };
  })();
  drafts.start();
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
      drafts.submitted(form);
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
  // The notification bell: the page shows the count it was made with; this asks the server
  // again every data-poll-seconds (and when the tab comes back into view), so a new
  // notification shows without a reload. Stateless: any web process answers.
  (function () {
    var bell = document.querySelector("[data-unread-url]");
    var count = bell && bell.querySelector("[data-unread]");
    if (!count || !window.fetch) { return; }
    var every = Math.max(1, parseInt(bell.getAttribute("data-poll-seconds"), 10) || 30) * 1000;
    var title = document.title;
    function show(n) {
      count.setAttribute("data-unread", String(n));
      count.textContent = n > 99 ? "99+" : String(n);
      count.hidden = n === 0;
      bell.classList.toggle("has-unread", n > 0);
      document.title = n > 0 ? "(" + (n > 99 ? "99+" : n) + ") " + title : title;
    }
    function poll() {
      if (document.hidden) { return; }
      fetch(bell.getAttribute("data-unread-url"), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && typeof data.unread === "number") { show(data.unread); } })
        .catch(function () { /* offline for a moment: the next poll tries again */ });
    }
    show(parseInt(count.getAttribute("data-unread"), 10) || 0);
    window.setInterval(poll, every);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
  })();
  // The back link of error pages.
  document.querySelectorAll("[data-back]").forEach(function (el) {
    el.addEventListener("click", function (ev) { ev.preventDefault(); history.back(); });
  });
})();
