import { z } from "zod";
import type { Index, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { identifier, keySignature, keySql } from "./_shared.js";
import { concurrently } from "./_physical.js";
import { on } from "../subject.js";

/** A relation that can carry indexes: a table (partitions included) or a materialized view. */
type Relation = Pick<Table, "schema" | "name" | "indexes"> & { kind: Table["kind"] | "materialized view" };

/** What makes two indexes interchangeable for ATTACH PARTITION: method, uniqueness, keys, INCLUDE and predicate. */
function shape(index: Index): string {
  return JSON.stringify([index.method, index.unique, index.keys.map(keySignature), index.include, index.predicate]);
}

/** The index's own CREATE INDEX statement, built CONCURRENTLY when the table allows it. */
function createSql(index: Index, table: Relation, name = index.name): string {
  const include = index.include.length > 0 ? ` INCLUDE (${index.include.map(quoteIdent).join(", ")})` : "";
  const where = index.predicate ? ` WHERE ${index.predicate}` : "";
  const nulls = index.nullsNotDistinct ? " NULLS NOT DISTINCT" : "";
  return `CREATE ${index.unique ? "UNIQUE " : ""}INDEX${concurrently(table)} ${quoteIdent(name)} ON ${qualified(table.schema, table.name)} USING ${index.method} (${index.keys.map(keySql).join(", ")})${include}${nulls}${where};`;
}

/** Direct partitions of a partitioned table. */
function partitionsOf(model: SchemaModel, table: Relation): Table[] {
  return model.tables.filter((t) => t.partitionOf === `${table.schema}.${table.name}`);
}

interface Diagnosis {
  cause: string;
  description: string;
  sql: string;
}

function diagnose(model: SchemaModel, table: Relation, index: Index): Diagnosis {
  const name = qualified(index.schema, index.name);
  const leftover = /_cc(new|old)\d*$/.exec(index.name)?.[1];
  if (leftover === "new") {
    return {
      cause: "it is the half-built copy a failed REINDEX CONCURRENTLY leaves behind (suffix _ccnew)",
      description: `Drop ${index.name}, then run the REINDEX CONCURRENTLY of the original index again.`,
      sql: `DROP INDEX${concurrently(table)} ${name};`,
    };
  }
  if (leftover === "old") {
    return {
      cause: "it is the old copy a REINDEX CONCURRENTLY could not drop at the end (suffix _ccold); the rebuild itself succeeded",
      description: `Drop ${index.name}; the rebuilt index is already in place.`,
      sql: `DROP INDEX${concurrently(table)} ${name};`,
    };
  }
  if (table.kind === "partitioned") {
    const steps: string[] = [];
    for (const partition of partitionsOf(model, table)) {
      const match = partition.indexes.find((candidate) => candidate.valid && shape(candidate) === shape(index));
      const partitionIndex = match?.name ?? identifier(`${partition.name}_${index.name}`);
      if (!match) steps.push(createSql(index, partition, partitionIndex));
      steps.push(`ALTER INDEX ${name} ATTACH PARTITION ${qualified(partition.schema, partitionIndex)};`);
    }
    return {
      cause: "it was created ON ONLY the partitioned table and not every partition has a matching index attached yet",
      description: `Build the index on each partition (CONCURRENTLY), then attach each one with ALTER INDEX … ATTACH PARTITION; ${index.name} becomes valid once all partitions are attached.`,
      sql: steps.length > 0 ? steps.join("\n") : `-- attach an index of every partition:\n-- ALTER INDEX ${name} ATTACH PARTITION <partition index>;`,
    };
  }
  const recreate = (index.definition || createSql(index, table)).replace(/^CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)/, "CREATE $1INDEX CONCURRENTLY ");
  return {
    cause: "a CREATE INDEX CONCURRENTLY (or REINDEX CONCURRENTLY) failed or was cancelled before it finished",
    description: `Rebuild ${index.name} with REINDEX INDEX CONCURRENTLY, or drop it and create it again CONCURRENTLY. If the build failed because of the data (duplicates for a unique index), fix the data first.`,
    sql: `REINDEX INDEX CONCURRENTLY ${name};\n-- or: DROP INDEX CONCURRENTLY ${name};\n--     ${recreate.endsWith(";") ? recreate : `${recreate};`}`,
  };
}

export default defineRule({
  meta: {
    id: "invalid-index",
    category: "indexes",
    severity: "error",
    summary: "An index marked invalid is never used by queries but can still cost every write.",
    rationale:
      "When CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY fails (a duplicate key, a deadlock, a cancelled statement, a timeout), Postgres leaves the half-built index in the catalog marked invalid. The planner ignores it, so the queries it was built for stay slow, yet once it has reached the ready phase it is still updated by every insert and update, and a unique one still rejects duplicates. It takes disk space and nobody notices it, because the migration usually reports an error once and is retried under another name. An index created ON ONLY a partitioned table is also invalid until every partition's index is attached. There is no good reason to keep an invalid index: finish the build or drop it.",
    badExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);\n-- the build was cancelled, leaving users_email_idx INVALID in \\d users\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);",
    goodExample: "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n-- rebuild it (or drop it and create it again), then check \\d users shows no INVALID index\nREINDEX INDEX CONCURRENTLY users_email_idx;",
    fix: "Rebuild the index with REINDEX INDEX CONCURRENTLY, or drop it CONCURRENTLY and create it again; drop the _ccnew/_ccold leftovers of a failed REINDEX CONCURRENTLY; attach the partitions' indexes of an index created ON ONLY a partitioned table.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    // Partitions too (an index left invalid on one partition is a problem of its own), and materialized views.
    const relations: Relation[] = [
      ...model.tables.filter((t) => t.kind !== "foreign"),
      ...model.views.filter((v) => v.materialized).map((v) => ({ ...v, kind: "materialized view" as const })),
    ];
    for (const relation of relations) {
      for (const index of relation.indexes) {
        if (index.valid) continue;
        const { cause, description, sql } = diagnose(model, relation, index);
        report({
          on: on.index(relation, index),
          message: `Index ${index.name} on ${relation.name} is invalid: ${cause}. The planner never uses it${index.unique ? ", yet it may still reject duplicates" : ""} and writes may still maintain it.`,
          fix: { description, sql },
        });
      }
    }
  },
});
