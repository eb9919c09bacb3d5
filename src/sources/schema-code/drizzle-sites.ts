/**
 * Where a Drizzle schema writes each table, column, index and constraint, read from the
 * TypeScript AST of its files (the compiler's own parser), and the Drizzle spelling of the fixes.
 */
import ts from "typescript";
import { LineIndex } from "../location.js";
import type { SourceLocation } from "../types.js";
import type { CodeSite, SqlObject } from "./types.js";

/** A table as the loaded module exports it (names as Postgres gets them). */
export interface DrizzleTable {
  exportName: string;
  dbName: string;
  /** Property key in the columns object -> column name in the database. */
  columns: Map<string, string>;
}

/** An enum, view or sequence, with the name Postgres gets. */
export interface DrizzleNamed {
  exportName: string;
  dbName: string;
}

/** One entry of a table's third argument: `index("x").on(t.a)`, `check("c", sql…)`, `foreignKey({…})`… */
interface ExtraEntry {
  builder: string;
  name?: string;
  keys: string[];
  node: ts.Node;
}

interface WrittenTable {
  file: WrittenFile;
  declaration: ts.VariableDeclaration;
  columns: Map<string, ts.PropertyAssignment>;
  extra: ExtraEntry[];
  /** The parameter name of the third argument's callback (`t`, `table`), when written. */
  param?: string;
}

interface WrittenFile {
  display: string;
  text: string;
  lines: LineIndex;
  source: ts.SourceFile;
}

const EXTRA_BUILDERS = new Set(["index", "uniqueIndex", "unique", "check", "foreignKey", "primaryKey"]);

export class DrizzleSites {
  private readonly written = new Map<string, WrittenTable>();
  private readonly declarations = new Map<string, { file: WrittenFile; node: ts.VariableDeclaration }>();

  constructor(
    files: Array<{ display: string; text: string }>,
    private readonly tables: DrizzleTable[],
    private readonly named: DrizzleNamed[],
  ) {
    for (const file of files) this.read(file);
  }

  site(object: SqlObject | undefined, ruleId: string): CodeSite | undefined {
    if (!object) return undefined;
    if (object.kind === "named") {
      const found = this.named.find((e) => e.dbName === object.name);
      const declared = found ? this.declarations.get(found.exportName) : undefined;
      return declared ? { location: this.at(declared.file, declared.node.name) } : undefined;
    }
    const table = this.tables.find((t) => t.dbName === object.table);
    const written = table ? this.written.get(table.exportName) : undefined;
    if (!table || !written) return undefined;
    const node = this.nodeFor(object, table, written);
    const location = this.at(written.file, node);
    if (ruleId === "updated-at-without-trigger" && ts.isPropertyAssignment(node) && (findCall(node.initializer, "$onUpdate") ?? findCall(node.initializer, "$onUpdateFn"))) {
      return { location, covered: "Drizzle sets the column in every update it runs ($onUpdate)" };
    }
    const fix = drizzleFix(ruleId, object, table, written, node);
    return fix ? { location, fix } : { location };
  }

  private nodeFor(object: SqlObject, table: DrizzleTable, written: WrittenTable): ts.Node {
    const keyOf = (column: string) => [...table.columns].find(([, name]) => name === column)?.[0];
    const columnNode = (column: string | undefined) => (column ? written.columns.get(keyOf(column) ?? "") : undefined);
    const keysMatch = (entry: ExtraEntry) =>
      entry.keys.length === object.columns.length && entry.keys.every((key, i) => table.columns.get(key) === object.columns[i]);
    if (object.kind === "column") return columnNode(object.name) ?? written.declaration.name;
    if (object.kind === "table") return written.declaration.name;
    const builders = object.kind === "index" ? ["index", "uniqueIndex"] : BUILDERS_OF[object.constraintType ?? ""] ?? [];
    const entries = written.extra.filter((e) => builders.includes(e.builder));
    const entry = entries.find((e) => e.name === object.name) ?? entries.find((e) => e.name === undefined && keysMatch(e));
    if (entry) return entry.node;
    // Written on the column itself: .primaryKey(), .unique(), .references(…).
    const method = INLINE_METHOD[object.constraintType ?? ""];
    const column = object.columns.length === 1 ? columnNode(object.columns[0]) : undefined;
    if (method && column) return findCall(column.initializer, method) ?? column;
    return column ?? written.declaration.name;
  }

  private at(file: WrittenFile, node: ts.Node): SourceLocation {
    const start = node.getStart(file.source);
    return file.lines.location(start, start);
  }

  private read(file: { display: string; text: string }): void {
    const source = ts.createSourceFile(file.display, file.text, ts.ScriptTarget.Latest, true, scriptKind(file.display));
    const written: WrittenFile = { ...file, lines: new LineIndex(file.display, file.text), source };
    const visit = (node: ts.Node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
        this.declarations.set(node.name.text, { file: written, node });
        const call = node.initializer && ts.isCallExpression(node.initializer) ? node.initializer : undefined;
        const table = call ? readTable(written, node, call) : undefined;
        if (table) this.written.set(node.name.text, table);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
}

const BUILDERS_OF: Record<string, string[]> = { p: ["primaryKey"], f: ["foreignKey"], u: ["unique", "uniqueIndex"], c: ["check"] };
const INLINE_METHOD: Record<string, string> = { p: "primaryKey", f: "references", u: "unique" };

function scriptKind(file: string): ts.ScriptKind {
  return /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/** `pgTable("name", { … }, (t) => […])` or `schema.table(…)`: a call whose second argument is the columns object. */
function readTable(file: WrittenFile, declaration: ts.VariableDeclaration, call: ts.CallExpression): WrittenTable | undefined {
  const [, columnsArg, extraArg] = call.arguments;
  if (!columnsArg || !ts.isObjectLiteralExpression(columnsArg)) return undefined;
  const columns = new Map<string, ts.PropertyAssignment>();
  for (const property of columnsArg.properties) {
    if (ts.isPropertyAssignment(property)) columns.set(propertyName(property.name), property);
  }
  const table: WrittenTable = { file, declaration, columns, extra: [] };
  if (extraArg && (ts.isArrowFunction(extraArg) || ts.isFunctionExpression(extraArg))) {
    const param = extraArg.parameters[0]?.name;
    if (param && ts.isIdentifier(param)) table.param = param.text;
    for (const element of returnedElements(extraArg)) {
      const entry = readExtraEntry(element);
      if (entry) table.extra.push(entry);
    }
  }
  return table;
}

function propertyName(name: ts.PropertyName): string {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : name.getText();
}

/** The entries the callback returns: an array literal (current style) or an object literal (older style). */
function returnedElements(callback: ts.ArrowFunction | ts.FunctionExpression): ts.Expression[] {
  let body: ts.Node = callback.body;
  if (ts.isBlock(body)) {
    const returned = body.statements.find(ts.isReturnStatement)?.expression;
    if (!returned) return [];
    body = returned;
  }
  while (ts.isParenthesizedExpression(body)) body = body.expression;
  if (ts.isArrayLiteralExpression(body)) return [...body.elements];
  if (ts.isObjectLiteralExpression(body)) return body.properties.filter(ts.isPropertyAssignment).map((p) => p.initializer);
  return [];
}

/** Reads a builder chain such as `index("x").on(t.a, t.b.desc()).where(…)`. */
function readExtraEntry(expression: ts.Expression): ExtraEntry | undefined {
  const calls = chainCalls(expression);
  const first = calls[0];
  if (!first || !ts.isIdentifier(first.expression) || !EXTRA_BUILDERS.has(first.expression.text)) return undefined;
  const builder = first.expression.text;
  const argument = first.arguments[0];
  let name = argument && ts.isStringLiteralLike(argument) ? argument.text : undefined;
  let keys: string[] = [];
  const on = calls.find((c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === "on");
  if (on) keys = on.arguments.map(columnKey).filter((k): k is string => k !== undefined);
  else if (argument && ts.isObjectLiteralExpression(argument)) {
    for (const property of argument.properties.filter(ts.isPropertyAssignment)) {
      const key = propertyName(property.name);
      if (key === "name" && ts.isStringLiteralLike(property.initializer)) name = property.initializer.text;
      if (key === "columns" && ts.isArrayLiteralExpression(property.initializer)) keys = property.initializer.elements.map(columnKey).filter((k): k is string => k !== undefined);
    }
  } else if (builder === "primaryKey" || builder === "unique") keys = first.arguments.map(columnKey).filter((k): k is string => k !== undefined);
  return { builder, ...(name !== undefined ? { name } : {}), keys, node: expression };
}

/** The calls of a method chain, innermost (the builder) first. */
function chainCalls(expression: ts.Expression): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  let current: ts.Expression = expression;
  while (true) {
    if (ts.isCallExpression(current)) {
      calls.unshift(current);
      current = current.expression;
    } else if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else return calls;
  }
}

/** `t.userId` or `t.createdAt.desc()` -> "userId". */
function columnKey(expression: ts.Expression): string | undefined {
  let current = expression;
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) current = current.expression.expression;
  return ts.isPropertyAccessExpression(current) ? current.name.text : undefined;
}

/** The `.method(…)` call inside a column's chain, pointed at its name. */
function findCall(expression: ts.Expression, method: string): ts.Node | undefined {
  for (const call of chainCalls(expression)) {
    if (ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === method) return call.expression.name;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Fixes in Drizzle's own words

function drizzleFix(ruleId: string, object: SqlObject, table: DrizzleTable, written: WrittenTable, node: ts.Node): string | undefined {
  const t = written.param ?? "t";
  const keyOf = (column: string) => [...table.columns].find(([, name]) => name === column)?.[0] ?? column;
  const keys = object.columns.map(keyOf);
  const where = `the third argument of ${table.exportName}, (${t}) => [ … ]`;
  const length = /length:\s*(\d+)/.exec(node.getText(written.file.source))?.[1] ?? "n";
  // The column builder as the schema writes it: with the column's name, or named by its key.
  const named = ts.isPropertyAssignment(node) && writesName(node.initializer);
  const build = (fn: string, options?: string) => `${fn}(${[named ? `"${object.name}"` : undefined, options].filter(Boolean).join(", ")})`;
  const column = object.kind === "column" ? keyOf(object.name) : keys[0];
  switch (ruleId) {
    case "duplicate-index":
    case "redundant-prefix-index":
      return `delete \`${firstLine(node.getText(written.file.source))}\` from ${table.exportName}`;
    case "foreign-key-without-index":
      return `add \`index("${[object.table, ...object.columns, "idx"].join("_")}").on(${keys.map((k) => `${t}.${k}`).join(", ")})\` to ${where}`;
    case "timestamp-without-time-zone":
      return `declare ${column} as \`${build("timestamp", "{ withTimezone: true }")}\``;
    case "foreign-key-on-delete-unspecified":
      return `say what a delete does: \`.references(() => …, { onDelete: "restrict" })\` (or "cascade" for owned rows)`;
    case "json-instead-of-jsonb":
      return `declare ${column} with \`${build("jsonb")}\``;
    case "money-as-float":
      return `declare ${column} as \`${build("numeric", "{ precision: 12, scale: 2 }")}\` (or an integer of cents)`;
    case "serial-instead-of-identity":
      return `declare ${column} as \`${build("integer")}.primaryKey().generatedAlwaysAsIdentity()\``;
    case "varchar-without-reason":
      return `declare ${column} as \`${build("text")}\` and keep the limit as ${code(`check("${object.table}_${object.name}_length", sql\`char_length(\${${t}.${column}}) <= ${length}\`)`)}`;
    case "amount-without-check":
      return `add ${code(`check("${object.table}_${object.name}_non_negative", sql\`\${${t}.${column}} >= 0\`)`)} to ${where}`;
    case "created-at-nullable":
      return `add \`.notNull()\` to ${column}`;
    case "natural-key-without-unique":
    case "one-to-one-without-unique":
      return `add \`.unique()\` to ${column}`;
    default:
      return undefined;
  }
}

/** Whether the column's builder call (`text("name")`, not `text()`) starts with the column's name. */
function writesName(initializer: ts.Expression): boolean {
  const argument = chainCalls(initializer)[0]?.arguments[0];
  return argument !== undefined && ts.isStringLiteralLike(argument);
}

/** Code in backticks, unless it holds backticks itself (a sql`…` template), where quoting would mislead. */
function code(text: string): string {
  return text.includes("`") ? text : `\`${text}\``;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}
