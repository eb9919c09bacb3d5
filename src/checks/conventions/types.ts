import type { ReferentialAction } from "../../catalog/model.js";

/** Where a convention's value comes from. */
export type ConventionSource =
  /** Most objects of the schema follow it. */
  | "inferred"
  /** Set in the config (`conventions`). */
  | "pinned"
  /** The schema is too small to have conventions of its own: the design discipline's default applies. */
  | "default"
  /** The schema is large enough, but no value is followed by most objects: rules do not judge objects one by one. */
  | "mixed";

/** One convention: its value, how it was decided, and how many of the objects it was judged on follow it. */
export interface Convention<T> {
  value: T;
  source: ConventionSource;
  /** Objects that follow `value`. */
  follows: number;
  /** Objects the convention was judged on. */
  of: number;
}

export type Dialect = "rails" | "gitlab" | "django" | "prisma" | "diesel" | "hibernate" | "drizzle" | "pg-dump" | "hand-written";

export type NameCase = "snake_case" | "camelCase" | "PascalCase" | "UPPER_CASE";
export type Plurality = "plural" | "singular";

/** How a primary key column is named: `id`, `<table>_id`, `<singular>_id`, `<table>Id`, … (placeholders in angle brackets). */
export type KeyNaming = "id" | "<table>_id" | "<singular>_id" | "<table>Id" | "<singular>Id" | "<Table>ID";

/** How a single-column foreign key column is named after the table it references. */
export type ReferenceNaming = "<singular>_id" | "<singular>Id" | "<singular>ID" | "<referenced column>";

export type IdStrategy = "identity" | "serial" | "uuid" | "text" | "natural";

/** How the schema names its indexes (placeholders: <table>, <columns>). */
export type IndexNaming = "index_<table>_on_<columns>" | "<table>_<columns>_idx" | "<table>_<columns>_index" | "idx_<table>_<columns>" | "ix_<table>_<columns>" | "<Table>_<columns>_idx";

/** The project's conventions, derived from the schema before any rule runs (and pinned in the config). */
export interface Conventions {
  dialect: Convention<Dialect> & { evidence: string[] };
  tableCase: Convention<NameCase>;
  tablePlurality: Convention<Plurality>;
  columnCase: Convention<NameCase>;
  primaryKeyNaming: Convention<KeyNaming>;
  referenceNaming: Convention<ReferenceNaming>;
  indexNaming: Convention<IndexNaming | null>;
  /** Prefixes boolean columns start with (is_, has_…); empty when the schema has none. */
  booleanPrefixes: Convention<string[]>;
  /** Suffix of timestamp column names (_at, _on, At…); null when there is none. */
  timestampSuffix: Convention<string | null>;
  /** Whether the schema declares foreign keys at all (some schemas leave them to the application). */
  declaresForeignKeys: Convention<boolean>;
  /** Whether foreign keys state ON DELETE ("stated"), or leave it to the default ("unstated"). */
  onDelete: Convention<"stated" | "unstated"> & { actions: Partial<Record<ReferentialAction, number>> };
  timestampType: Convention<"timestamptz" | "timestamp">;
  /** Spelling of the creation and last-change columns, and whether most tables have them. */
  createdColumn: Convention<string | null>;
  updatedColumn: Convention<string | null>;
  /** Soft-delete column (deleted_at, discarded_at…), null when the schema does not soft-delete. */
  softDeleteColumn: Convention<string | null>;
  idStrategy: Convention<IdStrategy>;
  /** Whether bounded strings are varchar(n) by habit (ORMs) or text. */
  stringType: Convention<"text" | "varchar">;
  /** Tables that belong to a library or a tool, not to the team's design ("schema.table" → library). */
  libraryTables: Map<string, string>;
}

/** A convention counts as the project's own when this share of at least MIN_OBJECTS objects follow it. */
export const ESTABLISHED_SHARE = 0.8;
export const MIN_OBJECTS = 4;
