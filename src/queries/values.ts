import type { Engine } from "../engine/types.js";
import { DEFAULT_LIMIT, DEFAULT_OFFSET, qualifiedName, type ParamPlan } from "./params.js";
import type { Measurement } from "./types.js";

export interface ValueSet {
  variant: Measurement["variant"];
  values: (string | null)[];
}

/**
 * Realistic parameter values from the generated data: equality parameters of one table are drawn
 * together from its most common and its rarest combination (a heavy and a light customer),
 * range bounds from percentiles (the most recent tenth), LIMIT and OFFSET from fixed values.
 */
export async function drawValues(engine: Engine, plans: ParamPlan[]): Promise<ValueSet[]> {
  if (plans.length === 0) return [{ variant: "fixed", values: [] }];
  const common: (string | null)[] = plans.map((p) => fallback(p));
  const rare = [...common];
  let varies = false;
  for (const group of equalityGroups(plans)) {
    const [top, bottom] = await Promise.all([combination(engine, group, "DESC"), combination(engine, group, "ASC")]);
    group.forEach((plan, i) => {
      if (top) common[plan.number - 1] = fitType(plan, top.values[i] ?? null);
      if (bottom) rare[plan.number - 1] = fitType(plan, bottom.values[i] ?? null);
    });
    if (top && bottom && top.count !== bottom.count) varies = true;
  }
  for (const plan of plans.filter((p) => ["lower", "upper", "before"].includes(p.role) && p.table)) {
    const value = await percentile(engine, plan);
    common[plan.number - 1] = value;
    rare[plan.number - 1] = value;
  }
  return varies ? [{ variant: "common", values: common }, { variant: "rare", values: rare }] : [{ variant: "fixed", values: common }];
}

function equalityGroups(plans: ParamPlan[]): ParamPlan[][] {
  const groups = new Map<string, ParamPlan[]>();
  for (const plan of plans) {
    if ((plan.role !== "eq" && plan.role !== "contains") || !plan.table || !plan.subject) continue;
    const key = qualifiedName(plan.table);
    groups.set(key, [...(groups.get(key) ?? []), plan]);
  }
  return [...groups.values()];
}

/** Most (DESC) or least (ASC) frequent combination of the group's values, with its row count. */
async function combination(engine: Engine, group: ParamPlan[], order: "ASC" | "DESC"): Promise<{ values: (string | null)[]; count: number } | undefined> {
  const table = qualifiedName(group[0]!.table!);
  const from = [`${table} t`];
  const expressions = group.map((plan, i) => {
    if (plan.role === "contains" && plan.jsonb) {
      // A one-pair document that some rows contain: {"colour": "red"}.
      from.push(`LATERAL jsonb_each(CASE WHEN jsonb_typeof(t.${plan.subject}) = 'object' THEN t.${plan.subject} END) e${i}`);
      return `jsonb_build_object(e${i}.key, e${i}.value)`;
    }
    return `(${plan.subject})`;
  });
  const select = expressions.map((e, i) => `${e}::text AS v${i}`).join(", ");
  const notNull = expressions.map((e) => `${e} IS NOT NULL`).join(" AND ");
  const groupBy = expressions.map((_, i) => i + 1).join(", ");
  const sql = `SELECT ${select}, count(*) AS n FROM ${from.join(", ")} WHERE ${notNull} GROUP BY ${groupBy} ORDER BY n ${order}, ${groupBy} LIMIT 1`;
  const rows = await engine.query<Record<string, string | null>>(sql).catch(() => []);
  const row = rows[0];
  if (!row) return undefined;
  return { values: group.map((_, i) => row[`v${i}`] ?? null), count: Number(row.n) };
}

async function percentile(engine: Engine, plan: ParamPlan): Promise<string | null> {
  const fraction = plan.role === "lower" ? 0.9 : plan.role === "before" ? 0.1 : 1;
  const sql = `SELECT (percentile_disc(${fraction}) WITHIN GROUP (ORDER BY ${plan.subject}))::text AS v FROM ${qualifiedName(plan.table!)}`;
  const rows = await engine.query<{ v: string | null }>(sql).catch(() => []);
  return rows[0]?.v ?? fallback(plan);
}

/** `= ANY($1)` takes an array: one drawn element becomes a one-element array. */
function fitType(plan: ParamPlan, value: string | null): string | null {
  if (value === null || !plan.type.endsWith("[]")) return value;
  return `{"${value.replace(/["\\]/g, "\\$&")}"}`;
}

/** A value of the right type when nothing in the data says better. */
function fallback(plan: ParamPlan): string | null {
  if (plan.role === "limit") return DEFAULT_LIMIT;
  if (plan.role === "offset") return DEFAULT_OFFSET;
  const type = plan.type.replace(/\[\]$/, "");
  const scalar = /int|numeric|real|double|decimal/.test(type)
    ? "1"
    : /bool/.test(type)
      ? "true"
      : /timestamp|date/.test(type)
        ? new Date().toISOString()
        : /json/.test(type)
          ? "{}"
          : /uuid/.test(type)
            ? "00000000-0000-4000-8000-000000000000"
            : type === "tsquery"
              ? "data"
              : "a";
  return fitType(plan, scalar);
}
