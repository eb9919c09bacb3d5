import type { Column, SchemaModel, Table } from "../catalog/model.js";
import { domainCheckBody, parseCheck, type Atom, type Dnf } from "./checks.js";
import { nullShare } from "./semantic.js";
import { declaredValues } from "./values.js";
import { applyAtom, cloneRules, remainingValues, type ColumnRules } from "./rules.js";
import { ident } from "./sql.js";
import type { ColumnDistribution } from "./types.js";
import { domainOf, enumValues } from "./types-of.js";

/** One kind of row: a choice of branch in every CHECK with OR, and what it asks of each column. */
export interface Variant {
  rules: Map<string, ColumnRules>;
  weight: number;
}

export interface NamedCheck {
  name: string;
  /** SQL over the row's column names, usable in a WHERE on the generated rows. */
  expression: string;
  columns: string[];
  dnf: Dnf;
}

const MAX_VARIANTS = 48;

/** The table's CHECK constraints and its columns' domain checks (VALUE replaced by the column). */
export function tableChecks(table: Table, model: SchemaModel, generated: Set<string>): NamedCheck[] {
  const checks: NamedCheck[] = [];
  for (const c of table.constraints) {
    if (c.type !== "check" || !c.checkExpression) continue;
    checks.push({ name: c.name, expression: c.checkExpression, columns: c.columns, dnf: parseCheck(c.checkExpression) });
  }
  const partitions = partitionCheck(table, model);
  if (partitions) checks.push({ ...partitions, dnf: parseCheck(partitions.expression) });
  for (const column of table.columns) {
    if (!generated.has(column.name)) continue;
    for (const check of domainOf(column, model)?.checks ?? []) {
      const body = domainCheckBody(check.expression);
      const expression = replaceValue(body, ident(column.name));
      checks.push({ name: `${column.typeName}.${check.name}`, expression, columns: [column.name], dnf: parseCheck(expression) });
    }
  }
  return checks;
}

/**
 * A partitioned table only takes rows some partition accepts: its partitions' bounds, read as one
 * CHECK (range or list partitioning on one column; a default partition accepts everything).
 */
function partitionCheck(table: Table, model: SchemaModel): Omit<NamedCheck, "dnf"> | undefined {
  const key = /^(RANGE|LIST) \("?(\w+)"?\)$/.exec(table.partitionKey ?? "");
  if (table.kind !== "partitioned" || !key) return undefined;
  const column = ident(key[2]!);
  const bounds = model.tables.filter((t) => t.partitionOf === `${table.schema}.${table.name}`).map((t) => t.partitionBound ?? "");
  if (bounds.length === 0 || bounds.some((b) => /DEFAULT/i.test(b))) return undefined;
  const branches = bounds.map((bound) => {
    const range = /FROM \((.+)\) TO \((.+)\)$/.exec(bound);
    if (range) {
      const parts = [/^MINVALUE$/i.test(range[1]!) ? "" : `${column} >= ${range[1]}`, /^MAXVALUE$/i.test(range[2]!) ? "" : `${column} < ${range[2]}`].filter(Boolean);
      return parts.length ? `(${parts.join(" AND ")})` : "true";
    }
    const list = /IN \((.+)\)$/.exec(bound);
    return list ? `${column} IN (${list[1]})` : "true";
  });
  return { name: `partition bounds of ${table.name}`, expression: branches.join(" OR "), columns: [key[2]!] };
}

function replaceValue(expression: string, replacement: string): string {
  return expression.split(/('(?:[^']|'')*')/).map((part, i) => (i % 2 === 1 ? part : part.replace(/\bVALUE\b/g, replacement))).join("");
}

export interface VariantResult {
  variants: Variant[];
  /** Checks whose conditions could not be met together with the others, as schemawise reads them. */
  conflicting: string[];
}

/** Combines every check's branches into consistent variants, weighted so listed values come out evenly (or as configured). */
export function buildVariants(base: Map<string, ColumnRules>, checks: NamedCheck[], columns: Column[], specs: (column: string) => ColumnDistribution | undefined, model: SchemaModel): VariantResult {
  let variants: { rules: Map<string, ColumnRules>; weight: number }[] = [{ rules: base, weight: 1 }];
  const conflicting: string[] = [];
  for (const check of checks) {
    const next: typeof variants = [];
    for (const variant of variants) {
      for (const branch of check.dnf) {
        if (next.length >= MAX_VARIANTS) break;
        const rules = cloneRules(variant.rules);
        if (branch.every((atom) => applyAtom(rules, atom))) next.push({ rules, weight: variant.weight * branchWeight(branch, check.dnf, specs) });
      }
    }
    if (next.length === 0) conflicting.push(check.name);
    else variants = next;
  }
  return { variants: variants.map((v) => ({ rules: v.rules, weight: v.weight * variantWeight(v.rules, columns, specs, model) })), conflicting };
}

/**
 * `ends_at IS NULL OR ends_at > starts_at`: the branch that only leaves a column NULL gets the
 * column's null fraction, the others the rest. Other branches weigh the same.
 */
function branchWeight(branch: Atom[], dnf: Atom[][], specs: (column: string) => ColumnDistribution | undefined): number {
  const onlyNull = (b: Atom[]) => (b.length === 1 && b[0]!.kind === "null" ? b[0]!.column : undefined);
  const own = onlyNull(branch);
  if (own) return specs(own)?.nullFraction ?? nullShare(own);
  const sibling = dnf.map(onlyNull).find((c) => c !== undefined);
  return sibling ? 1 - (specs(sibling)?.nullFraction ?? nullShare(sibling)) : 1;
}

function variantWeight(rules: Map<string, ColumnRules>, columns: Column[], specs: (column: string) => ColumnDistribution | undefined, model: SchemaModel): number {
  let weight = 1;
  for (const column of columns) {
    const r = rules.get(column.name);
    if (!r) continue;
    const spec = specs(column.name);
    if (r.isNull) continue;
    const declared = spec?.values ? declaredValues(spec.values) : undefined;
    const labels = enumValues(column, model)?.map((text) => ({ text }));
    const candidates = declared?.map((d) => d.value) ?? labels;
    const values = remainingValues(r, candidates);
    if (!values) continue;
    weight *= declared ? values.reduce((sum, v) => sum + (declared.find((d) => d.value.text === v.text)?.weight ?? 0), 0) : values.length;
  }
  return weight;
}
