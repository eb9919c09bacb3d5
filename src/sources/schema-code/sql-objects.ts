/**
 * The objects an ORM's generated SQL creates, read from the Postgres parser's AST of that SQL, so a
 * finding about "public.orders.orders_customer_id_fkey" can be traced to the relation the team wrote.
 */
import { writtenDefinitions } from "../../catalog/locate.js";
import { rangeVar } from "../ast.js";
import { ensureParser, parseFile } from "../parse.js";
import type { Statement } from "../types.js";
import type { SqlObject } from "./types.js";

const CONSTRAINT_CODES: Record<string, SqlObject["constraintType"]> = {
  CONSTR_PRIMARY: "p",
  CONSTR_FOREIGN: "f",
  CONSTR_UNIQUE: "u",
  CONSTR_CHECK: "c",
};

export interface GeneratedObjects {
  /** Every table, column, constraint and index of the SQL, keyed "table.name" ("table" for a table, the name for a type). */
  objects: Map<string, SqlObject>;
  /** The column or constraint written on a line of the SQL, else its statement's table (for findings about a statement). */
  objectAt(line: number): SqlObject | undefined;
}

export async function sqlObjects(sql: string): Promise<GeneratedObjects> {
  await ensureParser();
  const { statements } = parseFile({ path: "generated.sql", text: sql }, 0);
  const objects = new Map<string, SqlObject>();
  const byLine = new Map<number, SqlObject>();
  const add = (object: SqlObject) => objects.set(object.kind === "table" || object.kind === "named" ? object.name : `${object.table}.${object.name}`, object);
  for (const statement of statements) {
    const table = rangeVar(statement.ast?.relation)?.name;
    if (statement.kind === "CreateStmt" && table) add({ kind: "table", table, name: table, columns: [] });
    if (statement.kind === "IndexStmt" && table) add(indexObject(statement, table));
    const matview = (statement.ast?.into as { rel?: unknown } | undefined)?.rel;
    const named = statement.kind === "CreateEnumStmt" ? qualifiedName(statement.ast?.typeName).at(-1) : rangeVar(statement.ast?.view ?? statement.ast?.sequence ?? matview)?.name;
    if (named && statement.kind !== "CreateStmt") add({ kind: "named", table: named, name: named, columns: [] });
    for (const definition of writtenDefinitions(statement)) {
      const owner = definition.table ?? table;
      if (!owner || !definition.name) continue;
      const code = CONSTRAINT_CODES[definition.contype ?? ""];
      const object: SqlObject | undefined =
        definition.kind === "column"
          ? { kind: "column", table: owner, name: definition.name, columns: [definition.name] }
          : code
            ? { kind: "constraint", table: owner, name: definition.name, columns: definition.columns, constraintType: code }
            : undefined;
      if (!object) continue;
      add(object);
      if (!byLine.has(definition.location.line)) byLine.set(definition.location.line, object);
    }
  }
  const objectAt = (line: number) => {
    if (byLine.has(line)) return byLine.get(line);
    const statement = statements.find((s) => s.location.line <= line && line <= s.location.endLine);
    const table = rangeVar(statement?.ast?.relation)?.name;
    return table ? objects.get(table) : undefined;
  };
  return { objects, objectAt };
}

function indexObject(statement: Statement, table: string): SqlObject {
  const params = (statement.ast?.indexParams as Array<{ IndexElem?: { name?: string } }> | undefined) ?? [];
  return {
    kind: "index",
    table,
    name: String(statement.ast?.idxname ?? ""),
    columns: params.map((param) => param.IndexElem?.name ?? "(expression)"),
    unique: statement.ast?.unique === true,
  };
}

function qualifiedName(list: unknown): string[] {
  return Array.isArray(list) ? list.map((item) => String((item as { String?: { sval?: string } }).String?.sval ?? "")) : [];
}

/** The object a finding is about, from its object path ("schema.table[.name]") and kind. */
export function objectOfFinding(objects: Map<string, SqlObject>, kind: string, path: string): SqlObject | undefined {
  const [, table, name] = path.split(".");
  if (!table) return undefined;
  if (kind === "column" && name) return { kind: "column", table, name, columns: [name] };
  if (name) return objects.get(`${table}.${name}`);
  return objects.get(table);
}
