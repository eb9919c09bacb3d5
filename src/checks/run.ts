import type { SchemaModel } from "../catalog/model.js";
import type { Config } from "../config/schema.js";
import { describeIssues } from "../config/load.js";
import { UserError } from "../engine/types.js";
import type { Statement } from "../sources/types.js";
import { tableFacts } from "./facts.js";
import { inferConventions, type ConventionHints, type PinnedConventions } from "./conventions/infer.js";
import { fingerprint } from "./fingerprint.js";
import { globToRegExp } from "./glob.js";
import type { MigrationRule } from "../migrations/types.js";
import { allRuleMetas, RULES } from "./registry.js";
import { findingSeverity } from "./severity.js";
import { located, type Finding, type LocatedReport, type Report, type Rule, type RuleMeta, type Severity } from "./types.js";

/** A finding before suppression: it still knows which statements it concerns. */
export interface RawFinding extends Finding {
  statements: number[];
}

/** A rule the config leaves on, with its options parsed. */
export interface EnabledRule<R extends Rule | MigrationRule = Rule> {
  rule: R;
  /** The severity of the rule's findings when it gives none of its own. */
  severity: Severity;
  options: unknown;
  /** The severity of one finding, given the level the rule reported for it (see findingSeverity). */
  severityFor(reported?: Severity): Severity;
}

export interface RuleSettings {
  enabled: EnabledRule[];
  /** Declared volumes and write-heavy tables from the config. */
  declared: { volumes: Record<string, number>; writeHeavy: string[] };
  /** Effective severity of every enabled rule, including input rules; absent = off. */
  severities: Map<string, Severity>;
  /** Conventions set in the config, which replace the inferred ones. */
  pinnedConventions: PinnedConventions;
}

/** Applies the config to the design rules: severities, "off", and validated options. */
export function resolveRuleSettings(config: Config, rules: Rule[] = RULES): RuleSettings {
  // The rules given are known too, so a rule can be tested or tried before it is registered.
  const known = new Map([...allRuleMetas(), ...rules.map((rule) => rule.meta)].map((meta) => [meta.id, meta]));
  for (const id of Object.keys(config.rules)) {
    if (!known.has(id)) throw new UserError(`config: unknown rule "rules.${id}" (see \`schemawise rules\`)`);
  }
  const severities = new Map<string, Severity>();
  for (const meta of known.values()) {
    const severity = findingSeverity(meta, config.rules[meta.id]);
    if (severity) severities.set(meta.id, severity);
  }
  return { enabled: enableRules(config, rules), severities, declared: { volumes: config.volumes, writeHeavy: config.writeHeavy }, pinnedConventions: config.conventions };
}

/** The rules of a stage that the config leaves on, each with its options parsed against its schema. */
export function enableRules<R extends Rule | MigrationRule>(config: Config, rules: readonly R[]): EnabledRule<R>[] {
  const enabled: EnabledRule<R>[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id];
    const severity = findingSeverity(rule.meta, setting);
    if (!severity) continue;
    const raw = typeof setting === "object" ? (setting.options ?? {}) : {};
    const parsed = rule.options.safeParse(raw);
    if (!parsed.success) throw new UserError(describeIssues(`config: rules.${rule.meta.id}.options`, parsed.error.issues));
    const severityFor = (reported?: Severity) => findingSeverity(rule.meta, setting, reported) ?? severity;
    enabled.push({ rule, severity, options: parsed.data, severityFor });
  }
  return enabled;
}

export function runRules(model: SchemaModel, settings: RuleSettings, hints: ConventionHints = {}): RawFinding[] {
  const findings: RawFinding[] = [];
  const facts = tableFacts(model, settings.declared);
  const conventions = inferConventions(model, hints, settings.pinnedConventions);
  for (const { rule, options, severityFor } of settings.enabled) {
    const report = (found: Report) => findings.push(toFinding(rule.meta, severityFor(), located(found)));
    rule.check({ model, facts, conventions, options, report });
  }
  return findings;
}

export function toFinding(meta: RuleMeta, severity: Severity, found: LocatedReport): RawFinding {
  return {
    ruleId: meta.id,
    severity,
    category: meta.category,
    message: found.message,
    why: firstSentences(meta.rationale),
    object: found.object,
    ...(found.location ? { location: found.location } : {}),
    fix: found.fix,
    fingerprint: fingerprint(meta.id, found.object.path, found.discriminator),
    ...(found.members ? { members: found.members } : {}),
    statements: [...(found.statements ?? [])],
  };
}

/** The "why" line of a finding: the rationale's first sentence, and the second when both are short. */
function firstSentences(text: string): string {
  // A sentence ends at . ! or ? followed by white space: "orders.user_id" is not a sentence end.
  const sentences = text.split(/(?<=[.!?])\s+/).map((s) => s.trim());
  const [first = text, second] = sentences;
  return second && first.length + second.length < 240 ? `${first} ${second}` : first;
}

export interface FilterResult {
  findings: Finding[];
  suppressed: number;
  baselined: number;
}

/** Drops findings suppressed inline, ignored by config, or present in the baseline. */
export function filterFindings(
  raw: RawFinding[],
  statements: Statement[],
  config: Config,
  baseline: Set<string> | undefined,
): FilterResult {
  const ignores = config.ignore.map((ignore) => ({ ...ignore, pattern: globToRegExp(ignore.object) }));
  let suppressed = 0;
  let baselined = 0;
  const findings: Finding[] = [];
  for (const finding of raw) {
    const inline = finding.statements.some((index) =>
      statements[index]?.suppressions.some((s) => s.ruleIds.includes(finding.ruleId) || s.ruleIds.includes("all")),
    );
    const ignored = ignores.some((i) => i.pattern.test(finding.object.path) && (!i.rules || i.rules.includes(finding.ruleId)));
    if (inline || ignored) {
      suppressed++;
      continue;
    }
    if (baseline?.has(finding.fingerprint)) {
      baselined++;
      continue;
    }
    const { statements: _, ...plain } = finding;
    findings.push(plain);
  }
  return { findings: sortFindings(findings), suppressed, baselined };
}

/** Findings in report order: by file and line, then severity, object and rule. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(compareFindings);
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function compareFindings(a: Finding, b: Finding): number {
  const file = (a.location?.file ?? "~").localeCompare(b.location?.file ?? "~");
  if (file !== 0) return file;
  const line = (a.location?.line ?? 0) - (b.location?.line ?? 0);
  if (line !== 0) return line;
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.object.path.localeCompare(b.object.path) || a.ruleId.localeCompare(b.ruleId);
}
