import { z } from "zod";
import { quoteIdent } from "../../sql/text.js";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { createdEarlierInFile } from "./_shared.js";


export default defineMigrationRule({
  meta: {
    id: "drop-schema-cascade",
    category: "data-loss",
    severity: "error",
    summary: "DROP SCHEMA … CASCADE drops every table, view and function in the schema, whatever the migration names.",
    rationale:
      "CASCADE makes the drop succeed whatever the schema holds: every table and its rows, views, functions, types and sequences in it go with it, and so do objects elsewhere that depend on them (views, foreign keys). What a reviewer sees is one line; what it deletes depends on the database it runs on, which may hold objects the migration history never created. Drop the objects the migration means to drop by name, then the schema without CASCADE (RESTRICT, the default), which fails if anything is left.",
    badExample: "DROP SCHEMA legacy CASCADE;",
    goodExample: "DROP TABLE legacy.imports;\nDROP FUNCTION legacy.clean_up();\nDROP SCHEMA legacy; -- fails if anything else is still in it",
    fix: "Drop the schema's objects by name, then the schema without CASCADE.",
  },
  options: z.object({}).strict(),
  applied: "decision",
  check(ctx) {
    const drop = changesOfKind(ctx.changes, "drop").find((d) => d.object === "schema" && d.cascade);
    for (const schema of drop?.names.flat() ?? []) {
      // A schema the same file created holds only what the file itself put there.
      if (createdEarlierInFile(ctx, (c) => c.kind === "create-object" && c.object === "schema" && c.name.name === schema)) continue;
      ctx.report({
        discriminator: schema,
        message: `DROP SCHEMA ${schema} CASCADE drops everything in it (tables with their rows, views, functions, types) and the objects elsewhere that depend on them, whatever the database it runs on holds.`,
        fix: {
          description: "Name what the migration means to drop, then drop the schema without CASCADE so that anything unexpected stops it.",
          sql: `-- DROP TABLE ${quoteIdent(schema)}.<table>; … for each object meant to go\nDROP SCHEMA ${quoteIdent(schema)};`,
        },
      });
    }
  },
});
