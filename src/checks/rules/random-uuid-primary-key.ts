import { z } from "zod";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables } from "./_shared.js";
import { singleColumnPrimaryKey } from "./_keys.js";
import { on } from "../subject.js";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export default defineRule({
  meta: {
    id: "random-uuid-primary-key",
    category: "keys",
    severity: "info",
    summary: "A write-heavy table keyed by random UUIDs (v4) inserts all over its primary key index.",
    rationale:
      "A random UUID lands at a random place in the primary key's btree, so on a busy table every insert touches a different leaf page: once the index outgrows memory, inserts read pages from disk, leaves split half-empty and the index bloats, and each first change of a page after a checkpoint writes the whole 8 kB page to the WAL, multiplying WAL volume and replication traffic. Time-ordered keys (UUIDv7, which PostgreSQL 18 generates with uuidv7(), ULIDs, or a bigint identity) append to the right edge of the index like a sequence and keep recent rows together. The rule needs the table to be write-heavy, declared in the config (writeHeavy) or measured on a live database; it says nothing otherwise. Ignore it when ids must not reveal creation time or order, or when the table is small enough that its index stays in memory.",
    badExample:
      "-- config: writeHeavy: [events]\nCREATE TABLE events (\n  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n  payload jsonb NOT NULL\n);",
    goodExample:
      "-- config: writeHeavy: [events]\nCREATE TABLE events (\n  id uuid PRIMARY KEY DEFAULT uuidv7(),\n  payload jsonb NOT NULL\n);",
    fix: "Generate time-ordered keys for new rows: DEFAULT uuidv7() on PostgreSQL 18 (existing rows keep their ids), a UUIDv7 or ULID made by the application, or a bigint identity key for a new table.",
  },
  options: z
    .object({
      functions: z.array(z.string().min(1)).default(["gen_random_uuid", "uuid_generate_v4"]).describe("Functions whose result is a random (version 4) UUID."),
    })
    .strict(),
  check({ model, options, facts, report }) {
    const random = new RegExp(`(?:^|[^\\w"])(?:"?\\w+"?\\.)?"?(${options.functions.map(escape).join("|")})"?\\(\\)`);
    const major = Number.parseInt(model.serverVersion, 10);
    for (const table of designTables(model)) {
      const key = singleColumnPrimaryKey(table);
      if (!key || key.baseTypeName !== "uuid" || !key.default) continue;
      const generator = random.exec(key.default)?.[1];
      if (!generator) continue;
      const load = facts.writeHeavy(table);
      if (!load?.heavy) continue;
      const why = load.source === "declared" ? "declared write-heavy in the config" : "measured write-heavy on the live database";
      const hasUuidv7 = major >= 18;
      report({
        on: on.column(table, key),
        message: `Primary key ${table.name}.${key.name} defaults to ${generator}(), a random UUID, and ${table.name} is ${why}: every insert lands on a random page of the primary key index, which splits pages, bloats the index and writes full pages to the WAL.`,
        fix: {
          description: hasUuidv7
            ? `Default ${key.name} to uuidv7() (time-ordered, PostgreSQL 18+); existing ids stay valid. Alternatively generate UUIDv7 or ULIDs in the application, or use a bigint identity key.`
            : `This server (PostgreSQL ${model.serverVersion}) has no uuidv7(): generate UUIDv7 or ULIDs in the application (or with an extension), or use a bigint identity key.`,
          ...(hasUuidv7 ? { sql: `ALTER TABLE ${qualified(table.schema, table.name)} ALTER COLUMN ${quoteIdent(key.name)} SET DEFAULT uuidv7();` } : {}),
        },
      });
    }
  },
});
