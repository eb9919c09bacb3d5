/**
 * Recipes: each typed change becomes the steps a careful DBA would write, in the forms the
 * migration rules accept (NOT VALID then VALIDATE, CONCURRENTLY alone, NOT NULL through a
 * validated CHECK, renames and rewrites through a new column kept in step by a trigger and filled
 * in committed batches, removals only in the contract phase). Whether a type change or a new
 * column rewrites the table is asked of the lock model the migration rules use, not guessed here.
 */
import type { Column, Constraint, Domain, EnumType, Index, SchemaModel, Table, View } from "../catalog/model.js";
import { analyzeStatement } from "../migrations/locks.js";
import { lookupFromModel } from "../migrations/rules/_context.js";
import { parseFile } from "../sources/parse.js";
import { qualified, qualifiedAlways, quoteIdent, quoteLiteral } from "../sql/text.js";
import { describeChange, pathOf, type Change, type TableRef } from "./changes.js";
import { addConstraint, columnDefinition, commentText, createDomain, createEnum, createIndex, createSequence, createTable, createView, shortName, tableName } from "./ddl.js";
import { backfill, dropSync, syncTrigger } from "./backfill.js";
import { partitionTable } from "./partition.js";
import { splitTable } from "./split.js";
import type { Policy } from "./security.js";
import type { Acknowledged, Step } from "./steps.js";

export interface RecipeContext {
  from: SchemaModel;
  to: SchemaModel;
  /** `--fill table.column=<SQL expression>`: the value existing rows get when a column becomes NOT NULL without a default, by "schema.table.column". */
  fills?: Map<string, string>;
  /** Every change of the plan, for recipes whose place depends on another change. */
  changes?: Change[];
  /** PostgreSQL major the plan runs on (the lock model's facts depend on it). */
  pgVersion: number;
  /** Columns ("schema.table.column") whose rewriting type change swaps a copy in, re-adding the foreign keys that reference them: filled by the recipes. */
  swapped?: Set<string>;
}

export interface Recipes {
  steps: Step[];
  /** Differences the plan leaves to a person, with why. */
  unplanned: { object: string; reason: string }[];
}


export function recipes(changes: Change[], given: RecipeContext): Recipes {
  const context = { ...given, changes, swapped: new Set<string>() };
  const steps: Step[] = [];
  const unplanned: Recipes["unplanned"] = [];
  const newTables = changes.filter((c): c is Extract<Change, { kind: "add-table" }> => c.kind === "add-table").map((c) => c.table);
  // What depends on a column or key is planned after it: when the plan cannot add the column, change
  // its type or add the key, what uses it is not planned either (and says why), instead of failing.
  const missing = new Set<string>();
  for (const change of dependencyOrder(changes)) {
    const out = dependsOnMissing(change, missing) ?? recipe(change, context);
    if ("unplanned" in out) {
      unplanned.push(out.unplanned);
      steps.push(...(out.steps ?? []));
      for (const key of providedBy(change, out.steps !== undefined)) missing.add(key);
    } else steps.push(...out);
  }
  if (newTables.length > 0) steps.push(createTables(newTables, missing, unplanned, context.swapped));
  return { steps, unplanned };
}

/** Steps, or what is left to a person (with the steps that still go ahead, e.g. the column added nullable). */
function keyOf(schema: string, table: string, columns: string[]): string {
  return `${schema}.${table}(${columns.join(",")})`;
}

/** Columns and keys first, then what uses them (comments, indexes, constraints), foreign keys last. */
function dependencyOrder(changes: Change[]): Change[] {
  const rank = (c: Change) => (c.kind === "add-constraint" && c.constraint.type === "foreign-key" ? 2 : c.kind === "add-index" || c.kind === "add-constraint" || (c.kind === "set-comment" && c.target.on === "column") ? 1 : 0);
  return [0, 1, 2].flatMap((r) => changes.filter((c) => rank(c) === r));
}

/** What an unplanned change leaves missing: a column not added or not retyped, a key not added. */
function providedBy(change: Change, partly: boolean): string[] {
  if (change.kind === "add-column" && !partly) return [keyOf(change.table.schema, change.table.name, [change.column.name])];
  if (change.kind === "alter-column-type" || change.kind === "rename-column") return [keyOf(change.table.schema, change.table.name, [change.to.name])];
  if (change.kind === "add-constraint") return [keyOf(change.table.schema, change.table.name, change.constraint.columns)];
  // A lookup left unfilled: the kept table's foreign key to it would fail its validation.
  if (change.kind === "split-table" && change.link === "lookup") return [keyOf(change.into.schema, change.into.name, change.keys.map((k) => k.into))];
  return [];
}

function dependsOnMissing(change: Change, missing: Set<string>): Out | undefined {
  if (missing.size === 0) return undefined;
  const column = (t: TableRef, c: string) => keyOf(t.schema, t.name, [c]);
  const uses: string[] = [];
  if (change.kind === "set-comment" && change.target.on === "column") uses.push(column(change.target.table, change.target.column));
  if (change.kind === "add-index") uses.push(...change.index.keys.flatMap((k) => (k.column ? [column(change.table, k.column)] : [])));
  if (change.kind === "add-constraint") {
    uses.push(...change.constraint.columns.map((c) => column(change.table, c)));
    const fk = change.constraint.foreignKey;
    if (fk) uses.push(keyOf(fk.referencedSchema, fk.referencedTable, fk.referencedColumns), ...fk.referencedColumns.map((c) => keyOf(fk.referencedSchema, fk.referencedTable, [c])));
  }
  const blocked = uses.find((u) => missing.has(u));
  return blocked ? { unplanned: { object: describeChange(change), reason: `it needs ${blocked}, which the plan cannot provide (above)` } } : undefined;
}

type Out = Step[] | { unplanned: { object: string; reason: string }; steps?: Step[] };

function recipe(change: Change, context: RecipeContext): Out {
  switch (change.kind) {
    case "add-schema":
      return [quick("expand", 10, `add_schema_${change.schema}`, `CREATE SCHEMA ${quoteIdent(change.schema)}`, "A new schema.", "types")];
    case "add-extension":
      return [quick("expand", 11, `add_extension_${change.extension.name}`, `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(change.extension.name)} WITH SCHEMA ${quoteIdent(change.extension.schema)}`, "A new extension.", "types")];
    case "add-enum":
      return [quick("expand", 12, `add_enum_${change.type.name}`, createEnum(change.type), "A new enum type.", "types")];
    case "add-enum-value":
      return [
        {
          phase: "expand",
          order: 13,
          name: `add_${change.type.name}_value`,
          why: "ALTER TYPE … ADD VALUE runs outside a transaction block: inside one, the new value cannot be used until commit (and before PostgreSQL 12 it fails).",
          sql: [`ALTER TYPE ${qualified(change.type.schema, change.type.name)} ADD VALUE IF NOT EXISTS ${quoteLiteral(change.value)}${change.before !== null ? ` BEFORE ${quoteLiteral(change.before)}` : ""}`],
          transaction: false,
        },
      ];
    case "add-domain":
      return [quick("expand", 14, `add_domain_${change.domain.name}`, createDomain(change.domain), "A new domain.", "types")];
    case "add-sequence":
      return [quick("expand", 15, `add_sequence_${change.sequence.name}`, createSequence(change.sequence), "A new sequence.", "types")];
    case "drop-sequence":
      return [quick("contract", 70, `drop_sequence_${change.sequence.name}`, `DROP SEQUENCE ${qualified(change.sequence.schema, change.sequence.name)}`, "A sequence no longer used.")];
    case "drop-type":
      return [quick("contract", 68, `drop_${change.what}_${change.name}`, `DROP ${change.what === "enum" ? "TYPE" : "DOMAIN"} ${qualified(change.schema, change.name)}`, "No column of the desired schema uses it any more; dropped after the columns that did.", "types")];
    case "add-table":
      return [];
    case "drop-table":
      return dropTable(change.table);
    case "rename-table":
      return renameTable(change.from, change.to);
    case "add-column":
      return addColumn(change.table, change.column, context);
    case "drop-column":
      return dropColumn(change.table, change.column, context);
    case "rename-column":
      return renameColumn(change.table, change.from, change.to, context);
    case "alter-column-type":
      return alterType(change.table, change.from, change.to, context);
    case "set-default":
      return [quick("expand", 45, `default_${change.table.name}_${change.column.name}`, `ALTER TABLE ${tableName(change.table)} ALTER COLUMN ${quoteIdent(change.column.name)} SET DEFAULT ${change.column.default}`, "A default is a catalog change; new rows get it from now on.", pathOf(change.table))];
    case "drop-default":
      return [
        {
          ...quick("contract", 20, `drop_default_${change.table.name}_${change.column.name}`, `ALTER TABLE ${tableName(change.table)} ALTER COLUMN ${quoteIdent(change.column.name)} DROP DEFAULT`, "Dropped in the contract phase: the old application may insert rows that rely on the default.", pathOf(change.table)),
          acknowledged: [{ rule: "drop-default-on-required-column", reason: "contract phase of a schemawise plan: the switch phase released code that sets the column on every insert" }],
        },
      ];
    case "set-not-null":
      return notNull(change.table, change.column, context, { fill: fillFor(change.table, change.column, context) });
    case "drop-not-null":
      if (primaryKeyReplaced(change.table, change.column.name, context)) {
        return [quick("contract", 23, `nullable_${change.table.name}_${change.column.name}`, `ALTER TABLE ${tableName(change.table)} ALTER COLUMN ${quoteIdent(change.column.name)} DROP NOT NULL`, "After the primary key it belonged to is replaced: a key column cannot lose NOT NULL before.", pathOf(change.table))];
      }
      return [quick("expand", 35, `nullable_${change.table.name}_${change.column.name}`, `ALTER TABLE ${tableName(change.table)} ALTER COLUMN ${quoteIdent(change.column.name)} DROP NOT NULL`, "Relaxing NOT NULL is a catalog change the old code cannot notice.", pathOf(change.table))];
    case "add-constraint":
      return addConstraintSteps(change, context);
    case "drop-constraint":
      // Before NOT NULL is relaxed in the same file: a primary key's columns cannot lose NOT NULL while it stands.
      if (change.replaced) {
        return [quick("contract", change.constraint.type === "foreign-key" ? 21 : 22, `drop_${change.constraint.name}`, `ALTER TABLE ${tableName(change.table)} DROP CONSTRAINT ${quoteIdent(change.constraint.name)}`, "It makes way for the desired constraint of its name or place, added next, once only the new code runs.", pathOf(change.table))];
      }
      return [quick("expand", change.constraint.type === "foreign-key" ? 33 : 34, `drop_${change.constraint.name}`, `ALTER TABLE ${tableName(change.table)} DROP CONSTRAINT ${quoteIdent(change.constraint.name)}`, "Dropping a constraint only relaxes what the old code already meets.", pathOf(change.table))];
    case "rename-constraint":
      return [quick("expand", 45, `rename_${change.from}`, `ALTER TABLE ${tableName(change.table)} RENAME CONSTRAINT ${quoteIdent(change.from)} TO ${quoteIdent(change.to)}`, "A constraint's name is a catalog change.", pathOf(change.table))];
    case "validate-constraint":
      return [validate(change.table, change.constraint.name, 28)];
    case "add-index":
      return [concurrentIndex(change.table, createIndex(change.index, true), change.index.name, 40)];
    case "drop-index":
      return [
        {
          phase: change.replaced ? "backfill" : "contract",
          order: change.replaced ? 38 : 35,
          name: `drop_${change.index.name}`,
          why: "DROP INDEX CONCURRENTLY does not block the table; dropped last, since the old code's queries may still use the index.",
          sql: [`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(change.index.schema, change.index.name)}`],
          transaction: false,
        },
      ];
    case "rename-index":
      return [quick("expand", 45, `rename_${change.from}`, `ALTER INDEX ${qualified(change.schema, change.from)} RENAME TO ${quoteIdent(change.to)}`, "An index's name is a catalog change.", pathOf(change.table))];
    case "set-comment": {
      const target = change.target.on === "table" ? `TABLE ${tableName(change.target.table)}` : `COLUMN ${tableName(change.target.table)}.${quoteIdent(change.target.column)}`;
      return [quick("expand", 46, `comment_${change.target.table.name}`, `COMMENT ON ${target} IS ${commentText(change.comment)}`, "Comments are catalog changes.", pathOf(change.target.table))];
    }
    case "add-view":
      if (change.view.materialized) return newMatview(change.view);
      return [quick("expand", 60, `add_view_${change.view.name}`, createView(change.view), "A new view, once the tables and columns it reads exist.", "views")];
    case "replace-matview":
      return replaceMatview(change.from, change.to);
    case "set-row-security":
      return rowSecurity(change.table, change.what, change.on, (context.changes ?? []).some((c) => c.kind === "add-table" && pathOf(c.table) === pathOf(change.table)));
    case "add-policy":
      return [quick("expand", 59, `policy_${change.policy.name}`, createPolicy(change.policy), "A new policy: CREATE POLICY is a catalog change under a brief lock; it filters nothing until row-level security is enabled on the table.", pathOf(policyTable(change.policy)))];
    case "change-policy":
      return [
        {
          ...quick("contract", 40, `policy_${change.to.name}`, "", "Changed once only the new code runs, since it changes which rows each role sees or may write; " + (change.alter ? "ALTER POLICY is a catalog change under a brief lock." : "its command or kind changes, which ALTER POLICY cannot do: dropped and created again in one transaction, so no moment goes without it."), pathOf(policyTable(change.to))),
          sql: change.alter ? [alterPolicy(change.to)] : [`DROP POLICY ${quoteIdent(change.from.name)} ON ${tableName(policyTable(change.from))}`, createPolicy(change.to)],
        },
      ];
    case "drop-policy":
      return [quick("contract", 40, `drop_policy_${change.policy.name}`, `DROP POLICY ${quoteIdent(change.policy.name)} ON ${tableName(policyTable(change.policy))}`, "Dropped once only the new code runs: it changes which rows a role sees or may write.", pathOf(policyTable(change.policy)))];
    case "grant":
      return [quick("expand", 48, `grant_${change.grant.relation}`, `GRANT ${change.grant.privilege} ON ${change.grant.kind === "sequence" ? "SEQUENCE " : "TABLE "}${qualified(change.grant.schema, change.grant.relation)} TO ${grantee(change.grant.grantee)}${change.grant.grantable ? " WITH GRANT OPTION" : ""}`, "Granting only adds what a role may do: in expand, so the new code finds it in place.", `grants ${change.grant.schema}.${change.grant.relation}`)];
    case "revoke":
      return [quick("contract", 41, `revoke_${change.grant.relation}`, `REVOKE ${change.optionOnly ? "GRANT OPTION FOR " : ""}${change.grant.privilege} ON ${change.grant.kind === "sequence" ? "SEQUENCE " : "TABLE "}${qualified(change.grant.schema, change.grant.relation)} FROM ${grantee(change.grant.grantee)}`, "Revoked once only the new code runs: the old code may still rely on it.", `grants ${change.grant.schema}.${change.grant.relation}`)];
    case "rebuild-enum":
      return rebuildEnum(change.from, change.to, context);
    case "add-identity":
      return addIdentity(change.table, change.from, change.to, context);
    case "alter-domain":
      return alterDomain(change.from, change.to);
    case "split-table":
      return splitTable(change);
    case "partition-table":
      return partitionTable(change);
    case "attach-partition":
      return attachPartition(change.table, change.existing, change.check, context);
    case "detach-partition":
      return detachPartition(change.table, context);
    case "replace-view":
      return [quick("expand", 60, `replace_view_${change.to.name}`, createView(change.to, true), "The view's new definition, before the contract phase drops anything it read.", "views")];
    case "drop-view":
      return [quick("contract", 10, `drop_view_${change.view.name}`, `DROP ${change.view.materialized ? "MATERIALIZED VIEW" : "VIEW"} ${qualified(change.view.schema, change.view.name)}`, "Dropped once no running code reads it.", "views")];
    case "create-function": {
      // A SQL-language body is checked against the tables at creation: it comes after them.
      const order = change.fn.language === "sql" ? 55 : 16;
      return [quick("expand", order, `function_${change.fn.name}`, change.definition.trim().replace(/;$/, ""), change.replace ? "CREATE OR REPLACE keeps the function's grants and dependants; old and new code call it by the same name." : "A new function.", "functions")];
    }
    case "drop-function":
      return [quick("contract", 65, `drop_function_${change.fn.name}`, `DROP FUNCTION ${qualified(change.fn.schema, change.fn.name)}(${argumentTypes(change.fn.arguments)})`, "Dropped once nothing calls it.", "functions")];
    case "add-trigger":
      return [
        {
          ...quick("expand", 58, `trigger_${change.trigger.name}`, change.trigger.definition, "CREATE TRIGGER blocks writes to the table only for the moment it commits: alone in a short transaction, with lock_timeout.", `trigger ${pathOf(change.table)}`),
          sql: [...(change.replaces ? [dropTrigger(change.table, change.trigger.name)] : []), change.trigger.definition],
        },
      ];
    case "drop-trigger":
      return [quick("contract", 8, `drop_trigger_${change.trigger.name}`, dropTrigger(change.table, change.trigger.name), "Dropped once no running code relies on what it does.", pathOf(change.table))];
    case "unplanned":
      return { unplanned: { object: change.object, reason: change.reason } };
  }
}

/** A changed trigger is dropped and created again in the same transaction. */
function dropTrigger(table: TableRef, trigger: string): string {
  return `DROP TRIGGER IF EXISTS ${quoteIdent(trigger)} ON ${tableName(table)}`;
}

/** The argument list DROP FUNCTION takes: pg_get_function_arguments without the defaults. */
function argumentTypes(args: string): string {
  return args
    .split(",")
    .map((a) => a.replace(/\s+DEFAULT\s+[\s\S]*$/i, "").trim())
    .filter(Boolean)
    .join(", ");
}

/** A quick catalog change inside the runner's transaction. */
function quick(phase: Step["phase"], order: number, name: string, sql: string, why: string, mergeKey?: string): Step {
  return { phase, order, name, why, sql: [sql], transaction: true, ...(mergeKey ? { mergeKey } : {}) };
}

/** All new tables in one step: created, then their foreign keys (they may point at each other), then their indexes. */
function createTables(tables: Table[], missing: Set<string>, unplanned: Recipes["unplanned"], swapped: Set<string>): Step {
  // A key whose column changes type is still of the old type until its swap, which adds these foreign keys then.
  const toSwapped = (c: Table["constraints"][number]) => c.foreignKey !== null && c.foreignKey.referencedColumns.some((col) => swapped.has(`${c.foreignKey!.referencedSchema}.${c.foreignKey!.referencedTable}.${col}`));
  const foreignKeys = tables.flatMap((t) =>
    t.constraints
      .filter((c) => c.type === "foreign-key" && !toSwapped(c))
      .flatMap((c) => {
        const blocked = dependsOnMissing({ kind: "add-constraint", table: t, constraint: c, index: null }, missing);
        if (blocked && "unplanned" in blocked) unplanned.push(blocked.unplanned);
        return blocked ? [] : [addConstraint(t, c)];
      }),
  );
  const indexes = tables.flatMap((t) => t.indexes.filter((i) => !i.constraintName).map((i) => createIndex(i, false)));
  const comments = tables.flatMap((t) => [
    ...(t.comment !== null ? [`COMMENT ON TABLE ${tableName(t)} IS ${commentText(t.comment)}`] : []),
    ...t.columns.filter((c) => c.comment !== null).map((c) => `COMMENT ON COLUMN ${tableName(t)}.${quoteIdent(c.name)} IS ${commentText(c.comment)}`),
  ]);
  return {
    phase: "expand",
    order: 20,
    name: tables.length === 1 ? `create_${tables[0]!.name}` : "create_tables",
    why: "New tables are empty and nobody uses them yet: their constraints and indexes are built with them, in one transaction.",
    sql: [...tables.map(createTable), ...foreignKeys, ...indexes, ...comments],
    transaction: true,
  };
}

function dropTable(table: Table): Step[] {
  return [
    {
      phase: "contract",
      order: 60,
      name: `drop_${table.name}`,
      why: "Dropped only in the contract phase, once no running code uses it; take a backup first if its rows may be needed (pg_dump -t).",
      sql: [`DROP TABLE ${tableName(table)}`],
      transaction: true,
      acknowledged: [{ rule: "drop-table", reason: "contract phase of a schemawise plan run with --allow-data-loss: the switch phase released code that no longer uses the table" }],
    },
  ];
}

function renameTable(from: Table, to: Table): Out {
  if (from.schema !== to.schema) return { unplanned: { object: `table ${pathOf(from)}`, reason: `moving it to schema ${to.schema} is not planned yet` } };
  return [
    {
      phase: "expand",
      order: 30,
      name: `rename_${from.name}`,
      why: "The rename and an updatable view under the old name commit together, so code using either name keeps working.",
      sql: [`ALTER TABLE ${tableName(from)} RENAME TO ${quoteIdent(to.name)}`, `CREATE VIEW ${tableName(from)} AS SELECT * FROM ${tableName(to)}`],
      transaction: true,
      acknowledged: [{ rule: "rename-table", reason: `the view ${from.name} created with the rename keeps the old name working until the contract phase`, at: 0 }],
    },
    { ...quick("contract", 10, `drop_view_${from.name}`, `DROP VIEW ${tableName(from)}`, `The view under the old name goes once no running code uses ${from.name}.`), app: `use table ${to.name} instead of ${from.name}` },
  ];
}

/** Whether the lock model says the statement rewrites the table, on the current schema. */
function rewrites(sql: string, context: RecipeContext): boolean {
  const [statement] = parseFile({ path: "plan.sql", text: sql }, 0).statements;
  if (!statement?.ast) return true;
  const effect = analyzeStatement(statement, { pgVersion: context.pgVersion, lookup: lookupFromModel(context.from) });
  return effect.rewrite !== "no";
}

function addColumn(table: TableRef, column: Column, context: RecipeContext): Out {
  const object = `column ${pathOf(table)}.${column.name}`;
  const add = `ALTER TABLE ${tableName(table)} ADD COLUMN ${columnDefinition(column)}`;
  if (column.generated === "stored" && rewrites(add, context)) {
    // PostgreSQL has no online way to add a stored generated column: it computes every row in the ALTER.
    return [
      {
        ...quick("expand", 40, `add_${table.name}_${column.name}`, add, `No safe path exists: a STORED generated column is computed for every existing row inside the ALTER, which rewrites ${table.name} and its indexes under ACCESS EXCLUSIVE (reads and writes wait for the whole rewrite). Run this file in a quiet window; lock_timeout only bounds the wait for the lock, not the rewrite. Where the rewrite is too long, a plain column kept by a trigger and filled in batches is the online alternative, at the price of not being generated.`, pathOf(table)),
        acknowledged: [{ rule: "add-column-rewrite", reason: "a stored generated column cannot be added without the rewrite (PostgreSQL has no NOT VALID or concurrent form): planned for a quiet window, as the file says" }],
      },
    ];
  }
  if (column.identity || column.generated || column.isSerial) {
    if (!rewrites(add, context)) return [quick("expand", 40, `add_${table.name}_${column.name}`, add, "Adding the column is a catalog change.", pathOf(table))];
    if (column.generated) return { unplanned: { object, reason: "a generated column fills every existing row (a rewrite under ACCESS EXCLUSIVE); not planned yet" } };
    return addNumberedColumn(table, column, context);
  }
  if (!column.notNull || column.default !== null) {
    if (!rewrites(add, context)) return [quick("expand", 40, `add_${table.name}_${column.name}`, add, "A nullable column, or one whose default is a constant, is a catalog change (PostgreSQL 11+): no rewrite.", pathOf(table))];
  }
  // A volatile default or a NOT NULL without one: add it empty, fill it in batches, then require it.
  const steps: Step[] = [quick("expand", 40, `add_${table.name}_${column.name}`, `ALTER TABLE ${tableName(table)} ADD COLUMN ${columnDefinition(column, { withNotNull: false, withDefault: false })}`, "Added empty first: filling every row in the ALTER would rewrite the table under ACCESS EXCLUSIVE.", pathOf(table))];
  const fill = fillFor(table, column, context);
  if (fill === null) {
    return { unplanned: { object, reason: `NOT NULL without a default: existing rows need a value the desired schema does not give; the plan adds the column nullable (give the value with --fill ${table.name}.${column.name}=<SQL expression>)` }, steps };
  }
  if (column.default !== null) steps.push(quick("expand", 45, `default_${table.name}_${column.name}`, `ALTER TABLE ${tableName(table)} ALTER COLUMN ${quoteIdent(column.name)} SET DEFAULT ${column.default}`, "New rows get the default from now on.", pathOf(table)));
  steps.push(backfill(table, column.name, fill, `${quoteIdent(column.name)} IS NULL`, context, `fill_${table.name}_${column.name}`));
  if (column.notNull) steps.push(...(notNull(table, column, context, { fill: column.default === null ? fill : null }) as Step[]));
  return steps;
}

/**
 * Whether a key column is NOT NULL by the time the contract phase adds the key: already, or through
 * a planned NOT NULL (an existing column, or a new one with a default or a --fill value). Otherwise
 * ADD PRIMARY KEY would set NOT NULL itself, reading every row under ACCESS EXCLUSIVE.
 */
function notNullBeforeKeys(table: TableRef, column: string, context: RecipeContext): boolean {
  const find = (model: SchemaModel) => model.tables.find((t) => t.schema === table.schema && t.name === table.name)?.columns.find((c) => c.name === column);
  const before = find(context.from);
  const after = find(context.to);
  // An existing nullable column gets its NOT NULL steps from the diff (the desired key implies it);
  // a new identity or serial column is numbered and proven NOT NULL by its own recipe.
  if (before || after?.identity || after?.isSerial) return true;
  return after !== undefined && fillFor(table, after, context) !== null;
}

/** Whether the column is in a primary key the plan replaces in the contract phase. */
function primaryKeyReplaced(table: TableRef, column: string, context: RecipeContext): boolean {
  return (context.changes ?? []).some((c) => c.kind === "drop-constraint" && c.replaced && c.constraint.type === "primary-key" && pathOf(c.table) === pathOf(table) && c.constraint.columns.includes(column));
}

/** The value NULLs get before NOT NULL: the column's default, else the --fill expression given for it. */
function fillFor(table: TableRef, column: Column, context: RecipeContext): string | null {
  return column.default ?? context.fills?.get(`${pathOf(table)}.${column.name}`) ?? null;
}

function dropColumn(table: TableRef, column: Column, context: RecipeContext): Step[] {
  const steps: Step[] = [];
  // A primary-key column keeps NOT NULL while the key stands (the new code writes it until then).
  const inKey = context.from.tables.some((t) => t.columns.includes(column) && t.constraints.some((c) => c.type === "primary-key" && c.columns.includes(column.name)));
  if (column.notNull && column.default === null && !column.identity && !column.generated && !inKey) {
    steps.push(quick("expand", 35, `nullable_${table.name}_${column.name}`, `ALTER TABLE ${tableName(table)} ALTER COLUMN ${quoteIdent(column.name)} DROP NOT NULL`, "NOT NULL is relaxed first, so the new code can stop writing the column before it is dropped.", pathOf(table)));
  }
  steps.push({
    ...quick("contract", 50, `drop_${table.name}_${column.name}`, `ALTER TABLE ${tableName(table)} DROP COLUMN ${quoteIdent(column.name)}`, "Dropped only in the contract phase, once no running code reads or writes it.", pathOf(table)),
    acknowledged: [{ rule: "drop-column", reason: "contract phase of a schemawise plan run with --allow-data-loss: the switch phase released code that no longer uses the column" }],
    app: `stop reading and writing ${pathOf(table)}.${column.name}`,
  });
  return steps;
}

function renameColumn(table: TableRef, from: Column, to: Column, context: RecipeContext): Out {
  const object = `column ${pathOf(table)}.${from.name}`;
  const current = context.from.tables.find((t) => t.columns.includes(from));
  if (current?.constraints.some((c) => c.type === "primary-key" && c.columns.includes(from.name))) {
    return { unplanned: { object, reason: "renaming a primary-key column through a new column needs a second primary key; not planned yet (rename it by hand in a maintenance window)" } };
  }
  if (from.type !== to.type || to.identity || to.generated) return { unplanned: { object, reason: `renamed and retyped (${from.type} → ${to.type}) or made identity/generated at once; not planned yet` } };
  const [o, n] = [`NEW.${quoteIdent(from.name)}`, `NEW.${quoteIdent(to.name)}`];
  const sync = shortName(table.name, "sync", to.name);
  const body = [
    `  IF TG_OP = 'INSERT' THEN`,
    `    IF ${n} IS NULL THEN ${n} := ${o}; ELSE ${o} := ${n}; END IF;`,
    `  ELSIF ${n} IS DISTINCT FROM OLD.${quoteIdent(to.name)} THEN ${o} := ${n};`,
    `  ELSIF ${o} IS DISTINCT FROM OLD.${quoteIdent(from.name)} THEN ${n} := ${o};`,
    `  END IF;`,
  ].join("\n");
  const steps: Step[] = [
    {
      phase: "expand",
      order: 40,
      name: `add_${table.name}_${to.name}`,
      why: `${to.name} is added next to ${from.name}, and a trigger copies writes of either column to the other, so old code (${from.name}) and new code (${to.name}) see the same data.`,
      // No default yet: the trigger tells a row the old code wrote by the new column being NULL.
      sql: [`ALTER TABLE ${tableName(table)} ADD COLUMN ${columnDefinition(to, { withNotNull: false, withDefault: false })}`, ...syncTrigger(table, sync, body)],
      transaction: true,
    },
    backfill(table, to.name, quoteIdent(from.name), `${quoteIdent(to.name)} IS DISTINCT FROM ${quoteIdent(from.name)}`, context, `copy_${table.name}_${from.name}`),
  ];
  // The old code may have left the old column NULL where the new one is required: those rows get the default.
  if (to.notNull) steps.push(...(notNull(table, to, context, { fill: fillFor(table, to, context) }) as Step[]));
  const setDefault = to.default !== null ? [`ALTER TABLE ${tableName(table)} ALTER COLUMN ${quoteIdent(to.name)} SET DEFAULT ${to.default}`] : [];
  steps.push({ ...quick("contract", 5, `drop_sync_${table.name}_${to.name}`, "", `The copy trigger goes once no running code writes the old column${setDefault.length ? `, and ${to.name} takes its default` : ""}.`, pathOf(table)), sql: [...dropSync(table, sync), ...setDefault], app: `read and write ${to.name} instead of ${from.name}` });
  steps.push({
    ...quick("contract", 50, `drop_${table.name}_${from.name}`, `ALTER TABLE ${tableName(table)} DROP COLUMN ${quoteIdent(from.name)}`, `The old column goes last; its data lives on in ${to.name}.`, pathOf(table)),
    acknowledged: [{ rule: "drop-column", reason: `renamed to ${to.name} by a schemawise plan: the data was copied and the switch phase released code that uses ${to.name}` }],
  });
  return steps;
}

function alterType(table: TableRef, from: Column, to: Column, context: RecipeContext): Out {
  const alter = `ALTER TABLE ${tableName(table)} ALTER COLUMN ${quoteIdent(to.name)} TYPE ${to.type}`;
  if (!rewrites(alter, context)) {
    return [{ ...quick("expand", 50, `type_${table.name}_${to.name}`, alter, `${from.type} → ${to.type} is binary coercible here: a catalog change, no rewrite.`, pathOf(table)), app: `accept ${to.type} values in ${to.name}` }];
  }
  const object = `column ${pathOf(table)}.${to.name}`;
  const current = context.from.tables.find((t) => t.columns.includes(from));
  const desired = context.to.tables.find((t) => t.columns.includes(to));
  const used = (t: Table | undefined, name: string) => Boolean(t?.constraints.some((c) => c.type !== "not-null" && c.columns.includes(name)) || t?.indexes.some((i) => i.keys.some((k) => k.column === name || (k.expression ?? "").includes(name))) || t?.triggers.length);
  if (used(current, from.name) || used(desired, to.name) || to.default !== null) {
    if (current && desired) return retypeWithDependents(table, current, desired, from, to, context);
    return { unplanned: { object, reason: `${from.type} → ${to.type} rewrites the table, and the column has constraints, indexes, triggers or a default to rebuild on a copy; not planned yet` } };
  }
  const shadow = shortName(to.name, "new");
  const sync = shortName(table.name, "sync", shadow);
  const cast = (expr: string) => `${expr}::${to.type}`;
  return [
    {
      phase: "expand",
      order: 40,
      name: `add_${table.name}_${shadow}`,
      why: `${from.type} → ${to.type} would rewrite the table under ACCESS EXCLUSIVE: the values go to a new column of the new type, kept in step by a trigger.`,
      sql: [`ALTER TABLE ${tableName(table)} ADD COLUMN ${quoteIdent(shadow)} ${to.type}`, ...syncTrigger(table, sync, `  NEW.${quoteIdent(shadow)} := ${cast(`NEW.${quoteIdent(from.name)}`)};`)],
      transaction: true,
    },
    backfill(table, shadow, cast(quoteIdent(from.name)), `${quoteIdent(shadow)} IS DISTINCT FROM ${cast(quoteIdent(from.name))}`, context, `copy_${table.name}_${to.name}`),
    ...(to.notNull ? (notNull(table, { ...to, name: shadow }, context, { fill: null }) as Step[]) : []),
    {
      phase: "contract",
      order: 55,
      name: `swap_${table.name}_${to.name}`,
      why: `One short transaction swaps the columns: the trigger goes, the old column goes, the copy takes its name.`,
      sql: [
        ...dropSync(table, sync),
        `ALTER TABLE ${tableName(table)} DROP COLUMN ${quoteIdent(from.name)}`,
        `ALTER TABLE ${tableName(table)} RENAME COLUMN ${quoteIdent(shadow)} TO ${quoteIdent(to.name)}`,
        ...(to.comment !== null ? [`COMMENT ON COLUMN ${tableName(table)}.${quoteIdent(to.name)} IS ${commentText(to.comment)}`] : []),
      ],
      transaction: true,
      acknowledged: [
        { rule: "drop-column", reason: `its values were copied to ${shadow} as ${to.type}, which takes its name in the same transaction`, at: 2 },
        { rule: "rename-column", reason: `${shadow} takes the name of the column it replaces in the same transaction, so code using ${to.name} keeps working`, at: 3 },
      ],
      app: `accept ${to.type} values in ${to.name}`,
    },
  ];
}

/**
 * A rewriting type change of a column that keys, indexes, constraints or a default depend on (a
 * primary key's integer → bigint, say, with the foreign keys that reference it): the copy column of
 * the new type is kept by a trigger and filled in batches as for any rewrite; its indexes (unique
 * ones included) are built CONCURRENTLY under temporary names; after NOT NULL is proven on it, one
 * short transaction drops the foreign keys that reference the column, drops the old column (its
 * keys and indexes go with it), gives the copy its name, its default and its serial sequence, turns
 * the unique indexes into the keys (USING INDEX), and adds its own and the referencing foreign keys
 * and checks back NOT VALID; each is validated after, in a transaction of its own.
 */
function retypeWithDependents(table: TableRef, current: Table, desired: Table, from: Column, to: Column, context: RecipeContext): Out {
  const object = `column ${pathOf(table)}.${to.name}`;
  const refuse = (why: string): Out => ({ unplanned: { object, reason: `${from.type} → ${to.type} rewrites the table; ${why}; not planned yet` } });
  if (from.identity || to.identity || from.generated || to.generated) return refuse("the column is an identity or generated column");
  if (current.triggers.length > 0 || desired.triggers.length > 0) return refuse("the table has triggers, which would have to be ordered around the copy trigger");
  const onColumn = (i: Index) => i.keys.some((k) => k.column === to.name);
  const indexes = desired.indexes.filter(onColumn);
  if (indexes.some((i) => i.keys.some((k) => k.column === null || k.opclass !== null || k.collation !== null) || (i.predicate ?? "").includes(to.name)) || current.indexes.some((i) => i.keys.some((k) => k.column === null && (k.expression ?? "").includes(from.name)))) {
    return refuse("an index on it has expressions, operator classes or a predicate, which the plan does not rewrite for the copy");
  }
  const constraints = desired.constraints.filter((c) => c.type !== "not-null" && c.columns.includes(to.name));
  if (constraints.some((c) => c.type === "exclusion")) return refuse("an exclusion constraint uses it");
  const owned = from.isSerial ? context.from.sequences.find((s) => s.ownedBy === `${pathOf(table)}.${from.name}`) : undefined;
  if (from.isSerial && !owned) return refuse("its serial sequence was not found");
  // Foreign keys of other tables (and self-references) that point at the column: dropped and added back around the swap.
  const incoming = context.to.tables.flatMap((t) =>
    t.constraints
      .filter((c) => c.foreignKey && c.foreignKey.referencedSchema === table.schema && c.foreignKey.referencedTable === table.name && c.foreignKey.referencedColumns.includes(to.name) && !(t.schema === table.schema && t.name === table.name))
      .map((c) => ({ table: { schema: t.schema, name: t.name } as TableRef, constraint: c })),
  );
  const currentIncoming = context.from.tables.flatMap((t) =>
    t.constraints
      .filter((c) => c.foreignKey && c.foreignKey.referencedSchema === table.schema && c.foreignKey.referencedTable === table.name && c.foreignKey.referencedColumns.includes(from.name) && !(t.schema === table.schema && t.name === table.name))
      .map((c) => ({ table: { schema: t.schema, name: t.name } as TableRef, constraint: c })),
  );
  const t = tableName(table);
  const shadow = shortName(to.name, "new");
  const sync = shortName(table.name, "sync", shadow);
  const cast = (expr: string) => `${expr}::${to.type}`;
  const temp = (name: string) => shortName(name, "new");
  const keyIndexes = new Set(constraints.flatMap((c) => (c.indexName ? [c.indexName] : [])));
  const steps: Step[] = [
    {
      phase: "expand",
      order: 40,
      name: `add_${table.name}_${shadow}`,
      why: `${from.type} → ${to.type} would rewrite the table under ACCESS EXCLUSIVE: the values go to a new column of the new type, kept in step by a trigger.`,
      sql: [`ALTER TABLE ${t} ADD COLUMN ${quoteIdent(shadow)} ${to.type}`, ...syncTrigger(table, sync, `  NEW.${quoteIdent(shadow)} := ${cast(`NEW.${quoteIdent(from.name)}`)};`)],
      transaction: true,
    },
    backfill(table, shadow, cast(quoteIdent(from.name)), `${quoteIdent(shadow)} IS DISTINCT FROM ${cast(quoteIdent(from.name))}`, context, `copy_${table.name}_${to.name}`),
  ];
  // The copy's indexes, under temporary names, built without blocking writes once it is filled.
  for (const index of indexes) {
    const keys = index.keys.map((k) => `${quoteIdent(k.column === to.name ? shadow : k.column!)}${k.descending ? " DESC" : ""}${k.nullsFirst !== k.descending ? (k.nullsFirst ? " NULLS FIRST" : " NULLS LAST") : ""}`);
    const include = index.include.length ? ` INCLUDE (${index.include.map(quoteIdent).join(", ")})` : "";
    const where = index.predicate ? ` WHERE ${index.predicate}` : "";
    const sql = `CREATE ${index.unique ? "UNIQUE " : ""}INDEX CONCURRENTLY ${quoteIdent(temp(index.name))} ON ${t} USING ${index.method} (${keys.join(", ")})${include}${index.nullsNotDistinct ? " NULLS NOT DISTINCT" : ""}${where}`;
    steps.push({ ...concurrentIndex(table, sql, temp(index.name), 45), why: `The copy's index, built CONCURRENTLY under a temporary name; it takes ${index.name}'s name (or becomes its constraint) at the swap.` });
  }
  if (to.notNull) steps.push(...(notNull(table, { ...to, name: shadow }, context, { fill: null }) as Step[]));
  const sql: string[] = [...dropSync(table, sync)];
  const acknowledged: Acknowledged[] = [];
  for (const fk of currentIncoming) sql.push(`ALTER TABLE ${tableName(fk.table)} DROP CONSTRAINT ${quoteIdent(fk.constraint.name)}`);
  // Dropping the column would drop the sequence it owns: kept for a serial copy (let go first, owned by the copy after), else dropped with it.
  const keepSequence = owned !== undefined && to.isSerial;
  if (keepSequence) sql.push(`ALTER SEQUENCE ${qualified(owned.schema, owned.name)} OWNED BY NONE`);
  acknowledged.push({ rule: "drop-column", reason: `its values were copied to ${shadow} as ${to.type}, which takes its name in the same transaction`, at: sql.length });
  sql.push(`ALTER TABLE ${t} DROP COLUMN ${quoteIdent(from.name)}`);
  acknowledged.push({ rule: "rename-column", reason: `${shadow} takes the name of the column it replaces in the same transaction, so code using ${to.name} keeps working`, at: sql.length });
  sql.push(`ALTER TABLE ${t} RENAME COLUMN ${quoteIdent(shadow)} TO ${quoteIdent(to.name)}`);
  if (keepSequence) {
    const seq = qualified(owned.schema, owned.name);
    sql.push(`ALTER SEQUENCE ${seq} OWNED BY ${t}.${quoteIdent(to.name)}`);
    if (to.type === "bigint" && owned.dataType !== "bigint") sql.push(`ALTER SEQUENCE ${seq} AS bigint`);
    sql.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(to.name)} SET DEFAULT pg_catalog.nextval(${quoteLiteral(seq)}::regclass)`);
  } else if (to.default !== null) sql.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(to.name)} SET DEFAULT ${to.default}`);
  if (to.comment !== null) sql.push(`COMMENT ON COLUMN ${t}.${quoteIdent(to.name)} IS ${commentText(to.comment)}`);
  for (const c of constraints.filter((c) => c.type === "primary-key" || c.type === "unique")) {
    const deferrable = c.deferrable ? ` DEFERRABLE${c.initiallyDeferred ? " INITIALLY DEFERRED" : ""}` : "";
    sql.push(`ALTER TABLE ${t} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.type === "unique" ? "UNIQUE" : "PRIMARY KEY"} USING INDEX ${quoteIdent(temp(c.indexName ?? c.name))}${deferrable}`);
  }
  for (const index of indexes.filter((i) => !keyIndexes.has(i.name))) sql.push(`ALTER INDEX ${qualified(index.schema, temp(index.name))} RENAME TO ${quoteIdent(index.name)}`);
  // A referencing column retyped too is swapped by its own recipe (after this one), which adds its key back and validates it.
  const retypedToo = (fk: { table: TableRef; constraint: Constraint }) => (context.changes ?? []).some((c) => c.kind === "alter-column-type" && pathOf(c.table) === pathOf(fk.table) && fk.constraint.columns.includes(c.to.name));
  const readded = [...constraints.filter((c) => c.type === "foreign-key" || c.type === "check").map((c) => ({ table, constraint: c })), ...incoming.filter((fk) => !retypedToo(fk))];
  for (const fk of readded) sql.push(addConstraint(fk.table, fk.constraint, true));
  // The referenced table's swap comes first: the referencing tables' own swaps (if their columns change too) then find its key.
  context.swapped?.add(`${pathOf(table)}.${to.name}`);
  steps.push({
    phase: "contract",
    order: incoming.length > 0 ? 55 : 56,
    name: `swap_${table.name}_${to.name}`,
    why: `One short transaction swaps the columns: the copy trigger goes, ${incoming.length ? "the foreign keys that reference the column are dropped (those whose own column changes type come back with that column's swap, next), " : ""}the old column goes with its keys and indexes, the copy takes its name${keepSequence ? ", default and sequence" : to.default !== null ? " and default" : ""}, the indexes built beside become its keys${readded.length ? ", and the foreign keys and checks come back NOT VALID (validated next, without blocking writes)" : ""}.`,
    sql,
    transaction: true,
    acknowledged,
    app: `accept ${to.type} values in ${to.name}`,
  });
  for (const c of readded) if (c.constraint.validated) steps.push(validate(c.table, c.constraint.name, 57));
  return steps;
}

/**
 * NOT NULL without a long ACCESS EXCLUSIVE scan (PostgreSQL 12+): a CHECK … NOT VALID, validated in
 * its own transaction, lets SET NOT NULL skip the scan; the check is dropped after.
 */
function notNull(table: TableRef, column: Column, context: RecipeContext, options: { fill: string | null }): Out {
  const check = shortName(table.name, column.name, "not_null_check");
  const t = tableName(table);
  // In the contract phase: until the switch, the old code may still write NULL.
  const steps: Step[] = [
    {
      ...quick("contract", 24, `check_${table.name}_${column.name}`, `ALTER TABLE ${t} ADD CONSTRAINT ${quoteIdent(check)} CHECK (${quoteIdent(column.name)} IS NOT NULL) NOT VALID`, "Once only the new code runs, the check holds for new rows at once and is proven for old rows next, without a long lock.", pathOf(table)),
      provesNotNull: { schema: table.schema, table: table.name, column: column.name },
    },
  ];
  // Rows the old code wrote with NULL get the fill value; without one, VALIDATE stops the plan harmlessly if any is left.
  if (options.fill !== null) {
    steps.push({ ...backfill(table, column.name, options.fill, `${quoteIdent(column.name)} IS NULL`, context, `fill_${table.name}_${column.name}`), phase: "contract", order: 26 });
  }
  steps.push(validate(table, check, 28), {
    ...quick("contract", 30, `not_null_${table.name}_${column.name}`, "", "With the validated check, SET NOT NULL does not scan the table; the check is then redundant.", pathOf(table)),
    sql: [`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(column.name)} SET NOT NULL`, `ALTER TABLE ${t} DROP CONSTRAINT ${quoteIdent(check)}`],
  });
  return steps;
}

function validate(table: TableRef, name: string, order: number, phase: Step["phase"] = "contract"): Step {
  return {
    phase,
    order,
    name: `validate_${name}`,
    why: "VALIDATE CONSTRAINT scans the rows under SHARE UPDATE EXCLUSIVE, which blocks no reads or writes, in a transaction of its own.",
    sql: [`ALTER TABLE ${tableName(table)} VALIDATE CONSTRAINT ${quoteIdent(name)}`],
    transaction: true,
  };
}

function concurrentIndex(table: TableRef, sql: string, name: string, order: number, phase: Step["phase"] = "backfill"): Step {
  return {
    phase,
    order,
    name: `index_${name}`,
    why: "CREATE INDEX CONCURRENTLY builds without blocking writes; it cannot run in a transaction block, so it is alone in its file.",
    sql: [sql],
    transaction: false,
    mergeKey: pathOf(table),
  };
}

function addConstraintSteps(change: Extract<Change, { kind: "add-constraint" }>, context: RecipeContext): Out {
  const { table, constraint, index } = change;
  const object = `constraint ${constraint.name} on ${pathOf(table)}`;
  if (constraint.type === "check" || constraint.type === "foreign-key") {
    // In the contract phase: until the switch, the old code may still write rows the constraint refuses.
    // A foreign key comes after the unique keys, since it may reference one the plan adds.
    const [add, check] = constraint.type === "foreign-key" ? [36, 37] : [24, 28];
    const steps: Step[] = [quick("contract", add, `add_${constraint.name}`, addConstraint(table, constraint, true), "NOT VALID, once only the new code runs: enforced for new rows at once, under a brief lock; the existing rows are proven next.", pathOf(table))];
    if (constraint.validated) steps.push(validate(table, constraint.name, check));
    return steps;
  }
  if (constraint.type === "primary-key") {
    const missing = constraint.columns.filter((c) => !notNullBeforeKeys(change.table, c, context));
    if (missing.length > 0) {
      return { unplanned: { object, reason: `a primary key needs ${missing.join(", ")} NOT NULL first, and no value is given for the rows that hold NULL (--fill)` } };
    }
  }
  if ((constraint.type === "unique" || constraint.type === "primary-key") && index) {
    const kind = constraint.type === "unique" ? "UNIQUE" : "PRIMARY KEY";
    const deferrable = constraint.deferrable ? ` DEFERRABLE${constraint.initiallyDeferred ? " INITIALLY DEFERRED" : ""}` : "";
    return [
      concurrentIndex(table, createIndex(index, true), index.name, 32, "contract"),
      quick("contract", 34, `add_${constraint.name}`, `ALTER TABLE ${tableName(table)} ADD CONSTRAINT ${quoteIdent(constraint.name)} ${kind} USING INDEX ${quoteIdent(index.name)}${deferrable}`, "The constraint takes over the index built concurrently: a catalog change.", pathOf(table)),
    ];
  }
  if (constraint.type === "exclusion") {
    return [
      {
        ...quick("contract", 35, `add_${constraint.name}`, addConstraint(table, constraint), `No safe path exists: an exclusion constraint has no NOT VALID form and cannot take over an index built CONCURRENTLY, so ADD CONSTRAINT … EXCLUDE builds its index while holding ACCESS EXCLUSIVE on ${table.name} (reads and writes wait for the whole build). Run this file in a quiet window; lock_timeout only bounds the wait for the lock. The online alternative is a new table created with the constraint, filled in batches under dual writes, and swapped by name.`, pathOf(table)),
        acknowledged: [{ rule: "exclusion-on-existing-table", reason: "PostgreSQL has no concurrent way to add an exclusion constraint: planned for a quiet window, as the file says" }],
      },
    ];
  }
  return { unplanned: { object, reason: `an ${constraint.type} constraint on an existing table scans it under a lock that blocks writes; not planned yet` } };
}

/** A new materialized view: created empty with its indexes (a brief catalog change), filled by a first refresh in its own transaction. */
function newMatview(view: View): Step[] {
  const name = qualified(view.schema, view.name);
  return [
    { ...quick("expand", 61, `add_matview_${view.name}`, "", "Created WITH NO DATA, so the expand transaction does not run the view's query; its indexes are built while it is empty.", "views"), sql: [`${createView(view)}\nWITH NO DATA`, ...view.indexes.map((i) => createIndex(i, false))] },
    {
      phase: "backfill",
      order: 10,
      name: `refresh_${view.name}`,
      why: "The first refresh runs the view's query in a transaction of its own. It holds ACCESS EXCLUSIVE on the new view only, which nothing reads yet, and reads the tables under ACCESS SHARE, which blocks no writes; a first refresh cannot be CONCURRENTLY (the view is not populated).",
      sql: [`REFRESH MATERIALIZED VIEW ${name}`],
      transaction: true,
      acknowledged: [{ rule: "refresh-matview-not-concurrently", reason: "the first refresh of a view the plan created WITH NO DATA: no running code reads it yet, and CONCURRENTLY needs a populated view" }],
    },
  ];
}

/**
 * A changed materialized view: the new definition is built beside the old one under a temporary
 * name (with its indexes), refreshed there while the old one keeps serving reads, and swapped by
 * name in one short transaction at the end of the backfill phase.
 */
function replaceMatview(from: View, to: View): Step[] {
  const temp = shortName(to.name, "new");
  const fresh: View = { ...to, name: temp };
  const tempIndex = (i: Index) => shortName(i.name, "new");
  const indexes = to.indexes.map((i) => createIndex({ ...i, name: tempIndex(i), definition: i.definition.replace(`INDEX ${quoteIdent(i.name)} ON ${qualifiedAlways(to.schema, to.name)}`, `INDEX ${quoteIdent(tempIndex(i))} ON ${qualifiedAlways(to.schema, temp)}`).replace(`INDEX ${quoteIdent(i.name)} ON ${qualified(to.schema, to.name)}`, `INDEX ${quoteIdent(tempIndex(i))} ON ${qualified(to.schema, temp)}`) }, false));
  return [
    { ...quick("expand", 61, `add_matview_${temp}`, "", `The new definition is created beside ${to.name} under a temporary name, WITH NO DATA, with its indexes: ${to.name} keeps serving reads.`, "views"), sql: [`${createView(fresh)}\nWITH NO DATA`, ...indexes] },
    {
      phase: "backfill",
      order: 10,
      name: `refresh_${temp}`,
      why: `The new view is filled in a transaction of its own; it holds ACCESS EXCLUSIVE on ${temp} only, which nothing reads.`,
      sql: [`REFRESH MATERIALIZED VIEW ${qualified(to.schema, temp)}`],
      transaction: true,
      acknowledged: [{ rule: "refresh-matview-not-concurrently", reason: `the first refresh of ${temp}, created WITH NO DATA by the plan: nothing reads it yet, and CONCURRENTLY needs a populated view` }],
    },
    {
      phase: "backfill",
      order: 90,
      name: `swap_${to.name}`,
      why: `One short transaction swaps the views by name: the old ${to.name} is dropped (ACCESS EXCLUSIVE for a moment) and the new one takes its name and its indexes' names. A view or function that depends on the old one would stop the drop: the file then fails and changes nothing.`,
      sql: [`DROP MATERIALIZED VIEW ${qualified(from.schema, from.name)}`, `ALTER MATERIALIZED VIEW ${qualified(to.schema, temp)} RENAME TO ${quoteIdent(to.name)}`, ...to.indexes.map((i) => `ALTER INDEX ${qualified(i.schema, tempIndex(i))} RENAME TO ${quoteIdent(i.name)}`)],
      transaction: true,
      app: `read the new columns of materialized view ${to.name} only from the switch on (it changes at the end of the backfill phase)`,
    },
  ];
}

function policyTable(policy: Policy): TableRef {
  return { schema: policy.schema, name: policy.table };
}

function grantee(role: string): string {
  return role === "PUBLIC" ? "PUBLIC" : quoteIdent(role);
}

function createPolicy(policy: Policy): string {
  const parts = [`CREATE POLICY ${quoteIdent(policy.name)} ON ${tableName(policyTable(policy))}`, `AS ${policy.permissive ? "PERMISSIVE" : "RESTRICTIVE"}`, `FOR ${policy.command}`, `TO ${policy.roles.map(grantee).join(", ")}`];
  if (policy.using !== null) parts.push(`USING (${policy.using})`);
  if (policy.check !== null) parts.push(`WITH CHECK (${policy.check})`);
  return parts.join(" ");
}

function alterPolicy(policy: Policy): string {
  const parts = [`ALTER POLICY ${quoteIdent(policy.name)} ON ${tableName(policyTable(policy))}`, `TO ${policy.roles.map(grantee).join(", ")}`];
  if (policy.using !== null) parts.push(`USING (${policy.using})`);
  if (policy.check !== null) parts.push(`WITH CHECK (${policy.check})`);
  return parts.join(" ");
}

/**
 * Turning row-level security on changes which rows every non-owner role sees (none, where no policy
 * allows them): it waits for the contract phase, after the policies (created in expand, inert until
 * then) and the new code's release. Turning it off only widens access: in expand.
 */
function rowSecurity(table: TableRef, what: "enable" | "force", on: boolean, newTable: boolean): Step[] {
  const sql = `ALTER TABLE ${tableName(table)} ${on ? (what === "enable" ? "ENABLE" : "FORCE") : what === "enable" ? "DISABLE" : "NO FORCE"} ROW LEVEL SECURITY`;
  if (!on) return [quick("expand", 47, `${what === "enable" ? "disable" : "no_force"}_rls_${table.name}`, sql, "Only widens access: a catalog change under a brief ACCESS EXCLUSIVE lock.", pathOf(table))];
  if (newTable) return [quick("expand", 59, `${what}_rls_${table.name}`, sql, "A new table, which no running code uses yet: its row-level security is switched on with it, after its policies.", pathOf(table))];
  return [
    {
      ...quick("contract", 42, `${what}_rls_${table.name}`, sql, `${what === "enable" ? "From here on, roles other than the owner see and write only the rows a policy allows" : "From here on the table's owner is filtered by the policies too"}: in the contract phase, once the policies exist and only the new code runs. A catalog change under a brief ACCESS EXCLUSIVE lock.`, pathOf(table)),
      app: `${what === "enable" ? "connect as a role the policies" : "as the table's owner, expect the policies to"} of ${pathOf(table)} ${what === "enable" ? "let see the rows it needs (row-level security is enabled in contract)" : "filter rows (FORCE ROW LEVEL SECURITY in contract)"}`,
    },
  ];
}

/**
 * An enum that loses or reorders values (PostgreSQL cannot remove a value in place): a new type
 * under a temporary name, then for each column of the old type the rewrite recipe's copy (a column
 * of the new type kept by a trigger, filled in batches, swapped by name in one short transaction),
 * and at the end the old type dropped and the new one renamed. A row holding a removed value stops
 * the copy (nothing is changed) unless `--fill table.column=<SQL>` says what it becomes.
 */
function rebuildEnum(from: EnumType, to: EnumType, context: RecipeContext): Out {
  const object = `enum ${to.schema}.${to.name}`;
  const temp = shortName(to.name, "new");
  const newType = qualified(to.schema, temp);
  const removed = from.values.filter((v) => !to.values.includes(v));
  const uses = context.from.tables.flatMap((t) => t.columns.filter((c) => c.typeSchema === from.schema && (c.typeName === from.name || c.baseTypeName === from.name || c.elementTypeName === from.name)).map((c) => ({ table: t, column: c })));
  const odd = uses.find(({ table, column }) => column.isArray || column.typeName !== from.name || column.generated || column.identity || table.partitionOf || table.kind === "partitioned" || table.triggers.length > 0 || table.constraints.some((c) => c.type !== "not-null" && c.columns.includes(column.name)) || table.indexes.some((i) => i.keys.some((k) => k.column === column.name || (k.expression ?? "").includes(column.name))));
  if (odd) return { unplanned: { object, reason: `values removed or reordered, and ${pathOf(odd.table)}.${odd.column.name} uses it as an array, through a domain, in a key, index, constraint, partitioned or triggered table, which the rebuild does not handle yet` } };
  // A default that is one of the type's values, as the catalog prints it ('value'::type): moved to the new type by its value.
  const literal = (d: string | null) => (d === null ? null : [...from.values, ...to.values].find((v) => d === `${quoteLiteral(v)}::${qualified(from.schema, from.name)}`));
  const odddefault = uses.find(({ column }) => column.default !== null && literal(column.default) == null);
  if (odddefault) return { unplanned: { object, reason: `values removed or reordered, and the default of ${pathOf(odddefault.table)}.${odddefault.column.name} is not a plain value the plan can move to the new type` } };
  const steps: Step[] = [quick("expand", 12, `add_enum_${temp}`, createEnum({ ...to, name: temp }), `PostgreSQL cannot remove or reorder an enum's values in place: the desired values become a new type, and each column moves to it through a copy.`, "types")];
  const swaps: string[] = [];
  for (const { table, column } of uses) {
    const ref: TableRef = { schema: table.schema, name: table.name };
    const desired = context.to.tables.find((t) => pathOf(t) === pathOf(ref))?.columns.find((c) => c.name === column.name);
    if (!desired) continue; // dropped with its table or column
    const c = quoteIdent(column.name);
    const shadow = shortName(column.name, "new");
    const sync = shortName(table.name, "sync", shadow);
    const fill = context.fills?.get(`${pathOf(ref)}.${column.name}`);
    const text = (expr: string) => (fill && removed.length ? `CASE WHEN ${expr}::text IN (${removed.map(quoteLiteral).join(", ")}) THEN (${fill}) ELSE ${expr}::text END` : `${expr}::text`);
    // The trigger evaluates the mapping over the row being written, so a --fill expression can name its columns.
    const rowValue = fill && removed.length ? `(SELECT (${text(c)})::${newType} FROM (SELECT NEW.*) AS row)` : `NEW.${c}::text::${newType}`;
    const t = tableName(ref);
    steps.push(
      {
        phase: "expand",
        order: 40,
        name: `add_${table.name}_${shadow}`,
        why: `${column.name} moves to the new ${to.name}: a column of the new type, kept in step by a trigger${removed.length ? (fill ? `, with ${removed.join(", ")} written as the --fill value` : `; a row written with ${removed.join(", ")} fails from now on, as the new type has no such value (give --fill ${table.name}.${column.name}=<SQL> to map it)`) : ""}.`,
        sql: [`ALTER TABLE ${t} ADD COLUMN ${quoteIdent(shadow)} ${newType}`, ...syncTrigger(ref, sync, `  NEW.${quoteIdent(shadow)} := ${rowValue};`)],
        transaction: true,
        app: removed.length ? `stop writing ${removed.map((v) => `'${v}'`).join(", ")} into ${pathOf(ref)}.${column.name}` : `expect the new order of ${to.name}'s values in ${pathOf(ref)}.${column.name}`,
      },
      backfill(ref, shadow, `(${text(c)})::${newType}`, `${quoteIdent(shadow)} IS DISTINCT FROM (${text(c)})::${newType}`, context, `copy_${table.name}_${column.name}`),
    );
    if (desired.notNull) steps.push(...(notNull(ref, { ...desired, name: shadow }, context, { fill: null }) as Step[]));
    const value = literal(desired.default);
    steps.push({
      phase: "contract",
      order: 55,
      name: `swap_${table.name}_${column.name}`,
      why: "One short transaction swaps the columns: the trigger goes, the old column goes, the copy takes its name and default.",
      sql: [
        ...dropSync(ref, sync),
        `ALTER TABLE ${t} DROP COLUMN ${c}`,
        `ALTER TABLE ${t} RENAME COLUMN ${quoteIdent(shadow)} TO ${c}`,
        ...(value != null ? [`ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${quoteLiteral(value)}::${newType}`] : []),
        ...(desired.comment !== null ? [`COMMENT ON COLUMN ${t}.${c} IS ${commentText(desired.comment)}`] : []),
      ],
      transaction: true,
      acknowledged: [
        { rule: "drop-column", reason: `its values were copied to ${shadow} of the new type, which takes its name in the same transaction`, at: 2 },
        { rule: "rename-column", reason: `${shadow} takes the name of the column it replaces in the same transaction`, at: 3 },
      ],
    });
    swaps.push(pathOf(ref));
  }
  steps.push(quick("contract", 69, `rename_enum_${to.name}`, "", `Once no column uses the old ${to.name}, it is dropped and the new type takes its name (a function or view that still names the old type would stop the drop: the file then fails and changes nothing).`, "types"));
  steps[steps.length - 1]!.sql = [`DROP TYPE ${qualified(from.schema, from.name)}`, `ALTER TYPE ${newType} RENAME TO ${quoteIdent(to.name)}`];
  return steps;
}

/**
 * An identity or serial column added to an existing table: the ALTER would number every existing
 * row inside it, a rewrite under ACCESS EXCLUSIVE. Instead the column is added empty with a
 * sequence as its default (new rows are numbered at once, old code never writes it), the existing
 * rows are numbered in committed batches, NOT NULL is proven by a validated check, and for an
 * identity one short transaction turns the default into the identity, going on from the sequence.
 */
function addNumberedColumn(table: TableRef, column: Column, context: RecipeContext): Step[] {
  const t = tableName(table);
  const c = quoteIdent(column.name);
  // A serial keeps its sequence under the name the desired schema gives it; an identity's is temporary (the identity makes its own).
  const serial = column.isSerial ? context.to.sequences.find((s) => s.ownedBy === `${pathOf(table)}.${column.name}`) : undefined;
  const sequence = serial ? qualified(serial.schema, serial.name) : qualified(table.schema, shortName(table.name, column.name, "fill_seq"));
  const next = `pg_catalog.nextval(${quoteLiteral(sequence)}::regclass)`;
  const steps: Step[] = [
    {
      ...quick("expand", 40, `add_${table.name}_${column.name}`, "", `Added empty, with a sequence as its default: new rows are numbered from now on, while ADD COLUMN ${column.identity ? "… GENERATED AS IDENTITY" : "… serial"} would number every existing row inside the ALTER, a rewrite under ACCESS EXCLUSIVE.`, pathOf(table)),
      sql: [`ALTER TABLE ${t} ADD COLUMN ${c} ${column.type}`, `CREATE SEQUENCE ${sequence} AS ${column.type} OWNED BY ${t}.${c}`, `ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${next}`],
    },
    backfill(table, column.name, next, `${c} IS NULL`, context, `number_${table.name}_${column.name}`),
    ...(notNull(table, column, context, { fill: null }) as Step[]),
  ];
  if (!column.identity) return steps;
  steps.push({
    ...quick("contract", 31, `identity_${table.name}_${column.name}`, "", `One short transaction (a catalog change under a brief ACCESS EXCLUSIVE lock): the default goes, the column becomes an identity and its sequence goes on from the temporary one, which is dropped.`, pathOf(table)),
    sql: [
      `ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`,
      // Let go by the column first, or pg_get_serial_sequence could name it instead of the identity's.
      `ALTER SEQUENCE ${sequence} OWNED BY NONE`,
      `ALTER TABLE ${t} ALTER COLUMN ${c} ADD GENERATED ${column.identity === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`,
      `SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(${quoteLiteral(t)}, ${quoteLiteral(column.name)}), ${next}, false)`,
      `DROP SEQUENCE ${sequence}`,
    ],
    acknowledged: [{ rule: "drop-default-on-required-column", reason: "the identity added in the same transaction numbers new rows from the commit on", at: 0 }],
    ...(column.identity === "always" ? { app: `leave ${pathOf(table)}.${column.name} to the database (GENERATED ALWAYS refuses explicit values)` } : {}),
  });
  return steps;
}

/**
 * An existing column becomes an identity column, in one short transaction: a serial's default and
 * sequence are replaced by the identity's own sequence, set past the highest value already used.
 */
function addIdentity(table: TableRef, from: Column, to: Column, context: RecipeContext): Step[] {
  const t = tableName(table);
  const c = quoteIdent(to.name);
  const owned = context.from.sequences.find((s) => s.ownedBy === `${pathOf(table)}.${from.name}`);
  const old = owned ? qualified(owned.schema, shortName(owned.name, "old")) : null;
  const identity = `pg_catalog.pg_get_serial_sequence(${quoteLiteral(t)}, ${quoteLiteral(to.name)})`;
  // Where the identity goes on from: the serial's next value (it handed out every value so far), else the column's highest.
  const start = old ? `pg_catalog.nextval(${quoteLiteral(old)})` : `GREATEST((SELECT max(${c}) FROM ${t}), 1)`;
  const sql = [
    ...(from.default !== null ? [`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`] : []),
    // The serial's sequence makes way for the identity's, which takes the same name; let go by the
    // column, or pg_get_serial_sequence below could name it instead of the identity's.
    ...(owned ? [`ALTER SEQUENCE ${qualified(owned.schema, owned.name)} RENAME TO ${quoteIdent(shortName(owned.name, "old"))}`, `ALTER SEQUENCE ${old} OWNED BY NONE`] : []),
    `ALTER TABLE ${t} ALTER COLUMN ${c} ADD GENERATED ${to.identity === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`,
    `SELECT pg_catalog.setval(${identity}, ${start})`,
    ...(old ? [`DROP SEQUENCE ${old}`] : []),
  ];
  const acknowledged: Acknowledged[] = [];
  if (from.default !== null) acknowledged.push({ rule: "drop-default-on-required-column", reason: "the identity added in the same transaction gives the column its values from the commit on", at: 0 });
  // ALWAYS refuses explicit values: the old code may still write them, so it waits for the contract phase; so does a column that is not NOT NULL yet.
  const late = to.identity === "always" || !from.notNull;
  return [
    {
      ...quick(late ? "contract" : "expand", late ? 31 : 45, `identity_${table.name}_${to.name}`, "", `ADD GENERATED AS IDENTITY is a catalog change under a brief ACCESS EXCLUSIVE lock; in the same transaction its sequence is set to go on ${old ? "from the serial's next value" : "after the column's highest value (max() reads the column's index when it has one, otherwise the whole table under that lock)"}.`, pathOf(table)),
      sql,
      ...(acknowledged.length ? { acknowledged } : {}),
      ...(to.identity === "always" ? { app: `stop writing explicit values into ${pathOf(table)}.${to.name} (GENERATED ALWAYS refuses them)` } : {}),
    },
  ];
}

/**
 * A changed domain: checks added NOT VALID then validated, dropped ones dropped, the default and
 * NOT NULL set. VALIDATE on a domain, unlike on a table, holds SHARE on each table using it (writes
 * wait while it scans), and SET NOT NULL on a domain has no NOT VALID form: both say so.
 */
function alterDomain(from: Domain, to: Domain): Step[] {
  const d = qualified(to.schema, to.name);
  const steps: Step[] = [];
  const kept = (c: Domain["checks"][number], others: Domain["checks"]) => others.some((o) => o.name === c.name && o.expression === c.expression);
  const renamed = new Map<string, string>();
  for (const check of to.checks) {
    if (kept(check, from.checks)) continue;
    const same = from.checks.find((o) => o.expression === check.expression && !to.checks.some((t) => t.name === o.name));
    if (same) renamed.set(same.name, check.name);
  }
  for (const [old, name] of renamed) steps.push(quick("expand", 14, `rename_${old}`, `ALTER DOMAIN ${d} RENAME CONSTRAINT ${quoteIdent(old)} TO ${quoteIdent(name)}`, "A constraint's name is a catalog change.", `domain ${d}`));
  for (const check of from.checks) {
    if (kept(check, to.checks) || renamed.has(check.name)) continue;
    // A check replaced under its name goes just before the new one; one only removed is relaxed in expand.
    const replaced = to.checks.some((t) => t.name === check.name);
    steps.push(quick(replaced ? "contract" : "expand", replaced ? 23 : 14, `drop_${check.name}`, `ALTER DOMAIN ${d} DROP CONSTRAINT ${quoteIdent(check.name)}`, replaced ? "Makes way for the new check of its name, added next." : "Dropping a check only relaxes what the old code already meets.", `domain ${d}`));
  }
  for (const check of to.checks) {
    if (kept(check, from.checks) || [...renamed.values()].includes(check.name)) continue;
    steps.push(quick("contract", 24, `add_${check.name}`, `ALTER DOMAIN ${d} ADD CONSTRAINT ${quoteIdent(check.name)} ${check.expression} NOT VALID`, "NOT VALID, once only the new code runs: new values are checked at once, under a brief lock; stored ones are proven next.", `domain ${d}`));
    steps.push({
      phase: "contract",
      order: 28,
      name: `validate_${check.name}`,
      why: "VALIDATE CONSTRAINT on a domain reads every column of the domain in every table, holding SHARE on each (reads go on, writes wait) until it commits; it is alone in its transaction so that wait is as short as the scans. No form of it blocks less.",
      sql: [`ALTER DOMAIN ${d} VALIDATE CONSTRAINT ${quoteIdent(check.name)}`],
      transaction: true,
    });
  }
  if (from.default !== to.default) {
    steps.push(to.default === null ? quick("contract", 20, `drop_default_${to.name}`, `ALTER DOMAIN ${d} DROP DEFAULT`, "Dropped in the contract phase: the old code may insert rows that rely on it.", `domain ${d}`) : quick("expand", 14, `default_${to.name}`, `ALTER DOMAIN ${d} SET DEFAULT ${to.default}`, "A domain's default is a catalog change.", `domain ${d}`));
  }
  if (from.notNull && !to.notNull) steps.push(quick("expand", 14, `nullable_${to.name}`, `ALTER DOMAIN ${d} DROP NOT NULL`, "Relaxing NOT NULL is a catalog change.", `domain ${d}`));
  if (!from.notNull && to.notNull) {
    steps.push(quick("contract", 30, `not_null_${to.name}`, `ALTER DOMAIN ${d} SET NOT NULL`, "No NOT VALID form exists for a domain's NOT NULL: this reads every column of the domain in every table under SHARE (writes wait until it commits). Run it when writes are few.", `domain ${d}`));
  }
  return steps;
}

/**
 * A partition attached to a partitioned table that already exists. CREATE TABLE … PARTITION OF
 * would lock the partitioned table ACCESS EXCLUSIVE; instead the table is created on its own (or is
 * the existing table), given a CHECK equal to the partition constraint, validated without blocking,
 * and ATTACH PARTITION (SHARE UPDATE EXCLUSIVE on the partitioned table since PostgreSQL 12) skips
 * its scan because the check proves the bound. A DEFAULT partition, if there is one, is still
 * scanned under ACCESS EXCLUSIVE for rows of the new bound: that has no way around.
 */
function attachPartition(table: Table, existing: Table | null, check: string | null, context: RecipeContext): Out {
  const parent = table.partitionOf!;
  const [parentSchema, parentName] = [parent.slice(0, parent.indexOf(".")), parent.slice(parent.indexOf(".") + 1)];
  const p = tableName(table);
  const parentRef = qualified(parentSchema, parentName);
  const parentBefore = context.from.tables.find((t) => pathOf(t) === parent);
  if (!parentBefore) {
    // The partitioned table is new: its partitions are created with it, nothing reads them yet.
    return [quick("expand", 21, `create_${table.name}`, `CREATE TABLE ${p} PARTITION OF ${parentRef} ${table.partitionBound}`, "A partition of a new partitioned table: nothing uses either yet.")];
  }
  if (check === null) return { unplanned: { object: `partition ${pathOf(table)}`, reason: "its partition constraint was not read (a live --to is not asked for it); not planned" } };
  const name = shortName(table.name, "partition_check");
  const steps: Step[] = [];
  const bound = `ALTER TABLE ${p} ADD CONSTRAINT ${quoteIdent(name)} CHECK ${check.startsWith("(") ? check : `(${check})`}`;
  if (!existing) {
    steps.push({
      ...quick("expand", 21, `create_${table.name}`, "", `Created on its own, not PARTITION OF, which would lock ${parentName} ACCESS EXCLUSIVE; it takes the partitioned table's columns, defaults and checks, and the partition's bound as a CHECK (valid at once on an empty table), so ATTACH PARTITION need not read it.`),
      sql: [`CREATE TABLE ${p} (LIKE ${parentRef} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE)`, bound],
    });
  } else {
    steps.push(quick("expand", 22, `check_${table.name}`, `${bound} NOT VALID`, "The partition's bound as a CHECK, so ATTACH PARTITION can skip reading the table; NOT VALID, proven next without blocking writes.", pathOf(table)), validate(table, name, 23, "expand"));
  }
  steps.push(
    {
      ...quick("expand", 24, `attach_${table.name}`, "", `ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE on ${parentName} (reads and writes go on) and, with the validated check, does not scan ${table.name}; the check is then redundant. A DEFAULT partition of ${parentName}, if any, is still scanned for rows of the new bound.`, pathOf(table)),
      sql: [`ALTER TABLE ${parentRef} ATTACH PARTITION ${p} ${table.partitionBound}`, `ALTER TABLE ${p} DROP CONSTRAINT ${quoteIdent(name)}`],
    },
  );
  return steps;
}

/** A partition the desired schema drops: detached CONCURRENTLY (PostgreSQL 14+), then dropped. */
function detachPartition(table: Table, context: RecipeContext): Step[] {
  const parent = table.partitionOf!;
  const parentRef = qualified(parent.slice(0, parent.indexOf(".")), parent.slice(parent.indexOf(".") + 1));
  const concurrent = context.pgVersion >= 14;
  return [
    {
      phase: "contract",
      order: 58,
      name: `detach_${table.name}`,
      why: concurrent
        ? "DETACH PARTITION CONCURRENTLY takes SHARE UPDATE EXCLUSIVE on the partitioned table (reads and writes go on); it cannot run in a transaction block, so it is alone in its file."
        : `Before PostgreSQL 14 there is no DETACH … CONCURRENTLY: the detach locks ${parent} ACCESS EXCLUSIVE, briefly (no scan). Run it in a quiet moment.`,
      sql: [`ALTER TABLE ${parentRef} DETACH PARTITION ${tableName(table)}${concurrent ? " CONCURRENTLY" : ""}`],
      transaction: !concurrent,
      ...(concurrent ? {} : { acknowledged: [{ rule: "detach-partition-not-concurrently", reason: "the target PostgreSQL has no DETACH … CONCURRENTLY (14+): the brief ACCESS EXCLUSIVE is the least-locking path" }] }),
    },
    ...dropTable(table).map((s) => ({ ...s, order: 59, why: `The detached partition's rows leave ${parent} with it; take a backup first if they may be needed (pg_dump -t).` })),
  ];
}
