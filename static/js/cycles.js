// The review meeting page: add a response-plan row without a round trip.
// Without JavaScript the "Add another" buttons post the form and the server
// re-renders it with one more row, keeping everything typed.
(function () {
  "use strict";
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var rows = document.querySelector('[data-rows="' + button.dataset.addRow + '"]');
    if (!rows) { return; }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var last = rows.lastElementChild;
      var copy = last.cloneNode(true);
      var index = rows.children.length;
      copy.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(/-\d+-/g, "-" + index + "-")); }
        });
        if (el.tagName === "INPUT" && el.name && !/due_week$/.test(el.name)) { el.value = ""; }
        if (el.tagName === "TEXTAREA") { el.value = ""; }
      });
      copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
      copy.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
      rows.appendChild(copy);
      var first = copy.querySelector("input, textarea");
      if (first) { first.focus(); }
    });
  });
})();
