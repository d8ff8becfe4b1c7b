/* Small enhancements on top of pages that work without JavaScript:
   copy-link buttons, "/" to search, arrow keys through results, Esc to clear. */
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

  document.addEventListener("DOMContentLoaded", function () {
    setupCopyButtons(document);
  });
})();

/* After htmx swaps in the next /choose/ step, move focus to its heading. */
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.target && event.target.id === "step") {
    var heading = event.target.querySelector("h2[tabindex]");
    if (heading) heading.focus();
  }
});
