import { z } from "zod";
import type { Column, Index, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier, keySql } from "./_shared.js";
import { isSoftDeleteMarker, permanentIdentifier } from "./_soft-delete.js";
import { SMALL_SCHEMA_TABLES } from "../conventions/infer.js";
import { on } from "../subject.js";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The condition that selects live rows, and a pattern that finds it in a predicate as pg_get_expr prints it. */
function liveCondition(column: Column): { sql: string; pattern: RegExp } {
  const name = quoteIdent(column.name);
  const at = `(?:^|[^\\w"])${escape(name)}`;
  return column.baseTypeName === "bool"
    ? { sql: `NOT ${name}`, pattern: new RegExp(`(?:^|[^\\w"])NOT ${escape(name)}(?![\\w"])|${at} (?:= false|IS FALSE|IS NOT TRUE|<> true)`) }
    : { sql: `${name} IS NULL`, pattern: new RegExp(`${at} IS NULL`) };
}

/** A key some foreign key points at cannot become partial, and is an identifier rather than a business value. */
function isReferenced(model: SchemaModel, table: Table, columns: string[]): boolean {
  return model.tables.some((t) =>
    t.constraints.some(
      (c) =>
        c.foreignKey?.referencedSchema === table.schema &&
        c.foreignKey.referencedTable === table.name &&
        c.foreignKey.referencedColumns.length === columns.length &&
        c.foreignKey.referencedColumns.every((col) => columns.includes(col)),
    ),
  );
}

export default defineRule({
  meta: {
    id: "soft-delete-unique-not-partial",
    category: "constraints",
    severity: "warning",
    summary: "On a soft-deleted table, uniqueness should apply to live rows only.",
    rationale:
      "When rows are soft-deleted, they stay in the table and still take part in every plain UNIQUE constraint, so a deleted account keeps its email address reserved and re-creating the same value fails with a duplicate-key error the user cannot see the cause of. A unique index restricted to live rows (WHERE deleted_at IS NULL) enforces the business rule that was meant. Keys that identify a row for good are left alone, since their uniqueness across deleted rows is the intent: secrets and one-time tokens, credential codes (access_code, invite_code), and the row's own identifiers (a uuid, or an …_id that references no other table). A NOT NULL deleted_at, or one filled in on insert, marks a log of deletions rather than soft delete and is not a marker. Many projects keep uniqueness across deleted rows on purpose (they scrub or rename a value when its row is soft-deleted, or keep slugs reserved so old links never point elsewhere), so in an established schema the rule reports only where the project limits some other unique index to live rows: the habit this one breaks. Ignore it when a value must stay unique forever, even after deletion, such as an invoice number.",
    badExample:
      "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL UNIQUE,\n  deleted_at timestamptz\n);",
    goodExample:
      "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL,\n  deleted_at timestamptz\n);\nCREATE UNIQUE INDEX users_email_live_key ON users (email) WHERE deleted_at IS NULL;",
    fix: "Replace the constraint with a unique index that is partial on live rows (WHERE deleted_at IS NULL), built CONCURRENTLY before the old one is dropped.",
  },
  options: z
    .object({
      /** Soft-delete marker columns: timestamps mean deleted when NOT NULL, booleans when true. */
      columns: z.array(z.string().min(1)).default(["deleted_at"]),
    })
    .strict(),
  check({ model, options, conventions, report }) {
    const declaresForeignKeys = conventions.declaresForeignKeys.value;
    const pending: (() => void)[] = [];
    let liveLimited = 0;
    for (const table of designTables(model)) {
      // A NOT NULL deleted_at (or one filled in on insert) is set on every row: a log of deletions, not soft delete.
      const markers = options.columns.flatMap((name) => table.columns.filter((c) => c.name === name && isSoftDeleteMarker(c)));
      if (markers.length === 0) continue;
      const primaryColumns = table.constraints.find((c) => c.type === "primary-key")?.columns ?? [];
      for (const index of table.indexes) {
        if (!index.unique || index.primary || !index.valid) continue;
        const keyColumns = index.keys.map((k) => k.column);
        if (primaryColumns.length > 0 && primaryColumns.every((c) => keyColumns.includes(c))) continue;
        if (keyColumns.every((c) => c !== null) && isReferenced(model, table, keyColumns as string[])) continue;
        // Ids and tokens are unique for good on purpose: a deleted row must not lend its id or token to a new one.
        const business = keyColumns.filter((c) => c === null || !markers.some((m) => m.name === c));
        const permanent = business.map((name) => {
          const column = name === null ? undefined : table.columns.find((c) => c.name === name);
          return column ? permanentIdentifier(model, table, column, declaresForeignKeys) : undefined;
        });
        if (business.length > 0 && permanent.every((why) => why !== undefined)) continue;
        // Partial on any marker's live rows, or keyed on a deletion timestamp with NULLS NOT DISTINCT: fine.
        const limitedToLive =
          markers.some((m) => index.predicate !== null && liveCondition(m).pattern.test(index.predicate)) ||
          (index.nullsNotDistinct && markers.some((m) => m.baseTypeName !== "bool" && keyColumns.includes(m.name)));
        if (limitedToLive) {
          liveLimited++;
          continue;
        }
        const marker = markers.find((m) => keyColumns.includes(m.name)) ?? markers[0]!;
        pending.push(() => reportIndex(table, index, marker, liveCondition(marker).sql, keyColumns.includes(marker.name)));
      }
    }
    // Keeping values unique across deleted rows is a decision many projects take on purpose: they scrub or rename
    // the values of a row they soft-delete, or keep slugs and names reserved for good. Only a project that limits
    // some unique index to live rows shows the habit that the others break; a new schema gets the default advice.
    if (liveLimited === 0 && designTables(model).length >= SMALL_SCHEMA_TABLES) return;
    for (const reportPending of pending) reportPending();

    function reportIndex(table: Table, index: Index, marker: Column, live: string, markerIsKey: boolean) {
      const constraint = index.constraintName ? table.constraints.find((c) => c.name === index.constraintName) : undefined;
      const target = qualified(table.schema, table.name);
      const keys = index.keys.filter((k) => k.column !== marker.name);
      const name = constraint?.name ?? index.name;
      const kind = constraint ? "Unique constraint" : "Unique index";
      const effect = !markerIsKey
        ? `a soft-deleted row still holds its value, so the same value cannot be created again`
        : marker.baseTypeName === "bool"
          ? `including ${marker.name} in the key lets only one deleted copy exist, so deleting the value a second time fails`
          : `including ${marker.name} in the key does not stop duplicates among live rows, whose ${marker.name} is NULL and NULLs are distinct`;
      const include = index.include.length > 0 ? ` INCLUDE (${index.include.map(quoteIdent).join(", ")})` : "";
      const predicate = index.predicate ? `(${index.predicate}) AND ${live}` : live;
      const create = `CREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(identifier(`${index.name}_live`))} ON ${target} (${keys.map(keySql).join(", ")})${include}${index.nullsNotDistinct ? " NULLS NOT DISTINCT" : ""} WHERE ${predicate};`;
      const drop = constraint
        ? `ALTER TABLE ${target} DROP CONSTRAINT ${quoteIdent(constraint.name)};`
        : `DROP INDEX CONCURRENTLY ${qualified(index.schema, index.name)};`;
      report({
        on: constraint ? on.constraint(table, constraint) : on.index(table, index),
        message: `${kind} ${name} on ${table.name} is not limited to live rows (${live}) although ${table.name} is soft-deleted through ${marker.name}: ${effect}.${liveLimited > 0 ? ` The schema limits ${liveLimited} other unique index${liveLimited === 1 ? "" : "es"} to live rows.` : ""}`,
        fix: {
          description: `Build a unique index on live rows only, then drop ${name} (\`schemawise pattern soft-delete\` writes both for every unique key).`,
          ...(keys.length > 0 ? { sql: `${create}\n${drop}` } : {}),
        },
      });
    }
  },
});
