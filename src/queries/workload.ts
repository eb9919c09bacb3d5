import { readFileSync } from "node:fs";
import { UserError } from "../engine/types.js";
import { formatLocation, LineIndex } from "../sources/location.js";
import { statementAs } from "../sources/ast.js";
import { ensureParser, parseFile } from "../sources/parse.js";
import { splitSql, type RawComment } from "../sources/split.js";
import type { SourceLocation, Statement } from "../sources/types.js";
import type { ParamBinding, QueryStatement, Workload, WorkloadQuery } from "./types.js";

/** Statements a workload may hold: reads, and writes measured inside a rolled-back transaction. */

const UNIT_SECONDS: Record<string, number> = { s: 1, sec: 1, second: 1, min: 60, minute: 60, h: 3600, hour: 3600, d: 86400, day: 86400 };
const FREQUENCY = /^(\d+(?:\.\d+)?)\s*(?:\/|per\s+)\s*(s|sec|second|min|minute|h|hour|d|day)$/i;
const ANNOTATION = /^--\s*(name|frequency|params)\s*:\s*(.*?)\s*$/i;
const BINDING = /^\$(\d+)\s*=\s*((?:[A-Za-z_][\w$]*\.){1,2}[A-Za-z_][\w$]*)$/;

/** Reads a workload file: named queries with their frequency and parameter bindings. */
export async function readWorkload(path: string): Promise<Workload> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UserError(`workload file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  await ensureParser();
  return parseWorkload(path, text);
}

/** Parses workload text (call `ensureParser()` first). Errors name the file, line and column. */
export function parseWorkload(file: string, text: string): Workload {
  const lines = new LineIndex(file, text);
  const { statements } = parseFile({ path: file, text }, 0);
  const comments = splitSql(text).comments;
  const queries: WorkloadQuery[] = [];
  let previousEnd = 0;
  for (const statement of statements) {
    const own = comments.filter((c) => c.start >= previousEnd && c.end <= statement.offset);
    previousEnd = statement.offset + statement.sql.length;
    queries.push(toQuery(statement, own, lines));
  }
  if (queries.length === 0) throw new UserError(`${file}: no queries; each query needs a "-- name:" line above it`);
  rejectDuplicates(queries);
  return { file, queries };
}

function queryStatement(statement: Statement): QueryStatement | undefined {
  return statementAs(statement, "SelectStmt") ?? statementAs(statement, "UpdateStmt") ?? statementAs(statement, "DeleteStmt") ?? statementAs(statement, "InsertStmt");
}

function toQuery(statement: Statement, comments: RawComment[], lines: LineIndex): WorkloadQuery {
  const where = formatLocation(statement.location);
  if (statement.parseError) throw new UserError(`${formatLocation(statement.parseError.location)}: ${statement.parseError.message}`);
  const ast = queryStatement(statement);
  if (!ast) {
    throw new UserError(`${where}: a workload holds queries (SELECT, INSERT, UPDATE, DELETE), not ${statement.kind.replace(/Stmt$/, "")} statements`);
  }
  const annotations = readAnnotations(comments, lines);
  const name = annotations.get("name");
  if (!name) throw new UserError(`${where}: query has no name; add a "-- name: <name>" line above it`);
  if (!/^[A-Za-z_][\w-]*$/.test(name.value)) throw new UserError(`${formatLocation(name.location)}: query name "${name.value}" must be a word (letters, digits, _ or -)`);
  const frequency = annotations.get("frequency");
  const perSecond = frequency ? parseFrequency(frequency.value, frequency.location) : 1;
  const params = annotations.get("params");
  return {
    name: name.value,
    sql: statement.sql,
    location: statement.location,
    offset: statement.offset,
    ast,
    kind: statement.kind,
    perSecond,
    frequency: frequency?.value ?? "1/s",
    params: params ? parseParams(params.value, params.location) : [],
    ...(params ? { paramsLocation: params.location } : {}),
  };
}

interface Annotation {
  value: string;
  location: SourceLocation;
}

function readAnnotations(comments: RawComment[], lines: LineIndex): Map<string, Annotation> {
  const found = new Map<string, Annotation>();
  for (const comment of comments) {
    const match = ANNOTATION.exec(comment.text.trim());
    if (!match) continue;
    const key = match[1]!.toLowerCase();
    const location = lines.location(comment.start, comment.end);
    if (found.has(key)) throw new UserError(`${formatLocation(location)}: second "${key}" annotation for the same query`);
    found.set(key, { value: match[2]!, location });
  }
  return found;
}

/** "200/s", "30/min", "5 per hour", "1/day" → executions per second. */
export function parseFrequency(value: string, location: SourceLocation): number {
  const match = FREQUENCY.exec(value.trim());
  if (!match || Number(match[1]) <= 0) {
    throw new UserError(`${formatLocation(location)}: frequency "${value}" is not understood; write a positive count per unit, e.g. 200/s, 30/min, 5/h or 1/day`);
  }
  return Number(match[1]) / UNIT_SECONDS[match[2]!.toLowerCase()]!;
}

/** "$1 = orders.user_id, $2 = public.orders.created_at" → bindings (schema defaults to public). */
export function parseParams(value: string, location: SourceLocation): ParamBinding[] {
  const bindings: ParamBinding[] = [];
  for (const part of value.split(",").map((p) => p.trim()).filter(Boolean)) {
    const match = BINDING.exec(part);
    if (!match) throw new UserError(`${formatLocation(location)}: parameter binding "${part}" is not understood; write $1 = table.column (or schema.table.column)`);
    const names = match[2]!.split(".");
    const [schema, table, column] = names.length === 3 ? names : ["public", ...names];
    const number = Number(match[1]);
    if (bindings.some((b) => b.number === number)) throw new UserError(`${formatLocation(location)}: $${number} is bound twice`);
    bindings.push({ number, schema: schema!, table: table!, column: column!, source: "declared" });
  }
  return bindings;
}

function rejectDuplicates(queries: WorkloadQuery[]): void {
  const seen = new Map<string, WorkloadQuery>();
  for (const query of queries) {
    const first = seen.get(query.name);
    if (first) throw new UserError(`${formatLocation(query.location)}: query name "${query.name}" is already used at ${formatLocation(first.location)}`);
    seen.set(query.name, query);
  }
}
