/**
 * The objects an ORM's generated SQL creates, read from the Postgres parser's AST of that SQL, so a
 * finding about "public.orders.orders_customer_id_fkey" can be traced to the relation the team wrote.
 */
import type { RangeVar } from "@pgsql/types";
import { writtenDefinitions } from "../../catalog/locate.js";
import { nameList, nodeAs, rangeVar, statementAs, statementRelation } from "../ast.js";
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
  /** The column or constraint written on a line of the SQL, else the index its statement creates, else its statement's table (for findings about a statement). */
  objectAt(line: number): SqlObject | undefined;
}

export async function sqlObjects(sql: string): Promise<GeneratedObjects> {
  await ensureParser();
  const { statements } = parseFile({ path: "generated.sql", text: sql }, 0);
  const objects = new Map<string, SqlObject>();
  const byLine = new Map<number, SqlObject>();
  const add = (object: SqlObject) => objects.set(object.kind === "table" || object.kind === "named" ? object.name : `${object.table}.${object.name}`, object);
  for (const statement of statements) {
    const table = statementRelation(statement)?.name;
    if (statement.kind === "CreateStmt" && table) add({ kind: "table", table, name: table, columns: [] });
    if (statement.kind === "IndexStmt" && table) add(indexObject(statement, table));
    const enumType = statementAs(statement, "CreateEnumStmt");
    const named = enumType ? nameList(enumType.typeName).at(-1) : rangeVar(createdRelation(statement))?.name;
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
    const table = statementRelation(statement)?.name;
    const index = statementAs(statement, "IndexStmt")?.idxname;
    return table ? (objects.get(`${table}.${index}`) ?? objects.get(table)) : undefined;
  };
  return { objects, objectAt };
}

function indexObject(statement: Statement, table: string): SqlObject {
  const index = statementAs(statement, "IndexStmt");
  return {
    kind: "index",
    table,
    name: String(index?.idxname ?? ""),
    columns: (index?.indexParams ?? []).map((param) => nodeAs(param, "IndexElem")?.name ?? "(expression)"),
    unique: index?.unique === true,
  };
}

/** The view, sequence or materialized view a statement creates (or, for ALTER SEQUENCE, names). */
function createdRelation(statement: Statement): RangeVar | undefined {
  return (
    statementAs(statement, "ViewStmt")?.view ??
    statementAs(statement, "CreateSeqStmt")?.sequence ??
    statementAs(statement, "AlterSeqStmt")?.sequence ??
    statementAs(statement, "CreateTableAsStmt")?.into?.rel
  );
}

/** The object a finding is about, from its object path ("schema.table[.name]") and kind. */
export function objectOfFinding(objects: Map<string, SqlObject>, kind: string, path: string): SqlObject | undefined {
  const [, table, name] = path.split(".");
  if (!table) return undefined;
  if (kind === "column" && name) return { kind: "column", table, name, columns: [name] };
  if (name) return objects.get(`${table}.${name}`);
  return objects.get(table);
}
