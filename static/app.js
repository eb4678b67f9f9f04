/* Gatehouse: small progressive enhancements. No dependencies, no eval, no innerHTML. */
(function () {
  "use strict";
  var doc = document, body = doc.body, TOAST_MS = 6000;

  function each(root, selector, fn) {
    if (root.matches && root.matches(selector)) fn(root);
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }
  function make(tag, className, text) {
    var el = doc.createElement(tag);
    el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  /* Side navigation (phones): the Menu button toggles body.nav-open. */
  function setNav(open) {
    body.classList.toggle("nav-open", open);
    each(doc, ".nav-toggle", function (b) { b.setAttribute("aria-expanded", open ? "true" : "false"); });
  }

  /* Toasts: the close button removes one; success and info leave by themselves. */
  function dismiss(toast) {
    if (!toast || toast.classList.contains("is-leaving")) return;
    toast.classList.add("is-leaving");
    setTimeout(function () { if (toast.parentNode) toast.parentNode.removeChild(toast); }, 220);
  }
  function armToast(toast) {
    if (toast.dataset.armed || toast.classList.contains("toast-error")) return;
    toast.dataset.armed = "1";
    (function later() {
      setTimeout(function () {
        // Keep it while the pointer or keyboard focus is on it.
        if (toast.matches(":hover, :focus-within")) later(); else dismiss(toast);
      }, TOAST_MS);
    })();
  }
  function addToast(kind, text) {
    var box = doc.getElementById("messages");
    if (!box || !text) return;
    var same = Array.prototype.some.call(box.querySelectorAll(".toast-" + kind + ":not(.is-leaving) > span"),
      function (s) { return s.textContent === text; });
    if (same) return; // one copy of the same message is enough
    var toast = make("div", "toast toast-" + kind), close = make("button", "toast-close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", body.dataset.dismissText || "Dismiss");
    toast.appendChild(make("span", "", text));
    toast.appendChild(close);
    box.appendChild(toast);
    armToast(toast);
  }

  /* Typed confirmation: a form's submit buttons stay disabled until every
     [data-confirm-word] input in it holds its word exactly. */
  function syncConfirm(form) {
    if (!form) return;
    var ok = Array.prototype.every.call(form.querySelectorAll("[data-confirm-word]"),
      function (i) { return i.value === i.getAttribute("data-confirm-word"); });
    Array.prototype.forEach.call(form.elements, function (el) { if (el.type === "submit") el.disabled = !ok; });
  }

  function init(root) {
    each(root, ".toast", armToast);
    each(root, "[data-confirm-word]", function (i) { syncConfirm(i.form); });
  }

  doc.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("[data-confirm-word]")) syncConfirm(e.target.form);
  });

  doc.addEventListener("click", function (e) {
    var t = e.target;
    if (!(t instanceof Element)) return;
    if (t.closest(".nav-toggle")) {
      setNav(!body.classList.contains("nav-open"));
    } else if (body.classList.contains("nav-open") && (t.closest(".sidenav a") || !t.closest(".sidenav"))) {
      setNav(false); // a link was followed, or a click landed on the backdrop
    }
    var close = t.closest(".toast-close");
    if (close) dismiss(close.closest(".toast"));
    var opener = t.closest("[data-dialog-open]");
    var dialog = opener && doc.getElementById(opener.getAttribute("data-dialog-open"));
    if (dialog && dialog.showModal && !dialog.open) { e.preventDefault(); dialog.showModal(); }
    var closer = t.closest("[data-dialog-close]"), open = closer && closer.closest("dialog");
    if (open) { e.preventDefault(); open.close(); }
    if (t.matches("dialog.dialog[open]")) t.close(); // a click on the backdrop
    each(doc, "details.user-menu[open]", function (m) { if (!m.contains(t)) m.open = false; });
  });

  doc.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || e.defaultPrevented) return;
    var menu = doc.querySelector("details.user-menu[open]"), toggle = doc.querySelector(".nav-toggle");
    if (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    } else if (body.classList.contains("nav-open") && !doc.querySelector("dialog[open]")) {
      setNav(false);
      if (toggle) toggle.focus();
    }
  });

  /* htmx: swapped-in content gets the same treatment; failed requests get an error toast. */
  if (window.htmx) {
    doc.addEventListener("htmx:load", function (e) { if (e.target instanceof Element) init(e.target); });
    ["htmx:responseError", "htmx:sendError", "htmx:timeout"].forEach(function (name) {
      doc.addEventListener(name, function (e) {
        var xhr = e.detail && e.detail.xhr;
        var text = body.dataset.errorText;
        // A refusal (403, 404, 409…) comes as an error page: its heading and message say why.
        if (name === "htmx:responseError" && xhr && xhr.status < 500 && window.DOMParser) {
          var page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
          var heading = page.querySelector(".error-page h1");
          var message = page.querySelector(".error-page h1 + p");
          if (heading) text = heading.textContent + (message ? ": " + message.textContent : "");
        }
        addToast("error", text);
      });
    });
    doc.addEventListener("htmx:beforeSwap", function (e) { if (e.detail.target === body) setNav(false); });
  }

  init(doc);
})();

// Forms marked data-dirty-form keep their data-dirty-submit button disabled until something
// differs from what the page loaded with; fields marked data-prefill-time-zone start with the
// browser's time zone when empty. Without JavaScript the button simply stays enabled.
(function () {
  function snapshot(form) {
    return Array.from(new FormData(form).entries()).map(function (e) { return e.join('='); }).sort().join('&');
  }
  function setUp(root) {
    // Prefill first, so that the browser's zone alone does not count as a change.
    root.querySelectorAll('input[data-prefill-time-zone]').forEach(function (input) {
      if (input.value || !window.Intl) return;
      try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { /* no zone */ }
    });
    root.querySelectorAll('form[data-dirty-form]').forEach(function (form) {
      if (form.dataset.dirtyReady) return;
      form.dataset.dirtyReady = '1';
      var initial = snapshot(form);
      var submit = form.querySelector('[data-dirty-submit]');
      if (!submit) return;
      var update = function () { submit.disabled = snapshot(form) === initial; };
      form.addEventListener('input', update);
      form.addEventListener('change', update);
      update();
    });
  }
  document.addEventListener('DOMContentLoaded', function () { setUp(document); });
  document.addEventListener('htmx:load', function (event) { setUp(event.target); });
})();

// Copy buttons: [data-copy-target] copies the value of the field with that id (a token shown
// once). They start hidden: without JavaScript the read-only field is still there to select.
// A [data-copy-status] region next to it tells screen readers the copy happened.
(function () {
  function reveal(root) {
    root.querySelectorAll('[data-copy-target][hidden]').forEach(function (button) { button.hidden = false; });
  }
  function copied(button) {
    var label = button.dataset.copyLabel || button.textContent;
    button.dataset.copyLabel = label;
    button.textContent = button.getAttribute('data-copied-text') || label;
    var status = document.querySelector('[data-copy-status="' + button.getAttribute('data-copy-target') + '"]');
    if (status) status.textContent = button.textContent;
    setTimeout(function () { button.textContent = label; if (status) status.textContent = ''; }, 2000);
  }
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element && event.target.closest('[data-copy-target]');
    if (!button) return;
    var field = document.getElementById(button.getAttribute('data-copy-target'));
    if (!field) return;
    var fallback = function () {
      field.focus();
      field.select();
      try { if (document.execCommand('copy')) copied(button); } catch (e) { /* left selected to copy by hand */ }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { copied(button); }, fallback);
    } else {
      fallback();
    }
  });
  document.addEventListener('DOMContentLoaded', function () { reveal(document); });
  document.addEventListener('htmx:load', function (event) { if (event.target instanceof Element) reveal(event.target); });
})();

// The webhook form's event picker: ticking an event means "only the events ticked", so the
// choice follows (without JavaScript the radio buttons are set by hand; the server reads both).
(function () {
  document.addEventListener('change', function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || box.name !== 'events' || !box.checked) return;
    var only = box.form && box.form.querySelector('input[name="events_mode"][value="only"]');
    if (only) only.checked = true;
  });
})();
