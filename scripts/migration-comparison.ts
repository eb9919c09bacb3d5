/**
 * Migration-safety comparison (issue #4, item 7): runs `schemawise migrations`, squawk and pgfence
 * over the migration histories in ../shared/corpus/migrations, maps every finding onto the
 * statement it is about and onto one of our rule ids, and writes the generated parts of
 * docs/migration-comparison.md (between the `migration-comparison:*` markers; the judged text
 * around them is written by hand). Not part of the tests.
 *
 *   npm run build && node --import tsx scripts/migration-comparison.ts
 *
 * COMPARISON_RUNS (default 3) sets how many timed runs per tool and history (median is shown).
 * Every disagreement is listed in bench/.out/migration-comparison-disagreements.md.
 *
 * squawk (squawk-cli) and pgfence (@flvmnt/pgfence) are installed on demand with
 * `npm install --no-save` into a folder under the OS temp dir, never into this package: squawk's
 * npm package lists a binary package per platform, and a lock file recording them breaks `npm ci`
 * where a registry lacks some.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { ensureParser, parseFile } from "../src/sources/parse.js";
import { resolveInputs } from "../src/sources/layouts.js";
import type { Statement } from "../src/sources/types.js";

const RUNS = Number(process.env.COMPARISON_RUNS ?? 3);
const CORPUS = "../shared/corpus/migrations";
const DOC = "docs/migration-comparison.md";
const OUT = "bench/.out";
const WORK = join(tmpdir(), "schemawise-migration-comparison");
const TOOLS = join(WORK, "tools");
const SQUAWK_VERSION = "2.66.0";
const PGFENCE_VERSION = "0.1.5";
const PG_VERSION = 15;

interface History {
  name: string;
  runner: string;
  vars?: Record<string, string>;
  setup?: string;
}

const HISTORIES: History[] = [
  { name: "crates.io", runner: "Diesel" },
  { name: "documenso", runner: "Prisma" },
  // The auth server renders {{ index .Options "Namespace" }} and creates the schema before migrating.
  { name: "supabase-auth", runner: "golang-migrate", vars: { Namespace: "auth" }, setup: "CREATE SCHEMA auth" },
];

type Tool = "schemawise" | "squawk" | "pgfence";
const TOOL_NAMES: Tool[] = ["schemawise", "squawk", "pgfence"];

/** One finding, mapped onto its file (relative to the history folder) and statement. */
interface Hit {
  tool: Tool;
  history: string;
  file: string;
  /** Index of the statement in the file; -1 for a file-level finding. */
  statement: number;
  line: number;
  /** The tool's own id. */
  native: string;
  /** Our rule id (or a `~name` for a check we do not have). */
  check: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// The mapping of squawk's and pgfence's ids onto ours.

interface CheckRow {
  /** Our rule id, or `~something` for a check only the others have. */
  id: string;
  squawk: string[];
  pgfence: string[];
  /** "file": compared per file (one finding per file), else per statement. */
  unit?: "file";
  note?: string;
}

const ROWS: CheckRow[] = [
  { id: "create-index-not-concurrently", squawk: ["require-concurrent-index-creation"], pgfence: ["create-index-not-concurrent"] },
  { id: "drop-index-not-concurrently", squawk: ["require-concurrent-index-deletion"], pgfence: ["drop-index-not-concurrent"] },
  { id: "concurrently-in-transaction", squawk: ["ban-concurrent-index-creation-in-transaction"], pgfence: ["concurrent-in-transaction"] },
  { id: "foreign-key-not-valid", squawk: ["adding-foreign-key-constraint", "constraint-missing-not-valid:fk"], pgfence: ["add-constraint-fk-no-not-valid"] },
  { id: "check-not-valid", squawk: ["constraint-missing-not-valid:check"], pgfence: ["add-constraint-check-no-not-valid"] },
  { id: "unique-without-index-first", squawk: ["disallowed-unique-constraint", "adding-serial-primary-key-field", "constraint-missing-not-valid:unique"], pgfence: ["add-constraint-unique", "add-pk-without-using-index"] },
  { id: "exclusion-on-existing-table", squawk: [], pgfence: ["add-constraint-exclude"] },
  { id: "set-not-null", squawk: ["adding-not-nullable-field"], pgfence: ["alter-column-set-not-null"] },
  { id: "add-column-not-null-without-default", squawk: ["adding-required-field"], pgfence: ["add-column-not-null-no-default"] },
  { id: "add-column-rewrite", squawk: ["adding-field-with-default"], pgfence: ["add-column-non-constant-default", "add-column-stored-generated", "add-column-default-pre-pg11"] },
  { id: "alter-column-type-rewrite", squawk: ["changing-column-type"], pgfence: ["alter-column-type"] },
  { id: "drop-column", squawk: ["ban-drop-column"], pgfence: ["drop-column"] },
  { id: "drop-table", squawk: ["ban-drop-table"], pgfence: ["drop-table"] },
  { id: "rename-column", squawk: ["renaming-column"], pgfence: ["rename-column"] },
  { id: "rename-table", squawk: ["renaming-table"], pgfence: ["rename-table"] },
  { id: "truncate", squawk: ["ban-truncate-cascade"], pgfence: ["truncate", "truncate-cascade"] },
  { id: "unbatched-update-or-delete", squawk: [], pgfence: ["update-in-migration", "delete-without-where"] },
  { id: "vacuum-full-or-cluster", squawk: [], pgfence: ["vacuum-full"] },
  { id: "trigger-on-busy-table", squawk: [], pgfence: [] },
  // pgfence counts a second ACCESS EXCLUSIVE statement even on the same table, ours a second table: compared per file.
  { id: "many-tables-locked-exclusively", squawk: [], pgfence: ["statement-after-access-exclusive"], unit: "file" },
  { id: "missing-lock-timeout", squawk: ["require-lock-timeout"], pgfence: ["missing-lock-timeout"], unit: "file" },
  { id: "~statement-timeout", squawk: ["require-statement-timeout"], pgfence: ["missing-statement-timeout"], unit: "file" },
  { id: "~drop-not-null", squawk: ["ban-drop-not-null"], pgfence: [] },
  { id: "~enum-value-ordering", squawk: ["require-enum-value-ordering"], pgfence: [] },
  { id: "~validate-constraint", squawk: [], pgfence: ["validate-constraint", "not-valid-validate-same-tx"] },
  { id: "~add-column-constant-default", squawk: [], pgfence: ["add-column-constant-default"] },
  { id: "~using-index", squawk: [], pgfence: ["add-constraint-unique-using-index", "add-pk-using-index"] },
  { id: "~robust-statements", squawk: ["prefer-robust-stmts"], pgfence: ["prefer-robust-create-index", "prefer-robust-create-table", "prefer-robust-drop-index", "prefer-robust-drop-table"] },
  { id: "~session-settings", squawk: [], pgfence: ["missing-application-name", "missing-idle-timeout"], unit: "file" },
  {
    id: "~column-types",
    squawk: ["prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-big-int", "prefer-identity", "prefer-timestamp-tz", "prefer-text-field", "ban-char-field"],
    pgfence: ["prefer-bigint-over-int", "prefer-timestamptz", "prefer-text-field", "add-column-json", "add-column-serial"],
    note: "design checks: `schemawise check` rules (timestamp-without-time-zone, serial-instead-of-identity, …), not migration rules",
  },
];

function checkOf(tool: Tool, native: string, statement: Statement | undefined, file: Statement[] = []): string {
  if (tool === "schemawise") return native;
  let key = native;
  if (tool === "squawk" && native === "constraint-missing-not-valid") {
    // squawk's one id covers FOREIGN KEY, CHECK, UNIQUE and PRIMARY KEY adds, and a VALIDATE in the
    // transaction of the NOT VALID add: sort it by the kind of constraint.
    const contype = constraintType(statement, file);
    key = contype === "CONSTR_FOREIGN" ? `${native}:fk` : contype === "CONSTR_CHECK" ? `${native}:check` : `${native}:unique`;
  }
  const row = ROWS.find((r) => r[tool].includes(key));
  return row ? row.id : `~${tool}:${native}`;
}

/** The contype a statement adds, or for VALIDATE CONSTRAINT the contype of the constraint it validates (added earlier in the file). */
function constraintType(statement: Statement | undefined, file: Statement[]): string | undefined {
  const nodes = (value: unknown, key: string, out: Record<string, unknown>[] = []): Record<string, unknown>[] => {
    if (Array.isArray(value)) for (const v of value) nodes(v, key, out);
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (k === key && v && typeof v === "object") out.push(v as Record<string, unknown>);
        nodes(v, key, out);
      }
    }
    return out;
  };
  const validated = nodes(statement?.ast, "AlterTableCmd").find((c) => c["subtype"] === "AT_ValidateConstraint")?.["name"];
  if (typeof validated !== "string") return nodes(statement?.ast, "Constraint").map((c) => c["contype"] as string).find((t) => t !== "CONSTR_NOTNULL" && t !== "CONSTR_DEFAULT" && t !== "CONSTR_NULL");
  return file.flatMap((s) => nodes(s.ast, "Constraint")).find((c) => c["conname"] === validated)?.["contype"] as string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Running the tools

function ensureTools(): { squawk: string; pgfence: string } {
  const squawk = join(TOOLS, "node_modules/.bin/squawk");
  const pgfence = join(TOOLS, "node_modules/.bin/pgfence");
  const versionOf = (pkg: string) => {
    try {
      return (JSON.parse(readFileSync(join(TOOLS, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
    } catch {
      return undefined;
    }
  };
  if (versionOf("squawk-cli") !== SQUAWK_VERSION || versionOf("@flvmnt/pgfence") !== PGFENCE_VERSION) {
    mkdirSync(TOOLS, { recursive: true });
    writeFileSync(join(TOOLS, "package.json"), '{ "name": "comparison-tools", "private": true }\n');
    console.log(`installing squawk-cli@${SQUAWK_VERSION} and @flvmnt/pgfence@${PGFENCE_VERSION} into ${TOOLS} (not saved to package.json)`);
    const result = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", `squawk-cli@${SQUAWK_VERSION}`, `@flvmnt/pgfence@${PGFENCE_VERSION}`], {
      cwd: TOOLS,
      stdio: "inherit",
    });
    if (result.status !== 0 || !existsSync(squawk) || !existsSync(pgfence)) throw new Error("could not install squawk-cli and @flvmnt/pgfence");
  }
  return { squawk, pgfence };
}

interface Timed {
  stdout: string;
  medianMs: number;
  samplesMs: number[];
  exitCode: number;
}

function timed(command: string, args: string[]): Timed {
  const samples: number[] = [];
  let stdout = "";
  let exitCode = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    stdout = result.stdout;
    exitCode = result.status ?? -1;
    if (exitCode > 1) throw new Error(`${command} ${args.slice(0, 3).join(" ")} … exited ${exitCode}: ${result.stderr.slice(0, 2000)}`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { stdout, medianMs: sorted[Math.floor(sorted.length / 2)]!, samplesMs: samples, exitCode };
}

interface Prepared {
  history: History;
  dir: string;
  /** Relative path → statements (of the rendered text). */
  statements: Map<string, Statement[]>;
  texts: Map<string, string>;
  /** Relative paths in run order. */
  files: string[];
  /** The rendered copies squawk and pgfence read. */
  renderedDir: string;
}

async function prepare(history: History): Promise<Prepared> {
  const dir = join(CORPUS, history.name);
  const layout = await resolveInputs([dir], { variables: history.vars ?? {} });
  const renderedDir = join(WORK, "rendered", history.name);
  const statements = new Map<string, Statement[]>();
  const texts = new Map<string, string>();
  const files: string[] = [];
  let index = 0;
  for (const file of layout.files) {
    const rel = relative(dir, file.path);
    files.push(rel);
    texts.set(rel, file.text);
    const parsed = parseFile(file, index);
    index += parsed.statements.length;
    statements.set(rel, parsed.statements);
    const copy = join(renderedDir, rel);
    mkdirSync(dirname(copy), { recursive: true });
    writeFileSync(copy, file.text);
  }
  return { history, dir, statements, texts, files, renderedDir };
}

/** The statement a 1-based line falls in (or the next one, for a line between statements). */
function statementAtLine(statements: Statement[], line: number): number {
  const inside = statements.findIndex((s) => s.location.line <= line && line <= s.location.endLine);
  if (inside >= 0) return inside;
  const next = statements.findIndex((s) => s.location.line > line);
  return next >= 0 ? next : statements.length - 1;
}

function runOurs(p: Prepared): { hits: Hit[]; time: Timed; command: string } {
  const args = ["bin/schemawise.js", "migrations", p.dir, "--format", "json", "--fail-on", "never", "--pg-version", String(PG_VERSION)];
  for (const [k, v] of Object.entries(p.history.vars ?? {})) args.push("--var", `${k}=${v}`);
  if (p.history.setup) args.push("--setup", p.history.setup);
  const time = timed(process.execPath, args);
  const report = JSON.parse(time.stdout) as { findings: Array<{ ruleId: string; message: string; location?: { file: string; line: number } }> };
  const hits: Hit[] = [];
  for (const f of report.findings) {
    if (!f.location) continue;
    const file = relative(p.dir, f.location.file);
    const statements = p.statements.get(file) ?? [];
    const statement = statementAtLine(statements, f.location.line);
    hits.push({ tool: "schemawise", history: p.history.name, file, statement, line: f.location.line, native: f.ruleId, check: f.ruleId, message: f.message });
  }
  return { hits, time, command: `node ${args.map(shellQuote).join(" ")}` };
}

function runSquawk(p: Prepared, bin: string): { hits: Hit[]; time: Timed; command: string } {
  const files = p.files.map((f) => join(p.renderedDir, f));
  const args = ["--reporter", "json", `--pg-version=${PG_VERSION}.0`, "--assume-in-transaction", ...files];
  const time = timed(bin, args);
  const found = JSON.parse(time.stdout || "[]") as Array<{ file: string; line: number; rule_name: string; message: string }>;
  const hits: Hit[] = found.map((v) => {
    const file = relative(p.renderedDir, v.file);
    const statements = p.statements.get(file) ?? [];
    // squawk's lines are 0-based.
    const statement = statementAtLine(statements, v.line + 1);
    return { tool: "squawk", history: p.history.name, file, statement, line: v.line + 1, native: v.rule_name, check: checkOf("squawk", v.rule_name, statements[statement], statements), message: v.message };
  });
  return { hits, time, command: `squawk ${args.slice(0, 4).join(" ")} <${files.length} files>` };
}

interface PgfenceReport {
  results: Array<{
    filePath: string;
    checks: Array<{ statement: string; ruleId: string; message: string }>;
    policyViolations: Array<{ ruleId: string; message: string }>;
  }>;
}

function runPgfence(p: Prepared, bin: string): { hits: Hit[]; time: Timed; command: string } {
  const files = p.files.map((f) => join(p.renderedDir, f));
  const args = ["analyze", "--output", "json", "--min-pg-version", String(PG_VERSION), ...files];
  const time = timed(bin, args);
  const report = JSON.parse(time.stdout) as PgfenceReport;
  const hits: Hit[] = [];
  for (const result of report.results) {
    const file = relative(p.renderedDir, result.filePath);
    const statements = p.statements.get(file) ?? [];
    const text = p.texts.get(file) ?? "";
    for (const c of result.checks) {
      // pgfence reports the statement's text (leading comments included, no semicolon), no position.
      const at = text.indexOf(c.statement);
      const end = at + c.statement.length;
      let statement = at < 0 ? -1 : statements.findIndex((s) => s.offset < end && s.offset + s.sql.length > at && s.offset >= at);
      if (statement < 0 && at >= 0) statement = statements.findIndex((s) => s.offset + s.sql.length > at);
      const line = statement >= 0 ? statements[statement]!.location.line : 0;
      hits.push({ tool: "pgfence", history: p.history.name, file, statement, line, native: c.ruleId, check: checkOf("pgfence", c.ruleId, statements[statement]), message: c.message });
    }
    // Policy violations carry no statement: file-level ones stay so; the others are matched in order
    // (pgfence emits them in statement order) by the statement preview they quote, or for
    // update-in-migration to the next UPDATE without WHERE.
    const next = new Map<string, number>();
    for (const v of result.policyViolations) {
      const from = next.get(v.ruleId) ?? 0;
      let statement = -1;
      const preview = /— "(.*?)(?:\.\.\.)?" runs while/.exec(v.message)?.[1];
      if (preview) statement = statements.findIndex((s, i) => i >= from && previewOf(s.sql).startsWith(preview));
      else if (v.ruleId === "update-in-migration") statement = statements.findIndex((s, i) => i >= from && s.kind === "UpdateStmt" && !s.ast?.["whereClause"]);
      else if (v.ruleId === "concurrent-in-transaction") statement = statements.findIndex((s, i) => i >= from && s.kind === "IndexStmt" && s.ast?.["concurrent"] === true);
      if (statement >= 0) next.set(v.ruleId, statement + 1);
      const line = statement >= 0 ? statements[statement]!.location.line : 0;
      hits.push({ tool: "pgfence", history: p.history.name, file, statement, line, native: v.ruleId, check: checkOf("pgfence", v.ruleId, statements[statement]), message: v.message });
    }
  }
  return { hits, time, command: `pgfence ${args.slice(0, 5).join(" ")} <${files.length} files>` };
}

/** pgfence's makePreview: comments removed, whitespace collapsed. */
function previewOf(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\/|--[^\n]*/g, "").replace(/\s+/g, " ").trim();
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------------------------------------
// Comparing

/** Unit keys a tool flags for one check: "file#statement" (or "file" for file-level checks). */
function keys(hits: Hit[], tool: Tool, row: CheckRow): Set<string> {
  const out = new Set<string>();
  for (const h of hits) {
    if (h.tool !== tool || h.check !== row.id) continue;
    out.add(row.unit === "file" || h.statement < 0 ? `${h.history}/${h.file}` : `${h.history}/${h.file}#${h.statement}`);
  }
  return out;
}

function countTable(hits: Hit[]): string {
  const lines = [
    "| check (our rule id) | unit | schemawise | squawk | pgfence | all three | schemawise only | squawk, not schemawise | pgfence, not schemawise |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of ROWS) {
    const [ours, sq, pf] = TOOL_NAMES.map((t) => keys(hits, t, row));
    const pfStatementLevel = true;
    const cell = (set: Set<string>, has: boolean) => (has ? String(set.size) : "–");
    const hasOurs = !row.id.startsWith("~");
    const all = [...ours!].filter((k) => sq!.has(k) && pf!.has(k)).length;
    const onlyOurs = [...ours!].filter((k) => !sq!.has(k) && !pf!.has(k)).length;
    const sqNotOurs = [...sq!].filter((k) => !ours!.has(k)).length;
    const pfNotOurs = [...pf!].filter((k) => !ours!.has(k)).length;
    const unit = row.unit === "file" ? "files" : "statements";
    const pfCell = row.pgfence.length ? `${pf!.size}${pfStatementLevel ? "" : "*"}` : "–";
    const pfRaw = hits.filter((h) => h.tool === "pgfence" && h.check === row.id).length;
    lines.push(
      `| ${hasOurs ? `\`${row.id}\`` : row.id.slice(1)} | ${unit} | ${cell(ours!, hasOurs)} | ${cell(sq!, row.squawk.length > 0)} | ${pfStatementLevel ? pfCell : `${pfRaw} findings in ${pf!.size} files`} | ${hasOurs && row.squawk.length && row.pgfence.length && pfStatementLevel ? all : "–"} | ${hasOurs ? onlyOurs : "–"} | ${hasOurs && row.squawk.length ? sqNotOurs : "–"} | ${hasOurs && row.pgfence.length && pfStatementLevel ? pfNotOurs : "–"} |`,
    );
  }
  const unmapped = new Map<string, number>();
  for (const h of hits) if (h.check.startsWith("~squawk:") || h.check.startsWith("~pgfence:")) unmapped.set(h.check.slice(1), (unmapped.get(h.check.slice(1)) ?? 0) + 1);
  if (unmapped.size) lines.push("", `Not mapped: ${[...unmapped].map(([k, n]) => `${k} (${n})`).join(", ")}.`);
  return lines.join("\n");
}

function perHistoryTable(hits: Hit[], prepared: Prepared[]): string {
  const lines = [
    "| history | runner | files | statements | schemawise findings | squawk findings | pgfence findings (on a statement + per file) |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const p of prepared) {
    const n = (tool: Tool) => hits.filter((h) => h.tool === tool && h.history === p.history.name);
    const pf = n("pgfence");
    lines.push(
      `| ${p.history.name} | ${p.history.runner} | ${p.files.length} | ${[...p.statements.values()].reduce((s, l) => s + l.length, 0)} | ${n("schemawise").length} | ${n("squawk").length} | ${pf.filter((h) => h.statement >= 0).length} + ${pf.filter((h) => h.statement < 0).length} |`,
    );
  }
  return lines.join("\n");
}

function disagreements(hits: Hit[], prepared: Prepared[]): string {
  const out: string[] = ["# Disagreements (generated by scripts/migration-comparison.ts)", ""];
  for (const row of ROWS) {
    if (row.id.startsWith("~")) continue;
    const [ours, sq, pf] = TOOL_NAMES.map((t) => keys(hits, t, row));
    const union = new Set([...ours!, ...sq!, ...pf!]);
    const rows: string[] = [];
    for (const key of [...union].sort()) {
      const flags = [ours!.has(key) ? "S" : "-", sq!.has(key) ? "Q" : "-", pf!.has(key) ? "P" : "-"].join("");
      const hasQ = row.squawk.length > 0;
      const hasP = row.pgfence.length > 0;
      const agree = (!hasQ || ours!.has(key) === sq!.has(key)) && (!hasP || ours!.has(key) === pf!.has(key));
      if (agree) continue;
      const [histFile, idx] = key.split("#");
      const history = histFile!.split("/")[0]!;
      const file = histFile!.slice(history.length + 1);
      const p = prepared.find((x) => x.history.name === history)!;
      const st = idx === undefined ? undefined : p.statements.get(file)?.[Number(idx)];
      const msgs = hits.filter((h) => h.check === row.id && `${h.history}/${h.file}${h.statement >= 0 && row.unit !== "file" ? `#${h.statement}` : ""}` === key).map((h) => `    ${h.tool}: ${h.message.replace(/\s+/g, " ").slice(0, 220)}`);
      rows.push(`- ${flags} ${history}/${file}:${st?.location.line ?? "?"}  \`${(st?.sql ?? "").replace(/\s+/g, " ").slice(0, 200)}\`\n${msgs.join("\n")}`);
    }
    if (rows.length) out.push(`## ${row.id} (${rows.length})`, "", "S = schemawise, Q = squawk, P = pgfence", "", ...rows, "");
  }
  return out.join("\n");
}

function timingTable(times: Map<string, Map<Tool, Timed>>): string {
  const lines = ["| history | schemawise | squawk | pgfence |", "| --- | ---: | ---: | ---: |"];
  const fmt = (t: Timed | undefined) => (t ? `${(t.medianMs / 1000).toFixed(2)} s (${t.samplesMs.map((s) => (s / 1000).toFixed(1)).join(", ")})` : "–");
  for (const [history, byTool] of times) lines.push(`| ${history} | ${fmt(byTool.get("schemawise"))} | ${fmt(byTool.get("squawk"))} | ${fmt(byTool.get("pgfence"))} |`);
  return lines.join("\n");
}

function replaceSection(doc: string, name: string, body: string): string {
  const start = `<!-- migration-comparison:${name}:start -->`;
  const end = `<!-- migration-comparison:${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < 0) return `${doc.trimEnd()}\n\n${block}\n`;
  return `${doc.slice(0, a)}${block}${doc.slice(b + end.length)}`;
}

async function main(): Promise<void> {
  if (!existsSync(CORPUS)) {
    console.error(`${CORPUS} not found`);
    process.exit(2);
  }
  if (!existsSync("dist/cli.js")) {
    console.error("dist/cli.js not found: run `npm run build` first");
    process.exit(2);
  }
  const tools = ensureTools();
  await ensureParser();
  const prepared: Prepared[] = [];
  const hits: Hit[] = [];
  const times = new Map<string, Map<Tool, Timed>>();
  const commands: string[] = [];
  for (const history of HISTORIES) {
    const p = await prepare(history);
    prepared.push(p);
    const byTool = new Map<Tool, Timed>();
    for (const [tool, run] of [
      ["schemawise", () => runOurs(p)],
      ["squawk", () => runSquawk(p, tools.squawk)],
      ["pgfence", () => runPgfence(p, tools.pgfence)],
    ] as const) {
      const result = run();
      hits.push(...result.hits);
      byTool.set(tool, result.time);
      commands.push(result.command);
      console.log(`${history.name} ${tool}: ${result.hits.length} findings, median ${(result.time.medianMs / 1000).toFixed(2)} s`);
    }
    times.set(history.name, byTool);
  }
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "migration-comparison-disagreements.md"), disagreements(hits, prepared));
  writeFileSync(join(OUT, "migration-comparison-hits.json"), JSON.stringify(hits, null, 1));

  const cpu = cpus()[0]?.model ?? "unknown CPU";
  let doc = existsSync(DOC) ? readFileSync(DOC, "utf8") : "# Migration safety: schemawise, squawk and pgfence\n";
  doc = replaceSection(doc, "histories", perHistoryTable(hits, prepared));
  doc = replaceSection(doc, "counts", countTable(hits));
  doc = replaceSection(
    doc,
    "times",
    [
      timingTable(times),
      "",
      `Median wall time of ${RUNS} fresh processes per tool and history (each run listed in brackets), ${cpus().length} cores (${cpu}), Node ${process.version}, squawk ${SQUAWK_VERSION}, pgfence ${PGFENCE_VERSION}.`,
      "",
      "Commands (squawk and pgfence read copies of the files with the template variables rendered, in the same order):",
      "",
      ...commands.map((c) => `- \`${c.replace(resolve(WORK), "$TMP/schemawise-migration-comparison")}\``),
    ].join("\n"),
  );
  writeFileSync(DOC, doc);
  console.log(`wrote ${DOC}; every disagreement: ${join(OUT, "migration-comparison-disagreements.md")}`);
}

await main();
