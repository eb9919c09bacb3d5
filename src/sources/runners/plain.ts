/** Plain SQL files run with psql -f: a numbered folder (by number) or any folder (natural order). */
import type { LayoutName } from "../types.js";
import type { FileTransaction, Runner, TransactionOptions } from "./types.js";
import { byteCompare, type Entry, type Folder, type Plan, plural } from "./folder.js";

/** A flat folder whose `.sql` names all start with a number: by that number, then name. */
export function planNumbered(f: Folder): Plan | null {
  if (!f.sql.every((rel) => !rel.includes("/") && /^\d/.test(rel))) return null;
  const keyed = f.sql.map((rel) => {
    const m = /^(\d+)[_\-.\s]*(.*?)\.sql$/i.exec(rel)!;
    return { rel, num: BigInt(m[1]!), version: m[1]!, name: m[2]! };
  });
  keyed.sort((a, b) => (a.num < b.num ? -1 : a.num > b.num ? 1 : byteCompare(a.rel, b.rel)));
  const entries = keyed.map(
    (k): Entry => ({ display: f.display(k.rel), abs: f.absOf(k.rel), migration: { version: k.version, name: k.name } }),
  );
  return { layout: "numbered-sql", entries, skipped: [] };
}

const naturalOrder = new Intl.Collator(undefined, { numeric: true });

export function planSqlFiles(f: Folder): Plan {
  const entries = [...f.sql]
    .sort((a, b) => naturalOrder.compare(a, b) || byteCompare(a, b))
    .map((rel): Entry => ({ display: f.display(rel), abs: f.absOf(rel) }));
  return { layout: "sql-files", entries, skipped: [] };
}

// ---------------------------------------------------------------------------
// Helpers

function plainSql(options: NonNullable<TransactionOptions["psql"]>): FileTransaction {
  if (options.singleTransaction) {
    return {
      mode: options.oneInvocation ? "whole-run" : "per-file",
      reason:
        "psql --single-transaction sends BEGIN before the first -f file and COMMIT after the last one" +
        (options.oneInvocation ? " (all files in one invocation)" : " (one invocation per file)"),
      optedOut: false,
      afterCommit: "per-statement",
      notes: [
        "psql sends the statements one at a time; a COMMIT in the file ends psql's transaction and the statements after it " +
          "run with autocommit (psql's closing COMMIT then only warns).",
      ],
    };
  }
  return {
    mode: "per-statement",
    reason:
      "plain SQL files are assumed to run with `psql -f`: psql splits the file itself and sends each statement as its own " +
      "query, so each commits on its own unless the file has explicit BEGIN/COMMIT",
    optedOut: false,
    afterCommit: "per-statement",
    notes: ["Another runner would change this: pass the psql options, or the layout of the real runner."],
  };
}

// ---------------------------------------------------------------------------------------------
// Transaction blocks

function psqlRunner(layout: LayoutName, history: boolean, what: string): Runner {
  return { layout, describe: (count) => plural(count, what), history, transaction: (_file, options) => plainSql(options.psql ?? {}) };
}

export const numberedSqlRunner = psqlRunner("numbered-sql", true, "numbered SQL file");
export const sqlFilesRunner = psqlRunner("sql-files", false, "SQL file");
/** A live database has no files; its schema is read, never run. */
export const liveRunner = psqlRunner("live", false, "SQL file");
