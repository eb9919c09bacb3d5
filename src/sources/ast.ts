/**
 * Reading the libpg-query AST, shared by every stage that reads statements (the engine's error
 * attribution, the lock model, migration rules): typed access to a statement's node and its
 * children (the node types of @pgsql/types), one reading of a RangeVar, one comparison of names as
 * written.
 */
import type { Node } from "@pgsql/types";

/** A relation name as written: schema-qualified or not. */
export interface RelationRef {
  schema?: string;
  name: string;
}

/** Same name, and the same schema when both name one. */
export function sameRelation(a: RelationRef, b: RelationRef): boolean {
  return a.name === b.name && (!a.schema || !b.schema || a.schema === b.schema);
}

/** `{RangeVar: {schemaname, relname}}`, or the RangeVar's body itself, as a relation name. */
export function rangeVar(value: unknown): RelationRef | undefined {
  const node = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  const body = (typeof node?.["RangeVar"] === "object" && node["RangeVar"] !== null ? node["RangeVar"] : node) as { schemaname?: unknown; relname?: unknown } | undefined;
  if (typeof body?.relname !== "string" || !body.relname) return undefined;
  return typeof body.schemaname === "string" && body.schemaname ? { schema: body.schemaname, name: body.relname } : { name: body.relname };
}

/**
 * Whether a statement's option list (`REINDEX (CONCURRENTLY)`, `VACUUM (FULL off)`, …) switches
 * `name` on: written alone it is on; `false`, `off`, `no` and `0` switch it off.
 */
export function optionEnabled(options: unknown, name: string): boolean {
  const list = Array.isArray(options) ? (options as unknown[]) : [];
  return list.some((item) => {
    const def = (item as { DefElem?: { defname?: unknown; arg?: Record<string, Record<string, unknown>> } }).DefElem;
    if (def?.defname !== name) return false;
    const arg = def.arg;
    if (!arg) return true;
    if (arg["Boolean"]) return arg["Boolean"]["boolval"] === true;
    if (arg["String"]) return !["false", "off", "no", "0"].includes(String(arg["String"]["sval"]).toLowerCase());
    if (arg["Integer"]) return arg["Integer"]["ival"] !== undefined && arg["Integer"]["ival"] !== 0;
    return true;
  });
}

/** Every node kind of the parser's AST (`IndexStmt`, `RangeVar`, `String`…), typed by @pgsql/types. */
export type NodeKind = Node extends infer N ? (N extends unknown ? keyof N & string : never) : never;

/** The body of a node of that kind: `NodeOf<"IndexStmt">` is the IndexStmt with its fields. */
export type NodeOf<K extends NodeKind> = Extract<Node, Record<K, unknown>>[K];

/** The statement's AST as its node type, when the statement is of that kind. */
export function statementAs<K extends NodeKind>(statement: { kind: string; ast?: unknown } | undefined, kind: K): NodeOf<K> | undefined {
  return statement?.kind === kind && statement.ast ? (statement.ast as NodeOf<K>) : undefined;
}

/** `{ [kind]: body }` → the body, when the node is of that kind (a list item, a wrapped child). */
export function nodeAs<K extends NodeKind>(node: unknown, kind: K): NodeOf<K> | undefined {
  const body = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[kind] : undefined;
  return typeof body === "object" && body !== null ? (body as NodeOf<K>) : undefined;
}

/** The strings of a name list (`[{String: {sval}}]`, as in qualified names): ["public", "orders"]. */
export function nameList(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => nodeAs(n, "String")?.sval).filter((s): s is string => typeof s === "string");
}
