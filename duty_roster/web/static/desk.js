/* The director's desk: live progress of a roster generation job, and the print button.
 *
 * #job[data-job-url] is polled every second through window.api (app.js: the session cookie authenticates GET calls
 * to /api/v1). Every text shown comes from the page's data-label-* attributes, already translated by the server.
 */
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }

  function fmt(value) {
    if (value === null || value === undefined) { return "–"; }
    return String(Math.round(value * 100) / 100);
  }

  function show(el, visible) { if (el) { el.hidden = !visible; } }

  function watch(box) {
    var url = box.getAttribute("data-job-url");
    var limit = parseFloat(box.getAttribute("data-time-limit")) || 0;
    var timer = null;

    function label(name) { return box.getAttribute("data-label-" + name) || ""; }

    function render(job) {
      var state = job.status;
      box.setAttribute("data-state", state);
      byId("job-state").textContent = label(state);
      var progress = job.progress || {};
      var percent = state === "succeeded" ? 100 : (progress.percent || 0);
      var bar = byId("job-progress");
      bar.value = percent;
      bar.textContent = Math.round(percent) + "%";
      byId("job-objective").textContent = fmt(progress.objective);
      byId("job-bound").textContent = fmt(progress.best_bound);
      var total = job.time_limit || limit;
      byId("job-elapsed").textContent = label("seconds")
        .replace("{elapsed}", (progress.elapsed || 0).toFixed(1)).replace("{limit}", String(total));
      if (state === "failed") {
        var error = byId("job-error");
        error.textContent = job.error || label("failed");
        show(error, true);
        show(byId("job-again"), true);
      }
      if (state === "succeeded" && job.roster) {
        var id = String(job.roster.id);
        var grid = byId("job-grid");
        if (grid && box.getAttribute("data-grid-url")) {
          grid.href = box.getAttribute("data-grid-url").replace("{id}", id);
        }
        byId("job-publish").href = box.getAttribute("data-publish-url").replace("{id}", id);
        box.setAttribute("data-roster-id", id);
        show(byId("job-done"), true);
      }
      return state === "succeeded" || state === "failed";
    }

    function poll() {
      window.api("GET", url).then(function (job) {
        if (!render(job)) { timer = window.setTimeout(poll, 1000); }
      }, function (error) {
        byId("job-state").textContent = label("error");
        if (error && (error.status === 401 || error.status === 403 || error.status === 404)) {
          return;  // logged out or not ours: polling again will not help (reloading the page shows why)
        }
        timer = window.setTimeout(poll, 2000);
      });
    }

    var state = box.getAttribute("data-state");
    if (state !== "succeeded" && state !== "failed") { poll(); }
    return function stop() { if (timer) { window.clearTimeout(timer); } };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = byId("job");
    if (box && box.getAttribute("data-job-url") && window.api) { watch(box); }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
})();
