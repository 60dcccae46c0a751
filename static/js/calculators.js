// The calculators: show only the fields of the chosen metric kind. Without
// this script every field shows, each labelled with its kind.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function follow(form) {
    var kind = form.querySelector(".kind-select select");
    if (!kind) return;
    function update() {
      form.querySelectorAll("[data-kind]").forEach(function (row) {
        row.hidden = row.getAttribute("data-kind") !== kind.value;
      });
      form.querySelectorAll(".only-mean").forEach(function (field) {
        field.hidden = kind.value !== "mean";
      });
      form.querySelectorAll(".baseline-field").forEach(function (field) {
        field.classList.toggle("span-2", kind.value !== "mean");
      });
    }
    kind.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-calculator]").forEach(follow);
  });
})();
