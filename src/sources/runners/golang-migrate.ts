/** golang-migrate (and pop/popx): <version>_<name>.up.sql in the folder itself, by version number. */
import type { SkippedInput } from "../types.js";
import type { Runner } from "./types.js";
import { byteCompare, type Entry, type Folder, type Plan, plural, skip, skipUnused } from "./folder.js";

const GOLANG_MIGRATE_NAME = /^([0-9]+)_(.*)\.(up|down)\.sql$/;

/**
 * golang-migrate (source/parse.go) reads only the folder itself, parses the leading
 * digits as uint64 and runs migrations by that number, so `2_` < `10_`.
 */
export function planGolangMigrate(f: Folder): Plan | null {
  const top = f.sql.filter((rel) => !rel.includes("/"));
  const ups: Array<{ rel: string; num: bigint; version: string; name: string }> = [];
  let matched = 0;
  for (const rel of top) {
    const m = GOLANG_MIGRATE_NAME.exec(rel);
    if (!m) continue;
    matched++;
    if (m[3] === "up") ups.push({ rel, num: BigInt(m[1]!), version: m[1]!, name: m[2]! });
  }
  if (ups.length === 0 || matched * 2 < top.length) return null;

  // Postgres-tagged variants first, so they win over the untagged file of the same version.
  const rank = (u: (typeof ups)[number]) => (popDialect(u.name) === "postgres" ? 0 : 1);
  ups.sort((a, b) => (a.num < b.num ? -1 : a.num > b.num ? 1 : rank(a) - rank(b) || byteCompare(a.rel, b.rel)));
  const entries: Entry[] = [];
  const skipped: SkippedInput[] = [];
  const used = new Set(top.filter((rel) => GOLANG_MIGRATE_NAME.exec(rel)?.[3] === "down"));
  let previous: (typeof ups)[number] | undefined;
  for (const u of ups) {
    used.add(u.rel);
    const dialect = popDialect(u.name);
    if (dialect && dialect !== "postgres") {
      skipped.push(skip(f.display(u.rel), u.rel, `tagged for ${dialect}: the runner (pop/popx) runs it only on that database`));
      continue;
    }
    if (previous && previous.num === u.num && popDialect(previous.name) === "postgres" && !dialect) {
      skipped.push(skip(f.display(u.rel), u.rel, `${previous.rel} is the postgres variant of this version; the runner (pop/popx) runs that one instead`));
      continue;
    }
    if (previous && previous.num === u.num) {
      skipped.push(skip(f.display(u.rel), u.rel, `same version as ${previous.rel}; golang-migrate refuses duplicate versions`));
      continue;
    }
    previous = u;
    entries.push({ display: f.display(u.rel), abs: f.absOf(u.rel), migration: { version: u.version, name: u.name } });
  }
  skipUnused(f, used, skipped, "golang-migrate only runs <version>_<name>.up.sql files directly in the folder");
  return { layout: "golang-migrate", entries, skipped };
}

/** pop/popx dialect names a migration file can be tagged with (`<version>_<name>.<dialect>[.autocommit].up.sql`). */
const POP_DIALECTS: Record<string, string> = {
  postgres: "postgres",
  postgresql: "postgres",
  pg: "postgres",
  cockroach: "cockroach",
  cockroachdb: "cockroach",
  crdb: "cockroach",
  mysql: "mysql",
  mariadb: "mysql",
  sqlite: "sqlite3",
  sqlite3: "sqlite3",
};

/**
 * The dialect tag of a pop/popx migration name (after the version), if any: pop runs a
 * dialect-tagged file only on that database, and for a version that has both, the tagged
 * file instead of the untagged one.
 */
export function popDialect(name: string): string | undefined {
  const m = /^[^.]+\.([a-z0-9]+)(?:\.autocommit)?$/.exec(name);
  return m ? POP_DIALECTS[m[1]!] : undefined;
}

// -- dbmate -----------------------------------------------------------------------

export const golangMigrateRunner: Runner = {
  layout: "golang-migrate",
  describe: (count) => `golang-migrate migrations (${plural(count, "migration")})`,
  history: true,
  transaction: (_file, options) =>
    options.golangMigrate?.multiStatement
        ? {
            mode: "per-statement",
            reason:
              "golang-migrate's postgres driver with x-multi-statement=true splits the file at `;` and runs each part with " +
              "its own ExecContext, outside any transaction",
            optedOut: false,
            afterCommit: "per-statement",
            notes: [
              "The split is on the delimiter, not on SQL tokens: a `;` inside a function body or string splits the statement " +
                "(newer releases have a dollar-quote aware splitter).",
            ],
          }
        : {
            mode: "implicit-multi-statement",
            reason:
              "golang-migrate's postgres driver reads the whole file and runs it with one ExecContext without arguments; " +
              "lib/pq sends that as one simple query, which PostgreSQL runs as one implicit transaction when it holds more " +
              "than one statement",
            optedOut: false,
            afterCommit: "one-block",
            notes: [
              "There is no per-file opt-out: put a statement that cannot run in a transaction block alone in its own file, " +
                "or run with x-multi-statement=true.",
            ],
          },
};
