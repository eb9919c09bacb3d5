import { z } from "zod";
import type { Index } from "../../catalog/model.js";
import { qualified } from "../naming.js";
import { defineRule } from "../types.js";
import { describeKeys, designTables, keySignature } from "./_shared.js";
import { on } from "../subject.js";

/** `longer` can answer every query `shorter` answers: same btree, same predicate, keys start with all of shorter's keys. */
function covers(longer: Index, shorter: Index): boolean {
  if (longer === shorter || !longer.valid || longer.method !== "btree" || longer.predicate !== shorter.predicate) return false;
  if (longer.keys.length <= shorter.keys.length) return false;
  if (!shorter.keys.every((key, i) => longer.keys[i] !== undefined && keySignature(key) === keySignature(longer.keys[i]!))) return false;
  // Index-only scans of the shorter index need its INCLUDE columns in the longer one.
  const available = new Set([...longer.keys.map((k) => k.column), ...longer.include]);
  return shorter.include.every((column) => available.has(column));
}

export default defineRule({
  meta: {
    id: "redundant-prefix-index",
    category: "indexes",
    severity: "info",
    summary: "A btree index whose keys lead another index is usually redundant.",
    rationale:
      "A btree on (a, b) already answers lookups and ranges on a alone, so a separate index on (a) costs writes, vacuum work and cache space while rarely being needed. The shorter index is smaller and can be marginally faster, which matters only on very hot paths or when the longer index is much wider. Unique indexes and indexes behind constraints are never reported, since they enforce a rule the longer one does not.",
    badExample:
      "CREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL,\n  created_at timestamptz NOT NULL\n);\nCREATE INDEX orders_user_id_idx ON orders (user_id);\nCREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at);",
    goodExample:
      "CREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL,\n  created_at timestamptz NOT NULL\n);\nCREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at);",
    fix: "Drop the shorter index (CONCURRENTLY on a live table) after checking that the longer one is used for the same queries.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of designTables(model)) {
      for (const index of table.indexes) {
        if (!index.valid || index.method !== "btree" || index.unique || index.constraintName) continue;
        const covering = table.indexes
          .filter((other) => covers(other, index))
          .sort((a, b) => a.keys.length - b.keys.length || a.name.localeCompare(b.name))[0];
        if (!covering) continue;
        report({
          on: on.index(table, index),
          message: `Index ${index.name} ${describeKeys(index)} on ${table.name} is a leading prefix of ${covering.name} ${describeKeys(covering)}, which serves the same lookups.`,
          fix: {
            description: `Drop ${index.name}; ${covering.name} covers it.`,
            sql: `DROP INDEX CONCURRENTLY ${qualified(index.schema, index.name)};`,
          },
        });
      }
    }
  },
});
