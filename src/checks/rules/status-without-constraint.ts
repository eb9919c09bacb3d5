import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { columnPath, designTables, wordParts } from "./_shared.js";
import { addCheckSql, constraintName, defaultString, distinctValues, resolveType, snakeName, sqlString, STRING_TYPES, valueConstraint } from "./_types.js";

/**
 * Words before the status word that give it another meaning, where the values are an open
 * vocabulary rather than a fixed list: the OAuth/OIDC/SAML `state`, `session_state` and
 * `RelayState` parameters are opaque strings, MIME types come from an external registry, and an
 * OAuth `token_type` is whatever the authorization server returns (an extensible registry).
 */
const OPEN_VOCABULARY: Record<string, string[]> = {
  state: ["session", "relay", "oauth", "csrf"],
  type: ["content", "mime", "media", "token"],
};

/** Column words that make a table hold postal addresses, where `state` is a region, not a lifecycle. */
const ADDRESS_WORDS = new Set(["city", "country", "zip", "zipcode", "postal", "postcode", "street", "county"]);

/** The configured word the column name is, or ends with after an underscore; undefined when none. */
function statusWord(column: Column, names: string[]): string | undefined {
  const snake = snakeName(column.name);
  return names.map((n) => snakeName(n)).find((n) => n.length > 0 && (snake === n || snake.endsWith(`_${n}`)));
}

/** Why a matching name is not a status code after all, or null. */
function otherMeaning(table: Table, column: Column, word: string): string | null {
  const snake = snakeName(column.name);
  const prefix = snake === word ? "" : snake.slice(0, -word.length - 1);
  const prefixParts = prefix ? prefix.split("_") : [];
  if (prefixParts.some((part) => OPEN_VOCABULARY[word]?.includes(part))) return "open vocabulary";
  // <x>_type beside <x>_id: the type half of a polymorphic reference (a class or table name), a design of its own.
  if (word === "type" && prefix && table.columns.some((c) => snakeName(c.name) === `${prefix}_id`)) return "polymorphic reference";
  if (word === "state" && table.columns.some((c) => wordParts(c.name).some((part) => ADDRESS_WORDS.has(part)))) return "postal address";
  return null;
}

/** Is the column itself the list of allowed values: a lookup table's key, or referenced by a foreign key? */
function isLookupKey(model: SchemaModel, table: Table, column: Column): boolean {
  const ownKey = table.constraints.some(
    (c) => (c.type === "primary-key" || c.type === "unique") && c.columns.length === 1 && c.columns[0] === column.name,
  );
  return (
    ownKey ||
    model.tables.some((t) =>
      t.constraints.some(
        (c) =>
          c.foreignKey?.referencedSchema === table.schema &&
          c.foreignKey.referencedTable === table.name &&
          c.foreignKey.referencedColumns.includes(column.name),
      ),
    )
  );
}

export default defineRule({
  meta: {
    id: "status-without-constraint",
    category: "constraints",
    severity: "warning",
    summary: "A status, state, type, kind or role column should only accept a known list of values.",
    rationale:
      "Code columns such as status or kind drive application branches, partial indexes and reports, and every reader assumes a small fixed set of values. Stored as free text with nothing enforcing the set, a typo ('canceled' beside 'cancelled'), a stray capital or a value from an old release is accepted silently, and the queries that branch on the column quietly miss those rows. A CHECK (col IN (...)), an enum type or a foreign key to a lookup table makes the database reject them. The rule guesses from column names and skips names that mean something else: state among postal-address columns, <x>_type beside <x>_id (a polymorphic reference, a design question of its own), MIME content types, OAuth state and token types. Ignore it when the values are really open-ended, for example names of external providers that change without a deployment, or when a trigger already validates them.",
    badExample: "CREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  status text NOT NULL DEFAULT 'pending'\n);",
    goodExample:
      "CREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  status text NOT NULL DEFAULT 'pending'\n    CONSTRAINT orders_status_check CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled'))\n);",
    fix: "Add a CHECK listing the allowed values (NOT VALID, then VALIDATE once existing rows are cleaned up), or switch the column to an enum type or a foreign key to a lookup table.",
  },
  options: z
    .object({
      names: z.array(z.string().min(1)).default(["status", "state", "type", "kind", "role"]).describe("Status words: a column matches when its name is one of them or ends with _<word> (camelCase counts as words)."),
      maxDistinct: z.number().int().positive().default(50).describe("On a live database, columns with more distinct values than this (per pg_stats) are not treated as codes."),
    })
    .strict(),
  check({ model, options, report }) {
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.isArray || column.generated) continue;
        const resolved = resolveType(model, column);
        if (!STRING_TYPES.has(resolved.base)) continue;
        const word = statusWord(column, options.names);
        if (!word || otherMeaning(table, column, word)) continue;
        if (valueConstraint(model, table, column, { foreignKeys: true }) || isLookupKey(model, table, column)) continue;
        const distinct = distinctValues(table, column);
        if (distinct !== undefined && distinct > options.maxDistinct) continue;

        const name = quoteIdent(column.name);
        const target = qualified(table.schema, table.name);
        const seen = column.stats?.mostCommonValues ?? [];
        const complete = distinct !== undefined && distinct > 0 && seen.length >= distinct;
        const fallback = defaultString(column);
        const values = complete ? seen : [...(fallback !== null ? [fallback] : []), "…"];
        const note = complete
          ? "values found by ANALYZE; add any the application may still write"
          : "replace '…' with every value the application writes";
        report({
          object: { kind: "column", path: columnPath(table, column) },
          message: `Column ${table.name}.${column.name} (${column.type}) looks like a code with a fixed set of values (guessed from the name ${word === snakeName(column.name) ? `"${word}"` : `ending in "${word}"`}), but which values are allowed is not enforced: no CHECK, enum, domain CHECK or foreign key to a lookup table.`,
          location: column.provenance.location,
          statements: column.provenance.statements,
          fix: {
            description: `List the allowed values in a CHECK (added NOT VALID, then validated), or use an enum type or a lookup table with a foreign key.${complete ? "" : " Find the values in use first."}`,
            sql:
              (complete ? "" : `-- Values in use: SELECT ${name}, count(*) FROM ${target} GROUP BY 1 ORDER BY 2 DESC;\n`) +
              addCheckSql(table, constraintName(table, column, "check"), `${name} IN (${values.map(sqlString).join(", ")})`, note),
          },
        });
      }
    }
  },
});
