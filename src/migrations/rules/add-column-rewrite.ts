import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { batchedUpdateSql, changeEffect, defaultText, display, isExisting, parenGroupAfter, quoteIdent, sizeText, smallSeverity, sqlName, tableChanges, withSeverity, SIZE_EVIDENCE, typeText } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "add-column-rewrite",
    category: "locking",
    severity: "warning",
    summary: "ADD COLUMN that rewrites the table: a volatile default, any default before PG 11, serial, identity or a STORED generated column.",
    rationale:
      "Most ADD COLUMN forms only change the catalog. Some need a value computed for every existing row, and then PostgreSQL rewrites the whole table and its indexes under ACCESS EXCLUSIVE: a volatile default such as gen_random_uuid() or clock_timestamp(), any default before PostgreSQL 11, serial/bigserial and identity columns (a sequence value per row), and GENERATED … STORED columns. Add the column without the per-row value, give new rows their value with SET DEFAULT, and fill the old rows in small batches. " + SIZE_EVIDENCE,
    badExample: "ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();",
    goodExample:
      "ALTER TABLE orders ADD COLUMN public_id uuid;\nALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();\n-- backfill in batches of 1,000, then make it NOT NULL (see set-not-null)",
    fix: "Add the column plain, SET DEFAULT for new rows, backfill existing rows in batches, then add NOT NULL through a validated CHECK.",
  },
  options: z.object({}).strict(),
  check(ctx) {
    for (const added of tableChanges(ctx, "add-column")) {
      const t = added.table;
      if (!isExisting(ctx, t)) continue;
      const table = sqlName(t);
      const effect = changeEffect(ctx, added);
      if (effect.rewrite === "no") continue;
      const column = added.column;
      const c = quoteIdent(column);
      const why = (effect.notes.find((n) => !/^NOT NULL without|UNIQUE \/ PRIMARY KEY index/.test(n)) ?? "every row gets its own value").split(";")[0]!.replace(/\.$/, "");
      const type = typeText(added.type) ?? "bigint";
      let sql: string;
      if (added.serial || added.identity) {
        const seq = quoteIdent(`${t.name}_${column}_seq`.slice(0, 63));
        sql =
          `CREATE SEQUENCE ${seq} AS ${type};\nALTER TABLE ${table} ADD COLUMN ${c} ${type};\nALTER TABLE ${table} ALTER COLUMN ${c} SET DEFAULT nextval('${seq}');\n` +
          `ALTER SEQUENCE ${seq} OWNED BY ${table}.${c};\n${batchedUpdateSql(ctx, t, `UPDATE ${table} SET ${c} = nextval('${seq}') WHERE ${c} IS NULL`)}\n-- then NOT NULL through a validated CHECK (see set-not-null)`;
      } else if (added.generated) {
        const expr = parenGroupAfter(ctx.statement.sql, added.generated.location ?? 0) ?? "NULL";
        sql =
          (ctx.pgVersion >= 18 ? `-- PG 18+: a virtual column is computed on read, no rewrite\nALTER TABLE ${table} ADD COLUMN ${c} ${type} GENERATED ALWAYS AS (${expr}) VIRTUAL;\n-- or: ` : "-- ") +
          `a plain column kept current by a trigger, backfilled in batches\nALTER TABLE ${table} ADD COLUMN ${c} ${type};\n${batchedUpdateSql(ctx, t, `UPDATE ${table} SET ${c} = (${expr})`)}`;
      } else {
        const expr = defaultText(ctx.statement.sql, added.default?.location) ?? "NULL";
        const notNull = added.notNull;
        sql =
          `ALTER TABLE ${table} ADD COLUMN ${c} ${type};\n-- new rows get the default; existing rows stay NULL for now\nALTER TABLE ${table} ALTER COLUMN ${c} SET DEFAULT ${expr};\n` +
          `${batchedUpdateSql(ctx, t, `UPDATE ${table} SET ${c} = ${expr} WHERE ${c} IS NULL`)}${notNull ? "\n-- then NOT NULL through a validated CHECK (see set-not-null)" : ""}`;
      }
      ctx.report(
        withSeverity(
          {
            message: `ADD COLUMN ${column} ${effect.rewrite === "yes" ? "rewrites" : "may rewrite"} existing table ${display(t)} (${sizeText(ctx, t)}) under ACCESS EXCLUSIVE: ${why}.`,
            discriminator: column,
            fix: {
              description: "Add the column without a per-row value, let SET DEFAULT cover new rows, and backfill existing rows in batches of 1,000, each in its own transaction.",
              sql,
            },
          },
          smallSeverity(ctx, [t]),
        ),
      );
    }
  },
});
