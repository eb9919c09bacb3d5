/**
 * The one place where schemawise turns names and values into SQL text: every fix, advisor index,
 * seed script and decomposition quotes through here, so a column called "order" or "user" is
 * quoted everywhere or nowhere. Identifier rules follow Postgres's own quote_ident (through
 * @pgsql/quotes, generated from the server's keyword list).
 */
import { QuoteUtils } from "@pgsql/quotes";
import { deparseSync } from "pgsql-deparser";
import { findNodes } from "../sources/ast.js";

/** An identifier as Postgres writes it: bare when lower-case and not a keyword, else double-quoted. */
export function quoteIdent(name: string): string {
  return QuoteUtils.quoteIdentifier(name);
}

/** An identifier always double-quoted, as psql's `:"name"` and pg_dump's role names are. */
export function quoteIdentAlways(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** schema.name quoted, leaving out the public schema as people write it. */
export function qualified(schema: string, name: string): string {
  return schema === "public" ? quoteIdent(name) : qualifiedAlways(schema, name);
}

/** schema.name quoted, with the schema even when it is public. */
export function qualifiedAlways(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A string literal, for standard_conforming_strings = on (the default since PostgreSQL 9.1). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A string literal, or NULL. */
export function literalOrNull(value: string | null): string {
  return value === null ? "NULL" : quoteLiteral(value);
}

/** The text of an array value, `{"a","b",NULL}`, with elements quoted for the array parser. */
export function arrayText(values: ReadonlyArray<string | null>): string {
  const element = (v: string | null) => (v === null ? "NULL" : `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  return `{${values.map(element).join(",")}}`;
}

/** An array literal, `'{"a","b"}'`. */
export function arrayLiteral(values: ReadonlyArray<string | null>): string {
  return quoteLiteral(arrayText(values));
}

/** What psql's `:'name'` gives (PQescapeLiteral): an E'' literal with doubled backslashes when it has any. */
export function psqlLiteral(value: string): string {
  const body = value.replace(/'/g, "''");
  return value.includes("\\") ? `E'${body.replace(/\\/g, "\\\\")}'` : `'${body}'`;
}

/** Text for a RAISE message: quotes doubled for the literal, % doubled for RAISE's own placeholders. */
export function raiseText(value: string): string {
  return value.replace(/'/g, "''").replace(/%/g, "%%");
}

/**
 * SQL text for an expression node of the libpg-query AST, written by pgsql-deparser (never cut out
 * of the source, which loses the parentheses around a cast JSON path). With `unqualify`, `o.email`
 * becomes `email`, as an index definition needs.
 */
export function expressionSql(node: unknown, options: { unqualify?: boolean } = {}): string {
  const tree = options.unqualify ? unqualified(structuredClone(node)) : node;
  return deparseSync(tree as Parameters<typeof deparseSync>[0]);
}

/** The tree (a copy, changed in place) with every column reference reduced to its column name. */
function unqualified(tree: unknown): unknown {
  for (const ref of findNodes(tree, "ColumnRef")) if (ref.fields && ref.fields.length > 1) ref.fields = ref.fields.slice(-1);
  return tree;
}
