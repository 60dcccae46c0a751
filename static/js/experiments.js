/* The design form, a little nicer with JavaScript: the planned sample size and the
   expected weeks follow the fields as they change, the baseline follows the chosen
   metric, the arms' shares show their sum, and "add a variant" adds a row in place.
   Without JavaScript the form works the same; the server recomputes on save. */
(function () {
  "use strict";
  var form = document.getElementById("design-form");
  if (!form) { return; }
  var kinds = JSON.parse(form.getAttribute("data-kinds") || "{}");
  // each metric's typed scale and the words beside its baseline and effect
  var units = JSON.parse(form.getAttribute("data-units") || "{}");
  var planUrl = form.getAttribute("data-plan-url");
  var metric = form.querySelector("#primary_metric_id");
  var baseline = form.querySelector("#baseline");
  var sd = form.querySelector("#baseline_sd");
  var timer = null;
  // The page's words, in the reader's language, from the form's data attributes
  // ({sum} and {letter} are filled in here); English when the page gives none.
  function word(name, fallback, values) {
    var said = form.getAttribute("data-" + name) || fallback;
    Object.keys(values || {}).forEach(function (key) { said = said.split("{" + key + "}").join(values[key]); });
    return said;
  }

  function text(id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = value; }
  }

  function shares() {
    return Array.prototype.map.call(form.querySelectorAll(".x-share"), function (input) {
      return input.value;
    });
  }

  // The baseline and the effect are typed in the chosen metric's terms (a
  // proportion in percent): its labels and hints follow the metric.
  function showUnits() {
    var words = units[metric.value];
    if (!words) { return; }
    [["baseline", "baseline_label", "baseline_hint"], ["mde", "mde_label", "mde_hint"]].forEach(function (names) {
      var label = form.querySelector("label[for='" + names[0] + "']");
      var hint = document.getElementById(names[0] + "-hint");
      if (label) { label.textContent = words[names[1]]; }
      if (hint) { hint.textContent = words[names[2]]; }
    });
    // the select shows the metric's name; its kind is said beneath it
    var metricHint = document.getElementById("primary_metric_id-hint");
    if (metricHint && words.metric_hint) { metricHint.textContent = words.metric_hint; }
  }

  function showKind() {
    var kind = kinds[metric.value];
    Array.prototype.forEach.call(form.querySelectorAll(".x-mean-only"), function (el) {
      el.hidden = kind !== "mean";
    });
  }

  // Boundaries and planned looks only mean something for weekly looks.
  function showDesign() {
    var kind = form.querySelector("#design_kind");
    if (!kind) { return; }
    Array.prototype.forEach.call(form.querySelectorAll(".x-sequential-only"), function (el) {
      el.hidden = kind.value !== "group_sequential";
    });
  }

  function showSum() {
    var sum = shares().reduce(function (total, value) { return total + (parseFloat(value) || 0); }, 0);
    var ok = Math.abs(sum - 1) <= 1e-6;
    var el = document.getElementById("share-sum");
    if (el) {
      var total = String(Math.round(sum * 1e6) / 1e6);
      el.textContent = ok ? word("sum-ok", "Shares add up to {sum} ✓", {sum: total})
        : word("sum-bad", "Shares add up to {sum} — they must add up to 1", {sum: total});
      el.className = ok ? "hint" : "hint x-hint-bad";
    }
  }

  function preview(fillBaseline) {
    var params = new URLSearchParams();
    params.set("metric_id", metric.value);
    if (!fillBaseline) {
      params.set("baseline", baseline.value);
      if (sd) { params.set("baseline_sd", sd.value); }
    }
    ["mde", "alpha", "power", "alternative", "design_kind", "design_spending", "design_looks"].forEach(function (name) {
      var el = form.querySelector("#" + name);
      if (el) { params.set(name, el.value); }
    });
    var relative = form.querySelector("#mde_relative");
    if (relative && relative.checked) { params.set("mde_relative", "y"); }
    shares().forEach(function (value) { params.append("share", value); });
    fetch(planUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (fillBaseline && answer.recent) {
          baseline.value = +answer.recent.baseline.toFixed(6);
          if (sd) { sd.value = answer.recent.sd === null ? "" : +answer.recent.sd.toFixed(6); }
        }
        var message = document.getElementById("plan-message");
        if (!answer.ok) {
          ["plan-control", "plan-variant", "plan-total"].forEach(function (id) { text(id, "—"); });
          text("plan-weeks", "");
          var longNote = document.getElementById("plan-long");
          if (longNote) { longNote.hidden = true; }
          message.textContent = answer.message || "";
          message.hidden = !answer.message;
          return;
        }
        message.hidden = true;
        // figures and sentences come formatted from the server, in the page's language
        var figures = answer.texts || {};
        text("plan-control", figures.control);
        text("plan-variant", figures.variant);
        text("plan-total", figures.total);
        var inflation = document.getElementById("plan-inflation");
        if (inflation) {
          inflation.hidden = !answer.inflation_text;
          inflation.textContent = answer.inflation_text || "";
        }
        text("plan-unit", answer.unit);
        var long = document.getElementById("plan-long");
        if (long) {
          long.textContent = answer.long_note || "";
          long.hidden = !answer.long_note;
          document.getElementById("plan-weeks").classList.toggle("is-long", !!answer.long_note);
        }
        text("plan-weeks", answer.weeks_text);
      })
      .catch(function () { /* the server recomputes on save */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () { preview(false); }, 250);
  }

  // "Add a variant" in place: copy the last row, renumber it, spread the traffic evenly.
  var add = form.querySelector("#add_variant");
  if (add) {
    add.addEventListener("click", function (event) {
      var rows = form.querySelectorAll(".x-arm-row");
      if (rows.length >= 8) { return; }
      event.preventDefault();
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      var index = rows.length;
      Array.prototype.forEach.call(copy.querySelectorAll("[id],[name],[for]"), function (el) {
        ["id", "name", "for"].forEach(function (attribute) {
          var value = el.getAttribute(attribute);
          if (value) { el.setAttribute(attribute, value.replace(/arms-\d+-/, "arms-" + index + "-")); }
        });
      });
      Array.prototype.forEach.call(copy.querySelectorAll(".error"), function (el) { el.remove(); });
      copy.querySelector("input[name$='-name']").value = word("variant-name", "Variant {letter}", {letter: String.fromCharCode(65 + index)});
      last.parentNode.appendChild(copy);
      var inputs = form.querySelectorAll(".x-share");
      var even = Math.round(1e6 / inputs.length) / 1e6;
      Array.prototype.forEach.call(inputs, function (input, i) {
        input.value = i ? even : Math.round((1 - even * (inputs.length - 1)) * 1e6) / 1e6;
      });
      showSum();
      later();
    });
  }

  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("x-share")) { showSum(); }
    later();
  });
  metric.addEventListener("change", function () { showKind(); showUnits(); preview(true); });
  var designKind = form.querySelector("#design_kind");
  if (designKind) { designKind.addEventListener("change", showDesign); }
  showKind();
  showDesign();
  showSum();
  preview(false);
})();
