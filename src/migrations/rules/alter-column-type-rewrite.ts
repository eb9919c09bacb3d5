import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { CAST_RELABEL_NOTE } from "../locks.js";
import type { RelationRef } from "../../sources/ast.js";
import { altersTable, batchedUpdateSql, changeEffect, display, usingText, isExisting, blockNeighbours, tableChanges, quoteIdent, sizeText, smallSeverity, sqlName, withSeverity, SIZE_EVIDENCE, lookup, typeText, type Ctx } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "alter-column-type-rewrite",
    category: "locking",
    severity: "warning",
    summary: "ALTER COLUMN … TYPE that is not binary coercible rewrites the table and every index under ACCESS EXCLUSIVE.",
    rationale:
      "Changing a column's type copies every row into a new file and rebuilds all the table's indexes while holding ACCESS EXCLUSIVE, unless the old and new types are binary coercible (varchar(n) to text or a longer varchar, numeric to a larger precision with the same scale, cidr to inet, …). Without a rewrite, Postgres still checks every row against the column's CHECK constraints again and rebuilds the indexes whose operator class changes (text to citext). Whether a change is free can depend on the old type, a domain or extension type, or the session TimeZone (timestamp to timestamptz); when it cannot be told, the finding says so. The online way is a new column: add it, keep it in step with a trigger, backfill in batches, switch reads, then drop the old one. " + SIZE_EVIDENCE,
    badExample: "ALTER TABLE orders ALTER COLUMN id TYPE bigint;",
    goodExample:
      "ALTER TABLE orders ADD COLUMN id_new bigint;\n-- trigger copies id to id_new on write; backfill in batches; switch reads\nALTER TABLE orders DROP COLUMN id;\nALTER TABLE orders RENAME COLUMN id_new TO id;",
    fix: "Add a column of the new type, sync it with a trigger, backfill in batches, move the code to it, then drop the old column and rename.",
  },
  options: z.object({}).strict(),
  check(ctx) {
    const changes = tableChanges(ctx, "alter-column-type").filter((c) => c.column);
    const t = changes[0]?.table;
    if (!t || !isExisting(ctx, t)) return;
    // One finding per table and transaction: the first rewrite's fix covers the table (and one ALTER TABLE rewrites once).
    if (blockNeighbours(ctx).before.some((c) => altersTable(c.changes, t) && c.effect.rewrite !== "no")) return;
    for (const change of changes) {
      const effect = changeEffect(ctx, change);
      const column = change.column;
      // A relabelling cast (text → citext) keeps the rows but rebuilds the column's indexes under the lock.
      const rebuilt = effect.rewrite === "no" && effect.notes.some((n) => n.includes(CAST_RELABEL_NOTE)) ? (lookup(ctx).columnIndexes?.(t, column) ?? []) : [];
      const rechecked = effect.rewrite === "no" ? (lookup(ctx).columnChecks?.(t, column) ?? []) : [];
      if (effect.rewrite === "no" && rebuilt.length === 0 && rechecked.length === 0) continue;
      const type = typeText(change.type) ?? "new_type";
      const table = sqlName(t);
      const [c, n] = [quoteIdent(column), quoteIdent(`${column}_new`)];

      const fn = quoteIdent(`${t.name}_${column}_sync`.slice(0, 63));
      const note = (effect.rewrite === "yes" ? effect.notes.find((x) => /→|USING/.test(x)) : effect.notes[0]) ?? "";
      const head = note.split(/:|;| rewrites/)[0]!.trim();
      const why = !head ? "it depends on facts the check does not have" : effect.rewrite === "yes" && head.includes("→") ? `${head} is not binary coercible` : head;
      const usingExpr = usingText(ctx.statement.sql);
      const value = usingExpr ? `(${usingExpr})` : `${c}::${type}`;
      const fromNew = usingExpr ? `(SELECT ${value} FROM (SELECT NEW.${c} AS ${c}) AS r)` : `NEW.${c}::${type}`;
      if (rebuilt.length === 0 && rechecked.length > 0) {
        ctx.report(withSeverity(recheckFinding(ctx, t, column, type, rechecked), smallSeverity(ctx, [t])));
        continue;
      }
      ctx.report(
        withSeverity(
          {
            message: rebuilt.length
              ? `ALTER COLUMN ${column} TYPE ${type} on existing table ${display(t)} (${sizeText(ctx, t)}) keeps the rows (the cast only relabels them) but rebuilds ${rebuilt.join(", ")} under ACCESS EXCLUSIVE: reads and writes wait for the build.`
              : `ALTER COLUMN ${column} TYPE ${type} on existing table ${display(t)} (${sizeText(ctx, t)}) ${effect.rewrite === "yes" ? "rewrites the table and rebuilds its indexes under ACCESS EXCLUSIVE" : "may rewrite the table under ACCESS EXCLUSIVE"}: ${why.replace(/\.$/, "")}.`,
            discriminator: column,
            fix: {
              description: `Expand and contract: a new ${type} column kept in step by a trigger, backfilled in batches, then swapped in.`,
              sql:
                `ALTER TABLE ${table} ADD COLUMN ${n} ${type};\n` +
                `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.${n} := ${fromNew}; RETURN NEW; END $$;\n` +
                `CREATE TRIGGER ${fn} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}();\n` +
                `${batchedUpdateSql(ctx, t, `UPDATE ${table} SET ${n} = ${value}`)}\n` +
                `-- deploy code that reads ${column}_new, then in one short transaction:\n` +
                `ALTER TABLE ${table} DROP COLUMN ${c};\nALTER TABLE ${table} RENAME COLUMN ${n} TO ${c};\nDROP TRIGGER ${fn} ON ${table};\nDROP FUNCTION ${fn}();`,
            },
          },
          smallSeverity(ctx, [t]),
        ),
      );
    }
  },
});

/**
 * No rewrite and no index to rebuild, but CHECK constraints on the column: Postgres checks every
 * row against them again under ACCESS EXCLUSIVE. Dropping them first and adding them back NOT VALID,
 * validated afterwards, keeps the lock brief.
 */
function recheckFinding(ctx: Ctx, t: RelationRef, column: string, type: string, checks: { name: string; expression: string }[]) {
  const table = sqlName(t);
  const names = checks.map((c) => c.name).join(", ");
  const readd = checks.map((c) => `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(c.name)} CHECK (${c.expression}) NOT VALID;`);
  const validate = checks.map((c) => `ALTER TABLE ${table} VALIDATE CONSTRAINT ${quoteIdent(c.name)};`);
  return {
    message: `ALTER COLUMN ${column} TYPE ${type} on existing table ${display(t)} (${sizeText(ctx, t)}) keeps the rows but checks every one against ${names} again under ACCESS EXCLUSIVE: reads and writes wait for the scan.`,
    discriminator: column,
    fix: {
      description: `Drop the CHECK first, change the type (a brief lock), add the CHECK back NOT VALID and validate it separately, which lets reads and writes go on.`,
      sql: [
        "-- in one transaction (the migration's own):",
        ...checks.map((c) => `ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(c.name)};`),
        `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column)} TYPE ${type};`,
        ...readd,
        "-- then in the next migration (SHARE UPDATE EXCLUSIVE: reads and writes go on):",
        ...validate,
      ].join("\n"),
    },
  };
}
