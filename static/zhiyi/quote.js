/* The dashboard's quote explained before paying, with the figures of /api/quote/'s answer:
 * characters, what translation memory saves (characters and points), the price per 1,000
 * characters, the total and the balance after; for a job, the same per document × language and
 * the totals. The words come from the page (the "quote-texts" JSON: tasks/templatetags/quote_ui.py),
 * in its language, counts in their plural form, numbers grouped as that language groups them.
 * upload.js calls window.ZhiyiQuote.explain(q) and .lines(q, languageName). */
(function () {
  "use strict";
  var Z = window.ZhiYi;  // live.js, loaded first: the page's templates are filled the same way
  var TEXTS = Z.readJson("quote-texts", {});
  var number = Z.shown;

  /* A text filled with its figures, each figure in a span of its own; ids: parameter -> id of
     the span that holds it (the figures scripts read back). */
  function fill(el, code, params, ids) {
    var template = Z.formFor(TEXTS[code] || "", params);
    var re = new RegExp(Z.PARAM.source, "g"), last = 0, m;
    el.textContent = "";
    while ((m = re.exec(template)) !== null) {
      el.appendChild(document.createTextNode(template.slice(last, m.index)));
      var span = document.createElement("span");
      span.textContent = number(params[m[1]]);
      if (ids && ids[m[1]]) span.id = ids[m[1]];
      el.appendChild(span);
      last = re.lastIndex;
    }
    el.appendChild(document.createTextNode(template.slice(last)));
    return el;
  }
  function text(code, params) { return Z.filled(TEXTS[code] || "", params); }
  function byId(id) { return document.getElementById(id); }

  function explain(q) {
    byId("quote-format").textContent = q.format.toUpperCase();
    fill(byId("quote-characters-text"), "characters", { count: q.characters }, { count: "quote-characters" });
    var remembered = text("characters", { count: q.memory_characters });
    byId("quote-memory").textContent = q.memory_characters ? text("memory", {
      characters: remembered, points: text("points", { count: q.memory_points }) }) : remembered;
    fill(byId("quote-billed"), "characters", { count: q.billed_characters });
    fill(byId("quote-rate"), "rate", { count: q.rate_per_1000 });
    fill(byId("quote-cost-text"), "points", { count: q.cost }, { count: "quote-cost" });
    fill(byId("quote-balance-after-text"), "points", { count: q.balance_after }, { count: "quote-balance-after" });
    var note = byId("quote-note");
    note.textContent = q.layout_note || "";
    note.hidden = !q.layout_note;
  }

  /* A job's quote: a line per document × language and the totals (hidden for a single one). */
  function lines(q, languageName) {
    var table = byId("quote-lines");
    var body = table.querySelector("tbody");
    body.innerHTML = "";
    (q.documents || []).forEach(function (line) {
      var row = document.createElement("tr");
      var languages = (line.confidence === null ? "" : languageName(line.source_lang) + " (" +
        Math.round(line.confidence * 100) + "%) → ") + languageName(line.target_lang);
      [[line.name], [languages], [line.characters, "num"], [line.memory_characters, "num"],
       [line.memory_points, "num"], [line.cost, "num"]].forEach(function (cell) {
        var td = document.createElement("td");
        td.textContent = number(cell[0]);
        if (cell[1]) td.className = cell[1];
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    var many = !!q.documents;
    byId("quote-total-characters").textContent = many ? number(q.characters) : "";
    byId("quote-total-memory").textContent = many ? number(q.memory_characters) : "";
    byId("quote-total-saved").textContent = many ? number(q.memory_points) : "";
    byId("quote-total").textContent = q.total === undefined ? "" : number(q.total);
    table.hidden = !many;
    table.parentNode.hidden = !many;  // its scrolling wrapper is a tab stop only when there are lines
  }

  window.ZhiyiQuote = { explain: explain, lines: lines, number: number };
})();
