import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule, type Report } from "../types.js";
import { isNewSchema } from "./_evidence.js";
import { designTables } from "./_shared.js";
import { otherMeaning, statusWord, STATUS_WORDS } from "./_codes.js";
import { addCheckSql, constraintName, defaultString, distinctValues, INTEGER_TYPES, resolveType, snakeName, sqlString, STRING_TYPES, valueConstraint } from "./_types.js";
import { on } from "../subject.js";

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

/** The finding for one open text code column, with a CHECK listing the values (from ANALYZE when complete). */
function finding(table: Table, column: Column, word: string, distinct: number | undefined): Report {
  const name = quoteIdent(column.name);
  const target = qualified(table.schema, table.name);
  const seen = column.stats?.mostCommonValues ?? [];
  const complete = distinct !== undefined && distinct > 0 && seen.length >= distinct;
  const fallback = defaultString(column);
  const values = complete ? seen : [...(fallback !== null ? [fallback] : []), "…"];
  const note = complete ? "values found by ANALYZE; add any the application may still write" : "replace '…' with every value the application writes";
  return {
    on: on.column(table, column),
    message: `Column ${table.name}.${column.name} (${column.type}) looks like a code with a fixed set of values (guessed from the name ${word === snakeName(column.name) ? `"${word}"` : `ending in "${word}"`}), but which values are allowed is not enforced: no CHECK, enum, domain CHECK or foreign key to a lookup table.`,
    fix: {
      description: `List the allowed values in a CHECK (added NOT VALID, then validated), or use an enum type or a lookup table with a foreign key.${complete ? "" : " Find the values in use first."}`,
      sql:
        (complete ? "" : `-- Values in use: SELECT ${name}, count(*) FROM ${target} GROUP BY 1 ORDER BY 2 DESC;\n`) +
        addCheckSql(table, constraintName(table, column, "check"), `${name} IN (${values.map(sqlString).join(", ")})`, note),
    },
  };
}

export default defineRule({
  meta: {
    id: "status-without-constraint",
    category: "constraints",
    severity: "warning",
    summary: "A status, state, type, kind or role column should only accept a known list of values.",
    rationale:
      "Code columns such as status or kind drive application branches, partial indexes and reports, and every reader assumes a small fixed set of values. Stored as free text with nothing enforcing the set, a typo ('canceled' beside 'cancelled'), a stray capital or a value from an old release is accepted silently, and the queries that branch on the column quietly miss those rows. A CHECK (col IN (...)), an enum type or a foreign key to a lookup table makes the database reject them. The rule guesses from column names and skips names that mean something else: state among postal-address columns, <x>_type beside <x>_id (a polymorphic reference, a design question of its own), Rails' type column (single-table inheritance: class names that Active Record checks), MIME content types, OAuth state and token types, identity-provider names, WebAuthn attestation formats, job-queue handler names, key algorithms, client-reported device types, and the type or kind of an entry in an audit or log table (a set that grows with every feature). Many teams keep these sets in the application on purpose (ORM enums, one migration shared with other engines, values that change without a migration), so in an established schema a column is reported only when the schema enforces most of its other columns of the same kind (statuses, types, roles…): then this one breaks the habit. A new schema (fewer than five tables) gets the advice for every such column. Ignore it when the values are really open-ended, for example names of external providers that change without a deployment, or when a trigger already validates them.",
    badExample: "CREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  status text NOT NULL DEFAULT 'pending'\n);",
    goodExample:
      "CREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  status text NOT NULL DEFAULT 'pending'\n    CONSTRAINT orders_status_check CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled'))\n);",
    fix: "Add a CHECK listing the allowed values (NOT VALID, then VALIDATE once existing rows are cleaned up), or switch the column to an enum type or a foreign key to a lookup table.",
  },
  options: z
    .object({
      names: z.array(z.string().min(1)).default([...STATUS_WORDS]).describe("Status words: a column matches when its name is one of them or ends with _<word> (camelCase counts as words)."),
      maxDistinct: z.number().int().positive().default(50).describe("On a live database, columns with more distinct values than this (per pg_stats) are not treated as codes."),
    })
    .strict(),
  check({ model, options, conventions, report }) {
    const dialect = conventions.dialect.value;
    const newSchema = isNewSchema(model);
    const found: { report: Report; word: string }[] = [];
    // Code columns per status word (text, integer or enum), and how many of them the database leaves open.
    const codeColumns = new Map<string, number>();
    const openColumns = new Map<string, number>();
    const add = (counts: Map<string, number>, word: string) => counts.set(word, (counts.get(word) ?? 0) + 1);
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
        add(codeColumns, word);
        if (constrained) continue;
        add(openColumns, word);
        if (!isString) continue;
        found.push({ word, report: finding(table, column, word, distinct) });
      }
    }
    for (const { word, report: one } of found) {
      const codes = codeColumns.get(word) ?? 0;
      const enforced = codes - (openColumns.get(word) ?? 0);
      // Leaving a kind of code to the application is a choice when the schema enforces none, or few, of
      // that kind: only where it enforces most of them is an open one a slip. A new schema gets the default.
      if (enforced > codes - enforced) one.message += ` The schema enforces the values of ${enforced} of its ${codes} ${word} columns (enum, CHECK or lookup table); this one breaks the habit.`;
      else if (!newSchema) continue;
      report(one);
    }
  },
});
