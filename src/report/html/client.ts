/**
 * The page's script, plain browser JavaScript run as it is (no build step, no network): it reads
 * the report data embedded in the page and builds the table panel, the findings list, the lock
 * timeline, the workload and normalization sections, search, filters and zoom. Text always goes in
 * through textContent, so names from the schema are never read as HTML.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var state = { query: "", severities: { error: true, warning: true, info: true }, schema: "", selected: null, scale: 1 };
  var svg = document.getElementById("diagram");
  var tablesById = {};
  /** Timeline blocks by "file:line" of the findings on their statement. */
  var statementBlocks = {};
  data.tables.forEach(function (t) { tablesById[t.id] = t; });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function append(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }

  function matchesQuery(finding) {
    if (!state.query) return true;
    var text = (finding.ruleId + " " + finding.message + " " + finding.object + " " + (finding.location || "")).toLowerCase();
    return text.indexOf(state.query) >= 0;
  }
  function inSchema(finding) {
    if (!state.schema) return true;
    return finding.tables.some(function (id) { return tablesById[id] && tablesById[id].schema === state.schema; });
  }
  function findingShown(finding) {
    return state.severities[finding.severity] && inSchema(finding) && matchesQuery(finding);
  }
  function tableMatches(table) {
    if (state.schema && table.schema !== state.schema) return false;
    if (!state.query) return true;
    if (table.id.toLowerCase().indexOf(state.query) >= 0) return true;
    if (table.columns.some(function (c) { return c.name.toLowerCase().indexOf(state.query) >= 0; })) return true;
    return table.findings.some(function (i) { return matchesQuery(data.findings[i]); });
  }

  function findingCard(finding) {
    var card = el("li", "finding sev-" + finding.severity);
    var head = el("div", "finding-head");
    append(head, el("span", "sev", finding.severity));
    var rule = el("a", "rule", finding.ruleId);
    rule.href = finding.docs;
    rule.target = "_blank";
    rule.rel = "noopener";
    append(head, rule);
    if (finding.location) append(head, el("span", "loc", finding.location));
    append(card, head, el("p", "message", finding.message));
    var details = el("details");
    append(details, el("summary", null, "why and fix"), el("p", "why", finding.why), el("p", "fix", "Fix: " + finding.fix));
    if (finding.sql) append(details, el("pre", "sql", finding.sql));
    append(card, details);
    var statement = finding.file && statementBlocks[finding.file + ":" + finding.line];
    if (statement) {
      var onTimeline = el("a", "timeline-link", "on the lock timeline");
      onTimeline.href = "#timeline-section";
      onTimeline.addEventListener("click", function () { statement.click(); statement.focus(); });
      append(card, onTimeline);
    }
    if (finding.tables.length) {
      var links = el("div", "finding-tables");
      finding.tables.forEach(function (id) {
        var link = el("a", "table-link", id);
        link.href = "#table=" + encodeURIComponent(id);
        append(links, link);
      });
      append(card, links);
    }
    return card;
  }

  function renderFindings() {
    var list = document.getElementById("findings-list");
    list.textContent = "";
    var shown = data.findings.filter(findingShown);
    shown.forEach(function (f) { list.appendChild(findingCard(f)); });
    if (!shown.length) list.appendChild(el("li", "hint", data.findings.length ? "No finding matches the search and filters." : "No findings."));
    document.getElementById("findings-count").textContent = shown.length + " of " + data.findings.length;
  }

  function renderTables() {
    svg.querySelectorAll("g.table").forEach(function (node) {
      var table = tablesById[node.getAttribute("data-table")];
      node.classList.toggle("dim", !tableMatches(table));
      node.classList.toggle("selected", state.selected === table.id);
    });
    svg.querySelectorAll("g.fk").forEach(function (node) {
      var child = node.getAttribute("data-child");
      var parent = node.getAttribute("data-parent");
      var touches = state.selected && (child === state.selected || parent === state.selected);
      node.classList.toggle("related", Boolean(touches));
      node.classList.toggle("dim", !tableMatches(tablesById[child]) || !tableMatches(tablesById[parent]));
    });
  }

  function renderPanel() {
    var panel = document.getElementById("panel");
    panel.textContent = "";
    var table = state.selected && tablesById[state.selected];
    if (!table) {
      append(panel, el("p", "hint", "Click a table in the diagram to see its columns and findings."));
      return;
    }
    append(panel, el("h2", "panel-title", table.id));
    if (table.junction) append(panel, el("p", "junction-note", "Junction table: a many-to-many between " + table.junction.between.join(" and ") + "."));
    if (table.comment) append(panel, el("p", "comment", table.comment));
    var columns = el("table", "columns");
    table.columns.forEach(function (c) {
      var row = el("tr");
      append(row, el("td", "keys", c.keys.join(",")), el("td", "cname", c.name), el("td", "ctype", c.type + (c.notNull ? " not null" : "")));
      columns.appendChild(row);
    });
    append(panel, columns);
    var own = table.findings.map(function (i) { return data.findings[i]; }).filter(function (f) { return state.severities[f.severity]; });
    append(panel, el("h3", null, own.length + (own.length === 1 ? " finding" : " findings")));
    var list = el("ul", "findings table-findings");
    own.forEach(function (f) { list.appendChild(findingCard(f)); });
    append(panel, list);
  }

  function select(id, scroll) {
    state.selected = tablesById[id] ? id : null;
    renderTables();
    renderPanel();
    if (scroll && state.selected) {
      // Centre the table in the diagram's frame, without moving the page.
      var node = svg.querySelector('g.table[data-table="' + CSS.escape(id) + '"]');
      var frame = document.getElementById("diagram-frame");
      if (node) {
        var box = node.getBBox();
        frame.scrollLeft = (box.x + box.width / 2) * state.scale - frame.clientWidth / 2;
        frame.scrollTop = (box.y + box.height / 2) * state.scale - frame.clientHeight / 2;
      }
    }
  }

  function refresh() {
    renderTables();
    renderFindings();
    renderPanel();
  }

  svg.addEventListener("click", function (event) {
    var node = event.target.closest("g.table");
    if (node) history.replaceState(null, "", "#table=" + encodeURIComponent(node.getAttribute("data-table")));
    select(node ? node.getAttribute("data-table") : null, false);
  });
  svg.addEventListener("keydown", function (event) {
    var node = event.target.closest && event.target.closest("g.table");
    if (node && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); select(node.getAttribute("data-table"), false); }
  });
  window.addEventListener("hashchange", function () { if (fromHash()) document.getElementById("diagram-section").scrollIntoView(); });
  function fromHash() {
    var match = /^#table=(.*)$/.exec(location.hash);
    if (match) select(decodeURIComponent(match[1]), true);
    return Boolean(match);
  }

  document.getElementById("search").addEventListener("input", function (event) {
    state.query = event.target.value.trim().toLowerCase();
    refresh();
  });
  document.querySelectorAll("input[data-severity]").forEach(function (box) {
    box.addEventListener("change", function () { state.severities[box.getAttribute("data-severity")] = box.checked; refresh(); });
  });
  document.getElementById("schema-filter").addEventListener("change", function (event) { state.schema = event.target.value; refresh(); });

  var baseWidth = Number(svg.getAttribute("width"));
  var baseHeight = Number(svg.getAttribute("height"));
  function zoom(scale) {
    state.scale = Math.max(0.1, Math.min(3, scale));
    svg.setAttribute("width", String(baseWidth * state.scale));
    svg.setAttribute("height", String(baseHeight * state.scale));
  }
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(state.scale * 1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(state.scale / 1.25); });
  document.getElementById("zoom-fit").addEventListener("click", function () {
    var frame = document.getElementById("diagram-frame");
    zoom(Math.min(frame.clientWidth / baseWidth, frame.clientHeight / baseHeight, 1));
  });

  function renderTimeline() {
    var section = document.getElementById("timeline");
    if (!section || !data.timeline) return;
    var rows = el("div", "timeline-rows");
    var detail = el("div", "timeline-detail", "Click a statement to see its locks and findings.");
    data.timeline.forEach(function (file) {
      var row = el("div", "timeline-row");
      var label = el("div", "timeline-file", file.label);
      label.title = file.file + ": " + file.transaction;
      var track = el("div", "timeline-track");
      file.statements.forEach(function (s) {
        var block = el("button", "stmt blocks-" + s.blocks.replace(/ /g, "-") + (s.rewrite !== "no" ? " rewrite" : "") + (s.scan ? " scan" : "") + (s.findings.length ? " has-findings" : ""));
        block.type = "button";
        block.title = file.file + ":" + s.line + "  " + s.kind + "  locks: " + s.locks;
        block.addEventListener("click", function () { showStatement(detail, file, s); });
        s.findings.forEach(function (i) { var f = data.findings[i]; statementBlocks[f.file + ":" + f.line] = block; });
        track.appendChild(block);
      });
      append(row, label, track);
      rows.appendChild(row);
    });
    append(section, rows, detail);
  }
  function showStatement(detail, file, s) {
    detail.textContent = "";
    append(detail, el("h3", null, file.file + ":" + s.line + " — " + s.kind));
    var facts = el("dl");
    [["locks", s.locks], ["blocks for other sessions", s.blocks], ["rewrite", s.rewrite], ["full scan under the lock", s.scan ? "yes" : "no"], ["transaction", file.transaction]].forEach(function (pair) {
      append(facts, el("dt", null, pair[0]), el("dd", null, pair[1]));
    });
    append(detail, facts);
    var list = el("ul", "findings");
    s.findings.forEach(function (i) { list.appendChild(findingCard(data.findings[i])); });
    append(detail, list);
  }

  function renderWorkload() {
    var section = document.getElementById("workload");
    var report = data.workload;
    if (!section || !report || !Array.isArray(report.queries)) return;
    var table = el("table", "grid");
    var head = el("tr");
    ["query", "served by an index", "indexes used", "what stops it", "suggestion"].forEach(function (h) { head.appendChild(el("th", null, h)); });
    table.appendChild(head);
    report.queries.forEach(function (q) {
      var cap = q.capability || { served: false, blockers: [], indexesUsed: [] };
      var row = el("tr", cap.served ? "served" : "not-served");
      var blockers = (cap.blockers || []).map(function (b) { return b.message || b.kind || String(b); }).join("; ");
      append(row, el("td", "qname", q.name), el("td", null, q.error ? "error: " + q.error.message : cap.served ? "yes" : "no"), el("td", null, (cap.indexesUsed || []).join(", ")), el("td", null, blockers), el("td", null, q.suggestion || ""));
      table.appendChild(row);
    });
    append(section, table);
    (report.indexes || []).forEach(function (index) {
      append(section, el("h3", null, "Recommended index " + index.name), el("pre", "sql", index.sql));
    });
  }

  function renderNormalization() {
    var section = document.getElementById("normalization");
    if (!section) return;
    data.normalization.forEach(function (doc) {
      var box = el("article", "normal-form");
      append(box, el("h3", null, (doc.input && doc.input.table) + " — " + doc.normalForm), el("p", null, doc.why));
      var list = el("ul");
      (doc.violations || []).filter(function (v) { return !v.likelyAccidental; }).forEach(function (v) {
        list.appendChild(el("li", null, v.explanation || v.lhs.join(", ") + " → " + v.rhs.join(", ") + " breaks " + v.breaks));
      });
      append(box, list);
      if (doc.decomposition && doc.decomposition.ddl) append(box, el("h4", null, "Decomposition"), el("pre", "sql", doc.decomposition.ddl));
      section.appendChild(box);
    });
  }

  renderTimeline();
  renderWorkload();
  renderNormalization();
  refresh();
  fromHash();
})();
`;
