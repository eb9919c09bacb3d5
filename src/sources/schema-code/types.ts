import type { SourceLocation } from "../types.js";

export type SchemaTool = "drizzle" | "prisma";

/** A database object the ORM's SQL creates, as the findings name it. */
export interface SqlObject {
  /** "named": an enum, view or sequence, found at its declaration. */
  kind: "table" | "column" | "index" | "constraint" | "named";
  /** Table (unqualified) the object belongs to; its own name for a table or a named object. */
  table: string;
  /** Column, index, constraint or type name; the table name for a table. */
  name: string;
  /** Columns an index or constraint is on; [name] for a column. */
  columns: string[];
  /** For a constraint: p, f, u or c (as pg_constraint.contype). */
  constraintType?: "p" | "f" | "u" | "c";
  unique?: boolean;
}

/** Where the team wrote an object, and how they would write the fix there. */
export interface CodeSite {
  location: SourceLocation;
  /** The fix in the schema's own language, when the rule has one there. */
  fix?: string;
  /**
   * Why the finding does not apply to this schema: the ORM does what the rule asks for (Prisma's
   * @updatedAt), or owns what the rule is about (the tables Prisma names itself). Dropped.
   */
  covered?: string;
}

/** A schema written as code, turned into SQL by its own tool and mapped back to its source. */
export interface SchemaCode {
  tool: SchemaTool;
  /** The generated SQL, one statement after another. */
  sql: string;
  /** Files the schema was read from, as the user named them. */
  files: string[];
  /** e.g. "Drizzle schema examples/drizzle/schema.ts (SQL by drizzle-kit 0.31.11, schemawise's own)". */
  description: string;
  /** Where the object was written, with the language's fix for the rule when there is one. */
  site(object: SqlObject | undefined, ruleId: string): CodeSite | undefined;
}

/** A package as found: the project's own copy or schemawise's. */
export interface ResolvedPackage {
  name: string;
  version: string;
  /** Absolute path of the package folder. */
  dir: string;
  fromProject: boolean;
}
