import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule, type Report } from "../types.js";
import { columnPath, designTables } from "./_shared.js";
import { droppedForeignKeyOn, effectiveType, foreignKeys, freeConstraintName, isBookkeepingTable, mirroredTable, singleColumnPrimaryKey, snake, tableNamesFor } from "./_keys.js";

const DEFAULT_ROLES = [
  "author", "owner", "creator", "editor", "assignee", "reviewer", "approver", "sender", "recipient", "receiver", "manager",
  "parent", "source", "target", "origin", "destination", "billing", "shipping", "primary", "secondary",
  "previous", "next", "current", "latest", "last", "first", "default", "home", "away",
];

interface Guess {
  target: Table;
  key: Column;
  /** The part of the column name the table was guessed from, e.g. "user". */
  stem: string;
  /** Words before the stem when the column names a role, e.g. "author" in author_user_id. */
  role: string | null;
}

/** Tables that can be referenced: not partitions or foreign tables. Same-schema matches win over other schemas. */
function tablesNamed(model: SchemaModel, from: Table, names: string[]): Table[] {
  const matches = designTables(model).filter((t) => names.includes(snake(t.name)));
  const local = matches.filter((t) => t.schema === from.schema);
  return local.length > 0 ? local : matches;
}

export default defineRule({
  meta: {
    id: "undeclared-foreign-key",
    category: "relationships",
    severity: "warning",
    summary: "A column named like a reference to another table (<thing>_id) should be declared as a foreign key.",
    rationale:
      "A column such as orders.user_id that holds users.id values but carries no FOREIGN KEY is a relationship the database does not know about: nothing stops an order from pointing at a user that never existed or was deleted, and the orphans are found months later by a report that no longer adds up. Declaring the constraint costs one index lookup per write on the child and gives the planner and every tool (ORMs, diagram generators, this checker) the real shape of the data. The rule reports the references a schema that declares its foreign keys left out. It says nothing when the schema declares (almost) none: leaving references to the application is then the team's design (loose foreign keys across databases, sharding, several engines), and the team knows. Also not reported: a column whose foreign key the history declared and later dropped (the drop is the decision), a lock or progress-marker table (facet_migration_lock), a column that records where a row was copied from (original_plan_id: original is not a role word), and a column of a side table that mirrors another (jobs_fqn keyed like jobs) when the main table already enforces the same column. The match is a guess from the column name and type, so it can be wrong: ignore it when the column deliberately holds an id from another system or database, or when the table is an append-only log that must keep ids of deleted rows.",
    badExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL\n);",
    goodExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users (id) ON DELETE RESTRICT\n);",
    fix: "Add the foreign key as NOT VALID (no long lock), clean up orphan rows, then VALIDATE it; or rename the column if it is not a reference.",
  },
  options: z
    .object({
      suffixes: z.array(z.string().min(2)).default(["_id", "_uuid"]).describe("Column name endings that mark a reference; the part before one names the table."),
      roles: z.array(z.string().min(1)).default(DEFAULT_ROLES).describe("Role words that may precede the referenced name (author_user_id → users), besides any role ending in _by (created_by_user_id). Other prefixes are taken as part of the name: resource_group_id is not a group. [] turns roles off."),
    })
    .strict(),
  check({ model, options, conventions, report }) {
    // A schema that declares (almost) none of its references leaves them to the application on purpose
    // (sharding, loose foreign keys across databases, several engines): the team knows, so nothing to report.
    if (conventions.declaresForeignKeys.source !== "mixed" && conventions.declaresForeignKeys.value === false) return;
    const guesses: Report[] = [];
    // In a schema without a single foreign key, leaving them out is a policy (sharding, several engines), not an oversight.
    const noForeignKeys = !model.tables.some((t) => foreignKeys(t).length > 0);
    for (const table of designTables(model)) {
      // A lock or progress marker holds one job's state: enforcing its ids would add nothing the job relies on.
      if (isBookkeepingTable(table)) continue;
      const mirrored = mirroredTable(model, table);
      // A partitioned table's keys may be declared on its partitions only: the reference is enforced there.
      const partitions = model.tables.filter((t) => t.partitionOf === `${table.schema}.${table.name}`);
      const referencing = new Set([table, ...partitions].flatMap((t) => foreignKeys(t).flatMap((c) => c.columns)));
      const names = new Set(table.columns.map((c) => snake(c.name)));
      for (const column of table.columns) {
        if (referencing.has(column.name) || column.isArray || column.generated) continue;
        const name = snake(column.name);
        const suffix = options.suffixes.find((s) => name.endsWith(s) && name.length > s.length);
        if (!suffix) continue;
        // The history declared this key and then dropped it: a decision the team took, not a forgotten key.
        if (droppedForeignKeyOn(table, column.name)) continue;
        // A copy of a column the mirrored table already enforces (jobs_fqn.namespace_uuid beside jobs.namespace_uuid).
        if (mirrored && foreignKeys(mirrored).some((c) => c.columns.length === 1 && c.columns[0] === column.name)) continue;
        const stem = name.slice(0, -suffix.length);
        // <x>_type beside <x>_id is a polymorphic reference, which no foreign key can express.
        if (names.has(`${stem}_type`) || names.has(`${stem}_kind`) || names.has(`${stem}_table`)) continue;
        const guess = guessTarget(table, column, stem, suffix);
        if (!guess) continue;
        guesses.push(reportGuess(table, column, guess));
      }
    }
    for (const guess of guesses) report(guess);

    function guessTarget(table: Table, column: Column, stem: string, suffix: string): Guess | undefined {
      const fits = (target: Table, inner: string): Column | undefined => {
        const key = singleColumnPrimaryKey(target);
        if (!key) return undefined;
        // The key must be the table's id, not some other unique value that happens to share the type.
        const keyName = snake(key.name);
        const keyNames = ["id", suffix.replace(/^_/, ""), snake(column.name), `${inner}${suffix}`, `${snake(target.name)}${suffix}`];
        if (!keyNames.includes(keyName)) return undefined;
        if (target === table && key.name === column.name) return undefined;
        return effectiveType(model, key) === effectiveType(model, column) ? key : undefined;
      };
      const direct = tablesNamed(model, table, tableNamesFor(stem));
      if (direct.length > 1) return undefined;
      if (direct.length === 1) {
        const key = fits(direct[0]!, stem);
        return key ? { target: direct[0]!, key, stem, role: null } : undefined;
      }
      const words = stem.split("_");
      const candidates: { target: Table; inner: string; role: string }[] = [];
      for (let i = 1; i < words.length; i++) {
        const role = words.slice(0, i).join("_");
        if (!options.roles.includes(role) && !role.endsWith("_by")) continue;
        const inner = words.slice(i).join("_");
        for (const target of tablesNamed(model, table, tableNamesFor(inner))) {
          candidates.push({ target, inner, role });
        }
      }
      // Only one table may fit the name; two (order_lines and lines for sales_order_line_id) is a coin toss.
      if (new Set(candidates.map((c) => c.target)).size !== 1) return undefined;
      const only = candidates[0]!;
      const key = fits(only.target, only.inner);
      return key ? { target: only.target, key, stem: only.inner, role: only.role } : undefined;
    }

    function reportGuess(table: Table, column: Column, { target, key, stem, role }: Guess): Report {
      const source = qualified(table.schema, table.name);
      const name = freeConstraintName(table, `${table.name}_${column.name}_fkey`);
      const how = role ? `"${stem}" after the role "${role}"` : `"${stem}"`;
      return {
        object: { kind: "column", path: columnPath(table, column) },
        message: `Column ${table.name}.${column.name} looks like a reference to ${target.schema}.${target.name}.${key.name} (table guessed from the name part ${how}; both are ${column.type}) but has no foreign key, so it can hold ids of rows that do not exist.${noForeignKeys ? " The schema declares no foreign key at all: if that is a deliberate policy, pin conventions.declaresForeignKeys: false." : ""}`,
        location: column.provenance.location,
        statements: column.provenance.statements,
        fix: {
          description: `Declare the foreign key to ${target.name}: add it NOT VALID, remove or repair orphan rows, then validate it. Index ${column.name} too if ${target.name} rows are deleted or joined often.`,
          sql:
            `ALTER TABLE ${source} ADD CONSTRAINT ${quoteIdent(name)} FOREIGN KEY (${quoteIdent(column.name)}) REFERENCES ${qualified(target.schema, target.name)} (${quoteIdent(key.name)}) NOT VALID;\n` +
            `ALTER TABLE ${source} VALIDATE CONSTRAINT ${quoteIdent(name)};`,
        },
      };
    }
  },
});
