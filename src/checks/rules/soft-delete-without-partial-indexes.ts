import { z } from "zod";
import type { Column, Index, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier, keySql } from "./_shared.js";
import { concurrently, dropIndexSql, foreignKeyKeepers } from "./_physical.js";
import { isReference, isSoftDeleteMarker } from "./_soft-delete.js";
import { reportEachOrPolicy } from "../policy.js";
import { SMALL_SCHEMA_TABLES } from "../conventions/infer.js";
import type { Report } from "../types.js";
import { on } from "../subject.js";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Finds the column in expression text as pg_get_expr prints it (quoted only when it must be). */
function mentions(column: Column): RegExp {
  return new RegExp(`(?:^|[^\\w"])${escape(quoteIdent(column.name))}(?![\\w"])`);
}

/** The condition that selects live rows: timestamps mean deleted when NOT NULL, booleans when true. */
function liveCondition(column: Column): string {
  return column.baseTypeName === "bool" ? `NOT ${quoteIdent(column.name)}` : `${quoteIdent(column.name)} IS NULL`;
}

/** Share of rows that are soft-deleted, from pg_stats of a timestamp marker (live databases); undefined when unknown. */
function deletedShare(column: Column): number | undefined {
  if (!column.stats || column.baseTypeName === "bool") return undefined;
  return 1 - column.stats.nullFraction;
}

/** A valid, non-partial unique index whose keys start with this index's keys. */
function coveredByUnique(table: Table, index: Index): boolean {
  const signature = (i: Index) => i.keys.map((k) => `${k.column ?? ""}|${k.expression ?? ""}`);
  const mine = signature(index);
  return table.indexes.some((other) => {
    if (other === index || !other.unique || !other.valid || other.predicate !== null || other.method !== "btree") return false;
    const theirs = signature(other);
    return mine.length <= theirs.length && mine.every((key, i) => key === theirs[i]);
  });
}

export default defineRule({
  meta: {
    id: "soft-delete-without-partial-indexes",
    category: "indexes",
    severity: "info",
    summary: "On a soft-deleted table, indexes for live-row queries should leave the deleted rows out.",
    rationale:
      "Soft-deleted rows never leave the table, and neither do their index entries: every plain index keeps growing with the deleted history while almost every query asks only for live rows (deleted_at IS NULL). Those queries then walk and cache entries they discard, and the index costs disk, memory and vacuum time in proportion to all rows ever written. An index with WHERE deleted_at IS NULL holds only live rows and is used by every query that carries the same condition. Keep a full index when queries do read deleted rows (a trash view, an audit screen, a thread that shows \"[deleted]\"), when few rows are ever deleted, or when it is the index that serves a foreign key, whose checks must see deleted rows too (in a schema that leaves foreign keys to the application, the index on a reference column such as user_id plays that part). An index with the same keys as a full unique index is a duplicate, not a candidate. A NOT NULL deleted_at, or one filled in on insert, marks a log of deletions, not soft delete. Whether the full indexes cost anything depends on how many rows get deleted, which the schema does not show, and some tools (Prisma) cannot declare partial indexes at all: so in an established schema the rule reports only where the project limits some index to live rows already, the habit the others break; a new schema gets the advice from the start.",
    badExample:
      "CREATE TABLE documents (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  owner_id bigint NOT NULL,\n  title text NOT NULL,\n  deleted_at timestamptz\n);\nCREATE INDEX documents_title_idx ON documents (lower(title));",
    goodExample:
      "CREATE TABLE documents (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  owner_id bigint NOT NULL,\n  title text NOT NULL,\n  deleted_at timestamptz\n);\nCREATE INDEX documents_title_idx ON documents (lower(title)) WHERE deleted_at IS NULL;",
    fix: "Build the same index with WHERE deleted_at IS NULL (CONCURRENTLY), make sure the queries carry that condition, then drop the full index CONCURRENTLY.",
  },
  options: z
    .object({
      columns: z.array(z.string().min(1)).default(["deleted_at"]).describe("Soft-delete marker columns: timestamps mean deleted when NOT NULL, booleans when true."),
      minDeletedFraction: z.number().min(0).max(1).default(0.1).describe("On a live database, tables where fewer rows than this share are soft-deleted (pg_stats null fraction) are left alone."),
    })
    .strict(),
  check({ model, options, conventions, report }) {
    const declaresForeignKeys = conventions.declaresForeignKeys.value;
    const found: Report[] = [];
    let eligible = 0;
    let liveLimited = 0;
    for (const table of designTables(model)) {
      // A NOT NULL timestamp (or one filled in on insert) is set on every row, so it records an event (a log of deletions), not which rows are live.
      const markers = options.columns.flatMap((name) => table.columns.filter((c) => c.name === name && isSoftDeleteMarker(c)));
      if (markers.length === 0) continue;
      const shares = markers.map(deletedShare);
      // Live statistics say hardly anything is deleted: the full indexes cost next to nothing extra.
      if (shares.every((share) => share !== undefined && share < options.minDeletedFraction)) continue;
      const patterns = markers.map(mentions);
      // The index each foreign key relies on stays full: its checks (ON DELETE of the parent) must find deleted rows too.
      const keepers = foreignKeyKeepers(table);
      for (const index of table.indexes) {
        if (index.predicate !== null && patterns.some((pattern) => pattern.test(index.predicate!))) liveLimited++;
        if (!index.valid || index.method !== "btree" || index.unique || index.primary || index.constraintName) continue;
        // An index keyed or filtered on the marker is about deletion itself (purge jobs, trash views), or already partial.
        const texts = [...index.keys.map((k) => (k.column !== null ? quoteIdent(k.column) : (k.expression ?? ""))), ...index.include.map(quoteIdent), index.predicate ?? ""];
        if (patterns.some((pattern) => texts.some((text) => pattern.test(text)))) {
          if (index.predicate !== null && patterns.some((pattern) => pattern.test(index.predicate!))) eligible++;
          continue;
        }
        if (keepers.has(index)) continue;
        // A schema that leaves foreign keys to the application: the index on a reference column serves
        // its cascades and lookups by parent, which must find deleted rows too.
        const leading = index.keys[0]?.column ? table.columns.find((c) => c.name === index.keys[0]!.column) : undefined;
        if (!declaresForeignKeys && leading && isReference(model, table, leading, false)) continue;
        // Same keys as a full unique index, which has to stay full: the plain one is a duplicate, not a candidate.
        if (coveredByUnique(table, index)) continue;
        eligible++;
        const marker = markers[0]!;
        reportIndex(table, index, marker, shares[0]);
      }
    }
    // Whether full indexes on soft-deleted tables cost anything depends on how many rows get deleted, which the
    // schema does not show, and some tools cannot declare partial indexes: only a project that limits some index to
    // live rows shows the habit the others break. A new schema gets the default advice.
    if (liveLimited === 0 && designTables(model).length >= SMALL_SCHEMA_TABLES) return;
    reportEachOrPolicy(report, found, {
      eligible,
      policy: {
        message: `The schema soft-deletes rows but ${found.length === eligible ? "never limits an index to live rows" : `limits only ${eligible - found.length} of ${eligible} indexes to live rows`}: the indexes on its soft-deleted tables keep the deleted rows too, which costs little while few rows are deleted and grows with each deletion after that`,
        fix: {
          description:
            "A project-wide choice. Where deleted rows pile up (check the share with SELECT count(*) FILTER (WHERE deleted_at IS NOT NULL) * 1.0 / count(*)), rebuild the indexes that serve live-row queries with WHERE deleted_at IS NULL, CONCURRENTLY, and drop the full ones; leave the rest.",
        },
      },
    });

    function reportIndex(table: Table, index: Index, marker: Column, share: number | undefined) {
      const live = liveCondition(marker);
      const target = qualified(table.schema, table.name);
      const include = index.include.length > 0 ? ` INCLUDE (${index.include.map(quoteIdent).join(", ")})` : "";
      const predicate = index.predicate ? `(${index.predicate}) AND ${live}` : live;
      const name = quoteIdent(identifier(`${index.name}_live`));
      const measured = share !== undefined ? ` (about ${Math.round(share * 100)}% of its rows are deleted now)` : "";
      found.push({
        on: on.index(table, index),
        message: `Index ${index.name} on ${table.name} (${index.keys.map(keySql).join(", ")}) also indexes soft-deleted rows: ${table.name} is soft-deleted through ${marker.name}${measured}, so the index grows with every deletion while queries for live rows (${live}) skip those entries.`,
        fix: {
          description: `Build ${index.name} again limited to live rows (${live}), check that the queries using it carry that condition, then drop the full index.`,
          sql: `CREATE INDEX${concurrently(table)} ${name} ON ${target} (${index.keys.map(keySql).join(", ")})${include} WHERE ${predicate};\n${dropIndexSql(table, index)}`,
        },
      });
    }
  },
});
