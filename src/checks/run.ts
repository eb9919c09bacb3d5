import type { SchemaModel } from "../catalog/model.js";
import type { Config } from "../config/schema.js";
import { describeIssues } from "../config/load.js";
import { UserError } from "../engine/types.js";
import type { Statement } from "../sources/types.js";
import { tableFacts } from "./facts.js";
import { inferConventions, type ConventionHints, type PinnedConventions } from "./conventions/infer.js";
import { fingerprint } from "./fingerprint.js";
import { globToRegExp } from "./glob.js";
import { INPUT_RULES } from "./input-rules.js";
import { MIGRATION_RULES } from "../migrations/rules/index.js";
import { RULES } from "./registry.js";
import { WORKLOAD_RULES } from "./workload-rules.js";
import type { Finding, Report, Rule, RuleMeta, Severity } from "./types.js";

/** A finding before suppression: it still knows which statements it concerns. */
export interface RawFinding extends Finding {
  statements: number[];
}

export interface EnabledRule {
  rule: Rule;
  severity: Severity;
  options: unknown;
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

/** Every rule's metadata: design rules, input rules, and migration-safety rules. */
export function allRuleMetas(): RuleMeta[] {
  return [...RULES.map((rule) => rule.meta), ...INPUT_RULES, ...WORKLOAD_RULES, ...MIGRATION_RULES.map((rule) => rule.meta)];
}

/** Applies the config to the rule list: severities, "off", and validated options. */
export function resolveRuleSettings(config: Config, rules: Rule[] = RULES): RuleSettings {
  // The rules given are known too, so a rule can be tested or tried before it is registered.
  const known = new Map([...allRuleMetas(), ...rules.map((rule) => rule.meta)].map((meta) => [meta.id, meta]));
  for (const id of Object.keys(config.rules)) {
    if (!known.has(id)) throw new UserError(`config: unknown rule "rules.${id}" (see \`schemawise rules\`)`);
  }
  const severities = new Map<string, Severity>();
  for (const meta of known.values()) {
    const severity = effectiveSeverity(config.rules[meta.id], meta.severity);
    if (severity) severities.set(meta.id, severity);
  }
  const enabled: EnabledRule[] = [];
  for (const rule of rules) {
    const severity = severities.get(rule.meta.id);
    if (!severity) continue;
    const setting = config.rules[rule.meta.id];
    const raw = typeof setting === "object" ? (setting.options ?? {}) : {};
    const parsed = rule.options.safeParse(raw);
    if (!parsed.success) throw new UserError(describeIssues(`config: rules.${rule.meta.id}.options`, parsed.error.issues));
    enabled.push({ rule, severity, options: parsed.data });
  }
  return { enabled, severities, declared: { volumes: config.volumes, writeHeavy: config.writeHeavy }, pinnedConventions: config.conventions };
}

function effectiveSeverity(setting: Config["rules"][string] | undefined, fallback: Severity): Severity | undefined {
  const value = typeof setting === "object" ? setting.severity : setting;
  if (value === "off") return undefined;
  return value ?? fallback;
}

export function runRules(model: SchemaModel, settings: RuleSettings, hints: ConventionHints = {}): RawFinding[] {
  const findings: RawFinding[] = [];
  const facts = tableFacts(model, settings.declared);
  const conventions = inferConventions(model, hints, settings.pinnedConventions);
  for (const { rule, severity, options } of settings.enabled) {
    const report = (found: Report) => findings.push(toFinding(rule.meta, severity, found));
    rule.check({ model, options, facts, conventions, report });
  }
  return findings;
}

export function toFinding(meta: RuleMeta, severity: Severity, found: Report): RawFinding {
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
    statements: found.statements ?? [],
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
