// Sporskifte's only script of its own: the CSP forbids inline scripts, so behaviour lives here.
document.addEventListener("DOMContentLoaded", function () {
  // The design system's modal makes every other child of <body> inert while it is open, so a
  // modal written inside the page is moved out to the body's own container first.
  var modals = document.querySelectorAll(".fds-modal");
  if (modals.length) {
    var container = document.createElement("div");
    container.className = "fds-modal-container";
    document.body.appendChild(container);
    modals.forEach(function (modal) { container.appendChild(modal); });
  }
  // A button that opens a confirmation modal would otherwise also submit its form; without
  // this script it does submit, and the server answers with the same question as a page.
  document.querySelectorAll("[data-confirm-opener]").forEach(function (button) {
    button.addEventListener("click", function (event) { event.preventDefault(); });
  });
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
  document.querySelectorAll(".js-hidden").forEach(function (el) { el.hidden = true; });
  // Move focus to the error summary so screen-reader users hear what went wrong.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
});

// Tables that htmx swaps in get the labels the design system's stacked rows show on phones.
document.addEventListener("htmx:afterSettle", function (event) {
  if (!window.DKFDS || !window.DKFDS.ResponsiveTable) { return; }
  var root = event.detail.elt;
  var tables = root.matches && root.matches("table") ? [root] : root.querySelectorAll("table");
  tables.forEach(function (table) {
    if (/responsive-headers/.test(table.className)) { new window.DKFDS.ResponsiveTable(table); }
  });
});
