import path from "node:path";
import type { SchemaModel, Table } from "../../catalog/model.js";
import { junctionOf } from "../../checks/rules/_keys.js";
import type { Finding } from "../../checks/types.js";
import type { MigrationCheckResult } from "../../migrations/run.js";
import { lockText } from "../../migrations/report.js";
import { ruleHelpUri } from "../common.js";
import { columnKeys, diagramTables, relations, tablePath } from "../er.js";
import { shortType } from "../mermaid.js";
import type { CheckReport } from "../types.js";

/**
 * Everything the HTML page shows, as plain JSON: it is embedded in the page, where the script
 * builds the panels, the lists and the filters from it.
 */
export interface HtmlReportData {
  title: string;
  summary: CheckReport["summary"];
  input: CheckReport["input"];
  engine: string;
  tables: HtmlTable[];
  foreignKeys: HtmlForeignKey[];
  findings: HtmlFinding[];
  /** Per migration file of a history, in run order; absent for a schema. */
  timeline?: HtmlTimelineFile[];
  workload?: unknown;
  normalization: unknown[];
}

export interface HtmlTable {
  /** "schema.name": the key findings and edges use. */
  id: string;
  schema: string;
  name: string;
  kind: string;
  comment?: string;
  columns: { name: string; type: string; notNull: boolean; keys: string[] }[];
  /** Set when the table only links two others: the many-to-many it stands for. */
  junction?: { between: [string, string] };
  /** Indexes into `findings`. */
  findings: number[];
}

export interface HtmlForeignKey {
  id: string;
  name: string;
  child: string;
  parent: string;
  columns: string[];
  parentColumns: string[];
  /** "one" or "zero-or-one" rows of the parent per child row. */
  parentEnd: "one" | "zero-or-one";
  /** "zero-or-many" or "zero-or-one" child rows per parent row. */
  childEnd: "zero-or-many" | "zero-or-one";
  identifying: boolean;
  /** One of the two links of a junction table. */
  manyToMany: boolean;
}

export interface HtmlFinding {
  ruleId: string;
  severity: Finding["severity"];
  category: string;
  message: string;
  why: string;
  fix: string;
  sql?: string;
  object: string;
  location?: string;
  /** File and line, to link a migration finding to its statement on the timeline. */
  file?: string;
  line?: number;
  tables: string[];
  docs: string;
}

export interface HtmlTimelineFile {
  file: string;
  /** The path under the history's folder, e.g. "20240101_init/migration.sql". */
  label: string;
  version?: string;
  transaction: string;
  statements: { line: number; kind: string; locks: string; blocks: string; rewrite: string; scan: boolean; findings: number[] }[];
}

export interface HtmlReportInput {
  report: CheckReport;
  model: SchemaModel;
  migrations?: MigrationCheckResult;
  /** JSON of `schemawise queries -f json`. */
  workload?: unknown;
  /** JSON documents of `schemawise normalize -f json`. */
  normalization?: unknown[];
  /** Paths are shown relative to this folder. */
  baseDir: string;
  /** What the page is about, e.g. the folder's name (default: the input's description). */
  title?: string;
}

/** How many extra columns (id, timestamps, position) a link table may have and still be drawn as a junction, as the junction rules assume. */
const JUNCTION_EXTRA_COLUMNS = 3;

export function reportData(input: HtmlReportInput): HtmlReportData {
  const shown = (file: string) => relativeTo(input.baseDir, file);
  const tables = diagramTables(input.model);
  const tableIds = tables.map(tablePath);
  const findings = input.report.findings.map((finding) => htmlFinding(finding, tableIds, shown));
  const links = linkTables(input.model);
  return {
    title: input.title ?? (input.report.input.description || "schemawise report"),
    summary: input.report.summary,
    input: { ...input.report.input, files: input.report.input.files.map(shown) },
    engine: input.report.engine.description ?? `PostgreSQL ${input.report.engine.serverVersion}`,
    tables: tables.map((table) => htmlTable(table, findings, links.has(tablePath(table)))),
    foreignKeys: foreignKeys(input.model, links),
    findings,
    ...(input.migrations ? { timeline: timeline(input.migrations, findings, shown) } : {}),
    ...(input.workload !== undefined ? { workload: input.workload } : {}),
    normalization: input.normalization ?? [],
  };
}

/**
 * Tables drawn as a many-to-many: junctions as the junction rules see them (two references and
 * bookkeeping columns) that no foreign key points to. One that others reference, such as an
 * inventory item that rentals point to, is an entity of its own.
 */
function linkTables(model: SchemaModel): Set<string> {
  const referenced = new Set(relations(model).map((r) => tablePath(r.parent)));
  return new Set(diagramTables(model).filter((t) => junctionOf(t, JUNCTION_EXTRA_COLUMNS) && !referenced.has(tablePath(t))).map(tablePath));
}

function htmlTable(table: Table, findings: HtmlFinding[], isLink: boolean): HtmlTable {
  const id = tablePath(table);
  const keys = columnKeys(table);
  const junction = isLink ? junctionOf(table, JUNCTION_EXTRA_COLUMNS) : undefined;
  const parent = (index: 0 | 1) => {
    const fk = junction!.links[index].foreignKey!;
    return `${fk.referencedSchema}.${fk.referencedTable}`;
  };
  return {
    id,
    schema: table.schema,
    name: table.name,
    kind: table.kind,
    ...(table.comment ? { comment: table.comment } : {}),
    columns: table.columns.map((c) => ({ name: c.name, type: shortType(c), notNull: c.notNull, keys: [...(keys.get(c.name) ?? [])] })),
    ...(junction ? { junction: { between: [parent(0), parent(1)] as [string, string] } } : {}),
    findings: findings.flatMap((f, i) => (f.tables.includes(id) ? [i] : [])),
  };
}

function foreignKeys(model: SchemaModel, junctions: Set<string>): HtmlForeignKey[] {
  return relations(model).map((relation, i) => ({
    id: `fk${i}`,
    name: relation.constraint.name,
    child: tablePath(relation.child),
    parent: tablePath(relation.parent),
    columns: relation.childColumns,
    parentColumns: relation.parentColumns,
    parentEnd: relation.optionalParent ? "zero-or-one" : "one",
    childEnd: relation.oneToOne ? "zero-or-one" : "zero-or-many",
    identifying: relation.identifying,
    manyToMany: junctions.has(tablePath(relation.child)),
  }));
}

function htmlFinding(finding: Finding, tableIds: string[], shown: (file: string) => string): HtmlFinding {
  const paths = [finding.object.path, ...(finding.members ?? []).map((m) => m.path)];
  const tables = [...new Set(paths.flatMap((p) => owningTable(p, tableIds) ?? []))];
  const location = finding.location;
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    category: finding.category,
    message: finding.message,
    why: finding.why,
    fix: finding.fix.description,
    ...(finding.fix.sql ? { sql: finding.fix.sql } : {}),
    object: finding.object.path,
    ...(location ? { location: `${shown(location.file)}:${location.line}:${location.column}`, file: shown(location.file), line: location.line } : {}),
    tables,
    docs: ruleHelpUri(finding.ruleId),
  };
}

/** The table an object path ("schema.table", "schema.table.column", …) belongs to: the longest table path it starts with. */
export function owningTable(objectPath: string, tableIds: string[]): string | undefined {
  let best: string | undefined;
  for (const id of tableIds) {
    if ((objectPath === id || objectPath.startsWith(`${id}.`)) && id.length > (best?.length ?? 0)) best = id;
  }
  return best;
}

function timeline(result: MigrationCheckResult, findings: HtmlFinding[], shown: (file: string) => string): HtmlTimelineFile[] {
  const folder = commonFolder(result.files.map((file) => file.file));
  return result.files.map((file) => {
    const name = shown(file.file);
    const lines = file.statements.map((s) => s.line);
    // A finding belongs to the last statement that starts at or before its line.
    const statementOf = (line: number) => lines.reduce((at, start, i) => (start <= line ? i : at), 0);
    const onFile = findings.flatMap((f, i) => (f.file === name && f.line !== undefined ? [{ i, at: statementOf(f.line) }] : []));
    return {
      file: name,
      label: path.relative(folder, file.file),
      ...(file.migration?.version ? { version: file.migration.version } : {}),
      transaction: file.transaction.reason,
      statements: file.statements.map((s, at) => ({
        line: s.line,
        kind: s.kind,
        locks: lockText(s),
        blocks: s.locks.some((l) => !l.created) ? s.blocks : "nothing",
        rewrite: s.rewrite,
        scan: s.scan,
        findings: onFile.filter((f) => f.at === at).map((f) => f.i),
      })),
    };
  });
}

/** The deepest folder holding every file. */
function commonFolder(files: string[]): string {
  const [first, ...rest] = files.map((file) => path.dirname(path.resolve(file)));
  let folder = first ?? "";
  const inside = (dir: string) => dir === folder || dir.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
  while (!rest.every(inside) && path.dirname(folder) !== folder) folder = path.dirname(folder);
  return folder;
}

function relativeTo(baseDir: string, file: string): string {
  const relative = path.relative(baseDir, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}
