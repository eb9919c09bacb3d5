import type { PlanFlag } from "./types.js";

/** The fields of an EXPLAIN (FORMAT JSON) plan node that schemawise reads. */
export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Schema?: string;
  Alias?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  "Join Filter"?: string;
  "Hash Cond"?: string;
  "Parent Relationship"?: string;
  /** PG 18: the node is one the enable_* settings switched off. */
  Disabled?: boolean;
  "Plan Rows": number;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  "Sort Key"?: string[];
  "Sort Method"?: string;
  "Sort Space Type"?: string;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

export interface ExplainOutput {
  Plan: PlanNode;
  "Execution Time"?: number;
  "Planning Time"?: number;
}

const SCANS = new Set(["Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Tid Scan", "Tid Range Scan"]);
const DISABLED_BY_SETTINGS = new Set(["Seq Scan", "Sort", "Incremental Sort"]);

/** Every node of a plan, parents first. */
export function planNodes(root: PlanNode): PlanNode[] {
  const nodes: PlanNode[] = [];
  const visit = (node: PlanNode) => {
    nodes.push(node);
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(root);
  return nodes;
}

/**
 * Nodes the planner had to use although they were switched off: the schema offers no alternative.
 * PG 18 marks them; older servers do not, so there a seq scan or sort is taken as disabled.
 */
export function disabledNodes(root: PlanNode): PlanNode[] {
  return planNodes(root).filter((node) => node.Disabled === true || (node.Disabled === undefined && DISABLED_BY_SETTINGS.has(node["Node Type"])));
}

export function indexesUsed(root: PlanNode): string[] {
  return [...new Set(planNodes(root).flatMap((n) => (n["Index Name"] ? [n["Index Name"]] : [])))];
}

function loops(node: PlanNode): number {
  return node["Actual Loops"] ?? 1;
}

/** Rows the scans produced plus the rows their filters threw away. */
export function rowsRead(root: PlanNode): number {
  let total = 0;
  for (const node of planNodes(root)) {
    if (!SCANS.has(node["Node Type"]) && node["Node Type"] !== "Bitmap Index Scan") continue;
    if (node["Node Type"] === "Bitmap Heap Scan") continue; // its rows come from the bitmap index scan below it
    total += ((node["Actual Rows"] ?? 0) + (node["Rows Removed by Filter"] ?? 0) + (node["Rows Removed by Index Recheck"] ?? 0)) * loops(node);
  }
  return Math.round(total);
}

export function buffers(root: PlanNode): number {
  return (root["Shared Hit Blocks"] ?? 0) + (root["Shared Read Blocks"] ?? 0);
}

/** Thresholds for what counts as costly in an executed plan. */
export const FLAG_LIMITS = { largeTableRows: 10_000, largeSortRows: 10_000, discardRatio: 10, estimateRatio: 10, minRowsForRatio: 1_000 } as const;

/** What an executed plan did that costs time as the tables grow. */
export function planFlags(root: PlanNode): PlanFlag[] {
  const flags: PlanFlag[] = [];
  const limited = new Set<PlanNode>();
  for (const node of planNodes(root)) if (node["Node Type"] === "Limit") planNodes(node).slice(1).forEach((child) => limited.add(child));
  for (const node of planNodes(root)) {
    const type = node["Node Type"];
    const read = ((node["Actual Rows"] ?? 0) + (node["Rows Removed by Filter"] ?? 0)) * loops(node);
    const actual = (node["Actual Rows"] ?? 0) * loops(node);
    const removed = (node["Rows Removed by Filter"] ?? 0) * loops(node);
    if (type === "Seq Scan" && read >= FLAG_LIMITS.largeTableRows) {
      flags.push({ kind: "seq-scan-large", message: `sequential scan of ${node["Relation Name"]} read ${fmt(read)} rows` });
    }
    if ((type === "Sort" || type === "Incremental Sort") && (actual >= FLAG_LIMITS.largeSortRows || node["Sort Space Type"] === "Disk")) {
      flags.push({ kind: "large-sort", message: `sort of ${fmt(actual)} rows (${node["Sort Method"] ?? "sort"}, ${node["Sort Space Type"] ?? "memory"})` });
    }
    if (type === "Nested Loop") {
      const inner = node.Plans?.[1];
      if (inner && inner["Node Type"] === "Seq Scan" && loops(inner) > 1) {
        flags.push({ kind: "nested-loop-no-index", message: `nested loop scans ${inner["Relation Name"]} sequentially ${fmt(loops(inner))} times` });
      }
    }
    if (removed >= FLAG_LIMITS.minRowsForRatio && removed >= FLAG_LIMITS.discardRatio * Math.max(actual, 1)) {
      flags.push({ kind: "filter-discards", message: `${type} on ${node["Relation Name"] ?? "?"} kept ${fmt(actual)} of ${fmt(read)} rows (filter ${node.Filter ?? ""})` });
    }
    const estimated = node["Plan Rows"] * loops(node);
    const ratio = Math.max(estimated, actual) / Math.max(Math.min(estimated, actual), 1);
    // Below a LIMIT a node stops early, so fewer rows than estimated is no estimation error.
    const stoppedEarly = limited.has(node) && actual < estimated;
    if (!stoppedEarly && node["Actual Rows"] !== undefined && Math.max(estimated, actual) >= FLAG_LIMITS.minRowsForRatio && ratio > FLAG_LIMITS.estimateRatio) {
      flags.push({ kind: "estimate-error", message: `${type}${node["Relation Name"] ? ` on ${node["Relation Name"]}` : ""} estimated ${fmt(estimated)} rows, got ${fmt(actual)}` });
    }
  }
  return flags;
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
