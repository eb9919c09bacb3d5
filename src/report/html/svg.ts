import type { HtmlFinding, HtmlForeignKey, HtmlTable } from "./data.js";
import { escapeHtml as e } from "./escape.js";
import { columnLine, MAX_SHOWN_COLUMNS, METRICS, tableLabel, type DiagramLayout } from "./layout.js";

/**
 * Crow's-foot ends, drawn along the line with the entity at +x; `auto-start-reverse` turns the
 * same shape around at the child end. A bar is "one", a circle "zero", the three-pronged foot "many".
 */
const MARKERS = `
<marker id="end-one" viewBox="0 0 20 14" refX="20" refY="7" markerWidth="20" markerHeight="14" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M11 1V13M15 1V13" class="mark"/></marker>
<marker id="end-zero-or-one" viewBox="0 0 20 14" refX="20" refY="7" markerWidth="20" markerHeight="14" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M15 1V13" class="mark"/><circle cx="7" cy="7" r="3.5" class="mark hollow"/></marker>
<marker id="end-zero-or-many" viewBox="0 0 20 14" refX="20" refY="7" markerWidth="20" markerHeight="14" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M20 1L11 7L20 13M11 7H20" class="mark"/><circle cx="6" cy="7" r="3.5" class="mark hollow"/></marker>`;

const SEVERITY_ORDER = ["error", "warning", "info"] as const;

export function diagramSvg(layout: DiagramLayout, tables: HtmlTable[], foreignKeys: HtmlForeignKey[], findings: HtmlFinding[]): string {
  const byId = new Map(tables.map((t) => [t.id, t]));
  const fkById = new Map(foreignKeys.map((fk) => [fk.id, fk]));
  const schemas = layout.schemas.map(
    (s) => `<g class="schema" data-schema="${e(s.name)}"><rect x="${s.x}" y="${s.y}" width="${s.width}" height="${s.height}" rx="8"/><text x="${s.x + 12}" y="${s.y + 19}">${e(s.name)}</text></g>`,
  );
  const edges = layout.edges.map((edge) => edgeSvg(edge, fkById.get(edge.id)!));
  const boxes = layout.tables.map((box) => tableSvg(box, byId.get(box.id)!, findings));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" id="diagram" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="Entity-relationship diagram">`,
    `<defs>${MARKERS}</defs>`,
    ...schemas,
    ...edges,
    ...boxes,
    "</svg>",
  ].join("\n");
}

function edgeSvg(edge: DiagramLayout["edges"][number], fk: HtmlForeignKey): string {
  const d = edge.points.map((p, i) => `${i === 0 ? "M" : "L"}${round(p.x)} ${round(p.y)}`).join("");
  const classes = ["fk", fk.identifying ? "identifying" : "", fk.manyToMany ? "many-to-many" : ""].filter(Boolean).join(" ");
  const title = `${fk.child} (${fk.columns.join(", ")}) → ${fk.parent} (${fk.parentColumns.join(", ")}): ${fk.name}; each ${fk.child} row has ${fk.parentEnd === "one" ? "exactly one" : "zero or one"} parent, each ${fk.parent} row ${fk.childEnd === "zero-or-many" ? "zero or more" : "zero or one"} children`;
  return `<g class="${classes}" data-fk="${e(fk.id)}" data-child="${e(fk.child)}" data-parent="${e(fk.parent)}"><title>${e(title)}</title><path d="${d}" marker-start="url(#end-${fk.childEnd})" marker-end="url(#end-${fk.parentEnd})"/></g>`;
}

function tableSvg(box: DiagramLayout["tables"][number], table: HtmlTable, findings: HtmlFinding[]): string {
  const { x, y, width, height } = box;
  const left = x + METRICS.padding;
  const rows = table.columns.slice(0, MAX_SHOWN_COLUMNS).map((column, i) => {
    const classes = [column.keys.includes("PK") ? "pk" : "", column.keys.includes("FK") ? "fkcol" : ""].filter(Boolean).join(" ");
    return `<text x="${left}" y="${y + METRICS.header + (i + 1) * METRICS.row - 4}" class="col ${classes}" xml:space="preserve">${e(columnLine(column))}</text>`;
  });
  if (table.columns.length > MAX_SHOWN_COLUMNS) {
    rows.push(`<text x="${left}" y="${y + METRICS.header + (MAX_SHOWN_COLUMNS + 1) * METRICS.row - 4}" class="col more">… ${table.columns.length - MAX_SHOWN_COLUMNS} more columns</text>`);
  }
  const own = table.findings.map((i) => findings[i]!);
  const worst = SEVERITY_ORDER.find((s) => own.some((f) => f.severity === s));
  const badge = worst
    ? `<g class="badge ${worst}"><circle cx="${x + width}" cy="${y}" r="10"/><text x="${x + width}" y="${y + 4}">${own.length}</text></g>`
    : "";
  const classes = ["table", table.junction ? "junction" : "", worst ? `has-${worst}` : ""].filter(Boolean).join(" ");
  return [
    `<g class="${classes}" data-table="${e(table.id)}" data-findings="${own.length}" tabindex="0" role="button" aria-label="${e(`table ${table.id}, ${own.length} findings`)}">`,
    `<title>${e(table.id)}${table.junction ? ` — links ${e(table.junction.between.join(" and "))} (many-to-many)` : ""}</title>`,
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="4" class="box"/>`,
    `<rect x="${x}" y="${y}" width="${width}" height="${METRICS.header}" rx="4" class="head"/>`,
    `<text x="${left}" y="${y + 17}" class="name">${e(tableLabel(table))}</text>`,
    ...rows,
    badge,
    "</g>",
  ].join("");
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
