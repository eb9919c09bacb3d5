/** The changes of an ALTER TABLE (or ALTER INDEX…): one per subcommand, with PostgreSQL's names for unnamed constraints. */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint } from "@pgsql/types";
import { nameList, nodeAs, rangeVar, type RelationRef } from "../sources/ast.js";
import type { AddColumn, AddConstraint, AlterTableChange, ConstraintKind } from "./changes.js";
import { volatility } from "./changes-volatility.js";
import { checkColumn, expressionColumnName, indexColumnNames, makeObjectName, nameAddition, type NameParts } from "./changes-names.js";

const SERIAL_TYPES = new Set(["serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"]);

const TRIGGER_SUBTYPES = new Set([
  "AT_EnableTrig",
  "AT_EnableAlwaysTrig",
  "AT_EnableReplicaTrig",
  "AT_EnableTrigAll",
  "AT_EnableTrigUser",
  "AT_DisableTrig",
  "AT_DisableTrigAll",
  "AT_DisableTrigUser",
]);

export function alterTableChanges(ast: AlterTableStmt): AlterTableChange[] {
  const table = rangeVar(ast.relation);
  if (!table) return [];
  const onIndex = ast.objtype === "OBJECT_INDEX";
  // Names PostgreSQL chose earlier in the statement: a second unnamed CHECK on x is t_x_check1.
  const chosen = new Set<string>();
  return (ast.cmds ?? []).flatMap((item) => {
    const cmd = nodeAs(item, "AlterTableCmd");
    return cmd ? [subcommandChange(cmd, { table, onIndex, subtype: cmd.subtype ?? "?" }, chosen)] : [];
  });
}

interface Base {
  table: RelationRef;
  onIndex: boolean;
  subtype: string;
}

function subcommandChange(cmd: AlterTableCmd, base: Base, chosen: Set<string>): AlterTableChange {
  const column = cmd.name ?? "";
  const partition = nodeAs(cmd.def, "PartitionCmd");
  const partitionRef = rangeVar(partition?.name);
  const withPartition = partitionRef ? { partition: partitionRef } : {};
  if (TRIGGER_SUBTYPES.has(base.subtype)) return { ...base, kind: "enable-trigger", disable: base.subtype.startsWith("AT_Disable"), all: base.subtype === "AT_DisableTrigAll" };
  switch (base.subtype) {
    case "AT_AddColumn":
      return addColumn(base, nodeAs(cmd.def, "ColumnDef"), chosen);
    case "AT_AlterColumnType": {
      const def = nodeAs(cmd.def, "ColumnDef");
      return { ...base, kind: "alter-column-type", column, type: def?.typeName, ...(def?.raw_default ? { using: def.raw_default } : {}) };
    }
    case "AT_SetNotNull":
      return { ...base, kind: "set-not-null", column };
    case "AT_DropNotNull":
      return { ...base, kind: "drop-not-null", column };
    case "AT_ColumnDefault":
      return cmd.def ? { ...base, kind: "set-default", column, expression: cmd.def } : { ...base, kind: "drop-default", column };
    case "AT_DropColumn":
      return { ...base, kind: "drop-column", column, cascade: cmd.behavior === "DROP_CASCADE" };
    case "AT_AddConstraint":
    case "AT_AddIndexConstraint":
      return addConstraint(base, nodeAs(cmd.def, "Constraint"), chosen);
    case "AT_ValidateConstraint":
      return { ...base, kind: "validate-constraint", name: column };
    case "AT_DropConstraint":
      return { ...base, kind: "drop-constraint", name: column };
    case "AT_SetLogged":
    case "AT_SetUnLogged":
      return { ...base, kind: "set-logged", logged: base.subtype === "AT_SetLogged" };
    case "AT_SetTableSpace":
      return { ...base, kind: "set-tablespace", ...(cmd.name ? { tablespace: cmd.name } : {}) };
    case "AT_SetAccessMethod":
      return { ...base, kind: "set-access-method" };
    case "AT_SetRelOptions":
    case "AT_ResetRelOptions": {
      const options = (nodeAs(cmd.def, "List")?.items ?? []).map((d) => nodeAs(d, "DefElem")?.defname).filter((d): d is string => !!d);
      return { ...base, kind: "set-storage-options", options };
    }
    case "AT_AttachPartition":
      return { ...base, kind: "attach-partition", ...withPartition };
    case "AT_DetachPartition":
    case "AT_DetachPartitionFinalize":
      return { ...base, kind: "detach-partition", ...withPartition, concurrently: partition?.concurrent === true, finalize: base.subtype === "AT_DetachPartitionFinalize" };
    default:
      return { ...base, kind: "alter-table", ...(cmd.name ? { column: cmd.name } : {}) };
  }
}

function addColumn(base: Base, def: ColumnDef | undefined, chosen: Set<string>): AddColumn {
  const column = def?.colname ?? "?";
  const typeParts = nameList(def?.typeName?.names);
  const constraints = (def?.constraints ?? []).map((c) => nodeAs(c, "Constraint")).filter((c): c is Constraint => !!c);
  const of = (type: string) => constraints.filter((c) => c.contype === type);
  const defaultExpr = of("CONSTR_DEFAULT")[0];
  const hasDefault = defaultExpr?.raw_expr !== undefined && nodeAs(defaultExpr.raw_expr, "A_Const")?.isnull !== true;
  const generated = of("CONSTR_GENERATED")[0];
  return {
    ...base,
    kind: "add-column",
    column,
    type: def?.typeName,
    serial: typeParts.length === 1 && SERIAL_TYPES.has(typeParts[0]!.toLowerCase()),
    notNull: of("CONSTR_NOTNULL").length > 0,
    primaryKey: of("CONSTR_PRIMARY").length > 0,
    unique: of("CONSTR_UNIQUE").length > 0,
    identity: of("CONSTR_IDENTITY").length > 0,
    ...(generated ? { generated: { stored: generated.generated_kind !== "v", ...location(generated) } } : {}),
    ...(hasDefault ? { default: { expression: defaultExpr.raw_expr!, volatility: volatility(defaultExpr.raw_expr), ...location(defaultExpr) } } : {}),
    checks: of("CONSTR_CHECK").map((c) => ({
      name: named(c.conname, chosen) ?? distinct([base.table.name, checkColumn(c.raw_expr), "check"], chosen),
      expression: c.raw_expr,
      notValid: c.skip_validation === true,
      ...location(c),
    })),
    references: of("CONSTR_FOREIGN").flatMap((c) => {
      const table = rangeVar(c.pktable);
      return table ? [{ table, notValid: c.skip_validation === true }] : [];
    }),
  };
}

function addConstraint(base: Base, con: Constraint | undefined, chosen: Set<string>): AddConstraint {
  const kind = constraintKind(con?.contype);
  const keys = kind === "foreign-key" ? nameList(con?.fk_attrs) : kind === "exclusion" ? exclusionColumns(con) : nameList(con?.keys);
  const references = rangeVar(con?.pktable);
  const usingIndex = con?.indexname;
  const name = named(con?.conname ?? usingIndex, chosen) ?? distinct(defaultConstraintName(base.table.name, kind, keys, con), chosen);
  return {
    ...base,
    kind: "add-constraint",
    constraint: kind,
    name,
    named: con?.conname !== undefined,
    notValid: con?.skip_validation === true,
    ...(usingIndex ? { usingIndex } : {}),
    columns: keys,
    ...(references ? { references } : {}),
    ...(con?.raw_expr ? { expression: con.raw_expr } : {}),
    ...(con ? location(con) : {}),
  };
}

/** The parts makeObjectName joins into the name PostgreSQL gives an unnamed constraint. */
function defaultConstraintName(table: string, kind: AddConstraint["constraint"], columns: string[], con: Constraint | undefined): NameParts {
  switch (kind) {
    case "foreign-key":
      return [table, nameAddition(columns), "fkey"];
    case "check":
      return [table, checkColumn(con?.raw_expr), "check"];
    case "primary-key":
      return [table, undefined, "pkey"];
    case "unique":
      return [table, nameAddition(indexColumnNames(columns)), "key"];
    case "exclusion":
      return [table, nameAddition(indexColumnNames(columns)), "excl"];
    case "not-null":
      return [table, nameList(con?.keys)[0], "not_null"];
    default:
      return [table, undefined, "constraint"];
  }
}

/** The columns of an EXCLUDE (each element with its operator), expressions as PostgreSQL names them. */
function exclusionColumns(con: Constraint | undefined): string[] {
  return (con?.exclusions ?? []).map((pair) => {
    const elem = nodeAs(nodeAs(pair, "List")?.items?.[0], "IndexElem");
    return elem?.name ?? elem?.indexcolname ?? expressionColumnName(elem?.expr);
  });
}

/** A name written in the statement, taken from then on. */
function named(name: string | undefined, chosen: Set<string>): string | undefined {
  if (name) chosen.add(name);
  return name;
}

/** ChooseConstraintName's retry within the statement: when the name is taken, the label gets 1, 2, … (t_x_check1). */
function distinct([name1, name2, label]: NameParts, chosen: Set<string>): string {
  let candidate = makeObjectName(name1, name2, label);
  for (let i = 1; chosen.has(candidate); i++) candidate = makeObjectName(name1, name2, `${label}${i}`);
  chosen.add(candidate);
  return candidate;
}

function location(con: Constraint): { location?: number } {
  return typeof con.location === "number" && con.location >= 0 ? { location: con.location } : {};
}

const CONSTRAINT_KINDS: Record<string, ConstraintKind> = {
  CONSTR_PRIMARY: "primary-key",
  CONSTR_FOREIGN: "foreign-key",
  CONSTR_UNIQUE: "unique",
  CONSTR_CHECK: "check",
  CONSTR_EXCLUSION: "exclusion",
  CONSTR_NOTNULL: "not-null",
};

export function constraintKind(contype: string | undefined): ConstraintKind | "other" {
  return CONSTRAINT_KINDS[contype ?? ""] ?? "other";
}
