/** dbmate: <version>_<name>.sql files by name; only their `-- migrate:up` sections run, each with its own options. */
import { promises as fs } from "node:fs";
import type { OrderedFile, SkippedInput } from "../types.js";
import type { FileSection, FileTransaction, Runner } from "./types.js";
import { byteCompare, type Entry, type Folder, type Plan, plural, skip, skipUnused } from "./folder.js";

const DBMATE_NAME = /^(\d+).*\.sql$/;

// dbmate's own directive patterns (pkg/dbmate/migration.go).
const DBMATE_UP = /^--\s*migrate:up(\s*$|\s+\S+)/m;

const DBMATE_DIRECTIVE = /^--\s*migrate:(up|down)(\s*$|\s+\S+)/gm;

/**
 * dbmate reads only the folder itself, takes files matching `^(\d+).*\.sql$` and
 * sorts them by file name as a plain string (`sort.Slice(... FileName < FileName)`),
 * so `10_x.sql` runs before `9_x.sql`; it only runs the `-- migrate:up` blocks.
 */
export async function planDbmate(f: Folder): Promise<Plan | null> {
  const candidates = f.sql.filter((rel) => !rel.includes("/") && DBMATE_NAME.test(rel));
  if (candidates.length === 0) return null;
  const texts = new Map<string, string>();
  for (const rel of candidates) texts.set(rel, await fs.readFile(f.absOf(rel), "utf8"));
  const withUp = candidates.filter((rel) => DBMATE_UP.test(texts.get(rel)!));
  if (withUp.length === 0 || withUp.length * 2 < candidates.length) return null;

  const skipped: SkippedInput[] = [];
  for (const rel of candidates) {
    if (!withUp.includes(rel)) {
      skipped.push(skip(f.display(rel), rel, "has no `-- migrate:up` block; dbmate refuses to run it"));
    }
  }
  const ordered = [...withUp].sort(byteCompare);
  const entries = ordered.map((rel): Entry => {
    const m = /^(\d+)_?(.*)\.sql$/.exec(rel)!;
    return {
      display: f.display(rel),
      abs: f.absOf(rel),
      text: texts.get(rel)!,
      transform: keepDbmateUp,
      migration: { version: m[1]!, name: m[2]! },
    };
  });
  skipUnused(f, new Set(candidates), skipped, "dbmate only runs files named <version>_<name>.sql directly in the folder");
  return { layout: "dbmate", entries, skipped };
}

/**
 * Keep only the `-- migrate:up` blocks (each runs from its directive to the next
 * directive or the end of the file); everything else becomes spaces, line breaks kept,
 * so offsets, lines and columns stay those of the original file.
 */
export function keepDbmateUp(text: string): string {
  const directives = [...text.matchAll(DBMATE_DIRECTIVE)].map((m) => ({ at: m.index ?? 0, up: m[1] === "up" }));
  let out = "";
  let cursor = 0;
  directives.forEach((d, i) => {
    if (!d.up) return;
    const end = directives[i + 1]?.at ?? text.length;
    out += blank(text.slice(cursor, d.at)) + text.slice(d.at, end);
    cursor = end;
  });
  return out + blank(text.slice(cursor));
}

function blank(s: string): string {
  return s.replace(/[^\r\n]/g, " ");
}

// -- numbered / plain -------------------------------------------------------------

/** dbmate's own patterns (pkg/dbmate/migration.go). */
const DBMATE_UP_SECTIONS = /^--\s*migrate:up(\s*$|\s+\S+)/gm;

const DBMATE_DIRECTIVE_PREFIX = /^--\s*migrate:(up|down)/;

function dbmate(file: OrderedFile, readFile: (p: string) => string | undefined): FileTransaction {
  let text = file.text;
  let ups = [...text.matchAll(DBMATE_UP_SECTIONS)];
  const notes: string[] = [];
  if (ups.length === 0) {
    // The OrderedFile from layouts.ts keeps the directive lines (keepDbmateUp blanks only what
    // lies outside the up blocks); a text without them is read again from the original file.
    const original = readFile(file.path);
    if (original !== undefined) {
      text = original;
      ups = [...text.matchAll(DBMATE_UP_SECTIONS)];
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

export const dbmateRunner: Runner = {
  layout: "dbmate",
  describe: (count) => `dbmate migrations (${plural(count, "migration")})`,
  history: true,
  transaction: (file, _options, readFile) => dbmate(file, readFile),
};
