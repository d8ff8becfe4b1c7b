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

  // Back and forward: htmx restores the page it saved, but its search box and selects
  // hold what was typed when it was saved. Set them from the address instead.
  document.addEventListener("htmx:historyRestore", function () {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form[hx-push-url]").forEach(function (form) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.type === "submit" || field.type === "button") return;
        var value = params.get(field.name);
        if (field.tagName === "SELECT") {
          field.value = value === null ? field.options[0].value : value;
          if (field.selectedIndex < 0) field.selectedIndex = 0;
        } else {
          field.value = value === null ? "" : value;
        }
      });
    });
  });

  // The header's theme button: "Dark theme", pressed or not. The choice is kept in
  // localStorage, where theme-init.js reads it before the first paint of every page.
  // Clicks are handled on the document, so the button keeps working after htmx puts
  // back a page from its history (new elements, without listeners).
  var root = document.documentElement;
  var systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function isDark() {
    var chosen = root.dataset.theme;
    if (chosen === "dark" || chosen === "light") return chosen === "dark";
    return Boolean(systemDark && systemDark.matches);
  }

  function syncThemeButton() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    button.setAttribute("aria-pressed", String(isDark()));
    button.hidden = false;
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(".theme-toggle")) return;
    var theme = isDark() ? "light" : "dark";
    root.dataset.theme = theme;
    try { window.localStorage.setItem("theme", theme); } catch (e) { /* not remembered */ }
    syncThemeButton();
  });
  // Follow the system setting while nothing is chosen, and choices made in other tabs.
  if (systemDark && systemDark.addEventListener) systemDark.addEventListener("change", syncThemeButton);
  window.addEventListener("storage", function (event) {
    if (event.key !== "theme") return;
    if (event.newValue === "dark" || event.newValue === "light") root.dataset.theme = event.newValue;
    else delete root.dataset.theme;
    syncThemeButton();
  });
  document.addEventListener("htmx:historyRestore", syncThemeButton);

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
    syncThemeButton();
  });
})();

/* After htmx swaps in the next /choose/ step, move focus to its heading. */
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.target && event.target.id === "step") {
    var heading = event.target.querySelector("h2[tabindex]");
    if (heading) heading.focus();
  }
});
