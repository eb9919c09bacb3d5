import { z } from "zod";
import type { Column, SchemaModel } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables } from "./_shared.js";
import { resolveType } from "./_types.js";
import { on } from "../subject.js";

/** A key type as far as a reference cares: its family, and how much of the family it can hold. */
interface KeyType {
  family: string;
  /** Capacity within the family (bytes of an integer, characters of a string, digits of a numeric); Infinity when unbounded. */
  capacity: number;
  /** numeric: digits after the point. */
  scale?: number;
  formatted: string;
}

const INTEGER_BYTES: Record<string, number> = { int2: 2, int4: 4, int8: 8 };
const INTEGER_MAX: Record<number, string> = { 2: "32,767", 4: "2,147,483,647", 8: "9,223,372,036,854,775,807" };

function keyType(model: SchemaModel, column: Column): KeyType {
  const resolved = resolveType(model, column);
  const modifiers = /\((\d+)(?:,\s*(\d+))?\)/.exec(resolved.formatted);
  const base = resolved.base;
  if (INTEGER_BYTES[base]) return { family: "integer", capacity: INTEGER_BYTES[base]!, formatted: resolved.formatted };
  if (base === "text" || base === "varchar") return { family: "string", capacity: modifiers ? Number(modifiers[1]) : Infinity, formatted: resolved.formatted };
  if (base === "numeric") {
    if (!modifiers) return { family: "numeric", capacity: Infinity, scale: Infinity, formatted: resolved.formatted };
    const scale = Number(modifiers[2] ?? 0);
    return { family: "numeric", capacity: Number(modifiers[1]) - scale, scale, formatted: resolved.formatted };
  }
  if (base === "float4" || base === "float8") return { family: "float", capacity: base === "float4" ? 4 : 8, formatted: resolved.formatted };
  // Other types: a reference must use the same one (timestamp vs timestamptz, char(n) vs varchar… are
  // different families); a modifier (char length, fractional-second precision) is its capacity.
  return { family: base, capacity: modifiers ? Number(modifiers[1]) : Infinity, formatted: resolved.formatted };
}

/** Why the child cannot hold every key of the parent, or null when it can (same type, or a wider one of the same family). */
function mismatch(child: KeyType, parent: KeyType): { kind: "narrower" | "family"; detail: string } | null {
  if (child.family !== parent.family) {
    return { kind: "family", detail: "different type families: every referential check casts one side, and joins on the key compare across types, which can keep the planner away from the index on one side" };
  }
  if (child.family === "numeric") {
    if (child.capacity >= parent.capacity && (child.scale ?? 0) >= (parent.scale ?? 0)) return null;
    return { kind: "narrower", detail: "a narrower numeric: keys with more digits than it holds are rejected" };
  }
  if (child.capacity >= parent.capacity) return null;
  if (child.family === "integer") {
    return { kind: "narrower", detail: `a narrower integer: once the parent's keys pass ${INTEGER_MAX[child.capacity]}, rows that reference them cannot be stored` };
  }
  if (child.family === "string") return { kind: "narrower", detail: `a shorter string: keys longer than ${child.capacity} characters cannot be referenced` };
  return { kind: "narrower", detail: "a narrower type: some keys of the parent cannot be stored" };
}

export default defineRule({
  meta: {
    id: "foreign-key-type-mismatch",
    category: "relationships",
    severity: "error",
    summary: "A foreign key column should have exactly the type of the column it references.",
    rationale:
      "A reference holds the same value as the key it points to, so a reference that cannot hold every key is an oversight that surfaces later: an integer column pointing at a bigint key starts rejecting inserts once the parent's ids pass two billion, and a varchar(50) pointing at text rejects longer keys. A reference of another type family (timestamp against timestamptz, char(n) against varchar, integer against numeric) forces a cast in every referential check and join, which can keep the planner away from the index on one side. A reference wider than its key in the same family (bigint pointing at integer, text pointing at varchar(64)) holds every key and compares without casts, so it is not reported: widening the key later then needs no change on this side. Domains are compared by their base type.",
    badExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id integer NOT NULL REFERENCES users (id)\n);",
    goodExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users (id)\n);",
    fix: "Widen the referencing column to the referenced column's type, or give both the same type when the families differ (this rewrites the table, so plan it on a large one). Never narrow a wider reference to match.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of designTables(model)) {
      for (const constraint of table.constraints) {
        const fk = constraint.foreignKey;
        if (constraint.type !== "foreign-key" || !fk) continue;
        const parent = model.tables.find((t) => t.schema === fk.referencedSchema && t.name === fk.referencedTable);
        if (!parent) continue;
        constraint.columns.forEach((name, i) => {
          const column = table.columns.find((c) => c.name === name);
          const referenced = parent.columns.find((c) => c.name === fk.referencedColumns[i]);
          if (!column || !referenced) return;
          const childType = keyType(model, column);
          const parentType = keyType(model, referenced);
          const problem = mismatch(childType, parentType);
          if (!problem) return;
          report({
            on: on.column(table, column).also(constraint),
            discriminator: constraint.name,
            message: `Column ${table.name}.${column.name} is ${column.type} but its foreign key ${constraint.name} references ${parent.name}.${referenced.name}, which is ${referenced.type}: ${problem.detail}.`,
            fix: {
              description:
                problem.kind === "narrower"
                  ? `Widen ${table.name}.${column.name} to ${parentType.formatted}, the type of the referenced column (this rewrites the table unless only a varchar limit grows).`
                  : `Give ${table.name}.${column.name} the referenced column's type, ${parentType.formatted} (or change both sides to one type).`,
              sql: `ALTER TABLE ${qualified(table.schema, table.name)} ALTER COLUMN ${quoteIdent(column.name)} TYPE ${parentType.formatted};`,
            },
          });
        });
      }
    }
  },
});
