import type { RuleSetting } from "../config/schema.js";
import type { RuleMeta, Severity } from "./types.js";

/** What the config says about one rule's severity: a level, "off", or nothing (the rule decides). */
export function configuredSeverity(setting: RuleSetting | undefined): Severity | "off" | undefined {
  return typeof setting === "object" ? setting.severity : setting;
}

/**
 * The one severity model, for every stage: the config's level wins, then the level the rule gave
 * this finding (a migration hazard on a small table is info), then the rule's default.
 * Undefined when the config turns the rule off.
 */
export function findingSeverity(meta: RuleMeta, setting: RuleSetting | undefined, reported?: Severity): Severity | undefined {
  const configured = configuredSeverity(setting);
  if (configured === "off") return undefined;
  return configured ?? reported ?? meta.severity;
}
