import type { ProvenanceLog } from "../engine/apply.js";
import { executePrepared, integerArrayLiteral } from "../engine/prepared.js";
import type { Engine } from "../engine/types.js";
import type { Statement } from "../sources/types.js";
import { droppedConstraintNames, droppedTriggers, findConstraint, generatedConstraintName, noteFor, renamedFrom, writesNull, writtenDefinitions, type WrittenDefinition } from "./locate.js";
import type {
  Column,
  Constraint,
  ConstraintType,
  DroppedConstraint,
  Index,
  Provenance,
  ReferentialAction,
  SchemaModel,
  Table,
  TableLiveStats,
  Trigger,
  View,
} from "./model.js";
import * as q from "./queries.js";

export interface IntrospectOptions {
  /** The statements that were run, indexed by run index; empty for a live database. */
  statements?: Statement[];
  /** DDL log from the engine: which statements touched which catalog object. */
  provenance?: ProvenanceLog;
  /** Read pg_stats and scan counters (live databases). */
  withStatistics?: boolean;
  /**
   * Read only these objects (OIDs of relations, and of enum and domain types); functions,
   * extensions and schemas are then left out. For callers that need a few tables many times.
   */
  only?: { relations: number[]; types: number[] };
}

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Reads pg_catalog into the schema model. Read-only: safe on a live database. */
export async function introspect(engine: Engine, options: IntrospectOptions = {}): Promise<SchemaModel> {
  const origin = new Origins(options.statements ?? [], options.provenance ?? new Map());
  const read = catalogReader(engine, options.only);
  // The catalog queries' estimated cost (subqueries over generate_series) passes jit_above_cost, and
  // compiling them took longer than running them (130 of the 190 ms of 200 tables' indexes): JIT is
  // off while they run, then back to what the session had (by query: a live database's engine refuses exec).
  const [{ jit }] = (await engine.query<{ jit: string }>("SELECT current_setting('jit') AS jit")) as [{ jit: string }];
  await engine.query("SELECT set_config('jit', 'off', false)");
  // Prepared catalog reads are planned once, for any OIDs (see catalogReader).
  if (options.only) await engine.exec("SET plan_cache_mode = force_generic_plan");
  const [version, schemas, relations, columns, constraints, indexes, triggers, enums, domains, sequences, functions, extensions] =
    await Promise.all([
      read(q.SERVER_VERSION),
      read(q.SCHEMAS, "none"),
      read(q.RELATIONS, "relations", "c.oid"),
      read(q.COLUMNS, "relations", "a.attrelid"),
      read(q.CONSTRAINTS, "relations", "con.conrelid"),
      read(q.INDEXES, "relations", "i.indrelid"),
      read(q.TRIGGERS, "relations", "t.tgrelid"),
      read(q.ENUMS, "types", "t.oid"),
      read(q.DOMAINS, "types", "t.oid"),
      read(q.SEQUENCES, "relations", "c.oid"),
      read(q.FUNCTIONS, "none"),
      read(q.EXTENSIONS, "none"),
    ]);
  if (options.only) await engine.exec("RESET plan_cache_mode");
  const columnStats = options.withStatistics ? await engine.query<Row>(q.COLUMN_STATS) : [];
  const statsReset = options.withStatistics ? await engine.query<Row>(q.STATS_RESET) : [];
  const tableStats = new Map((options.withStatistics ? await engine.query<Row>(q.TABLE_STATS) : []).map((row) => [Number(row.relation_oid), row]));
  await engine.query("SELECT set_config('jit', $1, false)", [jit]);

  const columnsByRelation = groupBy(columns!, (row) => Number(row.relation_oid));
  const constraintsByRelation = groupBy(constraints!, (row) => Number(row.relation_oid));
  const indexesByRelation = groupBy(indexes!, (row) => Number(row.relation_oid));
  const triggersByRelation = groupBy(triggers!, (row) => Number(row.relation_oid));
  const statsByColumn = new Map(columnStats.map((row) => [`${row.relation_oid}:${row.name}`, row]));

  const tables: Table[] = [];
  const views: View[] = [];
  for (const relation of relations!) {
    const oid = Number(relation.oid);
    const provenance = origin.of("pg_class", oid);
    const definitions = origin.definitionsFor(provenance);
    const relationColumns = (columnsByRelation.get(oid) ?? []).map((row) =>
      toColumn(row, origin.column(provenance, definitions, row.name), statsByColumn.get(`${oid}:${row.name}`), writesNull(definitions, row.name)),
    );
    const relationIndexes = (indexesByRelation.get(oid) ?? []).map((row) => toIndex(row, origin.of("pg_class", Number(row.oid)), options.withStatistics));
    if (relation.kind === "v" || relation.kind === "m") {
      views.push({
        schema: relation.schema,
        name: relation.name,
        materialized: relation.kind === "m",
        definition: relation.view_definition ?? "",
        columns: relationColumns.map((c) => ({ name: c.name, type: c.type })),
        indexes: relationIndexes,
        comment: relation.comment,
        provenance,
      });
      continue;
    }
    const used = new Set<WrittenDefinition>();
    const relationConstraints = (constraintsByRelation.get(oid) ?? []).map((row) => {
      const written = origin.writtenConstraint(definitions, row, used);
      return toConstraint(row, origin.provenanceOf(provenance, written), written);
    });
    for (const index of relationIndexes) {
      const backing = relationConstraints.find((c) => c.name === index.constraintName);
      if (backing && !index.provenance.location) index.provenance = backing.provenance;
    }
    tables.push({
      oid,
      schema: relation.schema,
      name: relation.name,
      kind: relation.kind === "p" ? "partitioned" : relation.kind === "f" ? "foreign" : "table",
      partitionOf: relation.parent ?? null,
      partitionKey: relation.partition_key ?? null,
      partitionBound: relation.partition_bound ?? null,
      persistence: relation.persistence === "u" ? "unlogged" : relation.persistence === "t" ? "temporary" : "permanent",
      rowSecurity: { enabled: relation.row_security === true, forced: relation.force_row_security === true, policies: Number(relation.policies ?? 0) },
      comment: relation.comment,
      columns: relationColumns,
      constraints: relationConstraints,
      indexes: relationIndexes,
      triggers: (triggersByRelation.get(oid) ?? []).map((row) => toTrigger(row, origin.of("pg_trigger", Number(row.oid)))),
      provenance,
      droppedConstraints: origin.dropped(provenance, definitions, relationConstraints),
      ...origin.droppedTriggers(provenance, relation.name),
      ...(options.withStatistics ? { rowEstimate: Math.max(0, Number(relation.row_estimate)) } : {}),
      ...(tableStats.has(oid) ? { live: toTableStats(tableStats.get(oid)!) } : {}),
    });
  }

  return {
    serverVersion: String(version![0]?.version ?? "").split(" ")[0] ?? "",
    schemas: schemas!.map((row) => ({ name: row.name, comment: row.comment, provenance: origin.of("pg_namespace", Number(row.oid)) })),
    tables,
    views,
    enums: enums!.map((row) => ({ schema: row.schema, name: row.name, values: row.values, comment: row.comment, provenance: origin.of("pg_type", Number(row.oid)) })),
    domains: domains!.map((row) => ({
      schema: row.schema,
      name: row.name,
      baseType: row.base_type,
      notNull: row.not_null,
      default: row.default_expression,
      checks: typeof row.checks === "string" ? JSON.parse(row.checks) : row.checks,
      comment: row.comment,
      provenance: origin.of("pg_type", Number(row.oid)),
    })),
    sequences: sequences!.map((row) => ({ schema: row.schema, name: row.name, dataType: row.data_type, ownedBy: row.owned_by, provenance: origin.of("pg_class", Number(row.oid)) })),
    functions: functions!.map((row) => ({
      schema: row.schema,
      name: row.name,
      kind: ({ f: "function", p: "procedure", a: "aggregate", w: "window" } as const)[row.kind as "f"] ?? "function",
      arguments: row.arguments,
      returns: row.returns,
      language: row.language,
      volatility: ({ i: "immutable", s: "stable", v: "volatile" } as const)[row.volatility as "i"] ?? "volatile",
      body: row.body,
      comment: row.comment,
      provenance: origin.of("pg_proc", Number(row.oid)),
    })),
    extensions: extensions!.map((row) => ({ name: row.name, schema: row.schema, version: row.version, provenance: origin.of("pg_extension", Number(row.oid)) })),
    ...(options.withStatistics ? { stats: { statsResetAt: statsReset[0]?.reset_at ?? null } } : {}),
  };
}

/**
 * Runs a catalog query, restricted to some OIDs when `only` is given: the filter goes into the
 * query's own WHERE clause, on the catalog column, so Postgres finds the rows by index.
 * Restricted reads are for callers that read again and again (one read per migration file), and
 * planning these joins costs far more than running them, so they are prepared once per engine.
 */
function catalogReader(engine: Engine, only: IntrospectOptions["only"]) {
  return async (sql: string, scope?: "relations" | "types" | "none", oidExpression?: string): Promise<Row[]> => {
    if (!only || !scope) return engine.query<Row>(sql);
    const oids = scope === "relations" ? only.relations : scope === "types" ? only.types : [];
    if (oids.length === 0) return [];
    return executePrepared<Row>(engine, restrictTo(sql, oidExpression!), ["pg_catalog.oid[]"], [integerArrayLiteral(oids)]);
  };
}

/** Adds `AND <oid expression> = ANY($1)` before the query's final ORDER BY (every catalog query has one). */
function restrictTo(sql: string, oidExpression: string): string {
  const orderBy = sql.lastIndexOf("\nORDER BY ");
  if (orderBy < 0) throw new Error(`catalog query without a final ORDER BY: ${sql.slice(0, 60)}`);
  return `${sql.slice(0, orderBy)}\n  AND ${oidExpression} = ANY($1)${sql.slice(orderBy)}`;
}

/** Maps catalog objects to the statements that made them. */
class Origins {
  private readonly definitionCache = new Map<number, WrittenDefinition[]>();
  private triggerDrops: { table: string; trigger: string; index: number }[] | undefined;

  constructor(
    private readonly statements: Statement[],
    private readonly log: ProvenanceLog,
  ) {}

  of(catalog: string, oid: number): Provenance {
    const indexes = this.log.get(`${catalog}:${oid}`) ?? [];
    const first = indexes[0] === undefined ? undefined : this.statements[indexes[0]];
    if (!first) return { statements: indexes };
    const note = noteFor(first, first.location, { trailing: false });
    return { location: first.location, statements: indexes, ...(note ? { note } : {}) };
  }

  /** Columns and constraints written by the statements that created or altered a table. */
  definitionsFor(table: Provenance): WrittenDefinition[] {
    return table.statements.flatMap((index) => {
      let cached = this.definitionCache.get(index);
      if (!cached) {
        const statement = this.statements[index];
        cached = statement ? writtenDefinitions(statement) : [];
        this.definitionCache.set(index, cached);
      }
      return cached;
    });
  }

  column(table: Provenance, definitions: WrittenDefinition[], name: string): Provenance {
    return this.provenanceOf(table, definitions.find((d) => d.kind === "column" && d.name === name));
  }

  writtenConstraint(definitions: WrittenDefinition[], row: Row, used: Set<WrittenDefinition>): WrittenDefinition | undefined {
    return findConstraint(definitions, { name: row.name, typeCode: row.type, columns: row.columns }, used);
  }

  /**
   * Constraints that the statements run on a table dropped and that it no longer has: the run's own
   * record of what was executed (the DDL log) tells which statements touched the table, and the
   * statements that wrote the constraint before tell what it was.
   */
  dropped(table: Provenance, definitions: WrittenDefinition[], current: Constraint[]): DroppedConstraint[] {
    const names = new Set(current.map((c) => c.name));
    const found: DroppedConstraint[] = [];
    for (const index of table.statements) {
      const statement = this.statements[index];
      if (!statement) continue;
      for (const name of droppedConstraintNames(statement)) {
        if (names.has(name) || found.some((d) => d.name === name)) continue;
        const written = definitions
          .filter((d) => d.kind === "constraint" && d.statement.index < index && (d.name ?? generatedConstraintName(d)) === name)
          .at(-1);
        const type = written ? CONSTRAINT_TYPE_OF[written.contype ?? ""] : undefined;
        if (!written || !type) continue;
        found.push({ name, type, columns: written.columns, referencedTable: written.references ?? null, droppedBy: index, location: statement.location });
      }
    }
    return found;
  }

  /**
   * Triggers the input dropped from a table, found by name: a DROP TRIGGER … ON the table under its current
   * name or one a later RENAME gave up, run after the table was created.
   */
  droppedTriggers(table: Provenance, name: string): { droppedTriggers?: string[] } {
    const first = table.statements[0];
    if (first === undefined || this.statements.length === 0) return {};
    const names = new Set([name, ...table.statements.map((i) => this.statements[i]).flatMap((s) => (s ? [renamedFrom(s)] : [])).filter((n): n is string => !!n)]);
    this.triggerDrops ??= this.statements.flatMap((s) => droppedTriggers(s).map((d) => ({ ...d, index: s.index })));
    const dropped = this.triggerDrops.filter((d) => d.index > first && names.has(d.table)).map((d) => d.trigger);
    return dropped.length > 0 ? { droppedTriggers: dropped } : {};
  }

  /** Where a written column or constraint is, with the author's note; the table's own provenance when it was not found. */
  provenanceOf(table: Provenance, written: WrittenDefinition | undefined): Provenance {
    if (!written) return table;
    const note = noteFor(written.statement, written.location, { trailing: true });
    return { location: written.location, statements: [written.statement.index], ...(note ? { note } : {}) };
  }
}

const CONSTRAINT_TYPE_OF: Record<string, ConstraintType> = {
  CONSTR_PRIMARY: "primary-key",
  CONSTR_FOREIGN: "foreign-key",
  CONSTR_UNIQUE: "unique",
  CONSTR_CHECK: "check",
  CONSTR_EXCLUSION: "exclusion",
};

function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

function toColumn(row: Row, provenance: Provenance, stats: Row | undefined, nullWritten: boolean): Column {
  return {
    name: row.name,
    position: Number(row.position),
    type: row.type,
    typeName: row.type_name,
    baseTypeName: row.base_type_name,
    typeSchema: row.type_schema,
    typeCategory: row.type_category,
    isArray: Boolean(row.is_array),
    elementTypeName: row.element_type_name ?? null,
    typeLength: Number(row.type_length),
    typeAlign: row.type_align,
    notNull: Boolean(row.not_null),
    default: row.default_expression ?? null,
    identity: row.identity === "a" ? "always" : row.identity === "d" ? "by default" : null,
    isSerial: Boolean(row.owns_sequence) && !row.identity && /^nextval\(/.test(row.default_expression ?? ""),
    generated: row.generated === "s" ? "stored" : row.generated === "v" ? "virtual" : null,
    generationExpression: row.generated ? (row.default_expression ?? null) : null,
    collation: row.collation ?? null,
    comment: row.comment ?? null,
    provenance,
    ...(nullWritten ? { nullWritten } : {}),
    ...(stats
      ? {
          stats: {
            nullFraction: Number(stats.null_fraction),
            nDistinct: Number(stats.n_distinct),
            averageWidth: Number(stats.average_width),
            mostCommonValues: stats.most_common_values ?? [],
          },
        }
      : {}),
  };
}

function toTableStats(row: Row): TableLiveStats {
  return { writes: Number(row.writes), sequentialScans: Number(row.sequential_scans), totalBytes: Number(row.total_bytes) };
}

const CONSTRAINT_TYPE: Record<string, ConstraintType> = {
  p: "primary-key",
  f: "foreign-key",
  u: "unique",
  c: "check",
  x: "exclusion",
  n: "not-null",
};

const ACTIONS: Record<string, ReferentialAction> = {
  a: "no action",
  r: "restrict",
  c: "cascade",
  n: "set null",
  d: "set default",
};

function toConstraint(row: Row, provenance: Provenance, written: WrittenDefinition | undefined): Constraint {
  const type = CONSTRAINT_TYPE[row.type] ?? "check";
  return {
    name: row.name,
    type,
    columns: row.columns ?? [],
    definition: row.definition,
    deferrable: Boolean(row.deferrable),
    initiallyDeferred: Boolean(row.deferred),
    validated: Boolean(row.validated),
    indexName: row.index_name ?? null,
    foreignKey:
      type === "foreign-key"
        ? {
            referencedSchema: row.ref_schema,
            referencedTable: row.ref_table,
            referencedColumns: row.ref_columns ?? [],
            onDelete: ACTIONS[row.on_delete] ?? "no action",
            ...(written ? { onDeleteWritten: /\bON\s+DELETE\b/i.test(written.text) } : {}),
            onUpdate: ACTIONS[row.on_update] ?? "no action",
            match: row.match_type === "f" ? "full" : row.match_type === "p" ? "partial" : "simple",
          }
        : null,
    checkExpression: row.check_expression ?? null,
    comment: row.comment ?? null,
    provenance,
  };
}

function toIndex(row: Row, provenance: Provenance, withStatistics?: boolean): Index {
  const keyCount = Number(row.key_count);
  const columns: (string | null)[] = row.columns ?? [];
  const texts: string[] = row.key_texts ?? [];
  return {
    oid: Number(row.oid),
    name: row.name,
    schema: row.schema,
    method: row.method,
    unique: Boolean(row.is_unique),
    primary: Boolean(row.is_primary),
    constraintName: row.constraint_name ?? null,
    keys: columns.slice(0, keyCount).map((column, i) => ({
      column,
      expression: column === null ? (texts[i] ?? null) : null,
      descending: Boolean(row.descending?.[i]),
      nullsFirst: Boolean(row.nulls_first?.[i]),
      opclass: row.opclasses?.[i] ?? null,
      collation: null,
    })),
    include: columns.slice(keyCount).map((column, i) => column ?? texts[keyCount + i] ?? ""),
    predicate: row.predicate ?? null,
    valid: Boolean(row.is_valid),
    nullsNotDistinct: Boolean(row.nulls_not_distinct),
    definition: row.definition,
    comment: row.comment ?? null,
    provenance,
    ...(withStatistics ? { scans: Number(row.scans ?? 0), sizeBytes: Number(row.size_bytes ?? 0) } : {}),
  };
}

function toTrigger(row: Row, provenance: Provenance): Trigger {
  const bits = Number(row.type_bits);
  const events: Trigger["events"] = [];
  if (bits & 4) events.push("insert");
  if (bits & 16) events.push("update");
  if (bits & 8) events.push("delete");
  if (bits & 32) events.push("truncate");
  return {
    name: row.name,
    timing: bits & 64 ? "instead of" : bits & 2 ? "before" : "after",
    events,
    updateColumns: row.update_columns ?? [],
    level: bits & 1 ? "row" : "statement",
    functionSchema: row.function_schema,
    functionName: row.function_name,
    enabled: Boolean(row.enabled),
    definition: row.definition,
    provenance,
  };
}
