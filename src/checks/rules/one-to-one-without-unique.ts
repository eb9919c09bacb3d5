import { z } from "zod";
import type { Constraint, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables } from "./_shared.js";
import { foreignKeys, freeConstraintName, plainKeyColumns, primaryKey, singularsOf, snake, tableNamesFor } from "./_keys.js";
import { on } from "../subject.js";

/** Columns of a key–value table: one row per setting, so several rows per parent are the design. */
const KEY_COLUMN = /^(key|name|setting|preference|attribute|field|property|option|meta_key|metadata_key|(setting|preference|attribute|field|property|option)_(key|name))$/;
const VALUE_COLUMN = /^(value|val)$|_value$/;

export default defineRule({
  meta: {
    id: "one-to-one-without-unique",
    category: "relationships",
    severity: "info",
    summary: "A table named as a one-to-one extension of another (user_profiles) should make its foreign key unique.",
    rationale:
      "Tables like user_profiles or account_settings hold optional extra columns of exactly one parent row. If the foreign key to the parent is neither the primary key nor unique, nothing stops a second profile for the same user: code that reads \"the\" profile picks one at random, updates go to the wrong copy, and ORMs mapping a has-one relation misbehave. Making the foreign key unique (or the primary key) states the cardinality and gives the lookup its index. The rule goes by the table name (<parent>_profiles, _settings, _preferences, _details, _metadata), so it is a guess; key–value tables (a key and a value column, or a composite key with the foreign key) are recognised and skipped. Ignore it when several rows per parent are intended, such as a history of profiles.",
    badExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE user_profiles (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n  bio text\n);",
    goodExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE user_profiles (\n  user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,\n  bio text\n);",
    fix: "Add a unique constraint on the foreign key column (after removing extra rows), or make it the primary key.",
  },
  options: z
    .object({
      suffixes: z.array(z.string().min(1)).default(["profiles", "settings", "preferences", "details", "metadata"]).describe("Last words of a table name that mark a one-to-one extension of the table named before them (singular forms match too)."),
    })
    .strict(),
  check({ model, options, report }) {
    const suffixes = options.suffixes.map(snake);
    for (const table of designTables(model)) {
      const name = snake(table.name);
      const suffix = suffixes.find((s) => singularsOf(s).some((form) => name.endsWith(`_${form}`)));
      if (!suffix) continue;
      const form = singularsOf(suffix).find((f) => name.endsWith(`_${f}`))!;
      const prefix = name.slice(0, -(form.length + 1));
      const parentNames = tableNamesFor(prefix);
      const toParent = foreignKeys(table).filter((c) => parentNames.includes(snake(c.foreignKey!.referencedTable)));
      // One reference to the parent, on one column; two would be a role-based link, not an extension.
      if (toParent.length !== 1 || toParent[0]!.columns.length !== 1) continue;
      const constraint = toParent[0]!;
      const column = constraint.columns[0]!;
      if (isKeyValue(table, column)) continue;
      if (coveredByUniqueness(table, column)) continue;
      reportTable(table, constraint, suffix);
    }

    /** The column is the primary key or alone in a unique index (partial counts: one live row per parent is still one-to-one). */
    function coveredByUniqueness(table: Table, column: string): boolean {
      return table.indexes.some((index) => index.unique && index.valid && plainKeyColumns(index)?.length === 1 && index.keys[0]!.column === column);
    }

    /** A settings table keyed by (parent, key) or holding key and value columns stores many rows per parent by design. */
    function isKeyValue(table: Table, column: string): boolean {
      const names = table.columns.map((c) => snake(c.name));
      if (names.some((n) => KEY_COLUMN.test(n)) && names.some((n) => VALUE_COLUMN.test(n))) return true;
      const composite = table.indexes.some((index) => index.unique && index.valid && index.keys.length > 1 && index.keys.some((k) => k.column === column));
      return composite || (primaryKey(table)?.columns.length ?? 0) > 1;
    }

    function reportTable(table: Table, constraint: Constraint, suffix: string) {
      const column = constraint.columns[0]!;
      const parent = constraint.foreignKey!.referencedTable;
      const target = qualified(table.schema, table.name);
      const keyName = freeConstraintName(table, `${table.name}_${column}_key`);
      report({
        on: on.constraint(table, constraint),
        message: `Table ${table.name} is named like a one-to-one extension of ${parent} (the name ends in "${suffix}"), but its foreign key ${constraint.name} on ${column} is not unique, so one ${parent} row can have several ${table.name} rows.`,
        fix: {
          description: `Remove extra rows per ${column}, then add a unique constraint on ${column} (or make ${column} the primary key).`,
          sql: `CREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(keyName)} ON ${target} (${quoteIdent(column)});\nALTER TABLE ${target} ADD CONSTRAINT ${quoteIdent(keyName)} UNIQUE USING INDEX ${quoteIdent(keyName)};`,
        },
      });
    }
  },
});
