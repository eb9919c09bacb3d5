import { z } from "zod";
import type { Index, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { describeKeys, designTables, keySignature } from "./_shared.js";
import { on } from "../subject.js";

/** Everything that decides which queries an index can serve. */
function signature(index: Index): string {
  return JSON.stringify([index.method, index.keys.map(keySignature), [...index.include].sort(), index.predicate]);
}

/** Which index of an identical group to keep: primary key, then other constraints, then unique, then the first by name. */
function rank(index: Index): number {
  return index.primary ? 0 : index.constraintName ? 1 : index.unique ? 2 : 3;
}

/** `index` can go when `keeper` serves the same queries and enforces at least what `index` enforces. */
function isRedundant(index: Index, keeper: Index): boolean {
  if (!index.unique) return !index.constraintName; // exclusion constraints enforce something else
  if (index.primary || !keeper.unique) return false;
  // Primary key columns are NOT NULL, so NULLS [NOT] DISTINCT makes no difference against one.
  return keeper.primary || keeper.nullsNotDistinct === index.nullsNotDistinct;
}

function dropSql(table: Table, index: Index): string {
  return index.constraintName
    ? `ALTER TABLE ${qualified(table.schema, table.name)} DROP CONSTRAINT ${quoteIdent(index.constraintName)};`
    : `DROP INDEX CONCURRENTLY ${qualified(index.schema, index.name)};`;
}

export default defineRule({
  meta: {
    id: "duplicate-index",
    category: "indexes",
    severity: "warning",
    summary: "Two indexes with the same keys, predicate and method are one too many.",
    rationale:
      "An exact duplicate serves no query the other cannot, yet every insert, update and delete maintains both, vacuum scans both, and both take memory in shared buffers and space in backups. Duplicates usually come from an explicit CREATE INDEX on columns a PRIMARY KEY or UNIQUE constraint already indexes, or from migrations written twice under different names. There is practically no case for keeping one, except briefly while swapping an index for a rebuilt copy.",
    badExample:
      "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL UNIQUE\n);\nCREATE INDEX users_email_idx ON users (email);",
    goodExample: "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL UNIQUE\n);",
    fix: "Drop the redundant index (CONCURRENTLY on a live table), keeping the one that backs a constraint or enforces uniqueness.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of designTables(model)) {
      const groups = new Map<string, Index[]>();
      for (const index of table.indexes) {
        if (!index.valid) continue;
        const key = signature(index);
        groups.set(key, [...(groups.get(key) ?? []), index]);
      }
      for (const group of groups.values()) {
        if (group.length < 2) continue;
        const [keeper, ...rest] = [...group].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
        if (!keeper) continue;
        for (const index of rest) {
          if (!isRedundant(index, keeper)) continue;
          const what = keeper.constraintName ? `the index of constraint ${keeper.constraintName}` : `index ${keeper.name}`;
          report({
            on: on.index(table, index),
            message: `Index ${index.name} on ${table.name} ${describeKeys(index)}${index.predicate ? ` WHERE ${index.predicate}` : ""} duplicates ${what}.`,
            fix: {
              description: index.constraintName
                ? `Drop constraint ${index.constraintName}; ${keeper.name} already enforces the same rule (foreign keys that reference it must be recreated first).`
                : `Drop ${index.name}; ${keeper.name} serves the same queries.`,
              sql: dropSql(table, index),
            },
          });
        }
      }
    }
  },
});
