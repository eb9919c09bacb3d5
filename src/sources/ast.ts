/**
 * Reading the libpg-query AST, shared by every stage that reads statements (the engine's error
 * attribution, the lock model, migration rules, queries, seed, patterns): typed access to a
 * statement's node and its children (the node types of @pgsql/types), a typed walk over them, one
 * reading of a RangeVar and of name lists and constants, one comparison of names as written. The
 * only module that reads nodes by string keys: test/sources/ast-access.test.ts keeps it so.
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

/** A node of any kind with its body, narrowed by `kind`: `if (n.kind === "FuncCall") n.body.funcname`. */
export type AnyNode = { [K in NodeKind]: { kind: K; body: NodeOf<K> } }[NodeKind];

/**
 * Every wrapped node (`{FuncCall: {…}}`) at or below `value`, parents before their children, in the
 * parser's field order; `visit` returning "skip children" leaves that node's subtree out. A child
 * the parser writes unwrapped (a statement's `relation`) is walked into but not reported: its kind
 * is only known from the field it sits in. Type names are the exception: one sitting unwrapped in a
 * `typeName` field (ColumnDef, TypeCast…) is reported as a TypeName.
 */
export function walkNodes(value: unknown, visit: (node: AnyNode) => void | "skip children"): void {
  if (Array.isArray(value)) {
    for (const item of value) walkNodes(item, visit);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const isObject = typeof child === "object" && child !== null && !Array.isArray(child);
    const kind = isObject && /^[A-Z]/.test(key) ? key : isObject && key === "typeName" ? "TypeName" : undefined;
    if (kind && visit({ kind, body: child } as AnyNode) === "skip children") continue;
    walkNodes(child, visit);
  }
}

/** The statement's own node (unwrapped in a Statement: its kind is the statement's), as walkNodes reports nodes. */
export function statementNode(statement: { kind: string; ast?: unknown }): AnyNode | undefined {
  return statement.ast ? ({ kind: statement.kind, body: statement.ast } as AnyNode) : undefined;
}

/** The bodies of every wrapped node of that kind at or below `value` (see walkNodes), in order. */
export function findNodes<K extends NodeKind>(value: unknown, kind: K): NodeOf<K>[] {
  const out: NodeOf<K>[] = [];
  walkNodes(value, (node) => {
    if (node.kind === kind) out.push(node.body as NodeOf<K>);
  });
  return out;
}

/** A qualified name as written, ["schema", "table"] or ["table"], as a relation name (the last two parts). */
export function qualifiedRef(parts: string[]): RelationRef | undefined {
  const name = parts[parts.length - 1];
  if (!name) return undefined;
  return parts.length >= 2 ? { schema: parts[parts.length - 2]!, name } : { name };
}

/** The strings of a `{List: {items: [{String}…]}}` node (a DROP or COMMENT object): ["public", "orders"]. */
export function listNames(node: Node | undefined): string[] {
  return nameList(nodeAs(node, "List")?.items);
}

/** The integer of an `A_Const` node (the parser leaves 0 out, so `{ival: {}}` is 0); undefined for anything else. */
export function intConst(node: Node | undefined): number | undefined {
  const ival = nodeAs(node, "A_Const")?.ival;
  return ival ? (ival.ival ?? 0) : undefined;
}

/** The last name of a name list (a function's or operator's, without its schema), or "". */
export function lastName(nodes: Node[] | undefined): string {
  return nameList(nodes).pop() ?? "";
}

/**
 * Every name `value` mentions, without knowing what each names: RangeVars (wrapped, or bare where
 * the parser types the field), index names, and qualified-name lists of up to three parts (DROP
 * objects, type names). For reading only what a statement can touch: over-collecting is harmless.
 */
export function forEachNameMentioned(value: unknown, add: (schema: string | null, name: string) => void): void {
  if (Array.isArray(value)) {
    const parts = stringList(value);
    if (parts && parts.length <= 3) add(parts.length >= 2 ? parts[parts.length - 2]! : null, parts[parts.length - 1]!);
    for (const item of value) forEachNameMentioned(item, add);
    return;
  }
  if (!value || typeof value !== "object") return;
  const fields = value as { relname?: unknown; schemaname?: unknown; idxname?: unknown };
  if (typeof fields.relname === "string") add(typeof fields.schemaname === "string" ? fields.schemaname : null, fields.relname);
  if (typeof fields.idxname === "string") add(null, fields.idxname);
  for (const child of Object.values(value)) forEachNameMentioned(child, add);
}

/** `[{String: {sval: "a"}}, {String: {sval: "b"}}]` → ["a", "b"]; undefined for any other list. */
function stringList(items: unknown[]): string[] | undefined {
  if (items.length === 0) return undefined;
  const parts: string[] = [];
  for (const item of items) {
    const sval = nodeAs(item, "String")?.sval;
    if (typeof sval !== "string") return undefined;
    parts.push(sval);
  }
  return parts;
}

/**
 * The parse location of every node at or below `value`, wrapped or not, with the number of name
 * parts it spells (a qualified column reference `o.user_id` is one node over three tokens).
 */
export function locations(value: unknown): { location: number; nameParts: number }[] {
  const found: { location: number; nameParts: number }[] = [];
  const visit = (item: unknown): void => {
    if (Array.isArray(item)) return item.forEach(visit);
    if (typeof item !== "object" || item === null) return;
    const { location, fields } = item as { location?: unknown; fields?: unknown };
    if (typeof location === "number" && location >= 0) found.push({ location, nameParts: Array.isArray(fields) ? fields.length : 1 });
    Object.values(item).forEach(visit);
  };
  visit(value);
  return found;
}

/**
 * The relation a statement names in its `relation` field, whatever its kind (ALTER TABLE, CREATE
 * INDEX, CREATE TRIGGER, INSERT, CLUSTER…): for code that places any statement on its table.
 */
export function statementRelation(statement: { ast?: unknown } | undefined): RelationRef | undefined {
  return rangeVar((statement?.ast as { relation?: unknown } | undefined)?.relation);
}

/** A wrapped node `{ [kind]: body }` (a parsed statement, a list item) as walkNodes reports it: `{ kind, body }`. */
export function unwrapNode(node: unknown): AnyNode | undefined {
  const [entry] = typeof node === "object" && node !== null ? Object.entries(node) : [];
  return entry && typeof entry[1] === "object" && entry[1] !== null ? ({ kind: entry[0], body: entry[1] } as AnyNode) : undefined;
}
