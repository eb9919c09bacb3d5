import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { requiredWithoutValue } from "../changes.js";
import { display, isExisting, quoteIdent, sizeText, sqlName, tableChanges, typeText } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "add-column-not-null-without-default",
    category: "locking",
    severity: "error",
    summary: "ADD COLUMN … NOT NULL without a default fails on a table that has rows.",
    rationale:
      "A new column holds NULL in every existing row unless it has a default, so NOT NULL without a default makes the statement fail as soon as the table has one row: the migration passes on an empty development database and breaks in production. Give it a constant default (no rewrite since PostgreSQL 11), or add it nullable, backfill, and make it NOT NULL without a long lock.",
    badExample: "ALTER TABLE orders ADD COLUMN channel text NOT NULL;",
    goodExample: "ALTER TABLE orders ADD COLUMN channel text NOT NULL DEFAULT 'web';",
    fix: "Add a constant DEFAULT, or add the column nullable, backfill it in batches, then make it NOT NULL (CHECK NOT VALID, VALIDATE, SET NOT NULL).",
  },
  options: z.object({}).strict(),
  check(ctx) {
    for (const added of tableChanges(ctx, "add-column")) {
      const t = added.table;
      if (!requiredWithoutValue(added) || !isExisting(ctx, t)) continue;
      const rows = ctx.rows(t);
      const type = typeText(added.type) ?? "";
      const column = added.column;
      const table = sqlName(t);
      const c = quoteIdent(column);
      const check = quoteIdent(`${t.name}_${column}_not_null`.slice(0, 63));
      ctx.report({
        message: `ADD COLUMN ${column} NOT NULL without a default on existing table ${display(t)} (${sizeText(ctx, t)}): ${rows === 0 ? "it works only while the table is empty" : "the statement fails if the table has any row"}.`,
        discriminator: column,
        ...(rows === 0 ? { severity: "info" as const } : {}),
        fix: {
          description: "Give the column a constant default (no rewrite since PG 11), or add it nullable, backfill in batches and make it NOT NULL without a long lock.",
          sql:
            `-- either: a constant default (pick the right value)\nALTER TABLE ${table} ADD COLUMN ${c} ${type} NOT NULL DEFAULT ${defaultLiteral(type)};\n` +
            `-- or: nullable, backfill in batches, then prove NOT NULL\nALTER TABLE ${table} ADD COLUMN ${c} ${type};\n` +
            `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${c} IS NOT NULL) NOT VALID;\n-- … backfill in batches, then in later migrations:\n` +
            `ALTER TABLE ${table} VALIDATE CONSTRAINT ${check};\nALTER TABLE ${table} ALTER COLUMN ${c} SET NOT NULL;\nALTER TABLE ${table} DROP CONSTRAINT ${check};`,
        },
      });
    }
  },
});

function defaultLiteral(type: string): string {
  if (/^(int|numeric|float|decimal|real|double|money)/.test(type)) return "0";
  if (/^bool/.test(type)) return "false";
  if (/^timestamp|^date/.test(type)) return "now()";
  if (/^jsonb?$/.test(type)) return "'{}'";
  return "''";
}
