import type { z } from "zod";
import type { SchemaModel } from "../catalog/model.js";
import type { SourceLocation } from "../sources/types.js";
import type { TableFacts } from "./facts.js";
import type { Conventions } from "./conventions/types.js";

export type Severity = "error" | "warning" | "info";
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export type Category =
  | "keys"
  | "relationships"
  | "types"
  | "constraints"
  | "indexes"
  | "naming"
  | "modelling"
  | "physical"
  | "input"
  /** Migration safety: locks, rewrites and scans under lock. */
  | "locking"
  /** Migration safety: statements that lose data. */
  | "data-loss"
  /** Migration safety: changes that break code still running against the old schema. */
  | "compatibility";

/** The object a finding is about. `path` is "schema.table.column"-style and stable. */
export interface ObjectRef {
  kind: "schema" | "table" | "column" | "constraint" | "index" | "view" | "type" | "function" | "sequence" | "statement";
  path: string;
}

export interface Fix {
  description: string;
  /** Ready-to-run SQL when a mechanical fix exists. */
  sql?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  category: Category;
  message: string;
  /** Why it matters, one or two sentences. */
  why: string;
  object: ObjectRef;
  /** Source of the object (file:line:col); absent for live databases, where `object.path` locates it. */
  location?: SourceLocation;
  fix: Fix;
  /** Stable across runs and line shifts: rule id + object path + discriminator, hashed. */
  fingerprint: string;
  /** For a finding about a policy of the whole schema: every object it covers. */
  members?: Member[];
}

/** What a rule reports; the runner fills in severity, category, why and fingerprint. */
export interface Report {
  object: ObjectRef;
  message: string;
  location?: SourceLocation;
  fix: Fix;
  /** Extra text that keeps fingerprints apart when one object has several findings of the rule. */
  discriminator?: string;
  /** Run indexes of the statements the finding concerns (for inline suppression). */
  statements?: number[];
  /** For a finding about a policy of the whole schema: the objects it covers. */
  members?: Member[];
}

/** One object covered by a schema-level (policy) finding. */
export interface Member {
  path: string;
  location?: SourceLocation;
}

export interface RuleContext<Options> {
  model: SchemaModel;
  options: Options;
  /** Table sizes and write load, declared in the config or measured on a live database. */
  facts: TableFacts;
  /** The project's own conventions, learned from the schema (or pinned in the config) before the rules run. */
  conventions: Conventions;
  report(finding: Report): void;
}

export interface RuleMeta {
  /** kebab-case id, e.g. "missing-primary-key". */
  id: string;
  category: Category;
  severity: Severity;
  /** One line for `schemawise rules`. */
  summary: string;
  /** Why it matters in production and when it is fine to ignore; a short paragraph. */
  rationale: string;
  /** Design that triggers the rule. */
  badExample: string;
  /** The same design, done well. */
  goodExample: string;
  /** How to fix it, in words (findings carry concrete SQL). */
  fix: string;
}

export interface Rule<Schema extends z.ZodTypeAny = z.ZodTypeAny> {
  meta: RuleMeta;
  /** Options schema with defaults; `z.object({})` when the rule takes none. */
  options: Schema;
  check(context: RuleContext<z.infer<Schema>>): void;
}

export function defineRule<Schema extends z.ZodTypeAny>(rule: Rule<Schema>): Rule<Schema> {
  return rule;
}
