/** The page's style sheet, inline in the page. */
export const STYLE = `
:root { --error: #c62828; --warning: #b26a00; --info: #1565c0; --line: #d0d4da; --ink: #1d232b; --muted: #66707c; --m2m: #7b3fa0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f6f7f9; }
header { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid var(--line); padding: 10px 20px; }
h1 { font-size: 18px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 12px 0 6px; }
.muted { color: var(--muted); font-weight: normal; }
.counts span { margin-right: 10px; font-weight: 600; }
.sev-error { color: var(--error); } .sev-warning { color: var(--warning); } .sev-info { color: var(--info); }
nav a { margin-right: 14px; color: var(--info); text-decoration: none; }
.filters { display: flex; gap: 12px; align-items: center; margin-top: 6px; flex-wrap: wrap; }
#search { width: 340px; padding: 5px 8px; border: 1px solid var(--line); border-radius: 4px; }
main { padding: 14px 20px; }
section { scroll-margin-top: 150px; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; margin-bottom: 16px; }
.diagram-tools { display: flex; gap: 14px; align-items: baseline; flex-wrap: wrap; }
.legend .lg { margin-right: 10px; font: 12px ui-monospace, monospace; color: var(--muted); }
.legend .m2m { color: var(--m2m); }
.zoom button { margin-left: 4px; min-width: 30px; }
.diagram-row { display: flex; gap: 12px; margin-top: 8px; }
#diagram-frame { flex: 1; overflow: auto; height: 70vh; border: 1px solid var(--line); border-radius: 4px; background: #fbfcfd; }
#panel { width: 380px; flex: none; overflow: auto; height: 70vh; border-left: 1px solid var(--line); padding: 0 10px; }
#panel .hint, .findings .hint, #diagram-frame .hint { color: var(--muted); }
#diagram-frame .hint { margin: 12px; }
#diagram text { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; fill: var(--ink); }
.schema rect { fill: #eef3f8; stroke: #b8c7d8; stroke-dasharray: 4 3; }
.schema text { font-weight: 700; fill: #4a6178 !important; }
.table { cursor: pointer; }
.table .box { fill: #fff; stroke: #8a96a3; }
.table .head { fill: #dfe7f0; stroke: #8a96a3; }
.table .name { font-weight: 700; }
.table .col.pk { font-weight: 700; }
.table .col.fkcol { fill: #2e5a88; }
.table .col.more { fill: var(--muted); font-style: italic; }
.table.junction .box, .table.junction .head { stroke: var(--m2m); stroke-dasharray: 5 3; }
.table.junction .head { fill: #f1e6f7; }
.table.has-error .box { stroke: var(--error); }
.table.selected .box, .table.selected .head { stroke: #000; stroke-width: 2.5; }
.table:focus { outline: none; } .table:focus .box { stroke-width: 2.5; }
.table.dim, .fk.dim { opacity: 0.18; }
.badge circle { stroke: #fff; stroke-width: 1.5; }
.badge.error circle { fill: var(--error); } .badge.warning circle { fill: var(--warning); } .badge.info circle { fill: var(--info); }
#diagram .badge text { fill: #fff; font-size: 10px; font-weight: 700; text-anchor: middle; }
.fk path { fill: none; stroke: #7d8894; stroke-width: 1.3; stroke-dasharray: 5 3; }
.fk.identifying path { stroke-dasharray: none; }
.fk.many-to-many path { stroke: var(--m2m); }
.fk.related path { stroke: #000; stroke-width: 2.2; }
.mark { fill: none; stroke: #4b5561; stroke-width: 1.4; }
.mark.hollow { fill: #fff; }
.columns { border-collapse: collapse; font: 12px ui-monospace, monospace; width: 100%; }
.columns td { padding: 1px 6px 1px 0; vertical-align: top; }
.columns .keys { color: #2e5a88; font-weight: 700; }
.findings { list-style: none; padding: 0; margin: 0; }
.finding { border-left: 4px solid var(--line); padding: 6px 10px; margin: 8px 0; background: #fafbfc; }
.finding.sev-error { border-color: var(--error); } .finding.sev-warning { border-color: var(--warning); } .finding.sev-info { border-color: var(--info); }
.finding-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; font-size: 12px; }
.finding-head .sev { font-weight: 700; text-transform: uppercase; }
.finding-head .loc { color: var(--muted); font-family: ui-monospace, monospace; }
.finding .message { margin: 4px 0; color: var(--ink); }
.finding details { font-size: 13px; color: var(--ink); }
.timeline-link { display: inline-block; margin-right: 10px; font-size: 12px; }
.finding-tables a { margin-right: 8px; font: 12px ui-monospace, monospace; }
pre.sql { background: #f1f3f5; padding: 6px 8px; overflow: auto; font-size: 12px; }
.timeline-row { display: flex; align-items: center; gap: 8px; border-bottom: 1px solid #eef0f2; padding: 2px 0; }
.timeline-file { width: 340px; flex: none; font: 12px ui-monospace, monospace; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.timeline-track { display: flex; gap: 2px; flex-wrap: wrap; }
.stmt { width: 14px; height: 14px; padding: 0; border: 1px solid #9aa3ad; background: #dfe3e8; cursor: pointer; position: relative; }
.stmt.blocks-writes { background: #f4b740; }
.stmt.blocks-reads-and-writes { background: #e0483e; }
.stmt.rewrite { border: 3px solid #000; }
.stmt.scan { box-shadow: inset 0 -4px 0 #2d3640; }
.stmt.has-findings::after { content: ""; position: absolute; right: -3px; top: -3px; width: 6px; height: 6px; border-radius: 3px; background: #1565c0; }
.timeline-detail { margin-top: 10px; }
.timeline-detail dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 13px; }
.timeline-detail dt { color: var(--muted); }
.grid { border-collapse: collapse; width: 100%; font-size: 13px; }
.grid th, .grid td { border-bottom: 1px solid #eef0f2; padding: 4px 8px; text-align: left; vertical-align: top; }
.grid tr.not-served td:nth-child(2) { color: var(--error); font-weight: 600; }
footer { padding: 0 20px 20px; font-size: 12px; }
`;
