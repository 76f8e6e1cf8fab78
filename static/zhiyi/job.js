/* The job page, live: ONE connection (/sse/jobs/<id>/) for every document × language of the job.
 * `status` events update their task's row (window.ZhiYi.applyStatus, from live.js); `job` events
 * the summary, the money, and which actions show. The stream ends once the job has ended. */
(function () {
  "use strict";
  var ENDED = { completed: true, partial: true, failed: true, cancelled: true, empty: true };
  var TERMINAL = { completed: true, failed: true, cancelled: true };

  function readJson(id) {
    var el = document.getElementById(id);
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var article = document.getElementById("job");
    if (!article || !window.ZhiYi) return;
    var LABELS = readJson("job-status-labels");
    var rows = {};
    document.querySelectorAll("#job-tasks tr[data-task-id]").forEach(function (row) {
      rows[row.getAttribute("data-task-id")] = row;
    });
    function show(id, visible) {
      var el = document.getElementById(id);
      if (el) el.hidden = !visible;
    }
    function text(id, value) {
      var el = document.getElementById(id);
      if (el) el.textContent = String(value);
    }
    function onStatus(data) {
      var row = rows[String(data.taskId)];
      if (!row || !window.ZhiYi.applyStatus(row, data)) return;
      row.querySelector("[data-download]").hidden = data.status !== "completed";
      row.querySelector("[data-cancel]").hidden = !!TERMINAL[data.status];
      row.querySelector("[data-retry]").hidden = !(data.status === "failed" || data.status === "cancelled");
    }
    function onJob(data) {
      var current = parseInt(article.getAttribute("data-version") || "0", 10);
      if (data.version < current) return;
      article.setAttribute("data-version", String(data.version));
      article.setAttribute("data-status", data.status);
      var label = document.getElementById("job-status");
      label.textContent = LABELS[data.status] || data.status;
      label.className = "status status-" + data.status;
      var bar = document.getElementById("job-progress");
      bar.setAttribute("aria-valuenow", String(data.progress));
      bar.querySelector(".pct").textContent = data.progress + "%";
      text("count-completed", data.counts.completed);
      text("count-failed", data.counts.failed);
      text("money-reserved", data.reserved);
      text("money-charged", data.charged);
      text("money-refunded", data.refunded);
      show("download-all", data.counts.completed > 0);
      show("job-cancel-form", !ENDED[data.status]);
      show("job-retry-form", data.counts.failed > 0);
    }
    function setConn(state) {
      var conn = document.getElementById("conn");
      if (!conn) return;
      conn.hidden = state === "open";
      conn.textContent = state === "open" ? "" : "…";
    }
    if (ENDED[article.getAttribute("data-status")]) return;  // nothing here can change: no connection
    new window.ZhiYi.LiveStream(article.getAttribute("data-stream"), {
      events: { status: onStatus, job: onJob },
      onState: setConn,
    });
  });
})();
