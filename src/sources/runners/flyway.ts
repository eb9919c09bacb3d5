/** Flyway: V<version>__<name>.sql by version, then R__ repeatables; per-file transaction settings in .sql.conf. */
import path from "node:path";
import { splitSql } from "../split.js";
import type { OrderedFile, SkippedInput } from "../types.js";
import type { FileTransaction, Runner, TransactionOptions } from "./types.js";
import { basename, byteCompare, type Entry, type Folder, type Plan, plural, skip, skipUnused } from "./folder.js";

const FLYWAY_NAME = /^([VURB])([^/]*?)__(.*)\.sql$/;

/**
 * Flyway scans its location recursively. Versioned `V<version>__<desc>.sql` run by
 * MigrationVersion order (`_` read as `.`, parts compared as integers, trailing zero
 * parts ignored, so 1.10 > 1.9 and 1.0 == 1), then repeatable `R__<desc>.sql` by
 * description (MigrationInfoImpl.compareTo). Undo and baseline scripts are not run by
 * `migrate` on an empty database.
 */
export function planFlyway(f: Folder): Plan | null {
  const versioned: Array<{ rel: string; parts: bigint[]; version: string; desc: string }> = [];
  const repeatable: Array<{ rel: string; desc: string }> = [];
  const skipped: SkippedInput[] = [];
  const used = new Set<string>();
  let flywayNamed = 0;
  for (const rel of f.sql) {
    const m = FLYWAY_NAME.exec(basename(rel));
    if (!m) continue;
    const [, prefix, rawVersion, rawDesc] = m as unknown as [string, string, string, string];
    const desc = rawDesc.replace(/_/g, " ");
    if (prefix === "R") {
      if (rawVersion !== "") continue;
      flywayNamed++;
      used.add(rel);
      repeatable.push({ rel, desc });
      continue;
    }
    const version = rawVersion.replace(/_/g, ".");
    const parts = parseFlywayVersion(version);
    if (!parts) continue;
    flywayNamed++;
    used.add(rel);
    if (prefix === "V") versioned.push({ rel, parts, version, desc });
    else if (prefix === "U") skipped.push(skip(f.display(rel), rel, "Flyway undo migration; only `flyway undo` runs it"));
    else skipped.push(skip(f.display(rel), rel, "Flyway baseline migration; `flyway migrate` runs the versioned migrations instead"));
  }
  if (versioned.length === 0 || flywayNamed * 2 < f.sql.length) return null;

  versioned.sort((a, b) => compareFlywayVersions(a.parts, b.parts) || byteCompare(a.rel, b.rel));
  repeatable.sort((a, b) => (a.desc < b.desc ? -1 : a.desc > b.desc ? 1 : byteCompare(a.rel, b.rel)));

  const entries: Entry[] = [];
  let previous: (typeof versioned)[number] | undefined;
  for (const v of versioned) {
    if (previous && compareFlywayVersions(previous.parts, v.parts) === 0) {
      skipped.push(skip(f.display(v.rel), v.rel, `same version as ${previous.rel}; Flyway refuses duplicate versions`));
      continue;
    }
    previous = v;
    entries.push({ display: f.display(v.rel), abs: f.absOf(v.rel), migration: { version: v.version, name: v.desc } });
  }
  for (const r of repeatable) {
    entries.push({ display: f.display(r.rel), abs: f.absOf(r.rel), migration: { version: "R", name: r.desc } });
  }
  skipUnused(f, used, skipped, "not named V<version>__<description>.sql or R__<description>.sql; Flyway ignores it");
  return { layout: "flyway", entries, skipped };
}

function parseFlywayVersion(version: string): bigint[] | null {
  if (!/^\d+(\.\d+)*$/.test(version)) return null;
  const parts = version.split(".").map((p) => BigInt(p));
  while (parts.length > 1 && parts[parts.length - 1] === 0n) parts.pop();
  return parts;
}

function compareFlywayVersions(a: bigint[], b: bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0n;
    const y = b[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

// -- golang-migrate -------------------------------------------------------------

const FLYWAY_DIRECTIVE = /^[ \t]*--[ \t]*flyway:executeInTransaction[ \t]*=[ \t]*(\S+)/im;

function flyway(file: OrderedFile, readFile: (p: string) => string | undefined, options: NonNullable<TransactionOptions["flyway"]>): FileTransaction {
  const notes: string[] = [];
  const confPath = `${file.path}.conf`;
  const conf = readFile(confPath);
  let override: boolean | undefined;
  let source: string | undefined;
  if (conf !== undefined) {
    const setting = readFlywayScriptConfig(conf);
    if (setting.kind === "invalid") {
      return {
        mode: "per-file",
        reason: `Flyway rejects the script configuration ${confPath}: ${setting.why}`,
        optedOut: false,
        source: confPath,
        afterCommit: "one-block",
        rejected: `${confPath}: ${setting.why}`,
        notes,
      };
    }
    if (setting.value !== undefined) {
      override = setting.value;
      source = confPath;
    }
  }

  const directive = FLYWAY_DIRECTIVE.exec(file.text);
  if (directive && override === undefined) {
    const value = directive[1]!.toLowerCase();
    if (options.honorInFileDirective && (value === "true" || value === "false")) {
      override = value === "true";
      source = file.path;
    } else if (!options.honorInFileDirective) {
      notes.push(
        `The file has a \`-- flyway:executeInTransaction=${directive[1]}\` comment. The open-source Flyway code read for this ` +
          `model takes executeInTransaction only from ${path.basename(confPath)} (SqlScriptMetadata.getMetadataResource), ` +
          "so the comment is not honoured here; set flyway.honorInFileDirective if your Flyway edition reads it.",
      );
    }
  }

  const nonTransactional = flywayNonTransactional(file.text, options.serverVersion ?? 12);
  const transactional = nonTransactional.total - nonTransactional.found.length;

  if (override === false) {
    return {
      mode: "per-statement",
      reason:
        `Flyway migration opted out with executeInTransaction=false in ${source === file.path ? "an in-file directive" : path.basename(confPath)}: ` +
        "each statement runs with autocommit",
      optedOut: true,
      ...(source ? { source } : {}),
      afterCommit: "per-statement",
      notes: [...notes, "A failure part-way leaves the statements before it committed, and Flyway records the migration as failed."],
    };
  }
  if (override === true) {
    if (nonTransactional.found.length > 0) {
      notes.push(
        `executeInTransaction=true forces a transaction although Flyway would have detected ${nonTransactional.found.join(", ")} ` +
          "as non-transactional: those statements will fail.",
      );
    }
    return flywayInTransaction(options, notes, source);
  }
  if (options.executeInTransaction === false) {
    return {
      mode: "per-statement",
      reason: "Flyway runs with executeInTransaction=false for every migration: each statement runs with autocommit",
      optedOut: false,
      afterCommit: "per-statement",
      notes,
    };
  }
  if (nonTransactional.found.length > 0) {
    if (transactional > 0 && !options.mixed) {
      // ParserSqlScript.parse(), message as Flyway throws it.
      const rejected =
        "Detected both transactional and non-transactional statements within the same migration (even though mixed is " +
        `false). Offending statement found at ${nonTransactional.offending ?? "?"}`;
      return {
        mode: "per-file",
        reason:
          `Flyway refuses this migration: it mixes ${nonTransactional.found.join(", ")} (non-transactional) with ` +
          `transactional statements; move them to their own migration, set mixed=true, or add ${path.basename(confPath)}`,
        optedOut: false,
        afterCommit: "one-block",
        rejected,
        notes,
      };
    }
    return {
      mode: "per-statement",
      reason:
        `Flyway's PostgreSQL parser marks ${nonTransactional.found.join(", ")} as unable to run in a transaction, so it runs ` +
        (transactional > 0 ? "this migration (mixed=true) " : "this migration ") +
        "without a transaction, each statement with autocommit",
      optedOut: false,
      afterCommit: "per-statement",
      notes: [
        ...notes,
        ...(options.group ? ["With group=true a non-transactional migration among transactional ones fails unless mixed=true."] : []),
      ],
    };
  }
  return flywayInTransaction(options, notes, source);
}

function flywayInTransaction(options: NonNullable<TransactionOptions["flyway"]>, notes: string[], source?: string): FileTransaction {
  const base = {
    optedOut: false,
    ...(source ? { source } : {}),
    afterCommit: "one-block" as const,
  };
  if (options.group) {
    return {
      ...base,
      mode: "whole-run",
      reason: "Flyway with group=true applies all pending migrations in one transaction",
      notes: [...notes, "Locks taken by an early migration are held until the last pending migration has run."],
    };
  }
  return {
    ...base,
    mode: "per-file",
    reason:
      "Flyway runs each migration in its own transaction on PostgreSQL (DbMigrate.applyMigrations); a `<script>.sql.conf` " +
      "with executeInTransaction=false opts out",
    notes,
  };
}

function readFlywayScriptConfig(text: string): { kind: "ok"; value: boolean | undefined } | { kind: "invalid"; why: string } {
  let value: boolean | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (!m || m[1] !== "executeInTransaction") continue;
    const raw = m[2]!.trim().toLowerCase();
    if (raw === "true") value = true;
    else if (raw === "false") value = false;
    else return { kind: "invalid", why: `executeInTransaction=${m[2]!.trim()} is not a boolean` };
  }
  return { kind: "ok", value };
}

/** Flyway's PostgreSQLParser.detectCanExecuteInTransaction, applied to the leading keywords of each statement. */
const FLYWAY_NON_TRANSACTIONAL: RegExp[] = [
  /^(CREATE|DROP) (DATABASE|TABLESPACE|SUBSCRIPTION)$/,
  /^ALTER SYSTEM$/,
  /^(CREATE|DROP)( UNIQUE)? INDEX CONCURRENTLY$/,
  /^REINDEX( VERBOSE)? (SCHEMA|DATABASE|SYSTEM)$/,
  /^VACUUM$/,
  /^DISCARD ALL$/,
];

const FLYWAY_ADD_VALUE = /^ALTER TYPE( .*)? ADD VALUE$/;

/** Parser.getTransactionalDetectionCutoff: only the first ten keywords are looked at. */
const FLYWAY_CUTOFF = 10;

interface FlywayScan {
  total: number;
  /** Leading keywords of each statement Flyway marks non-transactional. */
  found: string[];
  /** The statement at which Flyway (mixed = false) throws, as it reports it. */
  offending?: string;
}

function flywayNonTransactional(text: string, serverVersion: number): FlywayScan {
  const found: string[] = [];
  let transactionalSeen = false;
  let offending: string | undefined;
  const { statements } = splitSql(text);
  for (const range of statements) {
    const sql = text.slice(range.start, range.end);
    const words = leadingKeywords(sql, FLYWAY_CUTOFF);
    let nonTransactional = false;
    for (let k = 1; k <= words.length; k++) {
      const simplified = words.slice(0, k).join(" ");
      if (FLYWAY_NON_TRANSACTIONAL.some((re) => re.test(simplified)) || (serverVersion < 12 && FLYWAY_ADD_VALUE.test(simplified))) {
        found.push(words.slice(0, Math.min(k, 4)).join(" "));
        nonTransactional = true;
        break;
      }
    }
    if (!nonTransactional) transactionalSeen = true;
    if (offending === undefined && transactionalSeen && found.length > 0) {
      const line = text.slice(0, range.start).split("\n").length;
      offending = `line ${line}: ${sql}${nonTransactional ? " [non-transactional]" : ""}`;
    }
  }
  return offending === undefined ? { total: statements.length, found } : { total: statements.length, found, offending };
}

/** Unquoted words outside parentheses, upper-cased, the way Flyway's parser collects keywords. */
function leadingKeywords(sql: string, limit: number): string[] {
  const words: string[] = [];
  let depth = 0;
  let i = 0;
  while (i < sql.length && words.length < limit) {
    const c = sql[i]!;
    if (c === "-" && sql[i + 1] === "-") {
      const nl = sql.indexOf("\n", i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === "'" || c === '"') {
      const close = sql.indexOf(c, i + 1);
      i = close < 0 ? sql.length : close + 1;
    } else if (c === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? sql.length : close + tag[0].length;
      } else i++;
    } else if (c === "(") {
      depth++;
      i++;
    } else if (c === ")") {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))!;
      if (depth === 0) words.push(m[0].toUpperCase());
      i += m[0].length;
    } else i++;
  }
  return words;
}

// -- dbmate ----------------------------------------------------------------------------------

export const flywayRunner: Runner = {
  layout: "flyway",
  describe: (count) => `Flyway migrations (${plural(count, "migration")})`,
  history: true,
  transaction: (file, options, readFile) => flyway(file, readFile, options.flyway ?? {}),
};
