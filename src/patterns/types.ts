/** A proven schema pattern: SQL written for one table, with what it guarantees and what it costs. */
export interface Pattern {
  name: string;
  /** One line for `schemawise pattern`. */
  summary: string;
  guarantees: string[];
  costs: string[];
  /** Options beyond --table, for the help text: name → what it means. */
  options: Record<string, string>;
  /** The SQL (one statement per line group); throws PatternError when an option is missing or wrong. */
  sql(target: PatternTarget, options: Record<string, string>): string;
}

/** The table a pattern is written for: its name, key and columns, from the catalog when `--on` gives the schema. */
export interface PatternTarget {
  schema: string;
  table: string;
  /** Primary key columns with their SQL types (`id bigint` when the schema was not given). */
  key: { name: string; type: string }[];
  /** Column name → SQL type, when known from the catalog (options naming a column are checked against them). */
  columns?: Record<string, string>;
  /** Unique constraints other than the primary key, when known from the catalog. */
  uniqueKeys?: { name: string; columns: string[] }[];
}

/** The user asked for something the pattern cannot do: a one-line message. */
export class PatternError extends Error {
  override readonly name = "PatternError";
}
