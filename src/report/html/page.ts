import { VERSION } from "../../version.js";
import { plural } from "../common.js";
import { CLIENT_SCRIPT } from "./client.js";
import type { HtmlReportData } from "./data.js";
import { escapeHtml as e, scriptJson } from "./escape.js";
import { STYLE } from "./style.js";

/** The whole page: one file with its style, script, data and diagram inline, so it opens offline. */
export function htmlPage(data: HtmlReportData, diagram: string): string {
  const schemas = [...new Set(data.tables.map((t) => t.schema))];
  const { summary } = data;
  const sections = [
    `<section id="diagram-section">
  <div class="diagram-tools"><h2>Schema</h2><span class="muted">${data.tables.length} tables, ${data.foreignKeys.length} foreign keys</span>
    <span class="legend"><span class="lg one">|| exactly one</span><span class="lg zero-or-one">o| zero or one</span><span class="lg many">o&lt; zero or more</span><span class="lg m2m">junction = many-to-many</span><span class="lg">? nullable</span></span>
    <span class="zoom"><button type="button" id="zoom-out" aria-label="zoom out">−</button><button type="button" id="zoom-fit">fit</button><button type="button" id="zoom-in" aria-label="zoom in">+</button></span></div>
  <div class="diagram-row"><div id="diagram-frame">${data.tables.length === 0 ? `<p class="hint">The input creates no tables.</p>` : ""}${diagram}</div><aside id="panel" aria-live="polite"></aside></div>
</section>`,
    `<section id="findings-section"><h2>Findings <span id="findings-count" class="muted"></span></h2><ul id="findings-list" class="findings"></ul></section>`,
    data.timeline
      ? `<section id="timeline-section"><h2>Migration lock timeline</h2><p class="muted">One row per migration file, one block per statement, in run order. Red: blocks reads and writes on an existing table; amber: blocks writes; grey: blocks nothing. A thick outline marks a table rewrite, a dark bottom edge a full scan under the lock, a blue dot a finding.</p><div id="timeline"></div></section>`
      : "",
    data.workload !== undefined ? `<section id="workload-section"><h2>Workload</h2><div id="workload"></div></section>` : "",
    data.normalization.length > 0 ? `<section id="normalization-section"><h2>Normalization</h2><div id="normalization"></div></section>` : "",
  ];
  const nav = [
    ["diagram-section", "Schema"],
    ["findings-section", "Findings"],
    ...(data.timeline ? [["timeline-section", "Migrations"]] : []),
    ...(data.workload !== undefined ? [["workload-section", "Workload"]] : []),
    ...(data.normalization.length > 0 ? [["normalization-section", "Normalization"]] : []),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="schemawise ${e(VERSION)}">
<title>${e(data.title)} — schemawise</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>${e(data.title)}</h1>
  <p class="muted">${e(data.input.description)}</p>
  <p class="counts"><span class="sev-error">${summary.error} errors</span> <span class="sev-warning">${summary.warning} warnings</span> <span class="sev-info">${summary.info} info</span> <span class="muted">in ${plural(data.input.statements, "statement")} of ${plural(data.input.files.length, "file")}, run on ${e(data.engine)}</span></p>
  <nav>${nav.map(([id, label]) => `<a href="#${id}">${label}</a>`).join("")}</nav>
  <div class="filters" role="search">
    <input id="search" type="search" placeholder="Search tables, columns, rules, messages" aria-label="search">
    ${(["error", "warning", "info"] as const).map((s) => `<label class="sev-${s}"><input type="checkbox" data-severity="${s}" checked> ${s}</label>`).join("")}
    <select id="schema-filter" aria-label="schema"><option value="">all schemas</option>${schemas.map((s) => `<option value="${e(s)}">${e(s)}</option>`).join("")}</select>
  </div>
</header>
<main>
${sections.filter(Boolean).join("\n")}
</main>
<footer class="muted">Written by schemawise ${e(VERSION)}. Rule documentation links open the project's site; everything else on this page works offline.</footer>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
