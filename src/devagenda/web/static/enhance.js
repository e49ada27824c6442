// Progressive enhancement only: every page works without this file.
// Filter forms leave out their empty fields, so shared links hold only the chosen filters.
document.querySelectorAll("form[data-drop-empty]").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("select, input").forEach(function (field) {
      if (field.name && field.value === "") field.disabled = true;
    });
  });
});
// Coming back to the page from the history re-enables them.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-drop-empty] [disabled]").forEach(function (field) {
    field.disabled = false;
  });
});
// "Copy link" buttons, hidden until a script can make them work.
document.querySelectorAll("button[data-copy-link]").forEach(function (button) {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(window.location.href).then(function () {
      button.textContent = button.dataset.copied;
    });
  });
});
// On a phone the list pages' facets start folded, so that the list comes first; the
// active filters stay listed above the fold.
if (window.matchMedia("(max-width: 47.99rem)").matches) {
  document.querySelectorAll("details[data-fold-on-phones]").forEach(function (details) {
    details.open = false;
  });
}
