/**
 * The plan's files in the layout of the project's migration runner, each with the runner's own way
 * of running a file outside a transaction when a step needs it (dbmate's transaction:false, Flyway's
 * .sql.conf, Diesel's metadata.toml; golang-migrate and Prisma send a one-statement file on its own).
 * How each runner reads these files is the model in src/sources/runners; this writes what it reads.
 */
import { transactionFor } from "../migrations/transactions.js";
import type { LayoutName } from "../sources/types.js";
import { fileSql, type PlanFile } from "./files.js";

/** Layouts the plan writes; any other input is written as numbered SQL files for psql. */
export const PLAN_LAYOUTS = ["numbered-sql", "golang-migrate", "dbmate", "flyway", "diesel", "prisma"] as const;
export type PlanLayout = (typeof PLAN_LAYOUTS)[number];

export interface WrittenFile {
  /** Path relative to the output folder. */
  path: string;
  text: string;
}

export function planLayoutFor(layout: LayoutName | undefined): { layout: PlanLayout; note?: string } {
  if (layout && (PLAN_LAYOUTS as readonly string[]).includes(layout)) return { layout: layout as PlanLayout };
  if (layout === "drizzle") return { layout: "numbered-sql", note: "drizzle's journal is written by drizzle-kit: the plan is written as numbered SQL files for psql (-f, one file at a time) instead" };
  return { layout: "numbered-sql" };
}

/** The files of a plan for `layout`, versions starting at `firstVersion` (after the history's last). */
export function writeLayout(files: PlanFile[], layout: PlanLayout, firstVersion: bigint): WrittenFile[] {
  // Zero-padded to one width: Prisma and Diesel order migration folders by name, so 10_ must not come before 9_.
  const width = Math.max(layout === "numbered-sql" ? 4 : 1, String(firstVersion + BigInt(Math.max(0, files.length - 1))).length);
  return files.flatMap((file, i) => layoutFile(file, layout, String(firstVersion + BigInt(i)).padStart(width, "0")));
}

/**
 * A file that must run outside a transaction block, for a runner that sends the whole file as one
 * query (the runner model says "implicit-multi-statement"), must hold that one statement alone:
 * a second one, even SET lock_timeout, makes PostgreSQL wrap both in an implicit transaction. Its
 * statements (CONCURRENTLY, ADD VALUE, a DO block) do not queue writes behind a lock wait anyway.
 */
function layoutFile(file: PlanFile, layout: PlanLayout, version: string): WrittenFile[] {
  const written = filesFor(file, layout, version, true);
  if (file.transaction) return written;
  const main = written[0]!;
  const readFile = (p: string) => written.find((w) => w.path === p)?.text;
  const mode = transactionFor(layout, { path: main.path, text: main.text }, { readFile }).mode;
  return mode === "implicit-multi-statement" ? filesFor(file, layout, version, false) : written;
}

function filesFor(file: PlanFile, layout: PlanLayout, version: string, lockTimeout: boolean): WrittenFile[] {
  const name = `${file.phase}_${file.name}`.replace(/[^A-Za-z0-9_]+/g, "_").toLowerCase();
  const sql = fileSql(file, { lockTimeout });
  switch (layout) {
    case "numbered-sql":
      // psql -f commits each statement on its own: a transactional step is one explicit block.
      return [{ path: `${version}_${name}.sql`, text: file.transaction && file.statements.length > 1 ? wrapInBlock(sql) : sql }];
    case "golang-migrate":
      return [
        { path: `${version}_${name}.up.sql`, text: sql },
        { path: `${version}_${name}.down.sql`, text: "-- schemawise plan: steps are undone by planning back (schemawise plan --from desired --to current)\n" },
      ];
    case "dbmate":
      return [{ path: `${version}_${name}.sql`, text: `-- migrate:up${file.transaction ? "" : " transaction:false"}\n${sql}\n-- migrate:down\n` }];
    case "flyway":
      return [{ path: `V${version}__${name}.sql`, text: sql }, ...(file.transaction ? [] : [{ path: `V${version}__${name}.sql.conf`, text: "executeInTransaction=false\n" }])];
    case "diesel": {
      const folder = `${version}_${name}`;
      return [
        { path: `${folder}/up.sql`, text: sql },
        { path: `${folder}/down.sql`, text: "-- schemawise plan: steps are undone by planning back\n" },
        ...(file.transaction ? [] : [{ path: `${folder}/metadata.toml`, text: "run_in_transaction = false\n" }]),
      ];
    }
    case "prisma":
      return [{ path: `${version}_${name}/migration.sql`, text: sql }];
  }
}

function wrapInBlock(sql: string): string {
  const lines = sql.trimEnd().split("\n");
  // After the header and lock_timeout, so each schemawise-ignore line stays just above its statement.
  const start = lines.findIndex((l) => !l.startsWith("-- schemawise plan") && !l.startsWith("-- ") ) ;
  const at = lines[start]?.startsWith("SET lock_timeout") ? start + 1 : start;
  return [...lines.slice(0, at), "BEGIN;", ...lines.slice(at), "COMMIT;", ""].join("\n");
}
