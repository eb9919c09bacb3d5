import { z } from "zod";
import type { SchemaModel } from "../catalog/model.js";
import type { SourceLocation } from "../sources/types.js";
import type { TableFacts } from "./facts.js";
import type { Conventions } from "./conventions/types.js";
import type { Subject } from "./subject.js";

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

/** What a design rule reports; the runner derives object, location and statements from `on`, and fills in severity, category, why and fingerprint. */
export interface Report {
  /** The catalog object the finding is about: `on.column(table, column)` and the like (src/checks/subject.ts). */
  on: Subject;
  message: string;
  fix: Fix;
  /** Extra text that keeps fingerprints apart when one object has several findings of the rule. */
  discriminator?: string;
  /** For a finding about a policy of the whole schema: the objects it covers. */
  members?: Member[];
}

/**
 * A report with its object, location and statements spelled out: what the runner turns into a finding.
 * Design rules' subjects resolve to it; the input, migration and history findings, which are about
 * statements and files rather than catalog objects, build it directly.
 */
export interface LocatedReport {
  object: ObjectRef;
  message: string;
  location?: SourceLocation;
  fix: Fix;
  /** Extra text that keeps fingerprints apart when one object has several findings of the rule. */
  discriminator?: string;
  /** Run indexes of the statements the finding concerns (for inline suppression). */
  statements?: readonly number[];
  /** For a finding about a policy of the whole schema: the objects it covers. */
  members?: Member[];
}

/** A design rule's report with its subject spelled out. */
export function located({ on, ...rest }: Report): LocatedReport {
  return { ...rest, object: on.object, location: on.location, statements: on.statements };
}

/** One object covered by a schema-level (policy) finding. */
export interface Member {
  path: string;
  location?: SourceLocation;
}

/** Where a rule runs: on the catalog model, on each statement of a migration, on the declared workload, or while the input loads. */
export type RuleStage = "design" | "migration" | "workload" | "input";
export const RULE_STAGES: readonly RuleStage[] = ["design", "migration", "workload", "input"];

/** What a rule module writes; its define function adds the stage. */
export interface RuleMetaInput {
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

export interface RuleMeta extends RuleMetaInput {
  stage: RuleStage;
}

/** What every rule's check receives: the subject it judges, its options (parsed from the config) and `report`. */
export type CheckContext<Subject, Options, Found> = Subject & {
  options: Options;
  report(found: Found): void;
};

/**
 * The one shape of a rule, whatever stage runs it: metadata, an options schema with defaults
 * (`z.object({}).strict()` when it takes none) and a check over one context.
 */
export interface RuleShape<Stage extends RuleStage, Subject, Found, Schema extends z.ZodTypeAny> {
  meta: RuleMeta & { stage: Stage };
  options: Schema;
  check(context: CheckContext<Subject, z.infer<Schema>, Found>): void;
}

/** What a design rule judges: the catalog model and what is known about its tables and the project. */
export interface DesignSubject {
  model: SchemaModel;
  /** Table sizes and write load, declared in the config or measured on a live database. */
  facts: TableFacts;
  /** The project's own conventions, learned from the schema (or pinned in the config) before the rules run. */
  conventions: Conventions;
}

export type RuleContext<Options> = CheckContext<DesignSubject, Options, Report>;

/** A design rule: runs once on the catalog model. */
export type Rule<Schema extends z.ZodTypeAny = z.ZodTypeAny> = RuleShape<"design", DesignSubject, Report, Schema>;

/** What a design rule module passes to `defineRule`. */
export type RuleInput<Schema extends z.ZodTypeAny> = Omit<Rule<Schema>, "meta"> & { meta: RuleMetaInput };

export function defineRule<Schema extends z.ZodTypeAny>(rule: RuleInput<Schema>): Rule<Schema> {
  return { ...rule, meta: { ...rule.meta, stage: "design" } };
}

/**
 * A rule whose findings another stage produces (the loader for input rules, the workload's
 * capability check for workload rules): the same metadata and options, configured, suppressed and
 * documented like every rule, and no check of its own.
 */
export interface FindingOnlyRule<Stage extends "input" | "workload" = "input" | "workload"> {
  meta: RuleMeta & { stage: Stage };
  options: NoOptions;
  check?: undefined;
}

export function defineFindingOnlyRule<Stage extends "input" | "workload">(stage: Stage, meta: RuleMetaInput): FindingOnlyRule<Stage> {
  return { meta: { ...meta, stage }, options: emptyOptions() };
}

function emptyOptions() {
  return z.object({}).strict();
}

type NoOptions = ReturnType<typeof emptyOptions>;
