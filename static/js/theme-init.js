/* Loaded blocking in <head>, before the stylesheet: applies the theme the visitor chose
   with the header's theme button, so the first paint is already in that theme.
   No choice stored: no data-theme, and the CSS follows prefers-color-scheme. */
(function () {
  "use strict";
  try {
    var theme = window.localStorage.getItem("theme");
    if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
  } catch (e) { /* Storage blocked: follow the system setting. */ }
})();
