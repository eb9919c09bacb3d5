/**
 * The typed diff of two catalog models (current → desired). Objects are matched by name, after
 * renames; constraints and indexes by what they do (their definition without the name), so one
 * renamed in the desired schema is a rename, not a rebuild. What the plan cannot write yet is an
 * `unplanned` change, never left out.
 */
import { qualifiedAlways } from "../sql/text.js";
import type { Column, Constraint, Index, SchemaModel, Table, View } from "../catalog/model.js";
import type { Change, TableRef } from "./changes.js";
import { columnRenames, tableRenames, type RenameHint } from "./renames.js";
import type { Grant, Policy, Security } from "./security.js";

export interface DiffOptions {
  renames?: RenameHint[];
  /** false: only the --rename hints are renames (default: also the ones found by structure). */
  detectRenames?: boolean;
  /** The desired schema's function definitions (pg_get_functiondef) by "schema.name(arguments)". */
  definitions?: Map<string, string>;
  /** The current schema's, to see changes the model does not show (SECURITY DEFINER, SET search_path…). */
  currentDefinitions?: Map<string, string>;
  /** Row-level security, policies and grants of both sides (the catalog model does not keep them); without it they are not compared. */
  security?: { from: Security; to: Security };
  /** The desired schema's partition constraints (pg_get_partition_constraintdef) by "schema.table". */
  partitionChecks?: Map<string, string>;
}

const tableKey = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;

export function diffModels(from: SchemaModel, to: SchemaModel, options: DiffOptions = {}): Change[] {
  const hints = options.renames ?? [];
  const changes: Change[] = [];
  const fromSchemas = new Set(from.schemas.map((s) => s.name));
  for (const schema of to.schemas) if (!fromSchemas.has(schema.name)) changes.push({ kind: "add-schema", schema: schema.name });
  for (const schema of from.schemas) {
    if (!to.schemas.some((s) => s.name === schema.name)) changes.push({ kind: "unplanned", object: `schema ${schema.name}`, reason: "dropping a schema is left to a person (it may hold objects outside the plan)" });
  }
  changes.push(...extensionChanges(from, to), ...typeChanges(from, to), ...sequenceChanges(from, to));
  const byStructure = options.detectRenames !== false;
  const renames = tableRenames(from, to, hints, byStructure);
  const renamedTo = new Map(renames.map((r) => [tableKey(r.from), r.to] as const));
  const names = tableNames(renames);
  // Index names are unique per schema: one the desired schema gives to a new index must be free first.
  const desiredIndexes = new Set(to.tables.flatMap((t) => t.indexes.map((i) => `${i.schema}.${i.name}`)));
  for (const rename of renames) changes.push({ kind: "rename-table", ...rename });
  for (const table of to.tables.filter((t) => !t.partitionOf)) {
    const old = from.tables.find((t) => tableKey(t) === tableKey(table) && !renamedTo.has(tableKey(t))) ?? renames.find((r) => r.to === table)?.from;
    const partitioned = old ? partitionTable(old, table, from, to, options.security?.from) : undefined;
    if (!old) changes.push({ kind: "add-table", table });
    else if (partitioned) changes.push(partitioned);
    else changes.push(...tableChanges(old, table, from, names, hints, byStructure, desiredIndexes));
  }
  for (const table of from.tables.filter((t) => !t.partitionOf)) {
    if (to.tables.some((t) => tableKey(t) === tableKey(table)) || renamedTo.has(tableKey(table))) continue;
    for (const index of table.indexes.filter((i) => !i.constraintName && desiredIndexes.has(`${i.schema}.${i.name}`))) {
      changes.push({ kind: "drop-index", table: { schema: table.schema, name: table.name }, index, replaced: true });
    }
    changes.push({ kind: "drop-table", table });
  }
  const partitionedNow = new Set(changes.flatMap((c) => (c.kind === "partition-table" ? [tableKey(c.to)] : [])));
  changes.push(...partitionChanges(from, to, options.partitionChecks ?? new Map(), partitionedNow), ...viewChanges(from, to), ...routineChanges(from, to, options.definitions ?? new Map(), options.currentDefinitions));
  if (options.security) changes.push(...securityChanges(options.security.from, options.security.to, renames, changes));
  const found = byStructure ? splitChanges(from, to, changes) : changes;
  return [...found, ...referencingKeys(from, found)];
}

/**
 * RLS switches, policies and grants, matched by table (under its desired name when renamed) and
 * name. What goes with a dropped table is not listed; a new table's are added with it.
 */
function securityChanges(from: Security, to: Security, renames: { from: Table; to: Table }[], changes: Change[]): Change[] {
  const renamed = new Map(renames.map((r) => [tableKey(r.from), tableKey(r.to)] as const));
  const key = (schema: string, table: string) => renamed.get(`${schema}.${table}`) ?? `${schema}.${table}`;
  const dropped = new Set(changes.flatMap((c) => (c.kind === "drop-table" ? [tableKey(c.table)] : c.kind === "drop-view" ? [`${c.view.schema}.${c.view.name}`] : [])));
  const out: Change[] = [];
  const tablesBefore = new Map<string, Security["tables"][number]>(from.tables.map((t) => [key(t.schema, t.table), t]));
  const tablesAfter = new Map<string, Security["tables"][number]>(to.tables.map((t) => [`${t.schema}.${t.table}`, t]));
  for (const k of new Set([...tablesBefore.keys(), ...tablesAfter.keys()])) {
    if (dropped.has(k)) continue;
    const [b, a] = [tablesBefore.get(k), tablesAfter.get(k)];
    const [schema, name] = [k.slice(0, k.indexOf(".")), k.slice(k.indexOf(".") + 1)];
    for (const what of ["enable", "force"] as const) {
      const field = what === "enable" ? "enabled" : "forced";
      const [was, is] = [b?.[field] ?? false, a?.[field] ?? false];
      if (was !== is) out.push({ kind: "set-row-security", table: { schema, name }, what, on: is });
    }
  }
  const policyKey = (p: Policy) => `${key(p.schema, p.table)} ${p.name}`;
  const before = new Map(from.policies.map((p) => [policyKey(p), p] as const));
  for (const policy of to.policies) {
    const old = before.get(policyKey(policy));
    if (!old) out.push({ kind: "add-policy", policy });
    else if (old.permissive !== policy.permissive || old.command !== policy.command) out.push({ kind: "change-policy", from: old, to: policy, alter: false });
    else if (old.roles.join() !== policy.roles.join() || old.using !== policy.using || old.check !== policy.check) out.push({ kind: "change-policy", from: old, to: policy, alter: true });
  }
  const after = new Set(to.policies.map((p) => `${p.schema}.${p.table} ${p.name}`));
  for (const policy of from.policies) if (!after.has(policyKey(policy)) && !dropped.has(`${policy.schema}.${policy.table}`)) out.push({ kind: "drop-policy", policy });
  const grantKey = (g: Grant) => `${key(g.schema, g.relation)} ${g.grantee} ${g.privilege}`;
  const granted = new Map(from.grants.map((g) => [grantKey(g), g] as const));
  for (const grant of to.grants) {
    const old = granted.get(grantKey(grant));
    if (!old || (!old.grantable && grant.grantable)) out.push({ kind: "grant", grant });
    else if (old.grantable && !grant.grantable) out.push({ kind: "revoke", grant, optionOnly: true });
  }
  const kept = new Set(to.grants.map((g) => `${g.schema}.${g.relation} ${g.grantee} ${g.privilege}`));
  for (const grant of from.grants) if (!kept.has(grantKey(grant)) && !dropped.has(`${grant.schema}.${grant.relation}`)) out.push({ kind: "revoke", grant: { ...grant, ...splitKey(key(grant.schema, grant.relation)) }, optionOnly: false });
  return out;
}

function splitKey(k: string): { schema: string; relation: string } {
  return { schema: k.slice(0, k.indexOf(".")), relation: k.slice(k.indexOf(".") + 1) };
}

/**
 * A primary key or unique constraint cannot be dropped while a foreign key references it: such
 * foreign keys, gone from the desired schema with a dropped column (so not dropped on their own),
 * are dropped explicitly, before the key.
 */
function referencingKeys(from: SchemaModel, changes: Change[]): Change[] {
  const extra: Change[] = [];
  for (const drop of changes) {
    if (drop.kind !== "drop-constraint" || (drop.constraint.type !== "primary-key" && drop.constraint.type !== "unique")) continue;
    for (const table of from.tables) {
      for (const fk of table.constraints.filter((c) => c.foreignKey)) {
        const ref = fk.foreignKey!;
        const referencesIt = ref.referencedSchema === drop.table.schema && ref.referencedTable === drop.table.name && ref.referencedColumns.join(",") === drop.constraint.columns.join(",");
        const dropped = [...changes, ...extra].some((c) => c.kind === "drop-constraint" && c.constraint === fk);
        const goesWith = (c: Change) =>
          (c.kind === "drop-table" && c.table === table) ||
          ((c.kind === "drop-column" || c.kind === "rename-column") && fk.columns.includes(c.kind === "drop-column" ? c.column.name : c.from.name) && table.columns.includes(c.kind === "drop-column" ? c.column : c.from));
        const kept = !changes.some(goesWith);
        if (referencesIt && !dropped && !kept) extra.push({ kind: "drop-constraint", table: { schema: table.schema, name: table.name }, constraint: fk, replaced: drop.replaced });
      }
    }
  }
  return extra;
}

/** Renamed tables' new names, for comparing foreign keys that point at them. */
function tableNames(renames: { from: Table; to: Table }[]): (schema: string, name: string) => string {
  const map = new Map(renames.map((r) => [tableKey(r.from), tableKey(r.to)] as const));
  return (schema, name) => map.get(`${schema}.${name}`) ?? `${schema}.${name}`;
}

function extensionChanges(from: SchemaModel, to: SchemaModel): Change[] {
  const changes: Change[] = [];
  for (const extension of to.extensions) {
    if (!from.extensions.some((e) => e.name === extension.name)) changes.push({ kind: "add-extension", extension });
  }
  for (const extension of from.extensions) {
    if (!to.extensions.some((e) => e.name === extension.name)) changes.push({ kind: "unplanned", object: `extension ${extension.name}`, reason: "dropping an extension is left to a person" });
  }
  return changes;
}

function typeChanges(from: SchemaModel, to: SchemaModel): Change[] {
  const changes: Change[] = [];
  for (const type of to.enums) {
    const old = from.enums.find((e) => e.schema === type.schema && e.name === type.name);
    if (!old) {
      changes.push({ kind: "add-enum", type });
      continue;
    }
    const kept = type.values.filter((v) => old.values.includes(v));
    if (old.values.some((v) => !type.values.includes(v)) || kept.join("\u0000") !== old.values.join("\u0000")) {
      changes.push({ kind: "rebuild-enum", from: old, to: type });
      continue;
    }
    // Each new value goes before the next value that already exists, so they land in the desired order.
    type.values.forEach((value, i) => {
      if (old.values.includes(value)) return;
      const next = type.values.slice(i + 1).find((v) => old.values.includes(v)) ?? null;
      changes.push({ kind: "add-enum-value", type, value, before: next });
    });
  }
  for (const domain of to.domains) {
    const old = from.domains.find((d) => d.schema === domain.schema && d.name === domain.name);
    if (!old) changes.push({ kind: "add-domain", domain });
    else if (old.baseType !== domain.baseType) {
      changes.push({ kind: "unplanned", object: `domain ${domain.schema}.${domain.name}`, reason: `its base type changes (${old.baseType} → ${domain.baseType}): every column of the domain would be rewritten; not planned` });
    } else if (JSON.stringify(domainShape(old)) !== JSON.stringify(domainShape(domain)) || old.checks.map((c) => c.name).sort().join() !== domain.checks.map((c) => c.name).sort().join()) {
      changes.push({ kind: "alter-domain", from: old, to: domain });
    }
  }
  // A type no desired column uses any more: dropped in contract, after the columns that used it.
  for (const type of from.enums) {
    if (!to.enums.some((e) => e.schema === type.schema && e.name === type.name)) changes.push({ kind: "drop-type", schema: type.schema, name: type.name, what: "enum" });
  }
  for (const domain of from.domains) {
    if (!to.domains.some((d) => d.schema === domain.schema && d.name === domain.name)) changes.push({ kind: "drop-type", schema: domain.schema, name: domain.name, what: "domain" });
  }
  return changes;
}

function domainShape(domain: SchemaModel["domains"][number]) {
  return { base: domain.baseType, notNull: domain.notNull, default: domain.default, checks: domain.checks.map((c) => c.expression).sort() };
}

/** Sequences of their own (not those of serial and identity columns, which follow their column). */
function sequenceChanges(from: SchemaModel, to: SchemaModel): Change[] {
  const own = (model: SchemaModel) => model.sequences.filter((s) => !s.ownedBy);
  const changes: Change[] = [];
  for (const sequence of own(to)) {
    if (!own(from).some((s) => s.schema === sequence.schema && s.name === sequence.name)) changes.push({ kind: "add-sequence", sequence });
  }
  for (const sequence of own(from)) {
    if (!to.sequences.some((s) => s.schema === sequence.schema && s.name === sequence.name)) changes.push({ kind: "drop-sequence", sequence });
  }
  return changes;
}

function tableChanges(
  old: Table,
  table: Table,
  fromModel: SchemaModel,
  names: (schema: string, name: string) => string,
  hints: RenameHint[],
  byStructure: boolean,
  desiredIndexes: Set<string>,
): Change[] {
  const ref: TableRef = { schema: table.schema, name: table.name };
  const changes: Change[] = [];
  const renames = columnRenames(old, table, fromModel, hints, byStructure);
  for (const rename of renames) changes.push({ kind: "rename-column", table: ref, ...rename });
  for (const column of table.columns) {
    const before = old.columns.find((c) => c.name === column.name);
    if (before) changes.push(...columnChanges(ref, before, column));
    else if (!renames.some((r) => r.to === column)) changes.push({ kind: "add-column", table: ref, column });
    if (!before && column.comment !== null) changes.push({ kind: "set-comment", target: { on: "column", table: ref, column: column.name }, comment: column.comment });
  }
  for (const column of old.columns) {
    if (!table.columns.some((c) => c.name === column.name) && !renames.some((r) => r.from === column)) changes.push({ kind: "drop-column", table: ref, column });
  }
  // A renamed column's constraints and indexes are built on the new column; the old ones go with the old column.
  const renamedColumns = new Set(renames.map((r) => r.from.name));
  changes.push(...constraintChanges(ref, old, table, names, renamedColumns), ...indexChanges(ref, old, table, renamedColumns, desiredIndexes));
  if ((old.comment ?? null) !== (table.comment ?? null)) changes.push({ kind: "set-comment", target: { on: "table", table: ref }, comment: table.comment });
  if (old.kind !== table.kind || old.partitionKey !== table.partitionKey) {
    const why = old.kind === "table" && table.kind === "partitioned" ? whyNotPartitioned(old, table, fromModel) : undefined;
    const reason = why
      ? `partitioning an existing table online means building the partitioned table beside it, kept in step by a trigger, filled in batches and swapped in by name; the plan does that only when nothing else changes on the table and nothing is bound to it, and here ${why}. Instead: partition it in a plan of its own (the same columns), after moving what is bound to it, or in a maintenance window (CREATE the partitioned table, INSERT … SELECT, swap the names)`
      : old.kind === table.kind
        ? `its partition key changes (${old.partitionKey} → ${table.partitionKey}), which means rebuilding it; not planned`
        : `turning a ${old.kind} table into a ${table.kind} one is not planned (only a plain table becoming partitioned is)`;
    changes.push({ kind: "unplanned", object: `table ${tableKey(table)}`, reason });
  }
  if (old.persistence !== table.persistence) changes.push({ kind: "unplanned", object: `table ${tableKey(table)}`, reason: `${old.persistence} → ${table.persistence} rewrites the table; not planned yet` });
  changes.push(...triggerChanges(old, table));
  return changes;
}

function columnChanges(table: TableRef, before: Column, column: Column): Change[] {
  const changes: Change[] = [];
  const object = `column ${tableKey(table)}.${column.name}`;
  const identityAdded = !before.identity && column.identity !== null && before.generated === null && column.generated === null && before.type === column.type;
  if (!identityAdded && (before.identity !== column.identity || before.generated !== column.generated || before.generationExpression !== column.generationExpression)) {
    return [{ kind: "unplanned", object, reason: before.generated !== column.generated || before.generationExpression !== column.generationExpression ? "PostgreSQL cannot make an existing column generated (or change its expression before 17) without rewriting the table; not planned" : "removing or changing an identity (or adding one together with a type change) is not planned yet" }];
  }
  if (identityAdded) {
    changes.push({ kind: "add-identity", table, from: before, to: column });
    if (!before.notNull) changes.push({ kind: "set-not-null", table, column });
    if ((before.comment ?? null) !== (column.comment ?? null)) changes.push({ kind: "set-comment", target: { on: "column", table, column: column.name }, comment: column.comment });
    return changes;
  }
  if (before.type !== column.type) changes.push({ kind: "alter-column-type", table, from: before, to: column });
  if ((before.collation ?? null) !== (column.collation ?? null) && before.type === column.type) {
    changes.push({ kind: "unplanned", object, reason: `collation ${before.collation ?? "default"} → ${column.collation ?? "default"} is not planned yet` });
  }
  if (before.default !== column.default && !column.isSerial && !column.identity) {
    if (column.default === null) changes.push({ kind: "drop-default", table, column, from: before.default! });
    else changes.push({ kind: "set-default", table, column, from: before.default });
  }
  if (!before.notNull && column.notNull) changes.push({ kind: "set-not-null", table, column });
  if (before.notNull && !column.notNull) changes.push({ kind: "drop-not-null", table, column });
  if ((before.comment ?? null) !== (column.comment ?? null)) changes.push({ kind: "set-comment", target: { on: "column", table, column: column.name }, comment: column.comment });
  return changes;
}

/** What a constraint does, without its name; foreign keys with the referenced table's desired name. */
function constraintSignature(constraint: Constraint, names: (schema: string, name: string) => string): string {
  const fk = constraint.foreignKey;
  if (constraint.type === "foreign-key" && fk) {
    const { referencedSchema, referencedTable, ...rest } = fk;
    return JSON.stringify({ ...rest, onDeleteWritten: undefined, columns: constraint.columns, table: names(referencedSchema, referencedTable), deferrable: constraint.deferrable, initially: constraint.initiallyDeferred });
  }
  return `${constraint.type} ${constraint.definition}`;
}

/** Not-null constraints (PostgreSQL 18 lists them) are the columns' NOT NULL, compared there. */
const planned = (c: Constraint) => c.type !== "not-null";

function constraintChanges(table: TableRef, old: Table, desired: Table, names: (schema: string, name: string) => string, renamed: Set<string>): Change[] {
  const changes: Change[] = [];
  const before = old.constraints.filter(planned);
  const after = desired.constraints.filter(planned);
  const matched = new Set<Constraint>();
  const same = (a: Constraint, b: Constraint) => constraintSignature(a, names) === constraintSignature(b, (s, n) => `${s}.${n}`);
  for (const constraint of after) {
    const byName = before.find((c) => c.name === constraint.name && !matched.has(c));
    const match = byName && same(byName, constraint) ? byName : before.find((c) => !matched.has(c) && same(c, constraint) && !after.some((a) => a.name === c.name));
    if (!match) {
      const index = constraint.indexName ? (desired.indexes.find((i) => i.name === constraint.indexName) ?? null) : null;
      changes.push({ kind: "add-constraint", table, constraint, index });
      continue;
    }
    matched.add(match);
    if (match.name !== constraint.name) changes.push({ kind: "rename-constraint", table, from: match.name, to: constraint.name });
    if (!match.validated && constraint.validated) changes.push({ kind: "validate-constraint", table, constraint });
  }
  for (const constraint of before) {
    if (matched.has(constraint)) continue;
    const replaced = after.some((a) => a.name === constraint.name || (a.type === "primary-key" && constraint.type === "primary-key"));
    // A constraint on a column that is dropped or renamed goes with that column, unless a new one needs its name or place first.
    const gone = constraint.columns.length > 0 && constraint.columns.some((c) => renamed.has(c) || !desired.columns.some((d) => d.name === c));
    if (!gone || replaced) changes.push({ kind: "drop-constraint", table, constraint, replaced });
  }
  return changes;
}

/** What an index does, without its name or table: the text from USING on, and whether it is unique. */
function indexSignature(index: Index): string {
  const using = index.definition.indexOf(" USING ");
  return `${index.unique ? "unique " : ""}${using >= 0 ? index.definition.slice(using) : index.definition}`;
}

function indexChanges(table: TableRef, old: Table, desired: Table, renamed: Set<string>, desiredIndexes: Set<string>): Change[] {
  const own = (t: Table) => t.indexes.filter((i) => !i.constraintName);
  const changes: Change[] = [];
  const matched = new Set<Index>();
  for (const index of own(desired)) {
    const byName = own(old).find((i) => i.name === index.name && indexSignature(i) === indexSignature(index));
    const match = byName ?? own(old).find((i) => !matched.has(i) && indexSignature(i) === indexSignature(index) && !own(desired).some((d) => d.name === i.name));
    if (!match) {
      changes.push({ kind: "add-index", table, index });
      continue;
    }
    matched.add(match);
    if (match.name !== index.name) changes.push({ kind: "rename-index", table, from: match.name, to: index.name, schema: index.schema });
  }
  for (const index of own(old)) {
    if (matched.has(index)) continue;
    const columns = index.keys.map((k) => k.column).filter((c): c is string => c !== null);
    const gone = columns.some((c) => renamed.has(c) || !desired.columns.some((d) => d.name === c));
    const replaced = desiredIndexes.has(`${index.schema}.${index.name}`);
    // Indexes on a dropped column go with it (unless a new index needs the name first).
    if (!gone || replaced) changes.push({ kind: "drop-index", table, index, replaced });
  }
  return changes;
}

function triggerChanges(old: Table, table: Table): Change[] {
  const ref: TableRef = { schema: table.schema, name: table.name };
  // The definition names the table: compared without it, so a renamed table keeps its triggers.
  const text = (t: Table, trigger: Table["triggers"][number]) => trigger.definition.replace(` ON ${qualifiedText(t)} `, " ON ");
  const changes: Change[] = [];
  for (const trigger of table.triggers) {
    const before = old.triggers.find((t) => t.name === trigger.name);
    if (before && text(old, before) === text(table, trigger)) continue;
    // A changed trigger is re-created in one transaction by its add step (DROP IF EXISTS, CREATE).
    changes.push({ kind: "add-trigger", table: ref, trigger, replaces: before !== undefined });
  }
  for (const trigger of old.triggers) if (!table.triggers.some((t) => t.name === trigger.name)) changes.push({ kind: "drop-trigger", table: ref, trigger });
  return changes;
}

/** How pg_get_triggerdef names a table: schema-qualified as the catalog prints it. */
function qualifiedText(t: Table): string {
  return qualifiedAlways(t.schema, t.name);
}

/**
 * Partitions: a partition of a partitioned table kept from the current schema is attached (a new
 * table, or an existing one that becomes a partition), one the desired schema no longer has is
 * detached and dropped. A partition of a new partitioned table is created with it. Moving a
 * partition to another bound or parent is left to a person.
 */
function partitionChanges(from: SchemaModel, to: SchemaModel, checks: Map<string, string>, handled: Set<string>): Change[] {
  const changes: Change[] = [];
  const find = (m: SchemaModel, key: string) => m.tables.find((t) => tableKey(t) === key);
  for (const table of to.tables.filter((t) => t.partitionOf)) {
    const old = find(from, tableKey(table));
    if (old && old.partitionOf === table.partitionOf && old.partitionBound === table.partitionBound) continue;
    const parentBefore = find(from, table.partitionOf!);
    if (old?.partitionOf || (old && !parentBefore)) {
      changes.push({ kind: "unplanned", object: `partition ${tableKey(table)}`, reason: "moving a partition to another bound or parent is not planned yet (detach it, then attach it with the new bound)" });
      continue;
    }
    if (!parentBefore) {
      changes.push({ kind: "attach-partition", table, existing: null, check: null });
      continue;
    }
    if (!parentBefore.partitionKey && handled.has(table.partitionOf!)) continue;
    if (!parentBefore.partitionKey) {
      changes.push({ kind: "unplanned", object: `partition ${tableKey(table)}`, reason: `${table.partitionOf} is not a partitioned table yet: partitioning an existing table is not planned yet` });
      continue;
    }
    changes.push({ kind: "attach-partition", table, existing: old ?? null, check: checks.get(tableKey(table)) ?? null });
  }
  for (const table of from.tables.filter((t) => t.partitionOf)) {
    const now = find(to, tableKey(table));
    if (now) continue;
    if (!find(to, table.partitionOf!)) continue; // dropped with its partitioned table
    changes.push({ kind: "detach-partition", table });
  }
  return changes;
}

function viewChanges(from: SchemaModel, to: SchemaModel): Change[] {
  const changes: Change[] = [];
  const find = (views: View[], v: View) => views.find((o) => o.schema === v.schema && o.name === v.name);
  for (const view of to.views) {
    const old = find(from.views, view);
    if (old?.materialized && view.materialized && old.definition === view.definition) changes.push(...matviewIndexChanges(old, view));
    if (!old) changes.push({ kind: "add-view", view });
    else if (old.definition !== view.definition || old.materialized !== view.materialized) {
      if (view.materialized && old.materialized) changes.push({ kind: "replace-matview", from: old, to: view });
      else if (view.materialized || old.materialized) changes.push({ kind: "unplanned", object: `view ${view.schema}.${view.name}`, reason: "turning a view into a materialized view (or back) is not planned yet" });
      else changes.push({ kind: "replace-view", from: old, to: view });
    }
  }
  for (const view of from.views) if (!find(to.views, view)) changes.push({ kind: "drop-view", view });
  return changes;
}

/** A kept materialized view's indexes, matched by definition without the name (built and dropped CONCURRENTLY, like a table's). */
function matviewIndexChanges(old: View, view: View): Change[] {
  const ref: TableRef = { schema: view.schema, name: view.name };
  const changes: Change[] = [];
  const matched = new Set<Index>();
  for (const index of view.indexes) {
    const match = old.indexes.find((i) => !matched.has(i) && indexSignature(i) === indexSignature(index));
    if (!match) {
      changes.push({ kind: "add-index", table: ref, index });
      continue;
    }
    matched.add(match);
    if (match.name !== index.name) changes.push({ kind: "rename-index", table: ref, from: match.name, to: index.name, schema: index.schema });
  }
  for (const index of old.indexes) if (!matched.has(index)) changes.push({ kind: "drop-index", table: ref, index, replaced: view.indexes.some((i) => i.name === index.name) });
  return changes;
}

function routineChanges(from: SchemaModel, to: SchemaModel, definitions: Map<string, string>, current?: Map<string, string>): Change[] {
  const signature = (f: SchemaModel["functions"][number]) => `${f.schema}.${f.name}(${f.arguments})`;
  const text = (f: SchemaModel["functions"][number]) => `${f.kind} ${f.returns} ${f.language} ${f.volatility} ${f.body}`;
  const changes: Change[] = [];
  for (const fn of to.functions) {
    const old = from.functions.find((f) => signature(f) === signature(fn));
    const definition = definitions.get(signature(fn));
    const sameDefinition = !current || definition === undefined || current.get(signature(fn)) === definition;
    if (old && text(old) === text(fn) && sameDefinition) continue;
    if (fn.kind === "aggregate" || fn.kind === "window" || definition === undefined) {
      changes.push({ kind: "unplanned", object: `function ${signature(fn)}`, reason: definition === undefined ? "its definition was not read (aggregates and window functions are not planned)" : "aggregates and window functions are not planned yet" });
    } else if (old && old.returns !== fn.returns) {
      changes.push({ kind: "unplanned", object: `function ${signature(fn)}`, reason: `its result type changes (${old.returns} → ${fn.returns}): it must be dropped and re-created with what depends on it` });
    } else changes.push({ kind: "create-function", fn, definition, replace: old !== undefined });
  }
  for (const fn of from.functions) if (!to.functions.some((f) => signature(f) === signature(fn))) changes.push({ kind: "drop-function", fn });
  return changes;
}

/**
 * A table split, found by structure: columns dropped from a kept table that a new table has under
 * the same names and types, the two linked by a foreign key on a key of the new table (lookup: the
 * kept table references it, as normalize's decomposition does) or of the kept one (extension: the
 * new table references it, one row each). The drops become the split, which moves their values.
 */
function splitChanges(from: SchemaModel, to: SchemaModel, changes: Change[]): Change[] {
  const newTables = changes.flatMap((c) => (c.kind === "add-table" ? [c.table] : []));
  if (newTables.length === 0) return changes;
  const splits: Extract<Change, { kind: "split-table" }>[] = [];
  const drops = changes.filter((c): c is Extract<Change, { kind: "drop-column" }> => c.kind === "drop-column");
  for (const table of to.tables) {
    const dropped = drops.filter((d) => d.table.schema === table.schema && d.table.name === table.name);
    const current = dropped.length ? from.tables.find((t) => t.columns.includes(dropped[0]!.column)) : undefined;
    if (!current) continue;
    for (const into of newTables) {
      const link = splitLink(current, table, into);
      if (!link) continue;
      const moved = dropped.filter((d) => into.columns.some((c) => c.name === d.column.name && c.type === d.column.type) && !link.keys.some((k) => k.into === d.column.name)).map((d) => d.column);
      const rest = into.columns.filter((c) => !moved.some((m) => m.name === c.name) && !link.keys.some((k) => k.into === c.name));
      // Every other column of the new table must fill itself, or the copy would not know its value.
      if (moved.length === 0 || rest.some((c) => c.notNull && c.default === null && !c.identity && !c.generated)) continue;
      splits.push({ kind: "split-table", table: { schema: table.schema, name: table.name }, from: current, into, moved, ...link });
      break;
    }
  }
  if (splits.length === 0) return changes;
  const movedColumns = new Set(splits.flatMap((s) => s.moved));
  return [...changes.filter((c) => !(c.kind === "drop-column" && movedColumns.has(c.column))), ...splits];
}

/** The foreign key that links a kept table and a new one on a key (primary or unique) of the referenced side, with its column pairs. */
function splitLink(current: Table, table: Table, into: Table): Pick<Extract<Change, { kind: "split-table" }>, "link" | "keys"> | undefined {
  const isKey = (t: Table, columns: string[]) => t.constraints.some((c) => (c.type === "primary-key" || c.type === "unique") && c.columns.length === columns.length && c.columns.every((k) => columns.includes(k)));
  const kept = (columns: string[]) => columns.every((c) => current.columns.some((k) => k.name === c) && table.columns.some((k) => k.name === c));
  for (const fk of table.constraints.filter((c) => c.foreignKey?.referencedSchema === into.schema && c.foreignKey.referencedTable === into.name)) {
    const ref = fk.foreignKey!;
    if (kept(fk.columns) && isKey(into, ref.referencedColumns)) return { link: "lookup", keys: fk.columns.map((c, i) => ({ table: c, into: ref.referencedColumns[i]! })) };
  }
  for (const fk of into.constraints.filter((c) => c.foreignKey?.referencedSchema === table.schema && c.foreignKey.referencedTable === table.name)) {
    const ref = fk.foreignKey!;
    if (kept(ref.referencedColumns) && isKey(current, ref.referencedColumns) && isKey(into, fk.columns)) return { link: "extension", keys: ref.referencedColumns.map((c, i) => ({ table: c, into: fk.columns[i]! })) };
  }
  return undefined;
}

/**
 * A plain table that becomes partitioned, when the copy-and-swap recipe can do it alone: the same
 * columns, and nothing bound to the table that a swap by name would leave on the old one.
 */
function partitionTable(old: Table, table: Table, from: SchemaModel, to: SchemaModel, security: Security | undefined): Change | undefined {
  if (old.kind !== "table" || table.kind !== "partitioned" || old.partitionOf) return undefined;
  if (whyNotPartitioned(old, table, from, security)) return undefined;
  const partitions = to.tables.filter((t) => t.partitionOf === tableKey(table));
  if (partitions.length === 0 || partitions.some((p) => p.kind === "partitioned" || from.tables.some((t) => tableKey(t) === tableKey(p)))) return undefined;
  return { kind: "partition-table", from: old, to: table, partitions };
}

/** Why the copy-and-swap cannot partition the table, or undefined. */
export function whyNotPartitioned(old: Table, table: Table, from: SchemaModel, security?: Security): string | undefined {
  const shape = (c: Column) => `${c.name} ${c.type} ${c.notNull} ${c.default} ${c.generated} ${c.generationExpression} ${c.collation}`;
  if (old.columns.map(shape).join("\n") !== table.columns.map(shape).join("\n")) return "its columns change too";
  if (old.columns.some((c) => c.identity)) return "it has an identity column, whose sequence the partitioned copy cannot share";
  if (!table.constraints.some((c) => c.type === "primary-key")) return "the partitioned table has no primary key, which the copy needs to tell the rows its trigger copied from those its batches copy";
  const pk = old.constraints.find((c) => c.type === "primary-key");
  if (!pk || pk.columns.length !== 1) return "it has no single-column primary key to copy its rows in batches by";
  if (old.triggers.length > 0 || table.triggers.length > 0) return "it has triggers, which would run again on every copied row";
  const key = tableKey(old);
  const referencing = from.tables.find((t) => t.constraints.some((c) => c.foreignKey && `${c.foreignKey.referencedSchema}.${c.foreignKey.referencedTable}` === key));
  if (referencing) return `foreign keys of ${tableKey(referencing)} reference it (they would stay on the old table)`;
  const word = new RegExp(`\\b${old.name.replace(/[^A-Za-z0-9_]/g, "")}\\b`);
  const view = from.views.find((v) => word.test(v.definition));
  if (view) return `view ${view.schema}.${view.name} reads it (a view stays bound to the old table)`;
  if (security && (security.grants.some((g) => `${g.schema}.${g.relation}` === key) || security.policies.some((p) => `${p.schema}.${p.table}` === key) || security.tables.some((t) => `${t.schema}.${t.table}` === key))) {
    return "it has grants, policies or row-level security, which would stay on the old table";
  }
  if (old.persistence !== table.persistence) return `it also becomes ${table.persistence}`;
  return undefined;
}
