/* Progressive enhancement for every page, as a static file (no inline script, CSP-safe):
   - the main menu is a <details> disclosure: open on wide screens, collapsed on narrow ones;
   - a table box that scrolls sideways becomes a focusable, labelled region with a visible cue;
   - after a failed submit focus moves to the error summary, after an action to the status message;
   - HTMX result lists announce only their count, through one polite live region;
   - Enter in a picker's search box searches (as typing does) instead of submitting the form,
     and Enter in another field of that form saves it rather than pressing the picker's Search. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("yb-js");
  var wide = window.matchMedia("(min-width: 48rem)");

  function syncMenu() {
    document.querySelectorAll("details.yb-menu").forEach(function (menu) {
      menu.open = wide.matches;
    });
  }

  function markScrollers(scope) {
    var cueText = document.body.getAttribute("data-yb-scroll-cue") || "";
    scope.querySelectorAll(".yb-table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle("yb-scrolls", scrolls);
      if (scrolls) {
        if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
        if (!wrap.hasAttribute("role")) wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
          var caption = wrap.querySelector("caption");
          var heading = caption ? caption.textContent : document.title;
          wrap.setAttribute("aria-label", heading.trim());
        }
      }
      var cue = wrap.previousElementSibling;
      if (!cue || !cue.classList.contains("yb-scroll-cue")) {
        if (!scrolls || !cueText) return;
        cue = document.createElement("p");
        cue.className = "yb-scroll-cue";
        cue.setAttribute("aria-hidden", "true");
        cue.textContent = cueText;
        wrap.parentNode.insertBefore(cue, wrap);
      }
      cue.classList.toggle("yb-shown", scrolls);
    });
  }

  function focusFeedback(scope) {
    var summary = scope.querySelector(".ds-error-summary");
    if (summary) {
      summary.setAttribute("tabindex", "-1");
      summary.focus();
      return;
    }
    var status = scope.querySelector(".yb-messages .ds-alert");
    if (status) {
      status.setAttribute("tabindex", "-1");
      status.focus();
    }
  }

  function announceCount(target) {
    var live = document.getElementById("results-status");
    var count = target.querySelector("#result-count");
    if (!live || !count) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = count.textContent.trim(); }, 50);
  }

  document.addEventListener("DOMContentLoaded", function () {
    syncMenu();
    markScrollers(document);
    focusFeedback(document);
  });
  wide.addEventListener("change", syncMenu);
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () { markScrollers(document); }, 150);
  });
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !box.matches) return;
    if (box.matches(".yb-picker input[type=search]")) {
      event.preventDefault();
      box.dispatchEvent(new Event("search"));
      return;
    }
    // A picker's Search button comes first in its form, so the browser would pick it for
    // Enter in any other field; submit the form itself instead (saves, as without a picker).
    var form = box.form;
    if (!form || !form.requestSubmit || !form.querySelector(".yb-picker")) return;
    if (!box.matches("input:not([type=search]):not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button])")) return;
    event.preventDefault();
    form.requestSubmit();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target ? event.detail.target : document.body;
    markScrollers(target);
    announceCount(target);
    if (target.querySelector(".ds-error-summary")) focusFeedback(target);
  });
})();
