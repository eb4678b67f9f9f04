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

  /* Typed words are matched exactly; a word typed in the wrong case says so beside the field
     rather than leaving the button silently disabled. */
  function caseHint(input) {
    var word = input.getAttribute("data-confirm-word"), hint = doc.getElementById(input.id + "-case");
    var wrongCase = input.value !== word && input.value.toLocaleUpperCase() === word.toLocaleUpperCase();
    if (wrongCase && !hint) {
      hint = make("p", "field-error", (body.dataset.confirmCaseText || "").replace("{word}", word));
      hint.id = input.id + "-case";
      input.insertAdjacentElement("afterend", hint);
      input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + hint.id).trim());
    } else if (!wrongCase && hint) {
      hint.parentNode.removeChild(hint);
      var rest = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== hint.id; });
      if (rest.length) input.setAttribute("aria-describedby", rest.join(" ")); else input.removeAttribute("aria-describedby");
    }
  }

  /* Error summary: a form sent back with errors gets "There is a problem" at its top, a link to
     each field in error, focus on the summary and "Error:" before the page title, so that a
     failed form is never silent. The server renders the inline errors; this gathers them. */
  function summarizeErrors(root) {
    var rendered = root.querySelector("[data-error-summary]");
    if (rendered) return rendered; // the page wrote its own
    var fields = Array.prototype.filter.call(root.querySelectorAll('[aria-invalid="true"]'),
      function (f) { return f.id && !f.closest("dialog:not([open])"); });
    var alerts = Array.prototype.filter.call(root.querySelectorAll("form .alert-error"),
      function (a) { return !a.closest("dialog:not([open])"); });
    if (!fields.length && !alerts.length) return null;
    var first = fields[0] || alerts[0];
    var form = first.closest("form") || first.parentNode;
    var existing = form.parentNode.querySelector(".error-summary");
    if (existing) existing.parentNode.removeChild(existing);
    var box = make("div", "error-summary");
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    var title = make("h2", "error-summary-title", body.dataset.problemText || "There is a problem");
    title.id = "error-summary-title";
    box.setAttribute("aria-labelledby", title.id);
    box.appendChild(title);
    var list = make("ul", "error-summary-list");
    alerts.forEach(function (a) { if (a !== box) list.appendChild(make("li", "", a.textContent.trim())); });
    fields.forEach(function (f) {
      var message = f.closest(".field, fieldset, .form-row");
      var error = doc.getElementById(f.id + "-error") || (message && message.querySelector(".field-error"));
      var link = make("a", "", error ? error.textContent.trim() : f.id);
      link.href = "#" + f.id;
      link.setAttribute("data-focus-field", f.id);
      var item = make("li", "");
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    form.parentNode.insertBefore(box, form);
    var prefix = body.dataset.errorTitlePrefix;
    if (prefix && doc.title.indexOf(prefix) !== 0) doc.title = prefix + " " + doc.title;
    return box;
  }

  /* A table wider than its box scrolls; the region is then focusable (so the keyboard can scroll
     it) and named after the table. */
  function markScrollRegions(root) {
    each(root, ".table-wrap", function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        var caption = wrap.querySelector("caption");
        wrap.tabIndex = 0;
        // A group, not a region: the table's section is already the landmark.
        wrap.setAttribute("role", "group");
        if (caption) wrap.setAttribute("aria-label", caption.textContent.trim());
        wrap.classList.add("is-scrollable");
      } else if (wrap.classList.contains("is-scrollable")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.classList.remove("is-scrollable");
      }
    });
  }

  /* One announcer outside the parts htmx swaps: result counts and re-read toasts. */
  function announce(text) {
    var region = doc.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 60);
  }

  /* Drawers (a panel loaded into #drawer) are modal dialogs: focus moves in and stays there,
     Escape, the close button and the dimmed page close them, and focus goes back to the control
     that opened them. */
  var drawer = null, drawerOpener = null, drawerAction = null;
  var FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  function focusables(root) {
    return Array.prototype.filter.call(root.querySelectorAll(FOCUSABLE), function (el) {
      return el.getClientRects().length > 0 && !el.closest("details:not([open]) > :not(summary)");
    });
  }
  function openDrawer(panel, keepFocusOn) {
    drawer = panel;
    var host = panel.parentNode, asPage = host.classList.contains("drawer-page");
    if (!asPage) {
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-modal", "true");
      if (!host.querySelector(".drawer-backdrop")) host.insertBefore(make("div", "drawer-backdrop"), panel);
      body.classList.add("has-drawer");
    }
    var heading = panel.querySelector("h1, h2");
    if (heading) heading.tabIndex = -1;
    // After a change made inside the drawer, focus stays on the control that made it.
    var same = keepFocusOn && panel.querySelector('form[action="' + keepFocusOn + '"] button');
    var target = same || panel.querySelector("[autofocus]") || heading;
    if (target) target.focus();
    var notice = panel.querySelector(".drawer-notice");
    if (notice) announce(notice.textContent.trim());
  }
  /* Closing a drawer opened over a page empties it; a drawer shown as its own page (no
     JavaScript before, or a reload) follows its close link back to the list. */
  function closeDrawer() {
    if (!drawer) return;
    var host = drawer.parentNode, opener = drawerOpener, close = drawer.querySelector(".drawer-close");
    if (host.classList.contains("drawer-page")) {
      if (close) close.click();
      return;
    }
    drawer = null;
    drawerOpener = null;
    while (host && host.firstChild) host.removeChild(host.firstChild);
    body.classList.remove("has-drawer");
    if (opener && doc.contains(opener)) opener.focus();
  }
  function trapTab(e, panel) {
    var items = focusables(panel);
    if (!items.length) { e.preventDefault(); return; }
    var first = items[0], last = items[items.length - 1];
    if (e.shiftKey && (doc.activeElement === first || !panel.contains(doc.activeElement))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (doc.activeElement === last || !panel.contains(doc.activeElement))) {
      e.preventDefault();
      first.focus();
    }
  }

  /* Menus and popovers (<details>): Escape or a click elsewhere closes them. */
  function openMenus() { return doc.querySelectorAll("details.user-menu[open], details.row-menu[open], details.column-settings[open]"); }

  function init(root) {
    each(root, ".toast", armToast);
    each(root, "[data-confirm-word]", function (i) { syncConfirm(i.form); caseHint(i); });
    markScrollRegions(root);
  }

  doc.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("[data-confirm-word]")) {
      syncConfirm(e.target.form);
      caseHint(e.target);
    }
  });

  /* Confirmation dialogs open before htmx's boost can follow their fallback link: this listener
     runs in the capture phase, ahead of the link's own. */
  doc.addEventListener("click", function (e) {
    var t = e.target;
    if (!(t instanceof Element)) return;
    var opener = t.closest("[data-dialog-open]");
    var dialog = opener && doc.getElementById(opener.getAttribute("data-dialog-open"));
    if (dialog && dialog.showModal && !dialog.open && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
      e.preventDefault();
      e.stopPropagation();
      dialog.returnFocus = opener;
      each(doc, "details.row-menu[open]", function (m) { m.open = false; });
      dialog.showModal();
    }
  }, true);

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
    var closer = t.closest("[data-dialog-close]"), open = closer && closer.closest("dialog");
    if (open) { e.preventDefault(); open.close(); }
    if (t.matches("dialog.dialog[open]")) t.close(); // a click on the backdrop
    if (drawer && !drawer.parentNode.classList.contains("drawer-page") && (t.closest(".drawer-close") || t.matches(".drawer-backdrop"))) {
      e.preventDefault();
      e.stopPropagation();
      closeDrawer();
    }
    var fieldLink = t.closest("[data-focus-field]");
    var field = fieldLink && doc.getElementById(fieldLink.getAttribute("data-focus-field"));
    if (field) { e.preventDefault(); field.focus(); }
    Array.prototype.forEach.call(openMenus(), function (m) { if (!m.contains(t)) m.open = false; });
  }, true);

  /* A closed dialog hands focus back to what opened it. */
  doc.addEventListener("close", function (e) {
    var d = e.target;
    if (d instanceof Element && d.matches("dialog") && d.returnFocus && doc.contains(d.returnFocus)) {
      d.returnFocus.focus();
    }
  }, true);

  doc.addEventListener("keydown", function (e) {
    if (e.key === "Tab" && drawer && !drawer.parentNode.classList.contains("drawer-page") && !doc.querySelector("dialog[open]")) {
      trapTab(e, drawer);
      return;
    }
    if (e.key !== "Escape" || e.defaultPrevented) return;
    var menus = openMenus(), toggle = doc.querySelector(".nav-toggle");
    if (menus.length) {
      Array.prototype.forEach.call(menus, function (m) { m.open = false; m.querySelector("summary").focus(); });
    } else if (drawer && !doc.querySelector("dialog[open]")) {
      e.preventDefault();
      closeDrawer();
    } else if (body.classList.contains("nav-open") && !doc.querySelector("dialog[open]")) {
      setNav(false);
      if (toggle) toggle.focus();
    }
  });

  /* After a page or panel arrives: a drawer opens as a dialog; a form with errors gets its
     summary and focus; a boosted navigation moves focus to the new page's heading (a screen
     reader then reads where it landed) and re-reads its messages; a table search announces how
     many rows it found. */
  function afterArrival(target, boosted) {
    var panel = target.id === "drawer" ? target.querySelector(".drawer") : null;
    if (panel) {
      var focusAction = drawerAction;
      drawerAction = null;
      var summary = summarizeErrors(panel);
      openDrawer(panel, focusAction);
      if (summary && !focusAction) summary.focus();
      return;
    }
    var summary = summarizeErrors(boosted ? doc : target);
    if (summary) { summary.focus(); return; }
    if (boosted) {
      var heading = doc.querySelector("main h1");
      if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
      var toasts = doc.querySelectorAll("#messages .toast span");
      if (toasts.length) announce(Array.prototype.map.call(toasts, function (s) { return s.textContent; }).join(" "));
      return;
    }
    var count = target.querySelector(".pager-info, .empty-title, [data-result-count]");
    if (count) announce(count.textContent.trim());
  }

  /* htmx: swapped-in content gets the same treatment; failed requests get an error toast. */
  if (window.htmx) {
    doc.addEventListener("htmx:load", function (e) { if (e.target instanceof Element) init(e.target); });
    doc.addEventListener("htmx:beforeRequest", function (e) {
      var target = e.detail && e.detail.target;
      if (!target || target.id !== "drawer") return;
      var from = e.detail.elt, form = from && from.closest && from.closest("form");
      if (drawer && drawer.contains(from)) drawerAction = form ? form.getAttribute("action") : null;
      else drawerOpener = from;
    });
    doc.addEventListener("htmx:afterSettle", function (e) {
      var target = e.detail && e.detail.target;
      if (!(target instanceof Element)) return;
      var boosted = target === body || (e.detail.boosted && target.contains(doc.querySelector("main")));
      if (boosted) {
        drawer = doc.querySelector("#drawer.drawer-page > .drawer");
        body.classList.remove("has-drawer");
      }
      afterArrival(target, boosted);
    });
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
        announce(text);
      });
    });
    doc.addEventListener("htmx:beforeSwap", function (e) { if (e.detail.target === body) setNav(false); });
  }
  window.addEventListener("resize", function () { markScrollRegions(doc); });

  init(doc);
  var pageDrawer = doc.querySelector("#drawer.drawer-page > .drawer");
  if (pageDrawer) drawer = pageDrawer;
  var firstSummary = summarizeErrors(doc);
  if (firstSummary) firstSummary.focus();
  // A page reached by a redirect after a form (htmx's HX-Redirect, or no JavaScript) carries its
  // outcome as a toast; a live region that is already filled when the page loads is not read
  // out, so the announcer says it again once the page is there.
  var arrived = doc.querySelectorAll("#messages .toast span");
  if (arrived.length && !firstSummary) {
    setTimeout(function () {
      announce(Array.prototype.map.call(arrived, function (s) { return s.textContent; }).join(" "));
    }, 400);
  }
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
      // A form sent back with errors holds what was typed, not what is saved: it stays sendable.
      var update = function () {
        submit.disabled = !form.querySelector('[aria-invalid="true"]') && snapshot(form) === initial;
      };
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
