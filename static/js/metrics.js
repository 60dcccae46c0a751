// Choosing a preset fills the new-metric form at once; without JavaScript the
// "Use preset" button does the same.
document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
  select.addEventListener("change", () => {
    if (select.value) select.form.submit();
  });
});
