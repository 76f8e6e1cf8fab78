/* The new-translation form: drag and drop, language pairs per engine, a quote from
 * /api/quote/ before starting, and creation through /api/tasks/ (Idempotency-Key stops double
 * submits). Several files, a dropped folder, a .zip or more than one target language (the
 * "also translate into" chips) make a job instead: a quote per document × language and a
 * total, then one /api/jobs/ creation and the job's page. Without JavaScript the form posts to
 * the dashboard view and still works (one file, one language). */
(function () {
  "use strict";
  var form = document.getElementById("new-task");
  if (!form) return;

  function readJson(id) {
    var el = document.getElementById(id);
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  }
  var ERRORS = readJson("error-texts");
  var QUOTE = window.ZhiyiQuote;
  var NAMES = readJson("language-names");
  var fileInput = document.getElementById("file");
  var engine = document.getElementById("engine");
  var source = document.getElementById("source_lang");
  var target = document.getElementById("target_lang");
  var startButton = document.getElementById("start");
  var quoteBox = document.getElementById("quote");
  var busy = document.getElementById("form-busy");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var keyInput = form.querySelector("input[name=idempotency_key]");
  var engines = {};  // name -> {available, reason, pairs}
  var quoteSeq = 0;
  var lastQuote = null;
  var chosen = [];  // the files to translate (the input's, or what was dropped, folders walked)
  var alsoBox = document.getElementById("also-targets");
  var alsoField = document.getElementById("also-targets-field");

  var FIELD_OF = {
    no_file: "file", empty_file: "file", file_too_large: "file", unsupported_format: "file",
    invalid_document: "file", undecodable_text: "file", no_text: "file",
    unknown_engine: "engine", engine_unavailable: "engine", unsupported_language_pair: "target_lang",
  };

  function showError(field, text) {
    var el = document.getElementById(field + "-error");
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
    var wrap = el.closest(".field");
    if (wrap) wrap.classList.toggle("has-error", !!text);
    var input = document.getElementById(field);
    if (input) input.setAttribute("aria-invalid", text ? "true" : "false");
  }
  function clearErrors() {
    ["file", "engine", "target_lang", "form"].forEach(function (f) { showError(f, ""); });
  }
  function messageFor(body) {
    var code = body && body.code;
    if (code === "insufficient_credits") {
      return (ERRORS.insufficient_credits || body.detail)
        .replace("%(cost)s", body.cost).replace("%(balance)s", body.balance);
    }
    // The server's own words when the message needs its numbers; ours (translated) otherwise.
    if (code === "file_too_large" && ERRORS[code]) return ERRORS[code];
    return ERRORS[code] || (body && body.detail) || ERRORS.unknown;
  }
  function showApiError(body) {
    var field = FIELD_OF[body && body.code] || "form";
    showError(field, messageFor(body));
  }
  function showFailure(body) {  // a job's refusal lists each document; anything else as before
    if (body && body.code === "documents_refused" && body.documents) {
      quoteBox.hidden = false;
      document.getElementById("quote-lines").hidden = true;
      showRefused(body.documents);
      return;
    }
    showApiError(body);
  }

  var AUTO = "auto";  // detected per document: a job's feature (the quote shows what was found)
  function languageName(code) {
    if (code === AUTO) return form.getAttribute("data-text-auto") || code;
    return NAMES[code] || code;
  }
  function fillSelect(select, codes, keep) {
    var current = keep || select.value;
    select.innerHTML = "";
    codes.forEach(function (code) {
      var opt = document.createElement("option");
      opt.value = code;
      opt.textContent = languageName(code);
      select.appendChild(opt);
    });
    if (codes.indexOf(current) >= 0) select.value = current;
  }
  function pairsOf(name) {
    var e = engines[name];
    if (e) return e.pairs || [];
    var opt = engine.querySelector('option[value="' + name + '"]');
    var raw = opt ? opt.getAttribute("data-pairs") : "";
    return raw ? raw.split(",").map(function (p) { return p.split(">"); }) : [];
  }
  function unique(list) { return list.filter(function (x, i) { return list.indexOf(x) === i; }); }
  function updateLanguages() {
    var pairs = pairsOf(engine.value);
    var sources = unique(pairs.map(function (p) { return p[0]; }));
    fillSelect(source, sources.length ? sources.concat([AUTO]) : sources);
    updateTargets();
  }
  function updateTargets() {
    var pairs = pairsOf(engine.value);
    var targets = pairs.filter(function (p) { return source.value === AUTO || p[0] === source.value; })
      .map(function (p) { return p[1]; });
    fillSelect(target, unique(targets));
    updateChips(unique(targets));
  }
  /* Chips: every other target language of the pair's engine, as checkboxes. */
  function updateChips(targets) {
    var checked = alsoTargets();
    alsoBox.innerHTML = "";
    targets.forEach(function (code) {
      var label = document.createElement("label");
      label.className = "chip";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "also_target";
      box.value = code;
      box.checked = checked.indexOf(code) >= 0;
      box.addEventListener("change", function () { keyInput.value = newKey(); requestQuote(); });
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + languageName(code)));
      alsoBox.appendChild(label);
    });
    alsoField.hidden = targets.length < 2;
    syncChips();
  }
  function syncChips() {  // the main target is never an "also" one
    alsoBox.querySelectorAll("input").forEach(function (box) {
      var main = box.value === target.value;
      box.disabled = main;
      if (main) box.checked = false;
      box.parentNode.hidden = main;
    });
  }
  function alsoTargets() {
    return Array.prototype.filter.call(alsoBox.querySelectorAll("input:checked"), function (box) {
      return !box.disabled;
    }).map(function (box) { return box.value; });
  }
  function targetLangs() { return [target.value].concat(alsoTargets()); }
  function isJob() {
    return chosen.length > 1 || alsoTargets().length > 0 || source.value === AUTO ||
      (chosen.length === 1 && /\.zip$/i.test(chosen[0].name));
  }
  function showChosen() {
    var list = document.getElementById("chosen-files");
    list.innerHTML = "";
    if (chosen.length > 1) {
      chosen.forEach(function (f) {
        var item = document.createElement("li");
        item.textContent = f.name;
        list.appendChild(item);
      });
    }
    list.hidden = chosen.length < 2;
  }

  function loadEngines() {
    return fetch(form.getAttribute("data-engines-url"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (list) {
        list.forEach(function (e) {
          engines[e.name] = e;
          var opt = engine.querySelector('option[value="' + e.name + '"]');
          if (opt) {
            opt.disabled = !e.available;
            opt.title = e.available ? "" : e.reason;
          }
        });
      }).catch(function () {});
  }

  function formData() {
    var data = new FormData();
    if (isJob()) {
      chosen.forEach(function (f) {
        data.append("files", f, f.name);
        data.append("paths", f.zhiyiPath || f.webkitRelativePath || "");  // its folder is kept, as in a zip
      });
      targetLangs().forEach(function (t) { data.append("target_langs", t); });
    } else {
      if (chosen[0]) data.append("file", chosen[0]);
      data.append("target_lang", target.value);
    }
    data.append("engine", engine.value);
    data.append("source_lang", source.value);
    var bilingual = document.getElementById("bilingual");
    if (bilingual && bilingual.checked) data.append("bilingual", "true");
    var glossary = document.getElementById("glossary");
    if (glossary && glossary.value) data.append("glossary", glossary.value);
    return data;
  }

  function post(url, data, extraHeaders) {
    var headers = { "X-CSRFToken": csrf, Accept: "application/json" };
    Object.keys(extraHeaders || {}).forEach(function (k) { headers[k] = extraHeaders[k]; });
    return fetch(url, { method: "POST", body: data, headers: headers, credentials: "same-origin" })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          return { ok: r.ok, status: r.status, body: body };
        });
      });
  }

  /* The quote explained (static/zhiyi/quote.js), then what this form does with it. */
  function showQuote(q) {
    QUOTE.explain(q);
    QUOTE.lines(q, languageName);
    quoteBox.hidden = false;
    showRefused(q.refused || []);
    if (q.balance_after < 0) {
      showError("form", messageFor({ code: "insufficient_credits", cost: q.cost, balance: q.balance }));
      startButton.disabled = true;
    } else if (!(q.refused || []).length) {
      startButton.disabled = false;
    }
  }
  function showRefused(refused) {
    var list = document.getElementById("quote-refused");
    list.innerHTML = "";
    if (refused.length) {
      var head = document.createElement("li");
      head.textContent = form.getAttribute("data-text-refused");
      list.appendChild(head);
    }
    refused.forEach(function (r) {
      var item = document.createElement("li");
      item.textContent = r.name + (r.target_lang ? " → " + languageName(r.target_lang) : "") + ": " +
        (ERRORS[r.code] || r.detail);
      list.appendChild(item);
    });
    list.hidden = !refused.length;
    if (refused.length) startButton.disabled = true;
  }

  function requestQuote() {
    clearErrors();
    lastQuote = null;
    quoteBox.hidden = true;
    startButton.disabled = false;
    if (!chosen.length || !engine.value || !source.value || !target.value) return;
    var seq = ++quoteSeq;
    busy.hidden = false;
    post(form.getAttribute("data-quote-url"), formData()).then(function (res) {
      if (seq !== quoteSeq) return;  // a newer quote was asked for meanwhile
      busy.hidden = true;
      if (res.ok) { lastQuote = res.body; showQuote(res.body); } else { showFailure(res.body); }
    }).catch(function () {
      if (seq === quoteSeq) { busy.hidden = true; showError("form", ERRORS.network); }
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (startButton.disabled) return;
    clearErrors();
    if (!chosen.length) { showError("file", ERRORS.no_file); fileInput.focus(); return; }
    startButton.disabled = true;
    busy.hidden = false;
    var job = isJob();
    post(form.getAttribute(job ? "data-job-url" : "data-create-url"), formData(), { "Idempotency-Key": keyInput.value })
      .then(function (res) {
        if (res.status === 201) {
          window.location.assign((job ? "/jobs/" : "/tasks/") + res.body.id + "/");
          return;
        }
        busy.hidden = true;
        startButton.disabled = false;
        showFailure(res.body);
      }).catch(function () {
        busy.hidden = true;
        startButton.disabled = false;
        showError("form", ERRORS.network);
      });
  });

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  // A changed form is a new request: a new idempotency key.
  [fileInput, engine, source, target].forEach(function (el) {
    el.addEventListener("change", function () { keyInput.value = newKey(); });
  });
  fileInput.addEventListener("change", function () {
    chosen = Array.prototype.slice.call(fileInput.files);
    showChosen();
    requestQuote();
  });
  engine.addEventListener("change", function () { updateLanguages(); requestQuote(); });
  source.addEventListener("change", function () { updateTargets(); requestQuote(); });
  target.addEventListener("change", function () { syncChips(); requestQuote(); });

  // Drag and drop onto the file field (the input itself stays usable with the keyboard).
  var zone = document.getElementById("dropzone");
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (ev) { ev.preventDefault(); zone.classList.add("dragging"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
  });
  /* Every file of a dropped entry, a folder walked to the end (readEntries gives a batch at a time). */
  function walk(entry, out) {
    return new Promise(function (resolve) {
      if (entry.isFile) {
        entry.file(function (f) {
          f.zhiyiPath = entry.fullPath.replace(/^\//, "");  // "docs/en/a.txt"
          out.push(f);
          resolve();
        }, function () { resolve(); });
      } else if (entry.isDirectory) {
        var reader = entry.createReader();
        var children = [];
        (function more() {
          reader.readEntries(function (batch) {
            if (!batch.length) {
              Promise.all(children.map(function (c) { return walk(c, out); })).then(resolve);
              return;
            }
            children = children.concat(Array.prototype.slice.call(batch));
            more();
          }, function () { resolve(); });
        })();
      } else {
        resolve();
      }
    });
  }
  zone.addEventListener("drop", function (ev) {
    ev.preventDefault();
    var dt = ev.dataTransfer;
    if (!dt) return;
    var entries = Array.prototype.map.call(dt.items || [], function (item) {
      return item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    }).filter(Boolean);
    var found = [];
    var ready = entries.length ? Promise.all(entries.map(function (e) { return walk(e, found); }))
      : Promise.resolve(Array.prototype.forEach.call(dt.files, function (f) { found.push(f); }));
    ready.then(function () {
      chosen = found.filter(function (f) { return f.name.charAt(0) !== "."; });
      keyInput.value = newKey();
      showChosen();
      requestQuote();
    });
  });

  // Pick the first available engine, then its languages (Simplified → Traditional by default).
  var first = engine.querySelector("option:not([disabled])");
  if (engine.selectedOptions[0] && engine.selectedOptions[0].disabled && first) engine.value = first.value;
  updateLanguages();  // keeps the server's selection where the engine supports it
  chosen = Array.prototype.slice.call(fileInput.files || []);
  loadEngines().then(function () { if (chosen.length) requestQuote(); });
})();
