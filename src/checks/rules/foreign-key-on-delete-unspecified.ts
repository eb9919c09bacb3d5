import { z } from "zod";
import type { Constraint, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { statesOnDelete } from "../conventions/infer.js";
import { MIN_OBJECTS } from "../conventions/types.js";
import { reportEachOrPolicy } from "../policy.js";
import { leavesReferencesToApplication } from "./_evidence.js";
import { defineRule, type Report } from "../types.js";
import { designTables } from "./_shared.js";
import { foreignKeySql, foreignKeys } from "./_keys.js";
import { on } from "../subject.js";

const ACTIONS = { restrict: "RESTRICT", cascade: "CASCADE", "set null": "SET NULL" } as const;

interface Key {
  table: Table;
  constraint: Constraint;
}

/** "CASCADE ×2, SET NULL": the ON DELETE actions of some keys, most common first. */
function actionsOf(constraints: Constraint[]): string {
  const counts = new Map<string, number>();
  for (const c of constraints) {
    const action = c.foreignKey!.onDelete.toUpperCase();
    counts.set(action, (counts.get(action) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([action, n]) => (n > 1 ? `${action} ×${n}` : action)).join(", ");
}

export default defineRule({
  meta: {
    id: "foreign-key-on-delete-unspecified",
    category: "relationships",
    severity: "info",
    summary: "A foreign key should state what happens to its rows when the referenced row is deleted.",
    rationale:
      "Every relationship answers a business question: when a customer is deleted, do their orders go too (CASCADE), must the deletion be refused (RESTRICT), or do the orders stay without an owner (SET NULL)? Leaving ON DELETE out gives NO ACTION, which refuses the deletion at the end of the statement; that is often what was wanted, but nobody can tell from the schema whether it was decided or forgotten, and the surprise shows up as a failing DELETE in production or as an ORM that cascades in application code behind the database's back. An ON DELETE NO ACTION written out in the source counts as stated, and deferrable keys are skipped because there NO ACTION is the deliberate way to defer the check. A key is reported when it breaks the project's habit: the other keys to the same parent state an action (every tag mapping cascades but the newest one), or, for the only key to its parent, the schema states ON DELETE almost everywhere. Keys to a parent that all leave it out agree with each other: such parents (users that are never hard-deleted, artifacts whose children the application removes first) are ones the team refuses to delete, and NO ACTION says exactly that. A new schema with a handful of tables is held to stating it everywhere. When the schema states ON DELETE nowhere, that is its policy: one finding names it instead of one per key, and none at all when the schema leaves (almost) all of its references to the application (a Rails dump with a handful of keys among hundreds of references, where dependent: decides what a delete does and the keys are backstops); pin `conventions.onDelete: unstated` if the default is your team's decision.",
    badExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users (id)\n);",
    goodExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users (id) ON DELETE RESTRICT\n);",
    fix: "Re-create the foreign key with an explicit ON DELETE action (RESTRICT, CASCADE or SET NULL) as NOT VALID, then validate it.",
  },
  options: z
    .object({
      suggestedAction: z.enum(["restrict", "cascade", "set null"]).default("restrict").describe("The action the fix SQL writes; \"set null\" falls back to RESTRICT when a column is NOT NULL."),
    })
    .strict(),
  check({ model, options, conventions, report }) {
    const keys: Key[] = designTables(model).flatMap((table) => foreignKeys(table).filter((c) => !c.deferrable).map((constraint) => ({ table, constraint })));
    if (conventions.onDelete.source === "pinned" && conventions.onDelete.value === "unstated") return;
    const neverStates = conventions.onDelete.source !== "mixed" && conventions.onDelete.value === "unstated";
    // The few keys of a schema that leaves its references to the application (Rails' dependent: decides deletes)
    // are backstops: NO ACTION on them is no policy of its own to name.
    if (neverStates && leavesReferencesToApplication(conventions)) return;
    const found: Report[] = [];
    for (const key of keys) {
      if (statesOnDelete(key.constraint)) continue;
      // A schema that never states ON DELETE has a policy, reported once below; otherwise only a key that breaks a habit is a slip.
      const evidence = neverStates ? "" : deviation(key);
      if (evidence !== undefined) found.push(reportFor(key.table, key.constraint, evidence));
    }
    // A schema that never states ON DELETE has a policy (the default refuses the delete), not hundreds of slips.
    reportEachOrPolicy(report, found, {
      eligible: keys.length,
      asPolicy: neverStates,
      policy: {
        message: `${found.length === keys.length ? "No foreign key of the schema states" : `${found.length} of the schema's ${keys.length} foreign keys do not state`} ON DELETE: each of them refuses to delete a referenced row (NO ACTION) and nothing shows whether that was decided per relationship`,
        fix: {
          description:
            "Decide per relationship and state it where the default is not the intent: CASCADE for rows owned by the parent (line items, memberships), SET NULL for optional links, RESTRICT where deletion must be refused. Or pin `conventions.onDelete: unstated` in the config to record that NO ACTION is the team's deliberate default.",
        },
      },
    });

    /**
     * Why a key that leaves ON DELETE out is a slip, or undefined when it follows the project's habit.
     * The keys to the same parent show how the team treats that parent: when they leave ON DELETE out
     * too, the parent is one the team refuses to delete (or never deletes), and this key agrees. When
     * they state it, this key is the odd one out. A parent with no other key falls back on the schema's
     * convention; a schema too new to have habits is held to stating it everywhere.
     */
    function deviation({ constraint }: Key): string | undefined {
      const fk = constraint.foreignKey!;
      // Too few keys to show a habit: held to stating it everywhere.
      if (conventions.onDelete.source === "default" || conventions.onDelete.of < MIN_OBJECTS) return "";
      const siblings = keys.filter((k) => k.constraint !== constraint && k.constraint.foreignKey!.referencedSchema === fk.referencedSchema && k.constraint.foreignKey!.referencedTable === fk.referencedTable);
      const stated = siblings.filter((k) => statesOnDelete(k.constraint));
      if (siblings.length > 0) {
        if (stated.length * 2 <= siblings.length) return undefined;
        return ` The other foreign keys to ${fk.referencedTable} state it (${actionsOf(stated.map((k) => k.constraint))}${stated.length < siblings.length ? `; ${siblings.length - stated.length} more leave it out` : ""}), so this one reads as forgotten.`;
      }
      if (conventions.onDelete.source === "mixed") return undefined;
      return ` The schema states ON DELETE on ${conventions.onDelete.follows} of its ${conventions.onDelete.of} foreign keys.`;
    }

    function reportFor(table: Table, constraint: Constraint, evidence: string): Report {
      const fk = constraint.foreignKey!;
      const columns = constraint.columns.map((name) => table.columns.find((c) => c.name === name));
      const nullable = columns.every((c) => c !== undefined && !c.notNull);
      const parent = fk.referencedTable;
      const cols = constraint.columns.join(", ");
      const selfReference = fk.referencedSchema === table.schema && fk.referencedTable === table.name;
      const effects = [
        `CASCADE would delete those ${table.name} rows with it${selfReference ? ", and the rows pointing to them in turn" : ""}`,
        `RESTRICT would keep refusing the delete, as a stated decision`,
        ...(nullable ? [`SET NULL would keep the ${table.name} rows and clear ${cols}`] : []),
      ];
      const action = options.suggestedAction === "set null" && !nullable ? "restrict" : options.suggestedAction;
      const target = qualified(table.schema, table.name);
      const name = quoteIdent(constraint.name);
      return {
        on: on.constraint(table, constraint),
        message: `Foreign key ${constraint.name} (${table.name}.${cols} → ${parent}) has no ON DELETE action (NO ACTION): deleting a row of ${parent} that ${table.name} rows still point to fails.${evidence} State the intent: ${effects.join("; ")}.`,
        fix: {
          description: `Re-create ${constraint.name} with ON DELETE ${ACTIONS[action]} (or the action the relationship needs) in one statement, NOT VALID so no long lock is taken, then validate the existing rows.`,
          sql:
            `ALTER TABLE ${target} DROP CONSTRAINT ${name}, ADD CONSTRAINT ${name} ${foreignKeySql(constraint, ACTIONS[action])} NOT VALID;\n` +
            `ALTER TABLE ${target} VALIDATE CONSTRAINT ${name};`,
        },
      };
    }
  },
});
