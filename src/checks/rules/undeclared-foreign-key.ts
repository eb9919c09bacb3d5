import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { leavesReferencesToApplication } from "./_evidence.js";
import { defineRule, type Report } from "../types.js";
import { designTables, wordParts } from "./_shared.js";
import { MIN_OBJECTS } from "../conventions/types.js";
import { noteStating } from "./_intent.js";
import { droppedForeignKeyOn, findTable, effectiveType, foreignKeys, freeConstraintName, mirroredTable, singleColumnPrimaryKey, snake, tableNamesFor } from "./_keys.js";
import { on } from "../subject.js";

const DEFAULT_ROLES = [
  "author", "owner", "creator", "editor", "assignee", "reviewer", "approver", "sender", "recipient", "receiver", "manager",
  "parent", "source", "target", "origin", "destination", "billing", "shipping", "primary", "secondary",
  "previous", "next", "current", "latest", "last", "first", "default", "home", "away",
];

/** The author's note says the key is left out on purpose: "No REFERENCES …", "without a foreign key", "loose foreign key". */
const NO_KEY_NOTES = [/\bno\b[^.;]{0,30}\b(references|foreign keys?|fk)\b/i, /\bwithout\b[^.;]{0,20}\b(references|foreign keys?|fk)\b/i, /\bloose foreign keys?\b/i, /\b(not|never)\b[^.;]{0,20}\bforeign keys?\b/i];

/** Words of a log's name: an audit trail or history keeps the ids of rows that are gone, so it has no keys on purpose. */
const LOG_WORDS = new Set(["log", "logs", "audit", "audits", "history", "histories", "journal", "journals"]);
/** Roles of a pointer to the newest child (jobs.current_run_id, versions.latest_build_id); the child usually references its parent, so a key here closes a cycle. */
const POINTER_ROLES = new Set(["current", "latest", "last"]);

/** No primary key, no unique key, no foreign key: nothing in the table is constrained. */
function hasNoConstraints(table: Table): boolean {
  return !table.indexes.some((i) => i.unique) && !table.constraints.some((c) => c.type === "primary-key" || c.type === "foreign-key");
}

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
      "A column such as orders.user_id that holds users.id values but carries no FOREIGN KEY is a relationship the database does not know about: nothing stops an order from pointing at a user that never existed or was deleted, and the orphans are found months later by a report that no longer adds up. Declaring the constraint costs one index lookup per write on the child and gives the planner and every tool (ORMs, diagram generators, this checker) the real shape of the data. The rule reports the references a schema that declares its foreign keys left out. It says nothing when the schema declares (almost) none: leaving references to the application is then the team's design (loose foreign keys across databases, sharding, several engines), and the team knows. Also not reported: a column whose foreign key the history declared and later dropped (the drop is the decision), a column that records where a row was copied from (original_plan_id: original is not a role word), a column of a side table that mirrors another (jobs_fqn keyed like jobs) when the main table already enforces the same column, a column of an audit trail or history (it must keep the ids of deleted rows), a table with no key and no reference at all (a raw event log, a staging or lock table such as facet_migration_lock, outside the relational design), a column whose parent row holds the same reference under a key (session.envelope_id beside a NOT NULL recipient_id whose recipient has envelope_id), a column whose comment says the key is left out on purpose, and a pointer to the newest child (current_run_id, latest_build_id) unless the schema declares such pointers elsewhere, since its key would close a cycle with the child's own. References to a table are held to the habit for that table: when most columns that point to it have no key (12 tables hold a project_id and one declares it), leaving them to the application is how the team treats that table, and the only reference to a table follows what most references of the schema do; a new schema is held to declaring every key. The match is a guess from the column name and type, so it can be wrong: ignore it when the column deliberately holds an id from another system or database, or when the table is an append-only log of another name that must keep ids of deleted rows.",
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
    if (leavesReferencesToApplication(conventions)) return;
    const guesses: { table: Table; column: Column; guess: Guess }[] = [];
    // In a schema without a single foreign key, leaving them out is a policy (sharding, several engines), not an oversight.
    const noForeignKeys = !model.tables.some((t) => foreignKeys(t).length > 0);
    // A pointer to the newest child closes a cycle with the child's own key; only a schema that declares such pointers elsewhere wants it.
    const declaresPointers = designTables(model).some((t) => foreignKeys(t).some((c) => c.columns.length === 1 && POINTER_ROLES.has(snake(c.columns[0]!).split("_")[0]!)));
    for (const table of designTables(model)) {
      // An audit trail or history must keep the ids of deleted rows.
      if (wordParts(table.name).some((w) => LOG_WORDS.has(w))) continue;
      // A table with no key and no reference at all sits outside the relational design (a raw event log, a staging or lock table).
      if (hasNoConstraints(table)) continue;
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
        if (copiedFromParent(table, column) || noteStating([column], NO_KEY_NOTES)) continue;
        const stem = name.slice(0, -suffix.length);
        // <x>_type beside <x>_id is a polymorphic reference, which no foreign key can express.
        if (names.has(`${stem}_type`) || names.has(`${stem}_kind`) || names.has(`${stem}_table`)) continue;
        const guess = guessTarget(table, column, stem, suffix);
        if (!guess || (guess.role !== null && POINTER_ROLES.has(guess.role) && !declaresPointers)) continue;
        guesses.push({ table, column, guess });
      }
    }
    // Held to the project's own habit; a schema with too few references to show one, or whose config pins the convention, to declaring every key.
    const convention = conventions.declaresForeignKeys;
    const byHabit = (convention.source === "inferred" || convention.source === "mixed") && convention.of >= MIN_OBJECTS;
    for (const { table, column, guess } of guesses) {
      const evidence = byHabit ? habitBroken(guess.target) : "";
      if (evidence !== undefined) report(reportGuess(table, column, guess, evidence));
    }

    /**
     * Why leaving out a key to `target` breaks the team's habit (undefined when it follows it). The other references to the same
     * table show it: most of them declared means this one was forgotten; most of them left to the
     * application (a manager deletes a project's dependents) means that is how the team treats the
     * table. A table referenced nowhere else is held to the schema's majority.
     */
    function habitBroken(target: Table): string | undefined {
      const undeclared = guesses.filter((g) => g.guess.target === target).length;
      const declared = declaredKeysTo(target);
      if (declared + undeclared >= 2) {
        if (declared < undeclared) return undefined;
        return ` ${declared} other column${declared === 1 ? "" : "s"} pointing to ${target.name} declare${declared === 1 ? "s" : ""} the key.`;
      }
      return convention.value ? "" : undefined;
    }

    /**
     * The column repeats the parent's own reference: the table points (NOT NULL) to a parent that has
     * the same column under a foreign key (sessions.envelope_id beside recipient_id, whose recipient
     * holds envelope_id). Every row has that parent, whose key already enforces the value.
     */
    function copiedFromParent(table: Table, column: Column): boolean {
      return foreignKeys(table).some((fk) => {
        if (fk.columns.includes(column.name) || !fk.columns.every((c) => table.columns.find((col) => col.name === c)?.notNull)) return false;
        const parent = findTable(model, fk.foreignKey!.referencedSchema, fk.foreignKey!.referencedTable);
        return parent !== undefined && parent !== table && foreignKeys(parent).some((c) => c.columns.length === 1 && c.columns[0] === column.name);
      });
    }

    function declaredKeysTo(target: Table): number {
      return designTables(model).reduce((sum, t) => sum + foreignKeys(t).filter((c) => c.foreignKey!.referencedSchema === target.schema && c.foreignKey!.referencedTable === target.name).length, 0);
    }

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

    function reportGuess(table: Table, column: Column, { target, key, stem, role }: Guess, evidence: string): Report {
      const source = qualified(table.schema, table.name);
      const name = freeConstraintName(table, `${table.name}_${column.name}_fkey`);
      const how = role ? `"${stem}" after the role "${role}"` : `"${stem}"`;
      return {
        on: on.column(table, column),
        message: `Column ${table.name}.${column.name} looks like a reference to ${target.schema}.${target.name}.${key.name} (table guessed from the name part ${how}; both are ${column.type}) but has no foreign key, so it can hold ids of rows that do not exist.${evidence}${noForeignKeys ? " The schema declares no foreign key at all: if that is a deliberate policy, pin conventions.declaresForeignKeys: false." : ""}`,
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
