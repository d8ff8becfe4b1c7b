/* Small enhancements on top of pages that work without JavaScript:
   copy-link buttons, "/" to search, arrow keys through results, Esc to clear,
   the theme button, and open answers when printing. */
(function () {
  "use strict";

  function setupCopyButtons(root) {
    root.querySelectorAll("[data-copy-target]").forEach(function (button) {
      var input = document.getElementById(button.dataset.copyTarget);
      var status = button.parentElement.querySelector(".copy-status");
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var done = function () { if (status) status.textContent = "Link copied."; };
        var fallback = function () {
          input.focus();
          input.select();
          try { document.execCommand("copy"); done(); }
          catch (e) { if (status) status.textContent = "Press Ctrl+C to copy."; }
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  function searchBox() {
    return document.getElementById("id_q") || document.getElementById("site-q");
  }

  function isTyping(target) {
    if (!target) return false;
    var tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function resultLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("#results .code-link"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    var box = searchBox();
    // "/" focuses the search box from anywhere on the page.
    if (event.key === "/" && !isTyping(event.target) && box) {
      event.preventDefault();
      box.focus();
      box.select();
      return;
    }
    var links = resultLinks();
    var inBox = event.target === box && box.id === "id_q";
    var position = links.indexOf(event.target);
    if (event.key === "ArrowDown" && (inBox || position >= 0) && links.length) {
      event.preventDefault();
      links[Math.min(position + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && position >= 0) {
      event.preventDefault();
      if (position === 0 && box) box.focus(); else links[position - 1].focus();
    } else if (event.key === "Escape" && (inBox || position >= 0) && box && box.value) {
      // Esc clears the search and shows every code again.
      event.preventDefault();
      box.value = "";
      box.focus();
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });

  // The header's theme button: "Dark theme", pressed or not. The choice is kept in
  // localStorage, where theme-init.js reads it before the first paint of every page.
  function setupThemeToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    var root = document.documentElement;
    var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    var isDark = function () {
      var chosen = root.dataset.theme;
      if (chosen === "dark" || chosen === "light") return chosen === "dark";
      return Boolean(system && system.matches);
    };
    var sync = function () { button.setAttribute("aria-pressed", String(isDark())); };
    button.addEventListener("click", function () {
      var theme = isDark() ? "light" : "dark";
      root.dataset.theme = theme;
      try { window.localStorage.setItem("theme", theme); } catch (e) { /* not remembered */ }
      sync();
    });
    // Follow the system setting while nothing is chosen, and choices made in other tabs.
    if (system && system.addEventListener) system.addEventListener("change", sync);
    window.addEventListener("storage", function (event) {
      if (event.key !== "theme") return;
      if (event.newValue === "dark" || event.newValue === "light") root.dataset.theme = event.newValue;
      else delete root.dataset.theme;
      sync();
    });
    sync();
    button.hidden = false;
  }

  // Printing shows every answer: open the closed <details>, and close them again after.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });

  document.addEventListener("DOMContentLoaded", function () {
    setupCopyButtons(document);
    setupThemeToggle();
  });
})();

/* After htmx swaps in the next /choose/ step, move focus to its heading. */
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.target && event.target.id === "step") {
    var heading = event.target.querySelector("h2[tabindex]");
    if (heading) heading.focus();
  }
});
