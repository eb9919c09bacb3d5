import { z } from "zod";
import type { Column, Constraint, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables } from "./_shared.js";
import { foreignKeys, foreignKeySql, primaryKey } from "./_keys.js";
import { on } from "../subject.js";

/** PostgreSQL 15's `ON DELETE SET NULL (a, b)`: the action touches only the listed columns. */
function columnsTheActionSets(constraint: Constraint): string[] {
  const list = /ON DELETE SET (?:NULL|DEFAULT)\s*\(([^)]*)\)/i.exec(constraint.definition)?.[1];
  if (!list) return constraint.columns;
  return list.split(",").map((name) => name.trim().replace(/^"(.*)"$/, "$1").replace(/""/g, '"'));
}

/** The default a column falls back to: its own, else its domain's. */
function defaultOf(model: SchemaModel, column: Column): string | null {
  if (column.default !== null) return column.default;
  return model.domains.find((d) => d.schema === column.typeSchema && d.name === column.typeName)?.default ?? null;
}

/** The columns the ON DELETE action would set to NULL although they refuse NULL. */
function columnsThatRefuse(model: SchemaModel, table: Table, constraint: Constraint): Column[] {
  const action = constraint.foreignKey!.onDelete;
  const setsNull = (column: Column) => action === "set null" || defaultOf(model, column) === null;
  return columnsTheActionSets(constraint)
    .map((name) => table.columns.find((c) => c.name === name))
    .filter((c): c is Column => c !== undefined && c.notNull && setsNull(c));
}

export default defineRule({
  meta: {
    id: "on-delete-set-null-not-null",
    category: "relationships",
    severity: "error",
    summary: "A foreign key must not SET NULL (or SET DEFAULT to a missing default) on a NOT NULL column.",
    rationale:
      "ON DELETE SET NULL promises that deleting the parent keeps the child rows and clears their reference. When the referencing column is NOT NULL, PostgreSQL cannot clear it, so the DELETE of any parent that still has children fails with a not-null violation: the schema states two contradictory intents and the error shows up only when someone deletes. ON DELETE SET DEFAULT on a column without a default does the same, since the default is NULL. Decide which intent is right: an optional link drops NOT NULL, a child that cannot live without its parent uses CASCADE or RESTRICT.",
    badExample:
      "CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE SET NULL\n);",
    goodExample:
      "CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  customer_id bigint REFERENCES customers (id) ON DELETE SET NULL\n);",
    fix: "Drop NOT NULL from the column if the link is optional, or re-create the foreign key with ON DELETE CASCADE or RESTRICT if the child cannot exist without its parent.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of designTables(model)) {
      const keyColumns = new Set(primaryKey(table)?.columns ?? []);
      for (const constraint of foreignKeys(table)) {
        const action = constraint.foreignKey!.onDelete;
        if (action !== "set null" && action !== "set default") continue;
        const refusing = columnsThatRefuse(model, table, constraint);
        if (refusing.length === 0) continue;
        const names = refusing.map((c) => c.name).join(", ");
        const parent = constraint.foreignKey!.referencedTable;
        const clause = action === "set null" ? "SET NULL" : "SET DEFAULT";
        const why = action === "set null" ? `${names} ${refusing.length > 1 ? "are" : "is"} NOT NULL` : `${names} ${refusing.length > 1 ? "are" : "is"} NOT NULL and ${refusing.length > 1 ? "have" : "has"} no default`;
        const target = qualified(table.schema, table.name);
        const inKey = refusing.some((c) => keyColumns.has(c.name));
        const name = quoteIdent(constraint.name);
        report({
          on: on.constraint(table, constraint),
          message: `Foreign key ${constraint.name} (${table.name}.${constraint.columns.join(", ")} → ${parent}) is ON DELETE ${clause} but ${why}: deleting a ${parent} row that ${table.name} rows still reference fails with a not-null violation instead of clearing the reference.`,
          fix: inKey
            ? {
                description: `${names} ${refusing.length > 1 ? "are" : "is"} part of the primary key, so the reference cannot be optional: re-create ${constraint.name} with ON DELETE CASCADE (or RESTRICT), NOT VALID, then validate it.`,
                sql:
                  `ALTER TABLE ${target} DROP CONSTRAINT ${name}, ADD CONSTRAINT ${name} ${foreignKeySql(constraint, "CASCADE")} NOT VALID;\n` +
                  `ALTER TABLE ${target} VALIDATE CONSTRAINT ${name};`,
              }
            : {
                description: `If the link is optional, drop NOT NULL so ${clause} can do its job; if a ${table.name} row cannot exist without its ${parent}, re-create ${constraint.name} with ON DELETE CASCADE or RESTRICT instead.`,
                sql: refusing.map((c) => `ALTER TABLE ${target} ALTER COLUMN ${quoteIdent(c.name)} DROP NOT NULL;`).join("\n"),
              },
        });
      }
    }
  },
});
