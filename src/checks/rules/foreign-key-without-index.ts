import { z } from "zod";
import type { Constraint, Index, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { isPolicy, reportEachOrPolicy } from "../policy.js";
import { defineRule, type Report } from "../types.js";
import { designTables, identifier, wordParts } from "./_shared.js";
import { isListOfValues, junctionOf, plainKeyColumns, snake } from "./_keys.js";
import { isSoftDeleteMarker } from "./_soft-delete.js";
import { concurrently } from "./_physical.js";
import { on } from "../subject.js";

/** Index methods that answer `col = value` on their leading column: btree, and GiST/GIN through btree_gist/btree_gin. */
const EQUALITY_METHODS = new Set(["btree", "gist", "gin"]);

/**
 * A predicate every referencing row satisfies as far as the foreign key cares: `col IS NOT NULL` on the
 * key's columns (a row with a NULL there references nothing, so neither the checks nor the joins need it).
 */
function onlyNotNullOf(predicate: string, columns: string[]): boolean {
  const parts = predicate
    .replace(/^\s*\(+|\)+\s*$/g, "")
    .split(/\)?\s+AND\s+\(?/i)
    .map((part) => part.replace(/^\(+|\)+$/g, "").trim());
  return parts.length > 0 && parts.every((part) => columns.some((column) => new RegExp(`^"?${column.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"?\\s+IS\\s+NOT\\s+NULL$`, "i").test(part)));
}

/**
 * An index serves a foreign key when its leading key columns are exactly the key's columns, in any
 * order: a btree, a GiST or GIN index (btree_gist, btree_gin), or a hash index on a one-column key;
 * complete, or partial only on `col IS NOT NULL`.
 */
function servesColumns(index: Index, columns: string[]): boolean {
  if (!index.valid) return false;
  const equality = EQUALITY_METHODS.has(index.method) || (index.method === "hash" && columns.length === 1);
  if (!equality) return false;
  if (index.predicate !== null && !onlyNotNullOf(index.predicate, columns)) return false;
  const leading = index.keys.slice(0, columns.length).map((key) => key.column);
  return leading.length === columns.length && columns.every((column) => leading.includes(column));
}

export function hasIndexLeadingWith(table: Table, columns: string[]): boolean {
  return table.indexes.some((index) => servesColumns(index, columns));
}

/** The second key column of a junction table that junction-table-missing-reverse-index reports (it asks for the same index). */
function reverseIndexColumn(table: Table): string | undefined {
  const junction = junctionOf(table, 3);
  if (!junction) return undefined;
  const pair = table.indexes.find((index) => {
    const keys = plainKeyColumns(index);
    return index.unique && index.valid && index.method === "btree" && index.predicate === null && keys?.length === 2 && junction.columns.every((c) => keys.includes(c));
  });
  return pair ? plainKeyColumns(pair)![1] : undefined;
}

/** Words of a column that records who did something (created_by, published_by, lastModifiedByUserId). */
const ATTRIBUTION = /(^|_)by(_|$)/;

/**
 * The key records who acted (created_by, deleted_by) and does not cascade: rows keep the name of an
 * actor, nobody lists them by actor, and actors (users) are deactivated rather than deleted.
 */
function recordsActor(constraint: Constraint): boolean {
  if (constraint.columns.length !== 1 || constraint.foreignKey!.onDelete === "cascade") return false;
  return ATTRIBUTION.test(snake(constraint.columns[0]!));
}

/** Last words of a log's name: an audit trail, a history, a record of actions or events. */
const LOG_WORDS = new Set(["log", "logs", "audit", "audits", "history", "histories", "journal", "journals", "actions", "events", "activities"]);

/**
 * A log's key that refuses deletes (NO ACTION, RESTRICT): once a row is logged, its parent can no
 * longer be deleted, so no delete looks for children; and a log is read by time or by its subject,
 * not listed per actor (version_owner_actions.user_id).
 */
function logKeepsParent(table: Table, constraint: Constraint): boolean {
  return ["no action", "restrict"].includes(constraint.foreignKey!.onDelete) && LOG_WORDS.has(wordParts(table.name).at(-1) ?? "");
}

/** Columns that mark a row gone without deleting it: deleted_at, is_deleted, removed, a token's revoked flag. */
const SOFT_DELETE_WORDS = new Set(["deleted", "removed", "discarded", "trashed", "archived", "revoked"]);

/**
 * The parent keeps its rows and marks them deleted (deleted_at, a deleted flag), and this key refuses
 * a real delete (NO ACTION, RESTRICT): the parent's rows are not hard-deleted, so no delete has to
 * look for their children.
 */
function parentSoftDeletes(parent: Table | undefined, constraint: Constraint): boolean {
  if (!parent || !["no action", "restrict"].includes(constraint.foreignKey!.onDelete)) return false;
  return parent.columns.some(
    (c) => (c.baseTypeName === "bool" || c.typeCategory === "D") && wordParts(c.name).some((w) => SOFT_DELETE_WORDS.has(w)) && isSoftDeleteMarker(c),
  );
}

interface Collected {
  /** Unindexed keys, one finding each (partitions grouped on their parent). */
  found: Report[];
  /** Unindexed second columns of junction keys: junction-table-missing-reverse-index reports those, unless the schema indexes none. */
  reverse: Report[];
  /** Keys the team had to decide about (not led by a primary or unique key's index), reverse columns included. */
  eligible: number;
}

/** Whether the schema indexes (almost) none of its foreign keys: a policy, named in one finding. */
export function indexesNoForeignKeys(model: SchemaModel): boolean {
  const { found, reverse, eligible } = collect(model);
  return isPolicy(found.length + reverse.length, eligible);
}

function collect(model: SchemaModel): Collected {
  const found: Report[] = [];
  const reverseFound: Report[] = [];
  let eligible = 0;
  const ledByKey = (table: Table, constraint: Constraint) =>
    table.indexes.some((index) => (index.primary || index.unique) && servesColumns(index, constraint.columns));

  const referencedBy = (fk: Constraint) => model.tables.find((t) => t.schema === fk.foreignKey!.referencedSchema && t.name === fk.foreignKey!.referencedTable);

  /** Partitions missing the index, grouped by parent and key columns: the index belongs on the parent. */
  const partitionGroups = new Map<string, { parent: Table; constraint: Constraint; partitions: Table[] }>();

  const considered = [...designTables(model), ...model.tables.filter((t) => t.partitionOf && t.kind !== "foreign")];
  for (const table of considered) {
    const reverse = reverseIndexColumn(table);
    for (const constraint of table.constraints) {
      if (constraint.type !== "foreign-key" || !constraint.foreignKey) continue;
      if (ledByKey(table, constraint)) continue;
      const parentTable = referencedBy(constraint);
      if (parentTable && parentTable !== table && isListOfValues(parentTable)) continue;
      if (recordsActor(constraint) || parentSoftDeletes(parentTable, constraint) || logKeepsParent(table, constraint)) continue;
      if (!table.partitionOf) eligible++;
      if (hasIndexLeadingWith(table, constraint.columns)) continue;
      if (constraint.columns.length === 1 && constraint.columns[0] === reverse) {
        reverseFound.push(finding(table, constraint));
        continue;
      }
      if (table.partitionOf) {
        const parent = model.tables.find((t) => `${t.schema}.${t.name}` === table.partitionOf);
        // A key declared on the parent is cloned onto each partition: the parent's finding covers it.
        const inherited = parent?.constraints.some(
          (c) => c.type === "foreign-key" && sameColumns(c.columns, constraint.columns) && c.foreignKey?.referencedTable === constraint.foreignKey!.referencedTable && c.foreignKey.referencedSchema === constraint.foreignKey!.referencedSchema,
        );
        if (inherited) continue;
        if (parent && !hasIndexLeadingWith(parent, constraint.columns)) {
          const key = `${table.partitionOf}|${constraint.columns.join(",")}|${constraint.foreignKey.referencedSchema}.${constraint.foreignKey.referencedTable}`;
          const group = partitionGroups.get(key) ?? { parent, constraint, partitions: [] };
          group.partitions.push(table);
          partitionGroups.set(key, group);
          continue;
        }
      }
      found.push(finding(table, constraint));
    }
  }
  for (const { parent, constraint, partitions } of partitionGroups.values()) {
    eligible++;
    found.push(partitionFinding(parent, constraint, partitions));
  }
  return { found, reverse: reverseFound, eligible };
}

export default defineRule({
  meta: {
    id: "foreign-key-without-index",
    category: "indexes",
    severity: "warning",
    summary: "A foreign key's columns should lead some index on the referencing table.",
    rationale:
      "Postgres indexes the referenced key but never the referencing columns. Without that index every DELETE or key UPDATE on the parent scans the whole child table under lock, and the joins and lookups by parent that almost every application runs become sequential scans. An index serves the key when its leading columns are the key's columns: a btree, or a GiST or GIN index through btree_gist or btree_gin, complete or partial on WHERE col IS NOT NULL (rows with a NULL there reference nothing). Not reported: a key to a list of values (a table with no foreign keys and hardly any other column, with a unique name or code, such as credential types, or, for a table named as a classification, nothing but its key and one label, such as regions), whose rows are not deleted and whose values match too many children for an index to help; a key to a parent that marks rows deleted or revoked (deleted_at, a deleted or revoked flag) when the key refuses real deletes, since those parents are not hard-deleted; a key that records who acted (created_by, published_by) and does not cascade; a key of a log (an audit trail, a history, a table of actions or events) that refuses deletes, since the logged parent can then never be deleted and the log is read by time or subject; the second column of a junction table's key, which junction-table-missing-reverse-index reports with the reverse index; and, for partitions, each partition separately (one finding names the parent). When the schema indexes none of its foreign keys, one finding names that policy, junction columns included. Fine to ignore for tiny tables whose parents are never deleted.",
    badExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users (id)\n);",
    goodExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users (id)\n);\nCREATE INDEX orders_user_id_idx ON orders (user_id);",
    fix: "Create a btree index whose leading columns are the foreign key's columns (CONCURRENTLY on a live table; on a partitioned table, on the parent).",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    const { found, reverse, eligible } = collect(model);
    // In a schema that indexes none of its keys, the junction tables' second columns belong to the same policy.
    const policy = isPolicy(found.length + reverse.length, eligible);
    reportEachOrPolicy(report, policy ? [...found, ...reverse] : found, {
      asPolicy: policy,
      policy: {
        message: "The schema indexes none of its foreign keys beyond those a primary or unique key already leads: deletes of parent rows scan the children, and lookups by parent are sequential scans",
        fix: {
          description:
            "A project-wide gap, not one slip: index the foreign keys of the tables that grow and of the parents that get deleted first (CREATE INDEX CONCURRENTLY … (fk_column)); the details list every key.",
        },
      },
    });
  },
});

function partitionFinding(parent: Table, constraint: Constraint, partitions: Table[]): Report {
  const columns = constraint.columns.map(quoteIdent).join(", ");
  const names = partitions.map((p) => p.name);
  const listed = names.length > 4 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
  const keys = partitions.flatMap((p) => p.constraints.filter((c) => c.type === "foreign-key" && sameColumns(c.columns, constraint.columns)));
  return {
    on: on.table(parent).at(constraint).madeBy(...keys),
    discriminator: `partitions:${constraint.columns.join(",")}`,
    message: `The partitions of ${parent.name} (${listed}) each declare a foreign key on (${constraint.columns.join(", ")}) to ${constraint.foreignKey!.referencedTable}, and no index leads with those columns on the partitions or the parent.`,
    fix: {
      description: "Index the referencing columns once on the partitioned parent: Postgres creates the index on every partition, and on partitions attached later.",
      sql: `CREATE INDEX ${quoteIdent(identifier(`${parent.name}_${constraint.columns.join("_")}_idx`))} ON ${qualified(parent.schema, parent.name)} (${columns});`,
    },
  };
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

function finding(table: Table, constraint: Constraint): Report {
  const columns = constraint.columns.map(quoteIdent).join(", ");
  const indexName = quoteIdent(identifier(`${table.name}_${constraint.columns.join("_")}_idx`));
  return {
    on: on.constraint(table, constraint),
    message: `Foreign key ${constraint.name} on ${table.name} (${constraint.columns.join(", ")}) has no index leading with its columns.`,
    fix: {
      description: "Index the referencing columns.",
      sql: `CREATE INDEX${concurrently(table)} ${indexName} ON ${qualified(table.schema, table.name)} (${columns});`,
    },
  };
}
