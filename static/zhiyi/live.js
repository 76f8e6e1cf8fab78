/* Live updates over Server-Sent Events (no build step, no framework).
 *
 * Contract (tasks/events.py): `status` events {taskId, status, progress, message, messageCode,
 * messageParams, version, resultUrl, error}, SSE id = version; the first event of a connection is the current state;
 * a task stream ends after a terminal status. Notifications: `notification` events.
 *
 * - Events whose version is not newer than what the page shows are dropped (duplicates after a
 *   reconnect, or out of order).
 * - When the connection drops the page says "reconnecting"; EventSource retries by itself, and
 *   if the browser gives up (readyState CLOSED: HTTP error, 204, server gone) we catch up from
 *   the JSON API and open a new connection with backoff.
 * - The list pages use ONE /sse/tasks/ connection for all rows (browsers allow ~6 HTTP/1.1
 *   connections per origin).
 */
(function () {
  "use strict";
  var TERMINAL = { completed: true, failed: true, cancelled: true };

  function readJson(id, fallback) {
    var el = document.getElementById(id);
    if (!el) return fallback;
    try { return JSON.parse(el.textContent); } catch (e) { return fallback; }
  }
  /* The server's page at `url` again, its elements `ids` put in place of this page's (the same
     markup, so no part of a page is rendered twice, once here and once there). Resolves with
     the parsed page (null if it could not be had). */
  function refreshParts(url, ids) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return null;
      var doc = new DOMParser().parseFromString(html, "text/html");
      ids.forEach(function (id) {
        var fresh = doc.getElementById(id);
        var mine = document.getElementById(id);
        if (!fresh || !mine) return;
        mine.innerHTML = fresh.innerHTML;
        mine.hidden = fresh.hidden;
      });
      return doc;
    }).catch(function () { return null; });
  }

  /* The task rows of a server-rendered fragment (tasks/_new_rows.html). */
  function rowsOf(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    return Array.prototype.slice.call(holder.content.querySelectorAll("tr[data-task-id]"));
  }

  var LABELS = readJson("status-labels", {});
  var TEXTS = readJson("ui-texts", {});
  var MESSAGES = TEXTS.messages || {};

  /* What a task says, in the page's language: its messageCode's template filled with its
     messageParams (numbers grouped as the reader's locale does); the server's text otherwise. */
  function messageText(data) {
    var template = data.messageCode && MESSAGES[data.messageCode];
    return template ? filled(template, data.messageParams || {}) : data.message || "";
  }

  /* A template of lib.messages' templates_for_scripts: a count's comes in two forms (the
     languages shipped have at most two), the one its count wants is taken. */
  function formFor(template, params) {
    return typeof template === "object" ? (params[template.count] === 1 ? template.one : template.other) : template;
  }
  var PARAM = /%\((\w+)\)[sd]/g;
  function shown(value) {
    if (value === undefined || value === null) return "";
    return typeof value === "number" ? value.toLocaleString(document.documentElement.lang || undefined) : String(value);
  }
  function filled(template, params) {
    return formFor(template, params).replace(PARAM, function (whole, name) { return shown(params[name]); });
  }

  /* A self-healing EventSource. handlers: {events: {name: fn(data, ev)}, onState(state), onClosed()} */
  var STREAMS = [];
  function LiveStream(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.source = null;
    this.stopped = false;
    this.paused = false;
    this.backoff = 1000;
    this.timer = null;
    STREAMS.push(this);
    this.open();
  }
  // A tab in the background gives its connections back (a browser has ~6 per origin over
  // HTTP/1.1, shared by all tabs) and reconnects when shown: the first event is the snapshot.
  LiveStream.prototype.pause = function () {
    if (this.stopped || this.paused) return;
    this.paused = true;
    clearTimeout(this.timer);
    if (this.source) this.source.close();
    this.source = null;
  };
  LiveStream.prototype.resume = function () {
    if (this.stopped || !this.paused) return;
    this.paused = false;
    this.open();
  };
  document.addEventListener("visibilitychange", function () {
    STREAMS.forEach(function (stream) {
      if (document.visibilityState === "hidden") stream.pause(); else stream.resume();
    });
  });
  LiveStream.prototype.open = function () {
    var self = this;
    if (self.stopped) return;
    var source = new EventSource(self.url, { withCredentials: true });
    self.source = source;
    Object.keys(self.handlers.events || {}).forEach(function (name) {
      source.addEventListener(name, function (ev) {
        var data;
        try { data = JSON.parse(ev.data); } catch (e) { return; }
        self.handlers.events[name](data, ev);
      });
    });
    source.onopen = function () {
      self.backoff = 1000;
      if (self.handlers.onState) self.handlers.onState("live");
    };
    source.onerror = function () {
      if (self.stopped || self.paused || self.source !== source) return;
      if (self.handlers.onState) self.handlers.onState("reconnecting");
      if (source.readyState === EventSource.CLOSED) {
        // The browser will not retry on its own: catch up, then reopen with backoff.
        var delay = self.backoff;
        self.backoff = Math.min(self.backoff * 2, 15000);
        clearTimeout(self.timer);
        self.timer = setTimeout(function () {
          var next = self.handlers.onClosed ? self.handlers.onClosed() : null;
          Promise.resolve(next).then(function (keepGoing) {
            if (keepGoing !== false && !self.stopped && !self.paused) self.open();
          });
        }, delay);
      }
    };
  };
  LiveStream.prototype.close = function () {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.source) this.source.close();
  };

  /* Apply a status event to an element holding one task (a table row or the detail article). */
  function applyStatus(root, data) {
    var current = parseInt(root.getAttribute("data-version") || "0", 10);
    if (!(data.version > current)) return false;
    root.setAttribute("data-version", String(data.version));
    root.setAttribute("data-status", data.status);
    var label = root.querySelector("[data-status-label]");
    if (label) {
      label.textContent = LABELS[data.status] || data.status;
      label.className = label.className.replace(/status-[a-z_]+/, "status-" + data.status);
    }
    var bar = root.querySelector("[data-progress]");
    if (bar) {
      var pct = Math.max(0, Math.min(100, data.progress | 0));
      bar.setAttribute("aria-valuenow", String(pct));
      bar.querySelector(".pct").textContent = pct + "%";
    }
    var msg = root.querySelector("[data-message]");
    // In a table row the status says it already ("Completed" / "Done"): only news is shown.
    var repeats = root.tagName === "TR" && (TEXTS.sameAsStatus || []).indexOf(data.messageCode) >= 0;
    if (msg) msg.textContent = repeats ? "" : messageText(data);
    return true;
  }

  function fromApi(task) {
    return { taskId: task.id, status: task.status, progress: task.progress, message: task.message,
             version: task.version, resultUrl: task.result_url, error: task.error || null };
  }

  function setConn(state) {
    var conn = document.getElementById("conn");
    if (!conn) return;
    if (state === "reconnecting") {
      conn.textContent = TEXTS.reconnecting || "Reconnecting…";
      conn.hidden = false;
    } else {
      conn.hidden = true;
      conn.textContent = "";
    }
  }

  /* ---- task detail page ---- */
  function initDetail(article) {
    var stream = null;
    var tick = null;
    var started = article.getAttribute("data-started");

    function showElapsed() {
      var out = document.getElementById("elapsed");
      if (!out || !started) return;
      var end = article.getAttribute("data-finished");
      var ms = (end ? new Date(end) : new Date()) - new Date(started);
      var s = Math.max(0, Math.floor(ms / 1000));
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      out.textContent = Math.floor(s / 3600) + ":" + pad(Math.floor(s % 3600 / 60)) + ":" + pad(s % 60);
    }

    // Parts the server renders once the task reaches a state: money, what memory and the
    // glossary did, the preview (ended), the external engine's deadline (waiting).
    var REFRESHED = ["money", "reuse", "preview", "deadline"];
    function refreshFacts() {
      return refreshParts(window.location.pathname, REFRESHED).then(function (doc) {
        var freshTask = doc && doc.getElementById("task");
        if (freshTask) article.setAttribute("data-finished", freshTask.getAttribute("data-finished") || "");
      });
    }

    function apply(data) {
      var was = article.getAttribute("data-status");
      if (!applyStatus(article, data)) return;
      if (data.status === "waiting_external" && was !== "waiting_external") refreshFacts();
      if (data.status !== "queued" && !started) started = new Date().toISOString();
      var terminal = !!TERMINAL[data.status];
      document.getElementById("download").hidden = data.status !== "completed";
      document.getElementById("cancel-form").hidden = terminal;
      document.getElementById("retry-form").hidden = !(data.status === "failed" || data.status === "cancelled");
      var err = document.getElementById("task-error");
      err.textContent = data.error || "";
      err.hidden = !data.error;
      if (terminal) {
        if (stream) stream.close();
        setConn("live");
        clearInterval(tick);
        refreshFacts().then(showElapsed);
        var live = document.getElementById("live-region");
        if (live) live.textContent = LABELS[data.status] || data.status;
      }
    }

    function catchUp() {
      // After the stream was closed for good: read the state from the API, then keep going
      // only while the task still runs.
      return fetch(article.getAttribute("data-api"), { credentials: "same-origin",
        headers: { Accept: "application/json" } }).then(function (r) {
        return r.ok ? r.json() : null;
      }).then(function (task) {
        if (task) apply(fromApi(task));
        return !TERMINAL[article.getAttribute("data-status")];
      }).catch(function () { return true; });
    }

    if (TERMINAL[article.getAttribute("data-status")]) return;
    tick = setInterval(showElapsed, 1000);
    stream = new LiveStream(article.getAttribute("data-stream"), {
      events: { status: apply },
      onState: setConn,
      onClosed: catchUp,
    });
    window.zhiyiDetailStream = stream;
  }

  /* ---- task tables (dashboard, list): one connection for all rows ----
     The list's unfiltered first page (data-live-rows) also shows tasks created elsewhere (another
     tab, the API): the stream's first status of a task newer than the newest row fetches the
     server-rendered rows newer than it (one request for a burst), inserted on top. */
  function initTable(table) {
    var rows = table.querySelectorAll("tr[data-task-id]");
    var rowsUrl = table.getAttribute("data-live-rows");
    var running = Array.prototype.some.call(rows, function (row) {
      return !TERMINAL[row.getAttribute("data-status")];
    });
    if (!running && !rowsUrl) return;  // nothing on this page can change: no connection
    var byId = {};
    var newest = 0;
    rows.forEach(function (row) {
      byId[row.getAttribute("data-task-id")] = row;
      newest = Math.max(newest, parseInt(row.getAttribute("data-task-id"), 10));
    });
    var pageSize = parseInt(table.getAttribute("data-page-size") || "20", 10);
    var waiting = {};  // the newest event of each task whose row is being fetched
    var fetching = false;
    var again = false;

    function insertRows(html) {
      var body = table.tBodies[0];
      var anchor = body.querySelector("tr");
      var added = 0;
      rowsOf(html).forEach(function (row) {
        var id = row.getAttribute("data-task-id");
        if (byId[id]) return;
        body.insertBefore(row, anchor);
        byId[id] = row;
        newest = Math.max(newest, parseInt(id, 10));
        if (waiting[id]) applyStatus(row, waiting[id]);
        delete waiting[id];
        added += 1;
      });
      if (!added) return;
      Array.prototype.forEach.call(body.querySelectorAll("tr:not([data-task-id])"), function (row) { row.remove(); });
      var shown = body.querySelectorAll("tr[data-task-id]");
      for (var i = pageSize; i < shown.length; i++) {  // the page keeps its size: the oldest go
        delete byId[shown[i].getAttribute("data-task-id")];
        shown[i].remove();
      }
      var live = document.getElementById("live-region");
      if (live) live.textContent = TEXTS.taskAdded || "";
    }

    function fetchNew() {
      if (fetching) { again = true; return; }
      fetching = true;
      fetch(rowsUrl + "?after=" + newest, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(insertRows)
        .catch(function () {})
        .then(function () {
          fetching = false;
          if (again) { again = false; fetchNew(); }
        });
    }

    // A row whose task has just ended is redrawn from the server: its cost (charged, or 0
    // refunded) and its download and delete are the server's to say.
    var rowUrl = table.getAttribute("data-row-url");
    function redraw(id) {
      fetch(rowUrl + "?id=" + id, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          var fresh = rowsOf(html)[0];
          var old = byId[id];
          if (!fresh || !old || !old.parentNode) return;
          if (parseInt(fresh.getAttribute("data-version"), 10) < parseInt(old.getAttribute("data-version"), 10)) return;
          old.parentNode.replaceChild(fresh, old);
          byId[id] = fresh;
        }).catch(function () {});
    }

    function apply(data) {
      var row = byId[String(data.taskId)];
      if (row) {
        var wasRunning = !TERMINAL[row.getAttribute("data-status")];
        if (applyStatus(row, data) && wasRunning && TERMINAL[data.status] && rowUrl) redraw(String(data.taskId));
      } else if (rowsUrl && data.taskId > newest) {
        var held = waiting[data.taskId];
        if (!held || data.version > held.version) waiting[data.taskId] = data;
        fetchNew();
      }
    }

    function catchUp() {
      // The newest tasks from the API (one request), while the stream is down for good.
      return fetch("/api/tasks/", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          ((body && body.results) || []).forEach(function (task) { apply(fromApi(task)); });
          return true;
        }).catch(function () { return true; });
    }
    new LiveStream(table.getAttribute("data-live-tasks"), {
      events: { status: apply },
      onState: setConn,
      onClosed: catchUp,
    });
  }

  /* The browser's time zone, saved on the account when it is not the one pages use; the next
     page shows times in it. */
  function syncTimeZone() {
    var body = document.body;
    var url = body.getAttribute("data-time-zone-url");
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!url || !zone || zone === body.getAttribute("data-time-zone")) return;
    var form = new FormData();
    form.append("time_zone", zone);
    fetch(url, { method: "POST", body: form, credentials: "same-origin",
                 headers: { "X-CSRFToken": body.getAttribute("data-csrf") || "" } }).catch(function () {});
  }

  document.addEventListener("DOMContentLoaded", function () {
    syncTimeZone();
    var article = document.getElementById("task");
    if (article) initDetail(article);
    document.querySelectorAll("table[data-live-tasks]").forEach(initTable);
  });

  window.ZhiYi = { LiveStream: LiveStream, applyStatus: applyStatus, readJson: readJson, refreshParts: refreshParts,
                   formFor: formFor, filled: filled, shown: shown, PARAM: PARAM };
})();
