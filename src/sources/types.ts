/** A position in a source file. Lines and columns are 1-based, columns count characters. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One SQL statement as the user wrote it, with where it came from. */
export interface Statement {
  /** Position in the whole run, 0-based, in execution order. */
  index: number;
  /** The statement text exactly as written (no trailing semicolon). */
  sql: string;
  location: SourceLocation;
  /** Character offset of `sql` inside its file. */
  offset: number;
  /** Parsed AST node (`RawStmt.stmt`) from libpg-query, or undefined when parsing failed. */
  ast?: StatementBody;
  /** The top-level node type, e.g. "CreateStmt"; "Unparsed" when parsing failed. */
  kind: string;
  /** Parser error, when the real Postgres parser rejected the text. */
  parseError?: { message: string; location: SourceLocation };
  /** Rule ids suppressed for this statement by `-- schemawise-ignore` comments. */
  suppressions: Suppression[];
  /** SQL comments inside the statement or between the previous statement and this one, in order. */
  comments?: SourceComment[];
  /** Which migration (if any) this statement belongs to. */
  migration?: MigrationRef;
}

/** The parsed statement, the body under its node kind (read it through sources/ast.ts: statementAs, statementRelation…). */
export type StatementBody = object;

/** A `--` or `/* … *\/` comment as written, with where it sits. */
export interface SourceComment {
  text: string;
  location: SourceLocation;
  /** Nothing but white space precedes it on its line. */
  ownLine: boolean;
}

export interface Suppression {
  ruleIds: string[];
  reason: string;
  location: SourceLocation;
}

export interface MigrationRef {
  /** Version or ordering key as the runner sees it. */
  version: string;
  name: string;
  file: string;
}

/** Something in the input that was deliberately not executed, and why. */
export interface SkippedInput {
  location: SourceLocation;
  what: string;
  reason: string;
}

export type LayoutName =
  | "sql-files"
  | "numbered-sql"
  | "prisma"
  | "drizzle"
  | "diesel"
  | "flyway"
  | "golang-migrate"
  | "dbmate"
  | "live";

/** A file to run, in order, as a runner would. */
export interface OrderedFile {
  path: string;
  /** Text to run (for dbmate only the `migrate:up` section; other text blanked to keep positions). */
  text: string;
  migration?: MigrationRef;
}

export interface SourceSet {
  layout: LayoutName;
  /** Human description, e.g. "Prisma Migrate history (163 migrations)". */
  description: string;
  statements: Statement[];
  skipped: SkippedInput[];
  files: string[];
}
