/**
 * The migration rules on one file of a replayed history (the hooks `migrations` gives the replay,
 * see src/pipeline/replay.ts). The schema before the file is read only as far as the rules ask:
 * which objects exist, then the catalog details of the tables the file names, then the whole scope
 * or the schema's size evidence; where a rule asks after an earlier statement of the same file
 * changed the catalog, the state there is read while the file runs (file-state.ts).
 */
import path from "node:path";
import type { SchemaModel } from "../catalog/model.js";
import { toFinding, type EnabledRule, type RawFinding } from "../checks/run.js";
import type { Finding, ObjectRef } from "../checks/types.js";
import { INTERNAL_SCHEMA, type ApplyResult } from "../engine/apply.js";
import type { Engine } from "../engine/types.js";
import type { FileHooks, ReplayFile } from "../pipeline/replay.js";
import { nodeAs, optionEnabled, statementAs } from "../sources/ast.js";
import type { MigrationRef, OrderedFile, Statement } from "../sources/types.js";
import { consulting, positionsNeedingState } from "./file-state.js";
import { blockedBy, LOCK_MODES, sameRelation, type LockMode, type RelationRef, type StatementEffect } from "./locks.js";
import { buildContexts, existedBeforeFromModel, lookupFromModel, type BuildContextOptions, type MigrationLookup, type SchemaShape, type SizeFacts } from "./rules/_context.js";
import { changesOf } from "./changes.js";
import { existingObject, namesIn, readResolvedScope, resolveScope, type Scope } from "./scope.js";
import type { FileTransaction } from "./transactions.js";
import type { MigrationReport, MigrationRule } from "./types.js";

export interface StatementLock {
  /** "schema.name" (schema "public" when unqualified). */
  relation: string;
  mode: LockMode;
  /** Created by this statement (or earlier in the same file): nobody else can see it yet. */
  created: boolean;
}

/** What one statement does, for the per-file table. */
export interface StatementSummary {
  line: number;
  /** e.g. "CREATE INDEX", "ALTER TABLE ADD COLUMN". */
  kind: string;
  locks: StatementLock[];
  blocks: StatementEffect["blocks"];
  rewrite: StatementEffect["rewrite"];
  scan: boolean;
  inTransaction: boolean;
}

export interface MigrationFileResult {
  file: string;
  migration?: MigrationRef;
  transaction: FileTransaction;
  statements: StatementSummary[];
  /** Findings on this file, after suppression. */
  findings: Finding[];
  /** Statements of this file the engine rejected while replaying. */
  failedStatements: number;
}

/** A hazard not reported: its tables look small and their size is unknown. */
export interface HeldBack {
  ruleId: string;
  file: string;
  line: number;
}

/** What checking one file gave; the results cache keeps it for the next run. */
export interface CheckedFile {
  raw: RawFinding[];
  heldBack: HeldBack[];
  safeForms: string[];
  result: MigrationFileResult;
}

/** A results cache entry's checked part, when it still has the shape of a CheckedFile. */
export function acceptCheckedFile(kept: unknown): CheckedFile | undefined {
  const entry = kept as Partial<CheckedFile> | undefined;
  if (!entry || !Array.isArray(entry.raw) || !Array.isArray(entry.heldBack) || !Array.isArray(entry.safeForms)) return undefined;
  if (typeof entry.result?.file !== "string") return undefined;
  return { raw: entry.raw, heldBack: entry.heldBack, safeForms: entry.safeForms, result: entry.result };
}

export type EnabledMigrationRule = EnabledRule<MigrationRule>;

/** What the file's check needs from the run. */
export interface FileCheckSettings {
  rules: EnabledMigrationRule[];
  rows: (rel: RelationRef) => number | undefined;
  pgVersion: number;
  smallTableRows: number;
  catalogDetails?: "when-needed" | "always";
  /** Created by an earlier checked file of the same deploy: new (and empty) in production when this one runs. */
  newThisDeploy: (rel: RelationRef) => boolean;
  /**
   * Which type changes pg_cast relabels (text → citext…): read once, when a file first changes a
   * column's type (`read`), then known to every later file.
   */
  binaryCasts: (read: boolean) => Promise<((from: string, to: string) => boolean) | undefined>;
  timings: { introspectMs: number; rulesMs: number };
}

export type Checked = ReturnType<typeof checkStatements>;

/** The hooks of one checked file: the rules before it runs, the mid-file reads, and the rules again with them. */
export async function fileCheckHooks(
  file: ReplayFile,
  engine: Engine,
  settings: FileCheckSettings,
  done: (checked: Checked, applied: ApplyResult) => CheckedFile,
): Promise<FileHooks<MigrationLookup, CheckedFile>> {
  const scope = await timed(settings.timings, "introspectMs", () => resolveScope(engine, namesIn(file.statements)));
  const qualify = qualifier(await timed(settings.timings, "introspectMs", () => searchPathOf(engine)), scope);
  const casts = await settings.binaryCasts(changesColumnType(file.statements));
  const check = new FileCheck(file, engine, scope, qualify, casts, settings);
  await check.beforeFile();
  const readStates = check.readStates();
  return {
    ...(readStates ? { readStates } : {}),
    afterFile: async ({ applied, states }) => done(readStates ? await check.withStates(states) : check.checked, applied),
  };
}

/** Adds the time `work` takes to a timing. */
async function timed<K extends string, T>(timings: Record<K, number>, key: K, work: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await work();
  } finally {
    timings[key] += performance.now() - t;
  }
}

/** The schema before the file as the rules ask for it. */
interface Before {
  lookup: MigrationLookup;
  existed: (rel: RelationRef) => boolean;
}

class FileCheck {
  /** Positions whose statement's rules asked about the schema: after a change earlier in the file, the answer is read from the engine. */
  private readonly asked = new Map<number, RelationRef[]>();
  /** Raised by the lookups: the catalog details or size evidence a rule asked for. */
  private readonly need: { details: "none" | "named" | "all"; sizes: boolean };
  /** The size evidence of a table of unknown size: one catalog query over the whole schema, read when a rule asks. */
  private sizes: SchemaSizes | undefined;
  private before: Before;
  checked!: Checked;

  constructor(
    private readonly file: ReplayFile,
    private readonly engine: Engine,
    private readonly scope: Scope,
    private readonly qualify: (rel: RelationRef) => RelationRef,
    private readonly casts: ((from: string, to: string) => boolean) | undefined,
    private readonly settings: FileCheckSettings,
  ) {
    this.need = { details: settings.catalogDetails === "always" ? "all" : "none", sizes: false };
    const existed = (rel: RelationRef) => existingObject(scope, rel) !== undefined && !settings.newThisDeploy(rel);
    this.before = { lookup: this.sized(detailProbe(scope, () => (this.need.details = this.need.details === "none" ? "named" : this.need.details))), existed };
  }

  /**
   * Most files only need to know which objects existed; the catalog details are read only when a
   * rule asks for them: first those of the tables the file names, then, if a rule asks about
   * others (foreign keys pointing at them), the whole scope.
   */
  async beforeFile(): Promise<void> {
    await this.rules();
    if (this.need.sizes) {
      this.sizes = await this.introspect(() => schemaSizes(this.engine));
      await this.rules();
    }
    if (this.need.details === "named") {
      const named = await this.introspect(() => readResolvedScope(this.engine, this.scope, "named"));
      this.before = { lookup: this.sized(namedOnly(lookupFromModel(named), named, this.scope, () => (this.need.details = "all"))), existed: this.before.existed };
      await this.rules();
    }
    if (this.need.details === "all") {
      const model: SchemaModel = await this.introspect(() => readResolvedScope(this.engine, this.scope, "all"));
      this.sizes ??= await this.introspect(() => schemaSizes(this.engine));
      const known = existedBeforeFromModel(model);
      const lookup = { ...lookupFromModel(model), exists: (rel: RelationRef) => existingObject(this.scope, rel) !== undefined };
      this.before = { lookup: this.sized(lookup), existed: (rel) => known(rel) && !this.settings.newThisDeploy(rel) };
      await this.rules();
    }
  }

  /** Where the state in the middle of the file must be read, and how; none when the schema before the file answers every question. */
  readStates(): FileHooks<MigrationLookup, CheckedFile>["readStates"] {
    const positions = positionsNeedingState(this.checked.contexts, this.asked, (rel) => this.before.lookup.indexTable?.(rel));
    if (positions.length === 0) return undefined;
    // A table's size evidence is what the schema showed before the file: indexes and keys the file itself adds say nothing about its rows.
    const evidence = this.sized(this.before.lookup);
    const read = async (): Promise<MigrationLookup> => {
      const now = await resolveScope(this.engine, namesIn(this.file.statements));
      return {
        ...lookupFromModel(await readResolvedScope(this.engine, now, "all")),
        ...(this.casts ? { binaryCoercible: this.casts } : {}),
        exists: (rel) => existingObject(now, rel) !== undefined,
        sizeFacts: evidence.sizeFacts!,
        schemaShape: evidence.schemaShape!,
      };
    };
    return { positions, read };
  }

  /** The rules again, with the states read while the file ran. */
  async withStates(states: ReadonlyMap<number, MigrationLookup>): Promise<Checked> {
    await this.rules(states);
    if (this.need.sizes && !this.sizes) {
      this.sizes = await schemaSizes(this.engine);
      await this.rules(states);
    }
    return this.checked;
  }

  private async rules(states?: ReadonlyMap<number, MigrationLookup>): Promise<void> {
    const ask = (at: number) => (relation: RelationRef | undefined) => {
      if (relation) this.asked.set(at, [...(this.asked.get(at) ?? []), relation]);
    };
    const { lookup, existed } = this.before;
    const { rules, rows, pgVersion, smallTableRows } = this.settings;
    const { qualify } = this;
    this.checked = await timed(this.settings.timings, "rulesMs", () =>
      checkStatements(this.file.statements, this.file.file, rules, qualify, {
        lookup,
        lookupAt: (at) => states?.get(at) ?? consulting(lookup, ask(at)),
        existedBefore: existed,
        rows: (rel) => rows(qualify(rel)),
        transaction: this.file.transaction,
        pgVersion,
        smallTableRows,
      }),
    );
  }

  private introspect<T>(work: () => Promise<T>): Promise<T> {
    return timed(this.settings.timings, "introspectMs", work);
  }

  private sized(lookup: MigrationLookup): MigrationLookup {
    return {
      ...lookup,
      ...(this.casts ? { binaryCoercible: this.casts } : {}),
      sizeFacts: (table) => (this.sizes ? this.sizes.facts(table) : void (this.need.sizes = true)),
      schemaShape: () => (this.sizes ? this.sizes.shape : void (this.need.sizes = true)),
    };
  }
}

/** The file's line of the report: its transaction and what each statement locks, rewrites and scans. */
export function fileResult({ file, transaction }: ReplayFile, { contexts, qualify }: Checked, applied: ApplyResult): MigrationFileResult {
  return {
    file: file.path,
    ...(file.migration ? { migration: file.migration } : {}),
    transaction,
    statements: contexts.map((c) => summarize(c.statement, c.effect, c.block.inTransaction, c.existedBefore, qualify)),
    findings: [],
    failedStatements: applied.failures.length,
  };
}

/** The relations the file's statements create. */
export function createdBy({ contexts }: Checked): RelationRef[] {
  return contexts.flatMap((c) => c.effect.locks.filter((l) => l.created).map((l) => l.relation));
}

/** Runs every enabled rule on every statement of one file. */
function checkStatements(statements: Statement[], file: OrderedFile, rules: EnabledMigrationRule[], qualify: (rel: RelationRef) => RelationRef, options: BuildContextOptions) {
  const contexts = buildContexts(statements, options);
  const findings: RawFinding[] = [];
  const heldBack: HeldBack[] = [];
  const safeForms = new Set<string>();
  const ordinal = new Map(statements.map((s, n) => [s, n] as const));
  for (const context of contexts) {
    for (const enabled of rules) {
      const { rule } = enabled;
      const report = (found: MigrationReport) => {
        if (found.heldBack) heldBack.push({ ruleId: rule.meta.id, file: file.path, line: (found.location ?? context.statement.location).line });
        else findings.push(migrationFinding(enabled, found, context.statement, context.effect, file, ordinal.get(context.statement) ?? 0, qualify));
      };
      const ruleContext = { ...context, options: enabled.options, report };
      rule.check(ruleContext);
      if (rule.safeForm?.(ruleContext)) safeForms.add(rule.meta.id);
    }
  }
  return { contexts, findings, heldBack, safeForms: [...safeForms], qualify };
}


/**
 * A lookup that knows which objects exist and which table each named index belongs to, but no
 * other catalog details, and reports any request for one: the file is then checked again with the
 * details read from the catalog, so the result is the same as always reading them.
 */
function detailProbe(scope: Scope, onRequest: () => void): MigrationLookup {
  const none = <T>(value: T) => () => {
    onRequest();
    return value;
  };
  return {
    columnType: none(undefined),
    columnNotNull: none(undefined),
    indexColumns: none(undefined),
    columnIndexes: none([]),
    foreignKeysFrom: none([]),
    foreignKeysTo: none([]),
    indexTable: (index) => existingObject(scope, index, (o) => o.table !== undefined)?.table,
    exists: (rel) => existingObject(scope, rel) !== undefined,
    notNullProven: none(false),
    checkConstraints: none([]),
    columnChecks: none([]),
    primaryKey: none(undefined),
    rowExpiry: none(undefined),
    // Only a partitioned table has a partition key; which one it is needs the details.
    partitionKey: (table) => {
      const found = existingObject(scope, table, (o) => o.kind === "relation");
      return found && found.relkind !== "p" ? undefined : none(undefined)();
    },
  };
}

/**
 * The lookup over the tables a file names; any question it cannot answer exactly from them (a
 * table it did not read, or which foreign keys point at a table) is reported, and the file is
 * then checked again with the whole scope.
 */
function namedOnly(lookup: MigrationLookup, model: SchemaModel, scope: Scope, onMiss: () => void): MigrationLookup {
  const known = (table: RelationRef) => model.tables.some((t) => sameRelation({ schema: t.schema, name: t.name }, table));
  const guard =
    <A extends unknown[], R>(method: ((table: RelationRef, ...rest: A) => R) | undefined) =>
    (table: RelationRef, ...rest: A): R => {
      if (!known(table)) onMiss();
      return method!(table, ...rest);
    };
  return {
    columnType: guard(lookup.columnType),
    columnNotNull: guard(lookup.columnNotNull),
    columnIndexes: guard(lookup.columnIndexes),
    // Only PRIMARY KEY USING INDEX asks; the index may belong to a table the file does not name.
    indexColumns: (index) => {
      onMiss();
      return lookup.indexColumns!(index);
    },
    foreignKeysFrom: guard(lookup.foreignKeysFrom),
    foreignKeysTo: (table) => {
      onMiss();
      return lookup.foreignKeysTo!(table);
    },
    indexTable: detailProbe(scope, onMiss).indexTable,
    exists: detailProbe(scope, onMiss).exists,
    notNullProven: guard(lookup.notNullProven),
    checkConstraints: guard(lookup.checkConstraints),
    columnChecks: guard(lookup.columnChecks),
    primaryKey: guard(lookup.primaryKey),
    partitionKey: guard(lookup.partitionKey),
    rowExpiry: guard(lookup.rowExpiry),
  };
}

/** What the catalog shows about the size of every table of the schema as it stands (see tableSize in rules/_shared.ts). */
interface SchemaSizes {
  facts(table: RelationRef): SizeFacts | undefined;
  shape: SchemaShape;
}

/** Every table (partitions not counted): the tables referencing it, its query indexes (neither unique nor primary), partitioned or not. */
const SCHEMA_SIZES = `
SELECT c.oid::int8 AS oid, n.nspname AS schema_name, c.relname AS table_name, c.relkind = 'p' AS partitioned,
       ARRAY(SELECT DISTINCT con.conrelid::int8 FROM pg_catalog.pg_constraint con
              WHERE con.contype = 'f' AND con.confrelid = c.oid AND con.conrelid <> c.oid) AS referenced_by,
       (SELECT count(*) FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND NOT i.indisunique) AS query_indexes,
       (SELECT count(*) FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND NOT i.indisunique AND i.indnkeyatts > 1) AS multi_column
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', '${INTERNAL_SCHEMA}') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;

async function schemaSizes(engine: Engine): Promise<SchemaSizes> {
  const rows = await engine.query<{
    oid: number | string;
    schema_name: string;
    table_name: string;
    partitioned: boolean;
    referenced_by: (number | string)[] | string;
    query_indexes: number | string;
    multi_column: number | string;
  }>(SCHEMA_SIZES);
  const byOid = new Map(rows.map((r) => [Number(r.oid), { schema: r.schema_name, name: r.table_name }] as const));
  const oids = (value: (number | string)[] | string) => (Array.isArray(value) ? value : value.replace(/[{}]/g, "").split(",").filter(Boolean)).map(Number);
  const facts = rows.map((r) => ({
    rel: { schema: r.schema_name, name: r.table_name },
    facts: {
      referencedBy: oids(r.referenced_by).flatMap((oid) => byOid.get(oid) ?? []),
      queryIndexes: Number(r.query_indexes),
      multiColumnQueryIndexes: Number(r.multi_column),
      partitioned: r.partitioned === true || String(r.partitioned) === "t",
    } satisfies SizeFacts,
  }));
  return {
    facts: (table) => facts.find((f) => sameRelation(f.rel, table))?.facts,
    shape: { queryIndexes: facts.map((f) => f.facts.queryIndexes).sort((a, b) => a - b) },
  };
}

function changesColumnType(statements: Statement[]): boolean {
  return statements.some((s) => changesOf(s).some((c) => c.kind === "alter-column-type"));
}

/** The schemas of the session's search_path that exist, in order (the first is where new objects go). */
async function searchPathOf(engine: Engine): Promise<string[]> {
  const rows = await engine.query<{ schema: string }>("SELECT pg_catalog.unnest(pg_catalog.current_schemas(false)) AS schema").catch(() => []);
  return rows.map((r) => r.schema);
}

/**
 * An unqualified relation named as the file's session resolves it: the first schema of the
 * runner's search_path (the setup's SET, as the replay runs the file) that holds it, else the one
 * new objects go to. Only the names findings and the timeline print, and the volumes they match,
 * depend on it; the rules still match unqualified names in every schema.
 */
function qualifier(searchPath: string[], scope: Scope): (rel: RelationRef) => RelationRef {
  const creationSchema = searchPath[0] ?? "public";
  return (rel) => {
    if (rel.schema) return rel;
    const holders = new Set(scope.existing.filter((o) => o.kind === "relation" && o.name === rel.name).map((o) => o.schema));
    return { ...rel, schema: searchPath.find((schema) => holders.has(schema)) ?? creationSchema };
  };
}

export function relationPath(rel: RelationRef): string {
  return `${rel.schema ?? "public"}.${rel.name}`;
}

function migrationFinding(
  { rule, severityFor }: EnabledMigrationRule,
  found: MigrationReport,
  statement: Statement,
  effect: StatementEffect,
  file: OrderedFile,
  ordinal: number,
  qualify: (rel: RelationRef) => RelationRef,
): RawFinding {
  const target = effect.locks.find((l) => !l.created) ?? effect.locks[0];
  const object: ObjectRef = target ? { kind: "table", path: relationPath(qualify(target.relation)) } : { kind: "statement", path: `${migrationKey(file)}#${ordinal + 1}` };
  // Line shifts inside a file do not change the fingerprint: the statement's ordinal does.
  const discriminator = `${migrationKey(file)}#${ordinal + 1}${found.discriminator ? `:${found.discriminator}` : ""}`;
  return toFinding(rule.meta, severityFor(found.severity), {
    object,
    message: found.message,
    location: found.location ?? statement.location,
    fix: found.fix,
    discriminator,
    statements: [statement.index],
  });
}

function migrationKey(file: OrderedFile): string {
  return file.migration?.version ?? path.basename(file.path);
}

const SUBCOMMAND_WORDS: Record<string, string> = {
  AT_AddColumn: "ADD COLUMN",
  AT_DropColumn: "DROP COLUMN",
  AT_AlterColumnType: "ALTER COLUMN TYPE",
  AT_SetNotNull: "SET NOT NULL",
  AT_DropNotNull: "DROP NOT NULL",
  AT_ColumnDefault: "SET DEFAULT",
  AT_AddConstraint: "ADD CONSTRAINT",
  AT_DropConstraint: "DROP CONSTRAINT",
  AT_ValidateConstraint: "VALIDATE CONSTRAINT",
  AT_AttachPartition: "ATTACH PARTITION",
  AT_DetachPartition: "DETACH PARTITION",
  AT_SetLogged: "SET LOGGED",
  AT_SetUnLogged: "SET UNLOGGED",
  AT_SetTableSpace: "SET TABLESPACE",
  AT_EnableTrig: "ENABLE TRIGGER",
  AT_DisableTrig: "DISABLE TRIGGER",
  AT_AddIdentity: "ADD IDENTITY",
  AT_EnableRowSecurity: "ENABLE RLS",
};

/** A short name for a statement: its leading keywords, and for ALTER TABLE its first action. */
export function statementKind(statement: Statement): string {
  const text = statement.sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, "");
  // An option list after the first word (`REINDEX (CONCURRENTLY false) INDEX …`) is not part of the kind.
  const words = text.replace(/^(\w+)\s*\([^)]*\)/, "$1").split(/[\s(;]+/, 4).map((w) => w.toUpperCase());
  const lead = /^(UNIQUE|OR|MATERIALIZED|TEMP|TEMPORARY|UNLOGGED|CONCURRENTLY)$/.test(words[1] ?? "") ? words.slice(0, 3) : words.slice(0, 2);
  let kind = lead.filter((w) => /^[A-Z_]+$/.test(w)).join(" ");
  if (optionEnabled(statementAs(statement, "ReindexStmt")?.params, "concurrently") && !kind.includes("CONCURRENTLY")) kind += " CONCURRENTLY";
  const alter = statementAs(statement, "AlterTableStmt");
  if (alter) {
    const cmds = alter.cmds ?? [];
    const first = nodeAs(cmds[0], "AlterTableCmd")?.subtype;
    if (first) kind += ` ${SUBCOMMAND_WORDS[first] ?? first.replace(/^AT_/, "").replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase()}`;
    if (cmds.length > 1) kind += ` (+${cmds.length - 1})`;
  }
  return kind || statement.kind;
}

/**
 * One statement of the timeline. A relation an earlier statement of the same file created counts as
 * new here too: no other session sees it before the commit, so its locks block nobody.
 */
function summarize(statement: Statement, effect: StatementEffect, inTransaction: boolean, existedBefore: (rel: RelationRef) => boolean, qualify: (rel: RelationRef) => RelationRef): StatementSummary {
  const isNew = (lock: StatementEffect["locks"][number]) => lock.created === true || (inTransaction && !existedBefore(lock.relation));
  const seen = effect.locks.filter((l) => !isNew(l));
  const strongest = seen.reduce<LockMode | undefined>((max, l) => (max === undefined || LOCK_MODES.indexOf(l.mode) > LOCK_MODES.indexOf(max) ? l.mode : max), undefined);
  return {
    line: statement.location.line,
    kind: statementKind(statement),
    locks: effect.locks.map((l) => ({ relation: relationPath(qualify(l.relation)), mode: l.mode, created: isNew(l) })),
    blocks: blockedBy(strongest),
    rewrite: effect.rewrite,
    scan: effect.scan,
    inTransaction,
  };
}
