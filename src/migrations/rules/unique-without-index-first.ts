import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { nameList, nodeAs, statementAs } from "../../sources/ast.js";
import { columnDefOf, addedConstraints, alterCommands, display, fileContexts, insertAfter, isExisting, quoteIdent, rangeVar, sizeText, smallSeverity, sqlName, succeedsOnlyWhenEmpty, terminated, withSeverity, SIZE_EVIDENCE, typeText } from "./_shared.js";

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
    const index = statementAs(ctx.statement, "IndexStmt");
    if (index) {
      const table = rangeVar(index.relation);
      return index.unique === true && index.concurrent === true && !!table && isExisting(ctx, table);
    }
    return addedConstraints(ctx.statement).some((a) => a.con.indexname !== undefined && isExisting(ctx, a.table));
  },
  check(ctx) {
    const alter = alterCommands(ctx.statement);
    if (!alter || alter.isIndex || !isExisting(ctx, alter.rel)) return;
    const table = alter.rel;
    // A statement that rewrites the table rebuilds its indexes anyway, and the key often includes the
    // column whose type changes, so no index can be built ahead; the rewrite is the finding to act on.
    if (ctx.effect.rewrite === "yes") return;
    // Beside a NOT NULL column added without a default, the statement only succeeds on an empty table: the build is instant.
    if (succeedsOnlyWhenEmpty(ctx.statement)) return;
    const size = sizeText(ctx, table);
    const severity = smallSeverity(ctx, [table]);
    const recipe = (name: string, what: string, columns: string[]) =>
      `-- migration 1, outside a transaction block\nCREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${sqlName(table)} (${columns.map(quoteIdent).join(", ")});\n` +
      `-- migration 2: attaching the index takes a moment${what === "PRIMARY KEY" ? " (the columns must already be NOT NULL)" : ""}\n` +
      `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${quoteIdent(name)} ${what} USING INDEX ${quoteIdent(name)};`;

    for (const added of addedConstraints(ctx.statement)) {
      if (added.contype !== "CONSTR_UNIQUE" && added.contype !== "CONSTR_PRIMARY") continue;
      const what = added.contype === "CONSTR_PRIMARY" ? "PRIMARY KEY" : "UNIQUE";
      const indexName = added.con.indexname;
      if (indexName) {
        const file = fileContexts(ctx).map((c) => c.statement);
        const built = file
          .slice(0, file.indexOf(ctx.statement))
          .find((s) => statementAs(s, "IndexStmt")?.idxname === indexName);
        if (!built || statementAs(built, "IndexStmt")?.concurrent === true) continue;
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
      const columns = nameList(added.con.keys);
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

    for (const cmd of alter.cmds) {
      const def = columnDefOf(cmd);
      if (cmd.subtype !== "AT_AddColumn" || !def) continue;
      const kinds = (def.constraints ?? []).map((c) => nodeAs(c, "Constraint")?.contype);
      const what = kinds.includes("CONSTR_PRIMARY") ? "PRIMARY KEY" : kinds.includes("CONSTR_UNIQUE") ? "UNIQUE" : undefined;
      const column = def.colname;
      if (!what || !column) continue;
      const name = `${table.name}_${what === "PRIMARY KEY" ? "pkey" : `${column}_key`}`;
      ctx.report(
        withSeverity(
          {
            message: `ADD COLUMN ${column} … ${what} on existing table ${display(table)} (${size}) builds the index under ACCESS EXCLUSIVE.`,
            discriminator: `column:${column}`,
            fix: {
              description: `Add the column without ${what}, build the unique index concurrently, then attach it as the constraint.`,
              sql: `ALTER TABLE ${sqlName(table)} ADD COLUMN ${quoteIdent(column)} ${typeText(def.typeName) ?? "bigint"};\n${recipe(name, what, [column])}`,
            },
          },
          severity,
        ),
      );
    }
  },
});
