/**
 * The names PostgreSQL gives what a statement creates without naming it, following
 * ChooseConstraintName, ChooseRelationName, makeObjectName and ChooseIndexColumnNames
 * (commands/indexcmds.c, catalog/heap.c, commands/tablecmds.c): `<table>_<columns>_<label>`, each
 * part clipped so the whole fits in 63 bytes. Postgres also appends a digit when the name is taken
 * in the schema; only a clash inside the statement itself is seen here (no catalog is read).
 */
import type { Node } from "@pgsql/types";
import { nameList, nodeAs, walkNodes } from "../sources/ast.js";

/** NAMEDATALEN - 1: the longest identifier, in bytes. */
const MAX_NAME_BYTES = 63;

/** makeObjectName: name1, name2 and label joined by "_", the longer of name1 and name2 clipped first until it fits. */
export function makeObjectName(name1: string, name2: string | undefined, label: string): string {
  const bytes1 = Buffer.byteLength(name1);
  const bytes2 = name2 === undefined ? 0 : Buffer.byteLength(name2);
  const overhead = (name2 === undefined ? 0 : 1) + Buffer.byteLength(label) + 1;
  let [keep1, keep2] = [bytes1, bytes2];
  while (keep1 + keep2 > MAX_NAME_BYTES - overhead) {
    if (keep1 > keep2) keep1--;
    else keep2--;
  }
  const parts = [clipBytes(name1, keep1), ...(name2 === undefined ? [] : [clipBytes(name2, keep2)]), label];
  return parts.join("_");
}

/** The longest prefix of `text` of at most `bytes` UTF-8 bytes that does not split a character (pg_mbcliplen). */
function clipBytes(text: string, bytes: number): string {
  let out = "";
  for (const char of text) {
    if (Buffer.byteLength(out + char) > bytes) break;
    out += char;
  }
  return out;
}

/** ChooseIndexNameAddition / ChooseForeignKeyConstraintNameAddition: the names joined by "_", stopping once past 63 bytes. */
export function nameAddition(names: string[]): string {
  let out = "";
  for (const name of names) {
    if (out) out += "_";
    out += name;
    if (Buffer.byteLength(out) >= MAX_NAME_BYTES + 1) break;
  }
  return out;
}

/** ChooseIndexColumnNames: a name repeated in one index gets a digit (a, a1, a2…). */
export function indexColumnNames(names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    let candidate = name;
    for (let i = 1; out.includes(candidate); i++) candidate = clipBytes(name, MAX_NAME_BYTES - String(i).length) + String(i);
    out.push(candidate);
  }
  return out;
}

/** [name1, name2, label]: what makeObjectName joins. */
export type NameParts = [string, string | undefined, string];

/**
 * The column a CHECK's default name mentions: the one column its expression uses, none when it
 * uses several or none (also for a CHECK written on a column: only the expression counts).
 */
export function checkColumn(expression: Node | undefined): string | undefined {
  const columns = new Set<string>();
  walkNodes(expression, (node) => {
    if (node.kind === "ColumnRef") {
      const name = nameList(node.body.fields).at(-1);
      if (name) columns.add(name);
    }
  });
  return columns.size === 1 ? [...columns][0] : undefined;
}

/** The name PostgreSQL gives an index (or the index of a key) it is not given a name for. */
export function indexName(table: string, columns: string[], label: "pkey" | "key" | "excl" | "idx"): string {
  return label === "pkey" ? makeObjectName(table, undefined, label) : makeObjectName(table, nameAddition(indexColumnNames(columns)), label);
}

/**
 * FigureIndexColname: the column name an index key expression gets (a function's name, a cast's
 * argument or type, …), "expr" when nothing names it.
 */
export function expressionColumnName(expression: Node | undefined): string {
  return figureName(expression) ?? "expr";
}

function figureName(node: Node | undefined): string | undefined {
  const ref = nodeAs(node, "ColumnRef");
  if (ref) return nameList(ref.fields).at(-1);
  const call = nodeAs(node, "FuncCall");
  if (call) return nameList(call.funcname).at(-1);
  const cast = nodeAs(node, "TypeCast");
  if (cast) return figureName(cast.arg) ?? nameList(cast.typeName?.names).at(-1);
  const coalesce = nodeAs(node, "CoalesceExpr");
  if (coalesce) return "coalesce";
  const minMax = nodeAs(node, "MinMaxExpr");
  if (minMax) return minMax.op === "IS_GREATEST" ? "greatest" : "least";
  if (nodeAs(node, "CaseExpr")) return "case";
  return undefined;
}
