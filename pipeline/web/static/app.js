// minutes web page: small progressive enhancements (the pages work without JavaScript).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Document view: bring the selected item into view.
  var focus = document.querySelector("#doc-text mark.focus");
  if (focus) {
    focus.scrollIntoView({ block: "center" });
  }
  // Filter forms: drop empty fields so that shared links stay short.
  document.querySelectorAll("form.filter-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (field) {
        if (!field.value) { field.disabled = true; }
      });
    });
  });
  // Trend chart: highlight one series when its legend is hovered.
  document.querySelectorAll("svg.chart g.series").forEach(function (group) {
    group.addEventListener("mouseenter", function () { group.classList.add("hover"); });
    group.addEventListener("mouseleave", function () { group.classList.remove("hover"); });
  });
});
