import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { batchedUpdateSql, display, isExisting, quoteIdent, sqlName } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "rename-column",
    category: "compatibility",
    severity: "warning",
    summary: "RENAME COLUMN on an existing table breaks every running query that uses the old name.",
    rationale:
      "A rename is instant for PostgreSQL but not for the application: during a deploy the old code is still running and every query naming the old column fails from the moment the migration commits until the new code is everywhere. Renaming safely takes several releases: add the new column, write both, backfill, move the reads, stop writing the old one, then drop it.",
    badExample: "ALTER TABLE users RENAME COLUMN name TO full_name;",
    goodExample:
      "ALTER TABLE users ADD COLUMN full_name text;\n-- trigger keeps full_name = name; backfill in batches; switch reads and writes\nALTER TABLE users DROP COLUMN name; -- a later release",
    fix: "Add the new column, dual-write (trigger or code), backfill in batches, switch reads, stop writing the old column, then drop it.",
  },
  options: z.object({}).strict(),
  // Each applied drop or rename was a choice made and deployed; only the newest migration's can still change.
  applied: "decision",
  check(ctx) {
    const rename = changesOfKind(ctx.changes, "rename").find((r) => r.object === "column");
    if (!rename) return;
    const { relation: t, from, to } = rename;
    if (!t || !from || !to || !isExisting(ctx, t)) return;
    const table = sqlName(t);
    const [o, n] = [quoteIdent(from), quoteIdent(to)];
    const fn = quoteIdent(`${t.name}_${to}_dual_write`.slice(0, 63));
    const type = ctx.lookup.columnType(t, from);
    ctx.report({
      message: `RENAME COLUMN ${display(t)}.${from} TO ${to}: queries of code still using "${from}" fail as soon as this commits.`,
      discriminator: from,
      fix: {
        description: "Expand/contract over several releases: new column, dual-write, backfill, switch reads, drop the old column.",
        sql:
          `ALTER TABLE ${table} ADD COLUMN ${n} ${type ?? "text /* the type of " + from + " */"};\n` +
          `-- dual-write while old code still writes ${from}\n` +
          `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.${n} := NEW.${o}; RETURN NEW; END $$;\n` +
          `CREATE TRIGGER ${fn} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}();\n` +
          `-- backfill the rows written before the trigger existed\n${batchedUpdateSql(ctx, t, `UPDATE ${table} SET ${n} = ${o}`)}\n` +
          `-- deploy code that reads and writes ${to}; later release, once nothing uses ${from}:\n` +
          `DROP TRIGGER ${fn} ON ${table};\nDROP FUNCTION ${fn}();\nALTER TABLE ${table} DROP COLUMN ${o};`,
      },
    });
  },
});
