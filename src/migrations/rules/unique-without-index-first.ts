import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { changesOfKind, isTableChange } from "../changes.js";
import { indexName } from "../changes-names.js";
import { display, earlierInFile, insertAfter, isExisting, quoteIdent, sizeText, smallSeverity, sqlName, succeedsOnlyWhenEmpty, tableChanges, terminated, withSeverity, SIZE_EVIDENCE, typeText } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "unique-without-index-first",
    category: "locking",
    severity: "warning",
    summary: "UNIQUE or PRIMARY KEY added to an existing table builds its index under ACCESS EXCLUSIVE.",
    rationale:
      "Adding a UNIQUE or PRIMARY KEY constraint builds the backing index while the table is locked ACCESS EXCLUSIVE: no reads, no writes until every row has been read and sorted. Building the unique index first with CREATE UNIQUE INDEX CONCURRENTLY keeps the table available, and ADD CONSTRAINT … USING INDEX then only attaches it, which takes a moment. A primary key also needs its columns NOT NULL; make them NOT NULL first (see set-not-null) or the attach scans the table. " + SIZE_EVIDENCE,
    badExample: "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
    goodExample:
      "-- migration 1, outside a transaction block\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n-- migration 2\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;",
    fix: "Build the unique index with CREATE UNIQUE INDEX CONCURRENTLY in its own migration, then ADD CONSTRAINT … UNIQUE/PRIMARY KEY USING INDEX.",
  },
  options: z.object({}).strict(),
  safeForm(ctx) {
    const index = changesOfKind(ctx.changes, "create-index")[0];
    if (index) return index.unique && index.concurrently && isExisting(ctx, index.table);
    return tableChanges(ctx, "add-constraint").some((a) => a.usingIndex !== undefined && isExisting(ctx, a.table));
  },
  check(ctx) {
    const table = ctx.changes.find(isTableChange)?.table;
    if (!table || !isExisting(ctx, table) || tableChanges(ctx, "add-constraint").length + tableChanges(ctx, "add-column").length === 0) return;
    // A statement that rewrites the table rebuilds its indexes anyway, and the key often includes the
    // column whose type changes, so no index can be built ahead; the rewrite is the finding to act on.
    if (ctx.effect.rewrite === "yes") return;
    // Beside a NOT NULL column added without a default, the statement only succeeds on an empty table: the build is instant.
    if (succeedsOnlyWhenEmpty(ctx)) return;
    const size = sizeText(ctx, table);
    const severity = smallSeverity(ctx, [table]);
    const recipe = (name: string, what: string, columns: string[]) =>
      `-- migration 1, outside a transaction block\nCREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${sqlName(table)} (${columns.map(quoteIdent).join(", ")});\n` +
      `-- migration 2: attaching the index takes a moment${what === "PRIMARY KEY" ? " (the columns must already be NOT NULL)" : ""}\n` +
      `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${quoteIdent(name)} ${what} USING INDEX ${quoteIdent(name)};`;

    for (const added of tableChanges(ctx, "add-constraint")) {
      if (added.constraint !== "unique" && added.constraint !== "primary-key") continue;
      const what = added.constraint === "primary-key" ? "PRIMARY KEY" : "UNIQUE";
      const indexName = added.usingIndex;
      if (indexName) {
        const build = earlierInFile(ctx)
          .flatMap((c) => changesOfKind(c.changes, "create-index").map((index) => ({ index, built: c.statement })))
          .find(({ index }) => index.named && index.name === indexName);
        if (!build || build.index.concurrently) continue;
        const built = build.built;
        ctx.report(
          withSeverity(
            {
              message: `ADD ${what} USING INDEX ${indexName}, but that index was built without CONCURRENTLY at line ${built.location.line}: ${display(table)} (${size}) was locked for the build anyway.`,
              discriminator: added.name,
              fix: {
                description: "Build the index with CREATE UNIQUE INDEX CONCURRENTLY in its own migration, then attach it.",
                sql:
                  `-- migration 1, outside a transaction block\n${terminated(insertAfter(built.sql, "INDEX", "CONCURRENTLY"))}\n` +
                  `-- migration 2\nALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${quoteIdent(added.name)} ${what} USING INDEX ${quoteIdent(indexName)};`,
              },
            },
            severity,
          ),
        );
        continue;
      }
      const columns = added.columns;
      ctx.report(
        withSeverity(
          {
            message: `ADD ${what} ${added.name} on existing table ${display(table)} (${size}) builds its index under ACCESS EXCLUSIVE: reads and writes wait for the whole build.`,
            discriminator: added.name,
            fix: { description: "Build the unique index concurrently first, then add the constraint USING INDEX.", sql: recipe(added.name, what, columns) },
          },
          severity,
        ),
      );
    }

    for (const added of tableChanges(ctx, "add-column")) {
      const what = added.primaryKey ? "PRIMARY KEY" : added.unique ? "UNIQUE" : undefined;
      const column = added.column;
      if (!what || column === "?") continue;
      const name = indexName(table.name, [column], what === "PRIMARY KEY" ? "pkey" : "key");
      ctx.report(
        withSeverity(
          {
            message: `ADD COLUMN ${column} … ${what} on existing table ${display(table)} (${size}) builds the index under ACCESS EXCLUSIVE.`,
            discriminator: `column:${column}`,
            fix: {
              description: `Add the column without ${what}, build the unique index concurrently, then attach it as the constraint.`,
              sql: `ALTER TABLE ${sqlName(table)} ADD COLUMN ${quoteIdent(column)} ${typeText(added.type) ?? "bigint"};\n${recipe(name, what, [column])}`,
            },
          },
          severity,
        ),
      );
    }
  },
});
