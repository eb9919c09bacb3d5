import { z } from "zod";
import { quoteIdentAlways } from "../../sql/text.js";
import type { Column, Index, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, wordParts } from "./_shared.js";
import { findTable, foreignKeys, freeConstraintName, primaryKey, snake } from "./_keys.js";
import { on } from "../subject.js";

const DEFAULT_NAMES = ["email", "email_address", "username", "user_name", "login", "slug", "sku", "isbn", "ean", "gtin", "upc", "iban"];
const DEFAULT_CASE_INSENSITIVE = ["email", "email_address", "username", "user_name", "login"];
const DEFAULT_LOGIN_NAMES = ["email", "email_address", "username", "user_name", "login"];

/** Words of a column that holds a credential: password, password_hash, encrypted_password, passwordDigest, pwd. */
const CREDENTIAL_WORDS = new Set(["password", "passwd", "pwd", "passphrase"]);

const holdsCredential = (table: Table) => table.columns.some((c) => wordParts(c.name).some((w) => CREDENTIAL_WORDS.has(w)));

/**
 * Whether rows of the table sign in: a credential column on the table itself, or on a table that
 * points to it (user_passwords.user_id). Only then is an email or user name what finds the row;
 * elsewhere it is a contact detail or a record of who acted, which may repeat.
 */
function signsIn(model: SchemaModel, table: Table): boolean {
  if (holdsCredential(table)) return true;
  return model.tables.some((t) => t !== table && holdsCredential(t) && foreignKeys(t).some((c) => c.foreignKey!.referencedSchema === table.schema && c.foreignKey!.referencedTable === table.name));
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether one index key is the column itself or an expression over it alone, such as lower(email). */
function keyIsColumn(key: Index["keys"][number], column: string): boolean {
  if (key.column !== null) return key.column === column;
  const expression = key.expression ?? "";
  const mentions = new RegExp(`(?<![\\w$"])(?:${escape(column)}|${escape(quoteIdentAlways(column))})(?![\\w$"])`, "g");
  if (!mentions.test(expression)) return false;
  // Every identifier in the expression is the column, a function name or a type cast.
  const others = expression.replace(mentions, "").replace(/'[^']*'/g, "").replace(/::\s*"?[\w ]+"?(\(\d+\))?/g, "").match(/"[^"]+"|\b[a-z_][\w$]*\b(?!\s*\()/gi);
  return !others || others.every((word) => /^(COLLATE|C|POSIX|ucs_basic|true|false|null)$/i.test(word));
}

/** A valid unique index with the column (or an expression of it) among its keys; partial and composite (scoped) ones count. */
function coveringUnique(table: Table, column: string): Index | undefined {
  const primary = primaryKey(table)?.columns ?? [];
  return table.indexes.find((index) => {
    if (!index.unique || !index.valid) return false;
    if (!index.keys.some((key) => keyIsColumn(key, column))) return false;
    // (id, email) is unique because id is: it says nothing about email.
    const keyColumns = index.keys.map((k) => k.column);
    return !(primary.length > 0 && primary.every((c) => keyColumns.includes(c)));
  });
}

/** The table points to another table that has the same column: the value is a copy of the parent's (orders.email next to orders.user_id). */
function copiedFromParent(model: SchemaModel, table: Table, column: Column): Table | undefined {
  const name = snake(column.name);
  for (const constraint of foreignKeys(table)) {
    const parent = findTable(model, constraint.foreignKey!.referencedSchema, constraint.foreignKey!.referencedTable);
    if (parent && parent !== table && parent.columns.some((c) => snake(c.name) === name)) return parent;
  }
  return undefined;
}

/**
 * A business key identifies an entity: a table other rows point to, or a standalone table. A table that only points
 * elsewhere and is never referenced (invitations, audit logs, verifications) records events about a value, which repeat.
 */
function isEntity(model: SchemaModel, table: Table): boolean {
  if (foreignKeys(table).length === 0) return true;
  return model.tables.some((t) => foreignKeys(t).some((c) => c.foreignKey!.referencedSchema === table.schema && c.foreignKey!.referencedTable === table.name));
}

export default defineRule({
  meta: {
    id: "natural-key-without-unique",
    category: "constraints",
    severity: "warning",
    summary: "A business key such as email, username, slug or SKU should be unique.",
    rationale:
      "Values like an account's email, a product's SKU or a page's slug are how people and other systems find a row, so the business assumes there is only one. Checking in application code first (\"is this email taken?\") loses the race between two concurrent sign-ups, and the result is two accounts for one person, a login that picks one at random, or a URL that shows the wrong page. Only a unique constraint or unique index makes the database refuse the duplicate. Uniqueness scoped by a tenant (tenant_id, email), limited to live rows (WHERE deleted_at IS NULL) or on lower(email) all count. Emails and user names identify a row only where the row signs in with them: they are reported on a table with a password column (or one a credentials table points to), and when such a table has both, the user name is taken as the login and the email as a contact address. A customer's or employee's contact email, the author recorded on an audit entry and a recipient per document may all repeat. Slugs, SKUs and other identifiers by nature need no such evidence. The rule goes by column names, so it is a guess: it only looks at tables that are entities (referenced by a foreign key, or standalone), not at child records such as invitations or audit logs that merely mention an email, and it skips generated columns and copies of a parent's value (orders.email next to orders.user_id). Ignore it when the column really may repeat, e.g. a contact email shared by several records.",
    badExample: "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL,\n  password_hash text NOT NULL\n);",
    goodExample:
      "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL,\n  password_hash text NOT NULL\n);\nCREATE UNIQUE INDEX users_email_key ON users (lower(email));",
    fix: "Remove duplicates, then add a unique index on the column (on lower(column) for emails and user names, or use citext); scope it by tenant or to live rows where that is the rule.",
  },
  options: z
    .object({
      names: z.array(z.string().min(1)).default(DEFAULT_NAMES).describe("Column names (whole name, snake_case) that hold business keys."),
      caseInsensitive: z.array(z.string().min(1)).default(DEFAULT_CASE_INSENSITIVE).describe("Of those, the ones compared case-insensitively: the fix indexes lower(column)."),
      softDeleteColumn: z.string().min(1).default("deleted_at").describe("Soft-delete marker: when the table has it, the suggested index covers live rows only."),
      loginNames: z
        .array(z.string().min(1))
        .default(DEFAULT_LOGIN_NAMES)
        .describe("Of the names, those that are keys only for rows that sign in (a password column on the table, or on a table pointing to it); a user name is then the login rather than the email. [] treats them like the others."),
    })
    .strict(),
  check({ model, options, report }) {
    const names = new Set(options.names.map(snake));
    const caseInsensitive = new Set(options.caseInsensitive.map(snake));
    const loginNames = new Set(options.loginNames.map(snake));
    for (const table of designTables(model)) {
      if (!isEntity(model, table)) continue;
      const primary = primaryKey(table)?.columns ?? [];
      const logins = loginColumns(table);
      for (const column of table.columns) {
        const name = snake(column.name);
        if (!names.has(name) || primary.includes(column.name) || column.generated || column.isArray) continue;
        if (loginNames.has(name) && !logins.includes(column)) continue;
        if (coveringUnique(table, column.name) || copiedFromParent(model, table, column)) continue;
        reportColumn(table, column, caseInsensitive.has(name) && column.baseTypeName !== "citext");
      }
    }

    /**
     * The columns rows sign in with: none unless the rows sign in; a user name (or login) when the
     * table has one, since an email beside it is then the contact address; otherwise the email.
     */
    function loginColumns(table: Table): Column[] {
      if (!signsIn(model, table)) return [];
      const candidates = table.columns.filter((c) => loginNames.has(snake(c.name)));
      const handles = candidates.filter((c) => !/mail/.test(snake(c.name)));
      return handles.length > 0 ? handles : candidates;
    }

    function reportColumn(table: Table, column: Column, lower: boolean) {
      const target = qualified(table.schema, table.name);
      const col = quoteIdent(column.name);
      const softDelete = table.columns.find((c) => c.name === options.softDeleteColumn);
      const where = softDelete ? ` WHERE ${quoteIdent(softDelete.name)} IS ${softDelete.baseTypeName === "bool" ? "NOT TRUE" : "NULL"}` : "";
      const name = freeConstraintName(table, `${table.name}_${column.name}${lower ? "_lower" : ""}_key`);
      const create = `CREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${target} (${lower ? `lower(${col})` : col})${where};`;
      const constraint = !lower && !where ? `\nALTER TABLE ${target} ADD CONSTRAINT ${quoteIdent(name)} UNIQUE USING INDEX ${quoteIdent(name)};` : "";
      report({
        on: on.column(table, column),
        message:
          `Column ${table.name}.${column.name} looks like a business key (guessed from its name) but no unique constraint or unique index covers it, so two ${table.name} rows can hold the same ${column.name}.` +
          (lower ? ` Compare it case-insensitively: a unique index on lower(${column.name}) (or the citext type) also stops ${/mail/.test(column.name) ? `"Ann@example.org" next to "ann@example.org"` : `"Ann" next to "ann"`}.` : ""),
        fix: {
          description: `Remove duplicate ${column.name} values, then make ${column.name} unique${lower ? " case-insensitively" : ""}${where ? " among live rows" : ""}; add a scoping column first (e.g. tenant_id) if it is unique per tenant.`,
          sql: create + constraint,
        },
      });
    }
  },
});
