/* Roster grid: a click on a cell opens its shift page in a dialog (?fragment=1); the dialog's forms are posted with
 * fetch and the answer replaces the dialog's content; a successful edit sends the new cell back in
 * <template class="cell-update">, which replaces the cell in the grid. Names in a cell lead to the person's page.
 * Without JavaScript the links (the cell's ⋯ link) and forms work as plain pages. Uses window.post from app.js (X-CSRFToken header; the forms carry csrf_token too). */
(function () {
  "use strict";

  var grid = document.getElementById("roster-grid");
  var dialog = document.getElementById("shift-dialog");
  if (!grid || !dialog || typeof dialog.showModal !== "function") { return; }
  var body = dialog.querySelector(".dialog-body");

  function fragmentUrl(url) {
    return url + (url.indexOf("?") >= 0 ? "&" : "?") + "fragment=1";
  }

  function show(html) {
    body.innerHTML = html;
    var update = body.querySelector("template.cell-update");
    if (update) {
      var shift = update.getAttribute("data-shift");
      var old = grid.querySelector('td[data-shift="' + shift + '"]');
      var fresh = update.content.querySelector("td");
      if (old && fresh) { old.replaceWith(document.importNode(fresh, true)); }
    }
    var focus = body.querySelector(".rejection, .flash, h2");
    if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
  }

  function failed(error) {
    body.textContent = (error && error.message) || String(error);
  }

  // A click anywhere in a cell but on a name (which leads to that person's page) opens the shift.
  grid.addEventListener("click", function (event) {
    if (!event.target.closest || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    if (event.target.closest("a.who")) { return; }
    var cell = event.target.closest("td[data-shift]");
    var link = cell && cell.querySelector("a.cell-link");
    if (!link) { return; }
    event.preventDefault();
    body.textContent = "…";
    if (!dialog.open) { dialog.showModal(); }
    fetch(fragmentUrl(link.getAttribute("href")), { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(show, failed);
  });

  dialog.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.tagName !== "FORM") { return; }
    event.preventDefault();
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    window.post(fragmentUrl(form.getAttribute("action")), new FormData(form))
      .then(function (response) { return response.text(); })
      .then(show, failed)
      .finally(function () { buttons.forEach(function (b) { b.disabled = false; }); });
  });

  dialog.addEventListener("click", function (event) {
    if (event.target === dialog || (event.target.closest && event.target.closest("[data-close]"))) { dialog.close(); }
  });
})();
