/**
 * SQL text for catalog objects of the desired schema, built from what the catalog prints
 * (format_type, pg_get_expr, pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef): the plan
 * writes back what Postgres itself says, quoted through src/sql/text.ts.
 */
import type { Column, Constraint, Domain, EnumType, Index, Sequence, Table, View } from "../catalog/model.js";
import { qualified, quoteIdent, quoteLiteral } from "../sql/text.js";
import type { TableRef } from "./changes.js";

/** Postgres's limit on identifier length (NAMEDATALEN - 1). */
const MAX_NAME = 63;

/** A name the plan makes from parts (a copy column, a trigger, a temporary name), cut to what Postgres keeps. */
export function shortName(...parts: string[]): string {
  return parts.join("_").slice(0, MAX_NAME);
}

export function tableName(table: TableRef): string {
  return qualified(table.schema, table.name);
}

const SERIAL_TYPES: Record<string, string> = { smallint: "smallserial", integer: "serial", bigint: "bigserial" };

/** A column as CREATE TABLE / ADD COLUMN writes it; `options.withNotNull` false leaves NOT NULL for a later step. */
export function columnDefinition(column: Column, options: { withNotNull?: boolean; withDefault?: boolean } = {}): string {
  const parts = [quoteIdent(column.name)];
  const serial = column.isSerial ? SERIAL_TYPES[column.type] : undefined;
  parts.push(serial ?? column.type);
  if (column.collation) parts.push(`COLLATE ${quoteIdent(column.collation)}`);
  if (column.identity) parts.push(`GENERATED ${column.identity === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`);
  else if (column.generated && column.generationExpression) parts.push(`GENERATED ALWAYS AS (${column.generationExpression}) ${column.generated === "stored" ? "STORED" : "VIRTUAL"}`);
  else if (!serial && column.default !== null && options.withDefault !== false) parts.push(`DEFAULT ${column.default}`);
  if (column.notNull && options.withNotNull !== false && !serial && !column.identity) parts.push("NOT NULL");
  return parts.join(" ");
}

/** CREATE TABLE with its columns and every constraint but foreign keys (added once all new tables exist). */
export function createTable(table: Table): string {
  const inline = table.constraints.filter((c) => c.type !== "foreign-key" && c.type !== "not-null");
  const lines = [...table.columns.map((c) => columnDefinition(c)), ...inline.map((c) => `CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`)];
  const partition = table.partitionKey ? ` PARTITION BY ${table.partitionKey}` : "";
  const unlogged = table.persistence === "unlogged" ? "UNLOGGED " : "";
  return `CREATE ${unlogged}TABLE ${tableName(table)} (\n  ${lines.join(",\n  ")}\n)${partition}`;
}

export function addConstraint(table: TableRef, constraint: Constraint, notValid = false): string {
  return `ALTER TABLE ${tableName(table)} ADD CONSTRAINT ${quoteIdent(constraint.name)} ${constraint.definition}${notValid ? " NOT VALID" : ""}`;
}

/** The index's own definition (pg_get_indexdef), with CONCURRENTLY when the table already exists. */
export function createIndex(index: Index, concurrently: boolean): string {
  return concurrently ? index.definition.replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX CONCURRENTLY ") : index.definition;
}

export function createEnum(type: EnumType): string {
  return `CREATE TYPE ${qualified(type.schema, type.name)} AS ENUM (${type.values.map(quoteLiteral).join(", ")})`;
}

export function createDomain(domain: Domain): string {
  const parts = [`CREATE DOMAIN ${qualified(domain.schema, domain.name)} AS ${domain.baseType}`];
  if (domain.default !== null) parts.push(`DEFAULT ${domain.default}`);
  if (domain.notNull) parts.push("NOT NULL");
  for (const check of domain.checks) parts.push(`CONSTRAINT ${quoteIdent(check.name)} ${check.expression}`);
  return parts.join(" ");
}

export function createSequence(sequence: Sequence): string {
  return `CREATE SEQUENCE ${qualified(sequence.schema, sequence.name)} AS ${sequence.dataType}`;
}

export function createView(view: View, orReplace = false): string {
  const kind = view.materialized ? "MATERIALIZED VIEW" : "VIEW";
  return `CREATE ${orReplace ? "OR REPLACE " : ""}${kind} ${qualified(view.schema, view.name)} AS\n${view.definition.trim().replace(/;$/, "")}`;
}

export function commentText(comment: string | null): string {
  return comment === null ? "NULL" : quoteLiteral(comment);
}
