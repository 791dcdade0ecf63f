/* duty-roster web UI helpers (no framework, no CDN).
 *   api(method, url, body) -> Promise<JSON|null>: calls /api/v1 with the session cookie and X-CSRF-Token from
 *     <meta name="api-csrf">; rejects with an Error whose .status and .problem carry the RFC 9457 answer.
 *   post(url, formData|object) -> Promise<Response>: POST to a UI route with X-CSRFToken from <meta name="csrf-token">.
 *   [data-autosubmit] on a <select> submits its form on change; [data-confirm="text"] asks before submitting.
 */
(function () {
  "use strict";

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") || "" : "";
  }

  function api(method, url, body) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (method !== "GET" && method !== "HEAD") {
      options.headers["X-CSRF-Token"] = meta("api-csrf");
    }
    if (body !== undefined && body !== null) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      if (response.status === 204) { return null; }
      return response.text().then(function (text) {
        var data = null;
        if (text) { try { data = JSON.parse(text); } catch (e) { data = { detail: text }; } }
        if (!response.ok) {
          var error = new Error((data && (data.detail || data.title)) || ("HTTP " + response.status));
          error.status = response.status;
          error.problem = data;
          throw error;
        }
        return data;
      });
    });
  }

  function post(url, data) {
    var body = data instanceof FormData ? data : new URLSearchParams(data || {});
    return fetch(url, { method: "POST", credentials: "same-origin", body: body,
                        headers: { "X-CSRFToken": meta("csrf-token") } });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form.getAttribute && form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) { event.preventDefault(); }
  });

  window.api = api;
  window.post = post;
  window.csrfToken = function () { return meta("csrf-token"); };
})();
