/** Diesel: one folder per migration with up.sql (and an optional metadata.toml), ordered by version. */
import path from "node:path";
import type { OrderedFile, SkippedInput } from "../types.js";
import type { FileTransaction, Runner } from "./types.js";
import { afterFirst, byteCompare, type Folder, folderEntry, type Plan, plural, skip, skipUnused } from "./folder.js";

/**
 * Diesel: the version is the folder name up to the first `_` with `-` removed
 * (migrations_internals::version_from_string) and migrations run sorted by that
 * version as a plain string (MigrationVersion is an ordered Cow<str>), so
 * `2017-08-31-230457` (→ 20170831230457) sorts after `20170708133715`, and `10` before `9`.
 */
export function planDiesel(f: Folder, withUpSql: string[]): Plan {
  const skipped: SkippedInput[] = [];
  const have = new Set(withUpSql);
  for (const dir of f.dirs) {
    if (!have.has(dir)) skipped.push(skip(f.display(dir), dir, "folder has no up.sql; Diesel would refuse this migrations folder"));
  }
  const keyed = withUpSql.map((dir) => ({ dir, key: dir.split("_")[0]!.replace(/-/g, "") }));
  keyed.sort((a, b) => byteCompare(a.key, b.key) || byteCompare(a.dir, b.dir));
  const entries = keyed.map(({ dir, key }) => {
    const entry = folderEntry(f, dir, "up.sql");
    entry.migration = { version: key, name: afterFirst(dir, "_") };
    return entry;
  });
  const used = new Set<string>();
  for (const dir of withUpSql) used.add(`${dir}/up.sql`).add(`${dir}/down.sql`);
  skipUnused(f, used, skipped, "not the up.sql of a migration folder; Diesel does not run it");
  return { layout: "diesel", entries, skipped };
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

export const dieselRunner: Runner = {
  layout: "diesel",
  describe: (count) => `Diesel migrations (${plural(count, "migration")})`,
  history: true,
  transaction: (file, _options, readFile) => diesel(file, readFile),
};
