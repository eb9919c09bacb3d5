/**
 * The transaction model: for each migration file, how its runner sends it to PostgreSQL (inside
 * one transaction per file, one transaction for the whole run, statement by statement, or the
 * whole file as one multi-statement simple query), how a file opts out, and which transaction
 * blocks the server really sees once explicit BEGIN/COMMIT in the file are taken into account.
 *
 * This decides whether a statement that refuses to run in a transaction block (CREATE INDEX
 * CONCURRENTLY, VACUUM, …) fails, and how long the locks a statement takes are held: until the
 * end of the block it runs in. Every runner's behaviour here was read from its source; the
 * table, the sources (repository + path) and what could not be verified are in
 * docs/transaction-model.md. The PostgreSQL behaviour is checked against a real server by
 * test/migrations/transactions.test.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { splitSql } from "../sources/split.js";
import type { AstNode, LayoutName, OrderedFile, Statement } from "../sources/types.js";
import { optionEnabled } from "../sources/ast.js";

export type TransactionMode = "per-file" | "whole-run" | "per-statement" | "implicit-multi-statement";

/**
 * After an in-file COMMIT or ROLLBACK has ended the runner's transaction, how the rest of the
 * file runs: "one-block" when the rest is still one transaction (the runner sent the whole file
 * as one simple query, so PostgreSQL opens an implicit block for the remaining statements; or a
 * JDBC driver with autocommit off opens a new transaction), "per-statement" when each remaining
 * statement commits on its own (psql --single-transaction, drizzle's per-chunk execute).
 */
export type AfterCommit = "one-block" | "per-statement";

export interface FileTransaction {
  mode: TransactionMode;
  /** Why, naming the runner's rule, e.g. "Diesel wraps each migration in a transaction (…)". */
  reason: string;
  /** The file (or its companion file) asked the runner not to wrap it in a transaction. */
  optedOut: boolean;
  /** Path of the file that carries the opt-out (metadata.toml, V2__x.sql.conf, the dbmate file). */
  source?: string;
  /** What happens to the rest of the file after an explicit COMMIT/ROLLBACK in it. */
  afterCommit: AfterCommit;
  /** The runner refuses the file before running any of it, and why. */
  rejected?: string;
  /** dbmate only: each `-- migrate:up` section runs on its own, with its own option. */
  sections?: FileSection[];
  /** Conditions, version differences and things the model could not know. */
  notes: string[];
}

export interface FileSection {
  /** Character offsets of the section in `file.text` (from its directive to the next one). */
  start: number;
  end: number;
  /** 1-based line of the section's `-- migrate:up` directive. */
  line: number;
  mode: TransactionMode;
  optedOut: boolean;
  reason: string;
}

export interface TransactionOptions {
  /** Reads a companion file (metadata.toml, *.sql.conf, the original dbmate file); undefined when missing. */
  readFile?: (path: string) => string | undefined;
  prisma?: {
    /**
     * "single-query" (the default): the schema engine sends migration.sql as one simple query
     * (prisma-engines before the statement splitting of PR #5767, Feb 2026). "split-statements":
     * later engines split the script and send each statement on its own.
     */
    engine?: "single-query" | "split-statements";
  };
  flyway?: {
    /** Global `flyway.executeInTransaction` (default true). */
    executeInTransaction?: boolean;
    /** `flyway.mixed`: allow transactional and non-transactional statements in one migration (default false). */
    mixed?: boolean;
    /** `flyway.group`: all pending migrations in one transaction (default false). */
    group?: boolean;
    /**
     * Treat a `-- flyway:executeInTransaction=false` comment like the `.sql.conf` setting. Off by
     * default: the open-source Flyway code read for this model only reads the `.conf` file.
     */
    honorInFileDirective?: boolean;
    /** PostgreSQL major version Flyway connects to; ALTER TYPE … ADD VALUE is non-transactional below 12. */
    serverVersion?: number;
  };
  golangMigrate?: {
    /** `x-multi-statement=true` in the database URL: the file is split at `;` and sent statement by statement. */
    multiStatement?: boolean;
  };
  /** Plain SQL files (numbered-sql, sql-files) are assumed to be run with `psql -f`. */
  psql?: {
    /** `psql -1` / `--single-transaction`. */
    singleTransaction?: boolean;
    /** All files in one psql invocation (`psql -1 -f a.sql -f b.sql`): one transaction for the run. */
    oneInvocation?: boolean;
  };
}

const defaultReadFile = (p: string): string | undefined => {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return undefined;
  }
};

/** How the runner of `layout` executes `file`. */
export function transactionFor(layout: LayoutName, file: OrderedFile, options: TransactionOptions = {}): FileTransaction {
  const readFile = options.readFile ?? defaultReadFile;
  switch (layout) {
    case "prisma":
      return prisma(options);
    case "drizzle":
      return {
        mode: "whole-run",
        reason:
          "drizzle-orm's migrator runs every pending migration inside one session.transaction() and executes each " +
          "`--> statement-breakpoint` chunk with tx.execute(); there is no per-file opt-out",
        optedOut: false,
        afterCommit: "per-statement",
        notes: [
          "One transaction for all pending migrations: a failure in any file rolls back every file of the run, and a lock " +
            "taken by an early file is held until the last file has run.",
          "Statements that cannot run in a transaction block (CREATE INDEX CONCURRENTLY, …) always fail under drizzle's migrator.",
          "A COMMIT inside a file ends drizzle's transaction; the chunks after it (this file and later files) then commit " +
            "one by one, and drizzle's final COMMIT only warns. Chunks are modelled as statements.",
        ],
      };
    case "diesel":
      return diesel(file, readFile);
    case "flyway":
      return flyway(file, readFile, options.flyway ?? {});
    case "golang-migrate":
      return options.golangMigrate?.multiStatement
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
          };
    case "dbmate":
      return dbmate(file, readFile);
    case "numbered-sql":
    case "sql-files":
    case "live":
      return plainSql(options.psql ?? {});
  }
}

// ---------------------------------------------------------------------------------------------
// Runners

function prisma(options: TransactionOptions): FileTransaction {
  if (options.prisma?.engine === "split-statements") {
    return {
      mode: "per-statement",
      reason:
        "Prisma's schema engine (since prisma-engines PR #5767) splits migration.sql into statements and sends each " +
        "with its own simple query, outside any transaction",
      optedOut: false,
      afterCommit: "per-statement",
      notes: [
        "When the engine's SQL parser cannot parse the script (e.g. DROP INDEX CONCURRENTLY before PR #5847), it falls back " +
          "to sending the whole script as one simple query, i.e. one implicit transaction.",
        "A failure part-way leaves the statements before it committed.",
      ],
    };
  }
  return {
    mode: "implicit-multi-statement",
    reason:
      "Prisma's schema engine applies migration.sql with one client.simple_query(script) and no BEGIN; PostgreSQL runs a " +
      "multi-statement simple query as one implicit transaction",
    optedOut: false,
    afterCommit: "one-block",
    notes: [
      "No per-migration opt-out: a statement that cannot run in a transaction block works only as the only statement of " +
        "its migration.sql.",
      "Engines from prisma-engines PR #5767 (Feb 2026) on split the script instead (option prisma.engine = \"split-statements\").",
    ],
  };
}

function diesel(file: OrderedFile, readFile: (p: string) => string | undefined): FileTransaction {
  const metadataPath = path.join(path.dirname(file.path), "metadata.toml");
  const text = readFile(metadataPath);
  const inTransaction: FileTransaction = {
    mode: "per-file",
    reason:
      "Diesel wraps each migration in a transaction (conn.transaction around batch_execute of up.sql and the version " +
      "insert); metadata.toml `run_in_transaction = false` opts out",
    optedOut: false,
    afterCommit: "one-block",
    notes: [],
  };
  if (text === undefined) return inTransaction;

  const parsed = readDieselMetadata(text);
  if (parsed.kind === "invalid") {
    inTransaction.notes.push(
      `${metadataPath} is not valid TOML for Diesel (${parsed.why}); Diesel ignores it and uses the default, a transaction.`,
    );
    inTransaction.source = metadataPath;
    return inTransaction;
  }
  if (parsed.value === true) {
    inTransaction.source = metadataPath;
    return inTransaction;
  }
  const notes = [
    "Diesel then sends up.sql with one batch_execute (libpq PQexec): a multi-statement file still runs as one implicit " +
      "transaction, so a statement that cannot run in a transaction block must be the only statement of up.sql.",
  ];
  if (parsed.value === undefined) {
    notes.unshift(
      "metadata.toml exists but has no top-level run_in_transaction key. Diesel's TomlMetadata declares the field " +
        "`#[serde(default)] run_in_transaction: bool`, so a missing key reads as false: this migration runs without a " +
        "transaction. (Without any metadata.toml the default is true.)",
    );
  }
  if (parsed.uncertain) notes.push(`Part of ${metadataPath} was not understood by this model: ${parsed.uncertain}.`);
  return {
    mode: "implicit-multi-statement",
    reason:
      parsed.value === false
        ? "Diesel migration opted out with metadata.toml `run_in_transaction = false`: up.sql runs without a runner transaction"
        : "Diesel migration has a metadata.toml without run_in_transaction, which Diesel reads as false: up.sql runs without a runner transaction",
    optedOut: true,
    source: metadataPath,
    afterCommit: "one-block",
    notes,
  };
}

type DieselMetadata =
  | { kind: "invalid"; why: string }
  | { kind: "ok"; value: boolean | undefined; uncertain?: string };

/** The top-level `run_in_transaction` of a Diesel metadata.toml, read the way serde + toml would. */
export function readDieselMetadata(text: string): DieselMetadata {
  let table = "";
  let value: boolean | undefined;
  let uncertain: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = stripTomlComment(rawLine).trim();
    if (line === "") continue;
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(line);
    if (header) {
      table = header[1]!;
      continue;
    }
    const pair = /^("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (!pair) {
      uncertain ??= `line \`${rawLine.trim()}\``;
      continue;
    }
    const key = pair[1]!.replace(/^["']|["']$/g, "");
    if (table !== "" || key !== "run_in_transaction") continue;
    const raw = pair[2]!.trim();
    if (value !== undefined) return { kind: "invalid", why: "run_in_transaction is defined twice" };
    if (raw === "true") value = true;
    else if (raw === "false") value = false;
    else return { kind: "invalid", why: `run_in_transaction = ${raw} is not a boolean` };
  }
  return uncertain ? { kind: "ok", value, uncertain } : { kind: "ok", value };
}

function stripTomlComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return line.slice(0, i);
  }
  return line;
}

// -- Flyway ----------------------------------------------------------------------------------

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

/** dbmate's own patterns (pkg/dbmate/migration.go). */
const DBMATE_UP = /^--\s*migrate:up(\s*$|\s+\S+)/gm;
const DBMATE_DIRECTIVE_PREFIX = /^--\s*migrate:(up|down)/;

function dbmate(file: OrderedFile, readFile: (p: string) => string | undefined): FileTransaction {
  let text = file.text;
  let ups = [...text.matchAll(DBMATE_UP)];
  const notes: string[] = [];
  if (ups.length === 0) {
    // The OrderedFile from layouts.ts keeps the directive lines (keepDbmateUp blanks only what
    // lies outside the up blocks); a text without them is read again from the original file.
    const original = readFile(file.path);
    if (original !== undefined) {
      text = original;
      ups = [...text.matchAll(DBMATE_UP)];
    }
  }
  if (ups.length === 0) {
    return {
      mode: "per-file",
      reason: "no `-- migrate:up` directive found; dbmate would refuse this file (its default is a transaction per migration)",
      optedOut: false,
      afterCommit: "one-block",
      rejected: "dbmate requires each migration to define an up block with '-- migrate:up'",
      notes,
    };
  }
  const sections: FileSection[] = ups.map((m, i) => {
    const start = m.index ?? 0;
    const end = ups[i + 1]?.index ?? text.length;
    const directiveLine = text.slice(start, text.indexOf("\n", start) < 0 ? text.length : text.indexOf("\n", start));
    const transaction = dbmateOptions(directiveLine).transaction !== "false";
    const line = text.slice(0, start).split("\n").length;
    return transaction
      ? {
          start,
          end,
          line,
          mode: "per-file" as const,
          optedOut: false,
          reason: "dbmate runs the up block in a transaction (BEGIN, one Exec of the whole block, the version insert, COMMIT)",
        }
      : {
          start,
          end,
          line,
          mode: "implicit-multi-statement" as const,
          optedOut: true,
          reason:
            `dbmate up block opted out with \`${directiveLine.trim()}\` (line ${line}): it runs with one Exec outside a ` +
            "transaction, which lib/pq sends as one simple query",
        };
  });
  const first = sections[0]!;
  const optedOut = sections.some((s) => s.optedOut);
  if (sections.length > 1) {
    notes.push(
      `${sections.length} \`-- migrate:up\` sections: dbmate (1.x with section support) runs each section on its own, with its own ` +
        "transaction option; use `sections` (or fileTransactionBlocks) rather than the file-level mode.",
    );
  }
  if (sections.some((s) => s.mode === "implicit-multi-statement")) {
    notes.push(
      "Without a transaction dbmate still sends the whole up block with one Exec: with more than one statement PostgreSQL " +
        "runs them as one implicit transaction, so a statement that cannot run in a transaction block must be alone in its block.",
    );
  }
  return {
    mode: first.mode,
    reason:
      sections.length === 1
        ? first.reason
        : `dbmate migration with ${sections.length} up sections; the first: ${first.reason}`,
    optedOut,
    ...(optedOut ? { source: file.path } : {}),
    afterCommit: "one-block",
    sections,
    notes,
  };
}

/** dbmate's parseMigrationOptions: `key:value` pairs after the directive on its line. */
function dbmateOptions(directiveLine: string): Record<string, string> {
  const options: Record<string, string> = {};
  const rest = directiveLine.replace(DBMATE_DIRECTIVE_PREFIX, "").trim();
  if (rest === "") return options;
  for (const pair of rest.split(/\s+/)) {
    const parts = pair.split(":");
    if (parts.length === 2) options[parts[0]!] = parts[1]!;
  }
  return options;
}

// -- plain SQL (psql) ------------------------------------------------------------------------

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

export type BlockOpener = "runner" | "begin" | "implicit" | "after-commit" | "autocommit";
export type BlockEnd =
  /** The runner's COMMIT at the end of the file (per-file) or of the run (whole-run). */
  | "runner-commit"
  | "commit"
  | "rollback"
  | "prepare-transaction"
  /** An implicit block, or the rest of a file after an in-file COMMIT, ends with the file. */
  | "end-of-file"
  /** A statement on its own, committed when it ends. */
  | "statement-end"
  /** BEGIN without COMMIT: still open when the file ends. */
  | "left-open";

export interface BlockFailure {
  statement: Statement;
  /** The error PostgreSQL raises. */
  message: string;
}

export interface TransactionBlock {
  statements: Statement[];
  /** The statements run inside a transaction block: locks are held until the block ends. */
  inTransaction: boolean;
  openedBy: BlockOpener;
  closedBy: BlockEnd;
  /** Warnings PostgreSQL issues and what an in-file BEGIN/COMMIT does to the runner's transaction. */
  notes: string[];
  /** Statements PostgreSQL will reject where they stand. */
  failures: BlockFailure[];
}

export interface BlockOptions {
  /** Defaults to "one-block"; pass `FileTransaction.afterCommit`. Used by "per-file" and "whole-run". */
  afterCommit?: AfterCommit;
  /** Server major version (ALTER TYPE … ADD VALUE cannot run in a transaction block before 12). Default 16. */
  pgVersion?: number;
}

type TxControl = "begin" | "commit" | "rollback" | "commit-chain" | "rollback-chain" | "prepare" | "savepoint" | "release" | "rollback-to";

function txControl(statement: Statement): TxControl | undefined {
  if (statement.kind !== "TransactionStmt" || !statement.ast) return undefined;
  const chain = statement.ast["chain"] === true;
  switch (statement.ast["kind"]) {
    case "TRANS_STMT_BEGIN":
    case "TRANS_STMT_START":
      return "begin";
    case "TRANS_STMT_COMMIT":
      return chain ? "commit-chain" : "commit";
    case "TRANS_STMT_ROLLBACK":
      return chain ? "rollback-chain" : "rollback";
    case "TRANS_STMT_PREPARE":
      return "prepare";
    case "TRANS_STMT_SAVEPOINT":
      return "savepoint";
    case "TRANS_STMT_RELEASE":
      return "release";
    case "TRANS_STMT_ROLLBACK_TO":
      return "rollback-to";
    default:
      return undefined;
  }
}

const SAVEPOINT_COMMAND: Record<string, string> = {
  savepoint: "SAVEPOINT",
  release: "RELEASE SAVEPOINT",
  "rollback-to": "ROLLBACK TO SAVEPOINT",
};

/**
 * Statements grouped into the transaction blocks Postgres will really see (explicit BEGIN/COMMIT
 * in the file included). For "whole-run", pass the statements of the whole run at once to follow
 * an in-file COMMIT across files.
 */
export function transactionBlocks(mode: TransactionMode, statements: Statement[], options: BlockOptions = {}): TransactionBlock[] {
  const real = statements.filter((s) => s.kind !== "Empty");
  const pgVersion = options.pgVersion ?? 16;
  let initial: "runner" | "implicit" | "none";
  let after: "block" | "autocommit";
  switch (mode) {
    case "per-file":
    case "whole-run":
      initial = "runner";
      after = (options.afterCommit ?? "one-block") === "one-block" ? "block" : "autocommit";
      break;
    case "implicit-multi-statement":
      // postgres.c exec_simple_query: use_implicit_block = (list_length(parsetree_list) > 1)
      initial = real.length > 1 ? "implicit" : "none";
      after = real.length > 1 ? "block" : "autocommit";
      break;
    case "per-statement":
      initial = "none";
      after = "autocommit";
      break;
  }

  const blocks: TransactionBlock[] = [];
  let cur: TransactionBlock | undefined;
  let kind: "runner" | "implicit" | "explicit" | undefined;
  let closedOnce = false;

  const open = (opener: BlockOpener, k: typeof kind): TransactionBlock => {
    cur = { statements: [], inTransaction: true, openedBy: opener, closedBy: "left-open", notes: [], failures: [] };
    kind = k;
    blocks.push(cur);
    return cur;
  };
  const close = (end: BlockEnd): void => {
    if (cur) cur.closedBy = end;
    cur = undefined;
    kind = undefined;
    closedOnce = true;
  };

  if (initial === "runner") open("runner", "runner");
  else if (initial === "implicit") open("implicit", "implicit");

  for (const s of real) {
    const tx = txControl(s);
    if (!cur && closedOnce && after === "block") open("after-commit", "implicit");

    if (!cur) {
      // Autocommit: the statement runs on its own.
      if (tx === "begin") {
        open("begin", "explicit").statements.push(s);
        continue;
      }
      const single: TransactionBlock = {
        statements: [s],
        inTransaction: false,
        openedBy: "autocommit",
        closedBy: "statement-end",
        notes: [],
        failures: [],
      };
      if (tx === "commit" || tx === "rollback" || tx === "prepare") {
        single.notes.push(`WARNING: there is no transaction in progress (${s.sql.trim()} outside a transaction block does nothing)`);
      } else if (tx === "commit-chain" || tx === "rollback-chain") {
        single.failures.push({ statement: s, message: `${tx === "commit-chain" ? "COMMIT" : "ROLLBACK"} AND CHAIN can only be used in transaction blocks` });
      } else if (tx && SAVEPOINT_COMMAND[tx]) {
        single.failures.push({ statement: s, message: `${SAVEPOINT_COMMAND[tx]} can only be used in transaction blocks` });
      }
      blocks.push(single);
      continue;
    }

    const block = cur;
    block.statements.push(s);
    const blocked = cannotRunInTransactionBlock(s, pgVersion);
    if (blocked) block.failures.push({ statement: s, message: `${blocked} cannot run inside a transaction block` });

    switch (tx) {
      case "begin":
        if (kind === "implicit") {
          kind = "explicit";
          block.notes.push(
            `${s.sql.trim()} (line ${s.location.line}) turns the implicit block into a regular one; the statements before it ` +
              "are included, and only an explicit COMMIT or ROLLBACK ends it",
          );
        } else {
          block.notes.push(
            `WARNING: there is already a transaction in progress: ${s.sql.trim()} at line ${s.location.line} has no effect` +
              (kind === "runner" ? " inside the runner's transaction" : ""),
          );
        }
        break;
      case "commit":
      case "rollback":
      case "prepare": {
        const end: BlockEnd = tx === "commit" ? "commit" : tx === "rollback" ? "rollback" : "prepare-transaction";
        if (kind === "runner") {
          block.notes.push(
            `${s.sql.trim()} at line ${s.location.line} ends the runner's transaction early` +
              (tx === "rollback" ? ", undoing everything before it in the transaction," : "") +
              "; the runner's own COMMIT will only warn (there is no transaction in progress)" +
              (tx === "rollback" ? " and the runner may still record the migration as applied" : ""),
          );
        } else if (kind === "implicit" && tx !== "prepare") {
          block.notes.push(
            `WARNING: there is no transaction in progress: ${s.sql.trim()} at line ${s.location.line} closes the implicit block`,
          );
        }
        close(end);
        break;
      }
      case "commit-chain":
      case "rollback-chain":
        if (kind === "implicit") {
          block.failures.push({ statement: s, message: `${tx === "commit-chain" ? "COMMIT" : "ROLLBACK"} AND CHAIN can only be used in transaction blocks` });
        } else {
          const wasRunner = kind === "runner";
          close(tx === "commit-chain" ? "commit" : "rollback");
          open("begin", "explicit");
          if (wasRunner) block.notes.push(`${s.sql.trim()} at line ${s.location.line} ends the runner's transaction and starts a new one`);
        }
        break;
      case "savepoint":
      case "release":
      case "rollback-to":
        if (kind === "implicit") {
          block.failures.push({ statement: s, message: `${SAVEPOINT_COMMAND[tx]} can only be used in transaction blocks` });
        }
        break;
      default:
        break;
    }
  }

  if (cur) {
    const last = cur;
    if (kind === "runner") last.closedBy = "runner-commit";
    else if (kind === "implicit") last.closedBy = "end-of-file";
    else {
      last.closedBy = "left-open";
      last.notes.push(
        "No COMMIT before the end of the file: the transaction is still open. psql rolls it back when it exits; a runner that " +
          "keeps the connection carries it into what it sends next.",
      );
    }
  }
  const result = blocks.filter((b) => b.statements.length > 0 || b.openedBy === "runner");
  const unparsed = real.find((s) => s.parseError);
  if (mode === "implicit-multi-statement" && real.length > 1 && unparsed && result[0]) {
    result[0].notes.push(
      `The file is parsed as a whole before anything runs: the syntax error at line ${unparsed.parseError!.location.line} ` +
        "stops every statement of it, including those before the error.",
    );
  }
  return result;
}

/** transactionBlocks for one file, following dbmate's per-section options. */
export function fileTransactionBlocks(tx: FileTransaction, statements: Statement[], options: BlockOptions = {}): TransactionBlock[] {
  const blockOptions = { afterCommit: tx.afterCommit, ...options };
  if (!tx.sections) return transactionBlocks(tx.mode, statements, blockOptions);
  return tx.sections.flatMap((section) =>
    transactionBlocks(
      section.mode,
      statements.filter((s) => s.offset >= section.start && s.offset < section.end),
      blockOptions,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Statements that refuse a transaction block

/**
 * The command name PostgreSQL reports when `statement` runs inside a transaction block
 * ("<name> cannot run inside a transaction block", xact.c PreventInTransactionBlock), or
 * undefined when it can run there.
 */
export function cannotRunInTransactionBlock(statement: Statement, pgVersion = 16): string | undefined {
  const ast = statement.ast;
  if (!ast) return undefined;
  switch (statement.kind) {
    case "IndexStmt":
      return ast["concurrent"] === true ? "CREATE INDEX CONCURRENTLY" : undefined;
    case "DropStmt":
      return ast["concurrent"] === true && ast["removeType"] === "OBJECT_INDEX" ? "DROP INDEX CONCURRENTLY" : undefined;
    case "ReindexStmt": {
      if (optionEnabled(ast["params"], "concurrently")) return "REINDEX CONCURRENTLY";
      const kind = ast["kind"];
      if (kind === "REINDEX_OBJECT_SCHEMA") return "REINDEX SCHEMA";
      if (kind === "REINDEX_OBJECT_SYSTEM") return "REINDEX SYSTEM";
      if (kind === "REINDEX_OBJECT_DATABASE") return "REINDEX DATABASE";
      return undefined;
    }
    case "VacuumStmt":
      return ast["is_vacuumcmd"] === true ? "VACUUM" : undefined;
    case "CreatedbStmt":
      return "CREATE DATABASE";
    case "DropdbStmt":
      return "DROP DATABASE";
    case "CreateTableSpaceStmt":
      return "CREATE TABLESPACE";
    case "DropTableSpaceStmt":
      return "DROP TABLESPACE";
    case "AlterSystemStmt":
      return "ALTER SYSTEM";
    case "DiscardStmt":
      return ast["target"] === "DISCARD_ALL" ? "DISCARD ALL" : undefined;
    case "AlterDatabaseStmt":
      return optionEnabled(ast["options"], "tablespace") ? "ALTER DATABASE SET TABLESPACE" : undefined;
    case "ClusterStmt":
      return ast["relation"] === undefined ? "CLUSTER" : undefined;
    case "AlterTableStmt":
      return detachConcurrently(ast) ? "ALTER TABLE ... DETACH CONCURRENTLY" : undefined;
    case "CreateSubscriptionStmt":
      return createsSlot(ast) ? "CREATE SUBSCRIPTION ... WITH (create_slot = true)" : undefined;
    case "AlterEnumStmt":
      return pgVersion < 12 && ast["oldVal"] === undefined ? "ALTER TYPE ... ADD" : undefined;
    default:
      return undefined;
  }
}

function defElems(list: unknown): AstNode[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => (item as { DefElem?: AstNode }).DefElem).filter((d): d is AstNode => d !== undefined);
}

function detachConcurrently(ast: AstNode): boolean {
  const cmds = Array.isArray(ast["cmds"]) ? (ast["cmds"] as Array<{ AlterTableCmd?: AstNode }>) : [];
  return cmds.some((c) => {
    const cmd = c.AlterTableCmd;
    if (!cmd || cmd["subtype"] !== "AT_DetachPartition") return false;
    const def = (cmd["def"] as { PartitionCmd?: AstNode } | undefined)?.PartitionCmd;
    return def?.["concurrent"] === true;
  });
}

/** CREATE SUBSCRIPTION creates a replication slot unless connect = false or create_slot = false. */
function createsSlot(ast: AstNode): boolean {
  for (const d of defElems(ast["options"])) {
    if (d["defname"] !== "create_slot" && d["defname"] !== "connect") continue;
    const arg = d["arg"] as { String?: { sval?: string }; Boolean?: { boolval?: boolean } } | undefined;
    const value = arg?.String?.sval ?? (arg?.Boolean ? String(arg.Boolean.boolval ?? false) : "true");
    if (/^(false|off|0|no)$/i.test(value)) return false;
  }
  return true;
}
