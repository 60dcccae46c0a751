// The hypothesis form: show the priority score as the scores are chosen, and
// offer only the chosen area's processes. The page works without it: the
// server computes the score on save and checks the process's area.
(function () {
  "use strict";

  function formatScore(model, value) {
    var name = model.toUpperCase();
    if (Math.abs(value) >= 100) {
      return name + " " + Math.floor(value).toLocaleString("en-US");
    }
    return name + " " + value.toFixed(1);
  }

  function inRange(spec, value) {
    if (!isFinite(value)) return false;
    if (spec.choices) {
      return spec.choices.some(function (choice) { return Math.abs(choice - value) < 1e-9; });
    }
    if (value < spec.min) return false;
    return spec.max === null || value <= spec.max;
  }

  // The same formulas as experiments/priority.py.
  function compute(model, values) {
    if (model === "rice") {
      return values.reach * values.impact * (values.confidence / 100) / values.effort;
    }
    var keys = Object.keys(values);
    var sum = keys.reduce(function (total, key) { return total + values[key]; }, 0);
    return sum / keys.length;
  }

  function liveScore(form) {
    var card = form.querySelector(".score-card");
    var output = card && card.querySelector(".score-live");
    if (!card || !output) return;
    var specs = JSON.parse(card.getAttribute("data-fields"));
    var model = form.getAttribute("data-model");

    function update() {
      var values = {};
      var complete = specs.every(function (spec) {
        var input = form.querySelector("[data-score-field='" + spec.name + "']");
        if (!input || input.value === "") return false;
        var value = Number(input.value);
        values[spec.name] = value;
        return inRange(spec, value);
      });
      output.textContent = complete ? formatScore(model, compute(model, values)) : "—";
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  function processesOfArea(areaSelect, processSelect) {
    if (!areaSelect || !processSelect) return;
    function update() {
      var area = areaSelect.value;
      // the filters group processes by area; the form lists them flat
      Array.prototype.forEach.call(processSelect.querySelectorAll("optgroup"), function (group) {
        var options = group.querySelectorAll("option");
        var matches = !area || (options.length && options[0].getAttribute("data-area") === area);
        group.hidden = !matches;
        group.disabled = !matches;
      });
      Array.prototype.forEach.call(processSelect.querySelectorAll(":scope > option[data-area]"), function (option) {
        var matches = !area || option.getAttribute("data-area") === area;
        option.hidden = !matches;
        option.disabled = !matches;
      });
      var chosen = processSelect.options[processSelect.selectedIndex];
      if (area && chosen && chosen.getAttribute("data-area") && chosen.getAttribute("data-area") !== area) {
        processSelect.value = "";
      }
    }
    areaSelect.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".hypothesis-form");
    if (form) {
      liveScore(form);
      processesOfArea(form.querySelector("#area_id"), form.querySelector("#process_id"));
    }
    var filters = document.querySelector(".filters");
    if (filters) {
      processesOfArea(filters.querySelector("#filter-area"), filters.querySelector("#filter-process"));
    }
  });
})();
