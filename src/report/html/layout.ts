import elk, { type ElkExtendedEdge, type ElkNode, type ElkPoint } from "elkjs/lib/elk.bundled.js";
import type { HtmlForeignKey, HtmlTable } from "./data.js";

/** Geometry of the diagram, in pixels: boxes for schemas and tables, polylines for foreign keys. */
export interface DiagramLayout {
  width: number;
  height: number;
  schemas: { name: string; x: number; y: number; width: number; height: number }[];
  tables: { id: string; x: number; y: number; width: number; height: number; shownColumns: number }[];
  edges: { id: string; points: ElkPoint[] }[];
}

/** The diagram's text metrics: a monospace font, so a box's width follows from its longest line. */
export const METRICS = { charWidth: 7.2, header: 26, row: 17, padding: 10, schemaLabel: 28 } as const;

/** Columns drawn per table; the panel lists them all. */
export const MAX_SHOWN_COLUMNS = 24;

/**
 * Lays the diagram out with ELK's layered algorithm: tables grouped in one box per schema,
 * foreign keys routed orthogonally, across schema boxes too. Coordinates are absolute.
 */
export async function layoutDiagram(tables: HtmlTable[], foreignKeys: HtmlForeignKey[]): Promise<DiagramLayout> {
  const [right, down] = await Promise.all([layoutTowards("RIGHT", tables, foreignKeys), layoutTowards("DOWN", tables, foreignKeys)]);
  // The one closer to a screen's shape: a star of references is one tall column left to right, a wide row top down.
  const misfit = (layout: DiagramLayout) => Math.abs(Math.log(layout.width / Math.max(layout.height, 1) / SCREEN_ASPECT));
  return misfit(down) < misfit(right) ? down : right;
}

/**
 * Room between tables, set on the root and on every schema box (ELK reads a graph's spacing from
 * its own parent node): enough between layers for both crow's-foot ends of a line.
 */
const SPACING = {
  "elk.layered.spacing.nodeNodeBetweenLayers": "60",
  "elk.spacing.nodeNode": "30",
  "elk.spacing.edgeNode": "14",
  "elk.layered.spacing.edgeNodeBetweenLayers": "14",
};

/** Width over height of the frame the diagram is shown in, about. */
const SCREEN_ASPECT = 1.6;

async function layoutTowards(direction: "RIGHT" | "DOWN", tables: HtmlTable[], foreignKeys: HtmlForeignKey[]): Promise<DiagramLayout> {
  const schemas = [...new Set(tables.map((t) => t.schema))];
  const graph: ElkNode = {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": direction,
      "elk.hierarchyHandling": "INCLUDE_CHILDREN",
      "elk.edgeRouting": "ORTHOGONAL",
      ...SPACING,
      "elk.spacing.componentComponent": "40",
      "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
      "elk.json.shapeCoords": "ROOT",
      "elk.json.edgeCoords": "ROOT",
    },
    children: schemas.map((schema) => ({
      id: `schema:${schema}`,
      layoutOptions: { ...SPACING, "elk.padding": `[top=${METRICS.schemaLabel},left=16,bottom=16,right=16]` },
      children: schemaChildren(schema, tables.filter((t) => t.schema === schema), foreignKeys),
    })),
    edges: foreignKeys.map((fk): ElkExtendedEdge => ({ id: fk.id, sources: [fk.child], targets: [fk.parent] })),
  };
  // A CommonJS module: its constructor is the default export of the default import.
  const laid = await new elk.default().layout(graph);
  const ids = new Set(tables.map((t) => t.id));
  const boxes = descendants(laid).filter((node) => ids.has(node.id));
  return {
    width: Math.ceil(laid.width ?? 0),
    height: Math.ceil(laid.height ?? 0),
    schemas: (laid.children ?? []).map((s) => ({ name: s.id.slice("schema:".length), ...box(s) })),
    tables: boxes.map((t) => ({ id: t.id, ...box(t), shownColumns: shownColumns(tables.find((table) => table.id === t.id)!) })),
    edges: (laid.edges ?? []).map((edge) => ({
      id: edge.id,
      points: (edge.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]),
    })),
  };
}

/**
 * A schema's nodes: its related tables, and the tables without any foreign key packed in a box of
 * their own. The layered algorithm alone would put every unrelated table in its first layer, one
 * column as tall as all of them together.
 */
function schemaChildren(schema: string, tables: HtmlTable[], foreignKeys: HtmlForeignKey[]): ElkNode[] {
  const related = new Set(foreignKeys.flatMap((fk) => [fk.child, fk.parent]));
  const loose = tables.filter((t) => !related.has(t.id));
  if (loose.length < 2) return tables.map(tableNode);
  const packed: ElkNode = {
    id: `loose:${schema}`,
    layoutOptions: { "elk.algorithm": "rectpacking", "elk.hierarchyHandling": "SEPARATE_CHILDREN", "elk.aspectRatio": "1.6", "elk.padding": "[top=0,left=0,bottom=0,right=0]", "elk.spacing.nodeNode": "30" },
    children: loose.map(tableNode),
  };
  return [...tables.filter((t) => related.has(t.id)).map(tableNode), packed];
}

function descendants(node: ElkNode): ElkNode[] {
  return (node.children ?? []).flatMap((child) => [child, ...descendants(child)]);
}

function tableNode(table: HtmlTable): ElkNode {
  const lines = [tableLabel(table), ...table.columns.slice(0, MAX_SHOWN_COLUMNS).map(columnLine)];
  const longest = Math.max(...lines.map((line) => line.length), 12);
  const rows = shownColumns(table) + (table.columns.length > MAX_SHOWN_COLUMNS ? 1 : 0);
  return {
    id: table.id,
    width: Math.ceil(longest * METRICS.charWidth + 2 * METRICS.padding),
    height: METRICS.header + rows * METRICS.row + 6,
  };
}

export function shownColumns(table: HtmlTable): number {
  return Math.min(table.columns.length, MAX_SHOWN_COLUMNS);
}

export function tableLabel(table: HtmlTable): string {
  return table.junction ? `${table.name}  (many-to-many)` : table.name;
}

/** "PK id  bigint": key marks, name and type, as one line of the box. */
export function columnLine(column: HtmlTable["columns"][number]): string {
  return `${column.keys.join(",").padEnd(5)} ${column.name}  ${column.type}${column.notNull ? "" : "?"}`;
}

function box(node: ElkNode) {
  return { x: node.x ?? 0, y: node.y ?? 0, width: node.width ?? 0, height: node.height ?? 0 };
}
