/* API keys page: a "Copy" button beside a new key's secret (the field stays selectable without it). */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () { button.textContent = button.getAttribute("data-done") || "✓"; });
    });
  });
})();
