import { z } from "zod";
import { quoteIdent } from "../../sql/text.js";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";

export default defineMigrationRule({
  meta: {
    id: "drop-database",
    category: "data-loss",
    severity: "error",
    summary: "DROP DATABASE in a migration deletes a whole database, and cannot be undone.",
    rationale:
      "A migration runs against every environment the history is applied to, production included. DROP DATABASE removes the database with all its schemas and rows at once (no transaction can roll it back: it refuses to run inside one), and on PostgreSQL 13+ WITH (FORCE) also ends the sessions using it. Creating and dropping databases belongs to provisioning (infrastructure code, a one-off script run by hand), not to the schema's history. schemawise does not run it (the engine stays isolated); this rule reports it.",
    badExample: "DROP DATABASE IF EXISTS analytics;",
    goodExample: "-- provisioning, run by an operator once, outside the migration history\n-- DROP DATABASE analytics;",
    fix: "Move the statement out of the migration history into provisioning run by hand.",
  },
  options: z.object({}).strict(),
  applied: "decision",
  check(ctx) {
    const drop = changesOfKind(ctx.changes, "drop-database")[0];
    if (!drop) return;
    const name = drop.name || "the database";
    ctx.report({
      message: `DROP DATABASE ${name} deletes the database with all its data wherever this migration runs, production included; it cannot be rolled back.`,
      fix: {
        description: "Remove it from the migration; drop databases in provisioning, by hand.",
        sql: `-- moved out of the migration history: run by an operator when the database is meant to go\n-- DROP DATABASE ${quoteIdent(name)};`,
      },
    });
  },
});
