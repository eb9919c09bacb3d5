import type { SourceLocation } from "../sources/types.js";

/**
 * The schema model: what pg_catalog says exists after the input ran, with each object
 * mapped back to the statement(s) that created or altered it. Rules read only this.
 */
export interface SchemaModel {
  /** e.g. "18.6" */
  serverVersion: string;
  schemas: SchemaInfo[];
  tables: Table[];
  views: View[];
  enums: EnumType[];
  domains: Domain[];
  sequences: Sequence[];
  functions: FunctionInfo[];
  extensions: Extension[];
  /** Present only for live databases (`--url`). */
  stats?: LiveStats;
}

/** Where an object came from: the statements (by run index) and the first one's location. */
export interface Provenance {
  /** Location of the creating statement (or, for a live database, undefined). */
  location?: SourceLocation;
  /** Run indexes of the statements that created or altered the object, in order. */
  statements: number[];
  /** The SQL comment the author wrote just above the definition (or after it, on its line). */
  note?: string;
}

export interface SchemaInfo {
  name: string;
  comment: string | null;
  provenance: Provenance;
}

export type TableKind = "table" | "partitioned" | "foreign";

export interface Table {
  oid: number;
  schema: string;
  name: string;
  kind: TableKind;
  /** For a partition: "schema.parent". */
  partitionOf: string | null;
  /** Partition key definition for partitioned tables, e.g. "RANGE (created_at)". */
  partitionKey: string | null;
  /** Partition bound for partitions, e.g. "FOR VALUES FROM (...) TO (...)". */
  partitionBound: string | null;
  persistence: "permanent" | "unlogged" | "temporary";
  /** Row-level security: ENABLE (and FORCE) ROW LEVEL SECURITY, and how many policies the table has. */
  rowSecurity?: { enabled: boolean; forced: boolean; policies: number };
  comment: string | null;
  columns: Column[];
  constraints: Constraint[];
  indexes: Index[];
  triggers: Trigger[];
  provenance: Provenance;
  /** Constraints the input created and a later statement dropped for good (absent for a live database). */
  droppedConstraints?: DroppedConstraint[];
  /** Triggers a statement of the input dropped from this table, under its current or an earlier name (absent for a live database). */
  droppedTriggers?: string[];
  /** Live databases only: activity and size from pg_stat_user_tables and pg_class. */
  rowEstimate?: number;
  live?: TableLiveStats;
}

export interface TableLiveStats {
  /** Rows inserted + updated + deleted since statistics were reset. */
  writes: number;
  sequentialScans: number;
  /** Table + indexes + TOAST, in bytes. */
  totalBytes: number;
}

export interface Column {
  name: string;
  /** Position in the table (attnum). */
  position: number;
  /** Formatted type with modifiers, e.g. "character varying(255)", "numeric(12,2)". */
  type: string;
  /** Base type name without modifiers, e.g. "varchar", "numeric", "_int4" for arrays. */
  typeName: string;
  /** For a domain, the name of its base type; otherwise the same as typeName. */
  baseTypeName: string;
  /** Schema of the type, e.g. "pg_catalog". */
  typeSchema: string;
  /** Type category letter from pg_type.typcategory (N numeric, S string, D datetime, B boolean, U user, A array, E enum…). */
  typeCategory: string;
  isArray: boolean;
  /** Element type name for arrays, e.g. "int4". */
  elementTypeName: string | null;
  typeLength: number;
  typeAlign: "c" | "s" | "i" | "d";
  notNull: boolean;
  default: string | null;
  identity: "always" | "by default" | null;
  /** True when the default is nextval() of a sequence owned by this column (serial). */
  isSerial: boolean;
  generated: "stored" | "virtual" | null;
  generationExpression: string | null;
  collation: string | null;
  comment: string | null;
  provenance: Provenance;
  /** True when the definition that added the column writes NULL out (`created_at timestamptz NULL`); absent otherwise or without source. */
  nullWritten?: boolean;
  /** Live databases only: pg_stats for this column. */
  stats?: ColumnStats;
}

/** pg_stats of a column (live databases). nDistinct < 0 is a fraction of the row count, as in Postgres. */
export interface ColumnStats {
  nullFraction: number;
  nDistinct: number;
  averageWidth: number;
  /** Most common values as text (at most 100), empty when Postgres keeps none. */
  mostCommonValues: string[];
}

export type ConstraintType = "primary-key" | "foreign-key" | "unique" | "check" | "exclusion" | "not-null";

export interface Constraint {
  name: string;
  type: ConstraintType;
  /** Columns of this table, in constraint order (empty for expression-only checks). */
  columns: string[];
  /** Full definition as pg_get_constraintdef prints it. */
  definition: string;
  deferrable: boolean;
  initiallyDeferred: boolean;
  validated: boolean;
  /** Name of the index backing a PK / unique / exclusion constraint. */
  indexName: string | null;
  foreignKey: ForeignKeyInfo | null;
  /** CHECK expression text for check constraints. */
  checkExpression: string | null;
  comment: string | null;
  provenance: Provenance;
}

/**
 * A constraint that a statement of the input dropped and that is not on the table any more (it was not
 * re-created under its name): the history records the decision to do without it.
 */
export interface DroppedConstraint {
  name: string;
  type: ConstraintType;
  /** Columns it was written on. */
  columns: string[];
  /** For a foreign key: the table it referenced, as written. */
  referencedTable: string | null;
  /** Run index of the statement that dropped it. */
  droppedBy: number;
  /** Where that statement is. */
  location?: SourceLocation;
}

export type ReferentialAction = "no action" | "restrict" | "cascade" | "set null" | "set default";

export interface ForeignKeyInfo {
  referencedSchema: string;
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  /** Whether the source spells out ON DELETE (NO ACTION written out is a decision); undefined without source. */
  onDeleteWritten?: boolean;
  onUpdate: ReferentialAction;
  match: "simple" | "full" | "partial";
}

export interface IndexKey {
  /** Column name, or null when the key is an expression. */
  column: string | null;
  /** Expression text when the key is not a plain column. */
  expression: string | null;
  descending: boolean;
  nullsFirst: boolean;
  /** Operator class when not the default for the type. */
  opclass: string | null;
  collation: string | null;
}

export interface Index {
  oid: number;
  name: string;
  schema: string;
  method: string;
  unique: boolean;
  primary: boolean;
  /** Whether this index backs a constraint (and its name). */
  constraintName: string | null;
  keys: IndexKey[];
  include: string[];
  /** Partial-index predicate, or null. */
  predicate: string | null;
  valid: boolean;
  nullsNotDistinct: boolean;
  definition: string;
  comment: string | null;
  provenance: Provenance;
  /** Live databases only. */
  scans?: number;
  sizeBytes?: number;
}

export interface Trigger {
  name: string;
  timing: "before" | "after" | "instead of";
  events: ("insert" | "update" | "delete" | "truncate")[];
  /** Columns for UPDATE OF …, empty when any column. */
  updateColumns: string[];
  level: "row" | "statement";
  functionSchema: string;
  functionName: string;
  enabled: boolean;
  definition: string;
  provenance: Provenance;
}

export interface View {
  schema: string;
  name: string;
  materialized: boolean;
  definition: string;
  columns: { name: string; type: string }[];
  indexes: Index[];
  comment: string | null;
  provenance: Provenance;
}

export interface EnumType {
  schema: string;
  name: string;
  values: string[];
  comment: string | null;
  provenance: Provenance;
}

export interface Domain {
  schema: string;
  name: string;
  baseType: string;
  notNull: boolean;
  default: string | null;
  checks: { name: string; expression: string }[];
  comment: string | null;
  provenance: Provenance;
}

export interface Sequence {
  schema: string;
  name: string;
  dataType: string;
  /** "schema.table.column" when owned by a column (serial / identity). */
  ownedBy: string | null;
  provenance: Provenance;
}

export interface FunctionInfo {
  schema: string;
  name: string;
  kind: "function" | "procedure" | "aggregate" | "window";
  arguments: string;
  returns: string;
  language: string;
  volatility: "immutable" | "stable" | "volatile";
  /** Function body, for rules that look at what a trigger function does. */
  body: string;
  comment: string | null;
  provenance: Provenance;
}

export interface Extension {
  name: string;
  schema: string;
  version: string;
  provenance: Provenance;
}

export interface LiveStats {
  /** When pg_stat counters were last reset, if known (ISO string). */
  statsResetAt: string | null;
}

/** "schema.name": how findings, reports and the data generator name a table or view (unquoted, stable). */
export function tablePath(relation: Pick<Table, "schema" | "name">): string {
  return `${relation.schema}.${relation.name}`;
}
