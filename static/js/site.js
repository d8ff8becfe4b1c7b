/* Small enhancements on top of pages that work without JavaScript. */
(function () {
  "use strict";

  // Copy-link buttons: the permalink field is visible without JS; the button is extra.
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

  document.addEventListener("DOMContentLoaded", function () {
    setupCopyButtons(document);
  });
})();
