import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import type { Dialect } from "../conventions/types.js";
import { isPolicy, reportEachOrPolicy } from "../policy.js";
import { defineRule, type Report } from "../types.js";
import { columnPath, designTables, wordParts } from "./_shared.js";
import { addCheckSql, constraintName, defaultString, distinctValues, INTEGER_TYPES, resolveType, snakeName, sqlString, STRING_TYPES, valueConstraint } from "./_types.js";

/**
 * Words before the status word that give it another meaning, where the values are an open
 * vocabulary rather than a fixed list: the OAuth/OIDC/SAML `state`, `session_state` and
 * `RelayState` parameters are opaque strings, MIME types come from an external registry, and an
 * OAuth `token_type` is whatever the authorization server returns (an extensible registry).
 */
const OPEN_VOCABULARY: Record<string, string[]> = {
  state: ["session", "relay", "oauth", "csrf"],
  // provider: the name of an external identity provider; attestation: a WebAuthn attestation
  // format (an IANA registry); job: the handler name a background-job queue dispatches on.
  type: ["content", "mime", "media", "token", "provider", "attestation", "job"],
};

/** Column words that make a table hold postal addresses, where `state` is a region, not a lifecycle. */
const ADDRESS_WORDS = new Set(["city", "country", "zip", "zipcode", "postal", "postcode", "street", "county"]);

/** The configured word the column name is, or ends with after an underscore; undefined when none. */
function statusWord(column: Column, names: string[]): string | undefined {
  const snake = snakeName(column.name);
  return names.map((n) => snakeName(n)).find((n) => n.length > 0 && (snake === n || snake.endsWith(`_${n}`)));
}

/** Why a matching name is not a status code after all, or null. */
function otherMeaning(table: Table, column: Column, word: string, dialect: Dialect): string | null {
  const snake = snakeName(column.name);
  // Rails reserves a `type` column for single-table inheritance: it holds class names, and Active Record refuses unknown ones.
  if (column.name === "type" && (dialect === "rails" || dialect === "gitlab")) return "single-table inheritance";
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
      "Code columns such as status or kind drive application branches, partial indexes and reports, and every reader assumes a small fixed set of values. Stored as free text with nothing enforcing the set, a typo ('canceled' beside 'cancelled'), a stray capital or a value from an old release is accepted silently, and the queries that branch on the column quietly miss those rows. A CHECK (col IN (...)), an enum type or a foreign key to a lookup table makes the database reject them. The rule guesses from column names and skips names that mean something else: state among postal-address columns, <x>_type beside <x>_id (a polymorphic reference, a design question of its own), Rails' type column (single-table inheritance: class names that Active Record checks), MIME content types, OAuth state and token types, identity-provider names, WebAuthn attestation formats and job-queue handler names. When the schema enforces almost none of its code columns, leaving them to the application is the project's policy: one schema-level finding lists them. Ignore it when the values are really open-ended, for example names of external providers that change without a deployment, or when a trigger already validates them.",
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
  check({ model, options, conventions, report }) {
    const dialect = conventions.dialect.value;
    const found: Report[] = [];
    // Every code column of the schema (text, integer or enum), and those the database leaves open:
    // when it enforces almost none of them, leaving the values to the application is the project's policy.
    let codeColumns = 0;
    let openCodeColumns = 0;
    let openIntegerColumns = 0;
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.isArray || column.generated) continue;
        const resolved = resolveType(model, column);
        const word = statusWord(column, options.names);
        if (!word || otherMeaning(table, column, word, dialect)) continue;
        const distinct = distinctValues(table, column);
        if (distinct !== undefined && distinct > options.maxDistinct) continue;
        const constrained = valueConstraint(model, table, column, { foreignKeys: true }) !== null || isLookupKey(model, table, column);
        const isString = STRING_TYPES.has(resolved.base);
        if (!constrained && !isString && !INTEGER_TYPES.has(resolved.base)) continue;
        codeColumns++;
        if (constrained) continue;
        openCodeColumns++;
        if (!isString) {
          openIntegerColumns++;
          continue;
        }

        const name = quoteIdent(column.name);
        const target = qualified(table.schema, table.name);
        const seen = column.stats?.mostCommonValues ?? [];
        const complete = distinct !== undefined && distinct > 0 && seen.length >= distinct;
        const fallback = defaultString(column);
        const values = complete ? seen : [...(fallback !== null ? [fallback] : []), "…"];
        const note = complete
          ? "values found by ANALYZE; add any the application may still write"
          : "replace '…' with every value the application writes";
        found.push({
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
    const integers = openIntegerColumns > 0 ? `, ${openIntegerColumns} of them integers (typically ORM enums)` : "";
    const enforced = codeColumns - openCodeColumns;
    if (enforced > openCodeColumns) {
      for (const one of found) one.message += ` The schema enforces the values of ${enforced} of its ${codeColumns} code columns (enum, CHECK or lookup table); this one breaks the habit.`;
    }
    const open = openCodeColumns === codeColumns ? `none of its ${codeColumns} status, state, type and role columns has` : `${openCodeColumns} of its ${codeColumns} status, state, type and role columns have`;
    reportEachOrPolicy(report, found, {
      eligible: codeColumns,
      asPolicy: isPolicy(openCodeColumns, codeColumns),
      policy: {
        message: `The schema leaves the allowed values of its code columns to the application: ${open} a CHECK, enum or lookup table${integers}, so the ORM or the code that writes them is what keeps each set${integers ? "; the text columns are listed" : ""}`,
        fix: {
          description:
            "A project-wide choice, not a slip. If the database should reject unknown values too, add a CHECK listing the allowed values (NOT VALID, then VALIDATE) to the columns queries and partial indexes branch on, starting with the busiest; otherwise turn the rule off for this schema.",
        },
      },
    });
  },
});
