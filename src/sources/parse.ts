import { loadModule, parseSync } from "libpg-query";
import { LineIndex } from "./location.js";
import { splitSql, type RawComment } from "./split.js";
import type { StatementBody, OrderedFile, SkippedInput, SourceComment, Statement, Suppression } from "./types.js";

let parserReady: Promise<void> | undefined;

/** Loads the WebAssembly Postgres parser once per process. */
export function ensureParser(): Promise<void> {
  parserReady ??= loadModule();
  return parserReady;
}

export interface ParsedFile {
  statements: Statement[];
  skipped: SkippedInput[];
}

/**
 * Splits one file into located statements and parses each with the real Postgres parser.
 * `firstIndex` is the run index the first statement gets. Call `ensureParser()` first.
 */
export function parseFile(file: OrderedFile, firstIndex: number): ParsedFile {
  const lines = new LineIndex(file.path, file.text);
  const { statements: all, comments, cut, psqlVariables } = splitSql(file.text);
  const suppressions = collectSuppressions(comments, lines);
  // psql leaves a `:name` with no value as written, and Postgres would only say "syntax error
  // at or near ':'": such statements are not run, and listed once per variable (see variables.ts).
  const unset = psqlVariables.filter((ref) => !ref.inBrackets);
  const unsetSkips = new Map<string, { first: SkippedInput["location"]; count: number }>();
  const raw = all.filter((range) => {
    const ref = unset.find((r) => r.start >= range.start && r.start < range.end);
    if (!ref) return true;
    const seen = unsetSkips.get(ref.name);
    if (seen) seen.count++;
    else
      unsetSkips.set(ref.name, { first: lines.location(range.start, range.end), count: 1 });
    return false;
  });
  const statements = raw.map((range, i): Statement => {
    const sql = file.text.slice(range.start, range.end);
    const location = lines.location(range.start, range.end);
    const statement: Statement = {
      index: firstIndex + i,
      sql,
      offset: range.start,
      location,
      kind: "Unparsed",
      suppressions: [],
      ...(file.migration ? { migration: file.migration } : {}),
    };
    Object.assign(statement, parseStatement(sql, range.start, lines));
    return statement;
  });
  attachSuppressions(statements, suppressions);
  attachComments(statements, comments, lines, file.text);
  const skipped = cut.map(
    (region): SkippedInput => ({
      location: lines.location(region.start, region.end),
      what: region.kind === "copy-data" ? `${region.summary} (${region.rows ?? 0} data rows)` : region.summary,
      reason:
        region.kind === "copy-data"
          ? "COPY … FROM stdin data is not loaded: design checks read the schema, not the rows"
          : "psql meta-command, not SQL: schemawise runs only SQL statements",
    }),
  );
  for (const [name, { first, count }] of unsetSkips) {
    skipped.push({
      location: first,
      what: `${count === 1 ? "1 statement" : `${count} statements`} using psql variable :${name}`,
      reason: `no value given for :${name}, so they are not run; set it under "variables" in the config or with --var ${name}=…`,
    });
  }
  return { statements, skipped };
}

function parseStatement(sql: string, offset: number, lines: LineIndex): Partial<Statement> {
  try {
    const result = parseSync(sql);
    const first = result.stmts?.[0]?.stmt as Record<string, StatementBody> | undefined;
    if (!first) return { kind: "Empty" };
    const kind = Object.keys(first)[0] ?? "Unknown";
    return { ast: first[kind]!, kind };
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const at = offset + Math.max(0, details?.cursorPosition ?? 0);
    return {
      kind: "Unparsed",
      parseError: { message: (error as Error).message, location: lines.location(at, at) },
    };
  }
}

const SUPPRESSION = /^(?:--|\/\*)\s*schemawise-ignore\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*(?::\s*([\s\S]*?))?\s*(?:\*\/)?\s*$/;

interface LocatedSuppression extends Suppression {
  offset: number;
}

function collectSuppressions(comments: RawComment[], lines: LineIndex): LocatedSuppression[] {
  const found: LocatedSuppression[] = [];
  for (const comment of comments) {
    const match = SUPPRESSION.exec(comment.text.trim());
    if (!match) continue;
    found.push({
      ruleIds: match[1]!.split(",").map((id) => id.trim()),
      reason: match[2]?.trim() ?? "",
      location: lines.location(comment.start, comment.end),
      offset: comment.start,
    });
  }
  return found;
}

/**
 * A suppression applies to the statement it sits in, to the statement that ended on the same
 * line just before it (a trailing comment), or else to the next statement below it.
 */
function attachSuppressions(statements: Statement[], suppressions: LocatedSuppression[]): void {
  for (const suppression of suppressions) {
    const { offset, ...plain } = suppression;
    const target =
      statements.find((s) => s.offset <= offset && offset <= s.offset + s.sql.length) ??
      statements.find((s) => s.offset < offset && s.location.endLine === suppression.location.line) ??
      statements.find((s) => s.offset > offset);
    target?.suppressions.push(plain);
  }
}

/** Gives each statement the comments written inside it or above it (after the previous statement). */
function attachComments(statements: Statement[], comments: RawComment[], lines: LineIndex, text: string): void {
  let next = 0;
  for (const statement of statements) {
    const end = statement.offset + statement.sql.length;
    const own: SourceComment[] = [];
    while (next < comments.length && comments[next]!.start < end) {
      const comment = comments[next++]!;
      const lineStart = text.lastIndexOf("\n", comment.start - 1) + 1;
      const ownLine = text.slice(lineStart, comment.start).trim() === "";
      own.push({ text: comment.text, location: lines.location(comment.start, comment.end), ownLine });
    }
    if (own.length > 0) statement.comments = own;
  }
}
