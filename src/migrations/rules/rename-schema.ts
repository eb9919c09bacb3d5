import { z } from "zod";
import { quoteIdent } from "../../sql/text.js";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { createdEarlierInFile } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "rename-schema",
    category: "compatibility",
    severity: "warning",
    summary: "ALTER SCHEMA … RENAME TO breaks every running query and function that names the old schema.",
    rationale:
      "Renaming a schema is instant, but every name qualified with the old schema stops resolving at the commit: queries of the application version still running, functions whose body or SET search_path names it, roles whose search_path lists it, and other services sharing the database. Views and foreign keys follow the rename (they hold the objects, not their names). Unlike a table there is no alias to keep the old name alive, so the rename has to wait for a release in which nothing uses the old name: code that uses unqualified names and a search_path that lists both schemas during the switch.",
    badExample: "ALTER SCHEMA billing RENAME TO invoicing;",
    goodExample:
      "-- release 1: code uses unqualified names; the app role's search_path lists both\nALTER ROLE app SET search_path = billing, invoicing, public;\n-- release 2, once no running code names billing\n-- schemawise-ignore rename-schema: release 1 reaches both names through search_path\nALTER SCHEMA billing RENAME TO invoicing;",
    fix: "Move the code to unqualified names and a search_path first; rename in a later release.",
  },
  options: z.object({}).strict(),
  applied: "decision",
  oldCode: true,
  check(ctx) {
    const rename = changesOfKind(ctx.changes, "rename").find((r) => r.object === "schema");
    const { from, to } = rename ?? {};
    if (!from || !to) return;
    // A schema the same file created: nothing outside the file can name it yet.
    if (createdEarlierInFile(ctx, (c) => c.kind === "create-object" && c.object === "schema" && c.name.name === from)) return;
    ctx.report({
      message: `ALTER SCHEMA ${from} RENAME TO ${to}: every query, function and search_path that names ${from} fails from the commit on, including those of the application version still running during the deploy.`,
      fix: {
        description: "First ship code that uses unqualified names with a search_path listing both schemas; rename in a later release and then drop the old name from the search_path.",
        sql:
          `-- release 1: code uses unqualified names; the application's role finds them through its search_path\nALTER ROLE CURRENT_USER SET search_path = ${quoteIdent(from)}, ${quoteIdent(to)}, public;\n` +
          `-- release 2, once no running code names ${from}\nALTER SCHEMA ${quoteIdent(from)} RENAME TO ${quoteIdent(to)};\nALTER ROLE CURRENT_USER SET search_path = ${quoteIdent(to)}, public;`,
      },
    });
  },
});
