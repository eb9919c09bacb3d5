import { z } from "zod";
import { changesOfKind } from "../changes.js";
import { defineMigrationRule } from "../types.js";
import { altersTable, display, earlierInFile, isExisting, lookup, quoteIdent, sizeText, smallSeverity, sqlName, tableChanges, terminated, timeoutSql, withSeverity } from "./_shared.js";
import type { CheckInfo } from "./_context.js";

/** The CHECK expression equivalent to a single-column range or list bound, if it can be written. */
function boundCheck(sql: string, key: string | undefined): string | undefined {
  const column = key ? quoteIdent(key) : "partition_key";
  const range = /FOR\s+VALUES\s+FROM\s*\((.*?)\)\s*TO\s*\((.*?)\)\s*;?\s*$/is.exec(sql);
  if (range) {
    const [lo, hi] = [range[1]!.trim(), range[2]!.trim()];
    if (lo.includes(",") || hi.includes(",")) return undefined;
    const parts = [`${column} IS NOT NULL`];
    if (!/^minvalue$/i.test(lo)) parts.push(`${column} >= ${lo}`);
    if (!/^maxvalue$/i.test(hi)) parts.push(`${column} < ${hi}`);
    return parts.join(" AND ");
  }
  const inList = /FOR\s+VALUES\s+IN\s*\((.*)\)\s*;?\s*$/is.exec(sql);
  if (inList) return `${column} IS NOT NULL AND ${column} IN (${inList[1]!.trim()})`;
  return undefined;
}

export default defineMigrationRule({
  meta: {
    id: "attach-partition-without-check",
    category: "locking",
    severity: "warning",
    summary: "ATTACH PARTITION of an existing table without a validated CHECK matching the bound scans it under ACCESS EXCLUSIVE.",
    rationale:
      "Attaching a table as a partition checks that every row fits the partition bound, reading the whole table while it is locked ACCESS EXCLUSIVE (and, before PostgreSQL 12, the parent too). PostgreSQL skips that scan when a validated CHECK constraint on the table already implies the bound. Add such a CHECK NOT VALID, VALIDATE it in a later transaction (no blocking), attach, then drop the CHECK. A DEFAULT partition, if the parent has one, is still scanned for rows of the new bound. The check can only see whether a validated CHECK exists, not prove that it implies the bound. A table about to be attached is judged by a known row count only: it is a slice of a partitioned table, usually loaded for the purpose, and its structure says nothing about its size.",
    badExample: "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
    goodExample:
      "ALTER TABLE events_2024 ADD CONSTRAINT events_2024_bound CHECK (at IS NOT NULL AND at >= '2024-01-01' AND at < '2025-01-01') NOT VALID;\n-- next migration\nALTER TABLE events_2024 VALIDATE CONSTRAINT events_2024_bound;\n-- next migration\nALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nALTER TABLE events_2024 DROP CONSTRAINT events_2024_bound;",
    fix: "Add a CHECK matching the bound NOT VALID, VALIDATE it in a later transaction, then ATTACH PARTITION and drop the CHECK.",
  },
  options: z.object({}).strict(),
  check(ctx) {
    const attach = tableChanges(ctx, "attach-partition")[0];
    const partition = attach?.partition;
    if (!attach || !partition || !isExisting(ctx, partition)) return;
    let checks: CheckInfo[] | undefined = lookup(ctx).checkConstraints?.(partition);
    if (!checks) {
      // No catalog facts: look at what the file did to the partition before this statement.
      const earlier = earlierInFile(ctx).filter((c) => altersTable(c.changes, partition));
      const validated = new Set(earlier.flatMap((c) => changesOfKind(c.changes, "validate-constraint").map((v) => v.name)));
      checks = earlier
        .flatMap((c) => tableChanges(c, "add-constraint"))
        .filter((a) => a.constraint === "check")
        .map((a) => ({ name: a.name, expression: "", validated: !a.notValid || validated.has(a.name) }));
    }
    if (checks.some((c) => c.validated)) return;
    const unvalidated = checks.find((c) => !c.validated);
    const parent = attach.table;
    const key = /^\s*(?:RANGE|LIST)\s*\(\s*"?(\w+)"?\s*\)\s*$/i.exec(lookup(ctx).partitionKey?.(parent) ?? "")?.[1];
    const expr = boundCheck(ctx.statement.sql, key);
    const p = sqlName(partition);
    const name = quoteIdent(`${partition.name}_bound`.slice(0, 63));
    const sql = expr
      ? `ALTER TABLE ${p} ADD CONSTRAINT ${name} CHECK (${expr}) NOT VALID;\n-- later migration: scans without blocking reads or writes\nALTER TABLE ${p} VALIDATE CONSTRAINT ${name};\n` +
        `-- later migration: the valid CHECK lets the attach skip the scan\n${terminated(ctx.statement.sql)}\nALTER TABLE ${p} DROP CONSTRAINT ${name};`
      : `-- this bound cannot be written as a simple CHECK: attach in a quiet window, failing fast\n${timeoutSql(ctx)}\n${terminated(ctx.statement.sql)}`;
    ctx.report(
      withSeverity(
        {
          message: `ATTACH PARTITION ${display(partition)} (${sizeText(ctx, partition)}) scans it under ACCESS EXCLUSIVE${ctx.pgVersion < 12 ? `, with ${display(parent)} locked ACCESS EXCLUSIVE too (before PG 12)` : ""}: ${unvalidated ? `CHECK ${unvalidated.name} is not validated yet, so it cannot replace the scan` : "no validated CHECK on it implies the partition bound"}.`,
          fix: {
            description: "Prove the bound first with a CHECK added NOT VALID and validated in a later transaction; the attach then skips the scan.",
            sql,
          },
        },
        // A table loaded to become a slice of a partitioned table: only a known row count says it is small.
        ctx.rows(partition) !== undefined ? smallSeverity(ctx, [partition]) : undefined,
      ),
    );
  },
});
