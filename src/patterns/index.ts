import { archive } from "./archive.js";
import { auditTrail } from "./audit-trail.js";
import { bitemporal } from "./bitemporal.js";
import { counterCache } from "./counter-cache.js";
import { exclusiveArc } from "./exclusive-arc.js";
import { hierarchy } from "./hierarchy.js";
import { jsonbAttributes } from "./jsonb-attributes.js";
import { materializedView } from "./materialized-view.js";
import { money } from "./money.js";
import { multiTenant } from "./multi-tenant.js";
import { softDelete } from "./soft-delete.js";
import { stateMachine } from "./state-machine.js";
import { tags } from "./tags.js";
import type { Pattern } from "./types.js";
import { validTime } from "./valid-time.js";

export { PatternError, type Pattern, type PatternTarget } from "./types.js";

/** Every pattern, in the order `schemawise pattern` lists them. */
export const PATTERNS: readonly Pattern[] = [validTime, bitemporal, auditTrail, softDelete, stateMachine, exclusiveArc, tags, archive, counterCache, hierarchy, money, jsonbAttributes, multiTenant, materializedView];

export function findPattern(name: string): Pattern | undefined {
  return PATTERNS.find((p) => p.name === name);
}
