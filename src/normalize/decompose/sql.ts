/** The design as SQL: CREATE TABLE statements, and a migration that fills them from the original rows. */
import { literal } from "../../checks/rules/_modelling.js";
import { qualified, quoteIdent } from "../../checks/naming.js";
import type { Relation } from "../types.js";
import { tableName } from "./naming.js";
import type { Decomposition, TableDesign } from "./types.js";

/** Where the original rows are: a file to load into a staging table, or a table that is renamed aside. */
export type OriginalSource =
  | { kind: "file"; path: string; delimiter: string; header: boolean }
  | { kind: "table"; schema: string; table: string };

/** The schema the new tables go in (the original table's; public for files). */
export function targetSchema(source: OriginalSource): string {
  return source.kind === "table" ? source.schema : "public";
}

/** The table the migration reads the original rows from. */
export function stagingTable(relation: Relation, source: OriginalSource): string {
  const name = `${source.kind === "table" ? source.table : tableName(relation.name)}_unnormalized`;
  return qualified(targetSchema(source), name.slice(0, 63));
}

function tableRef(table: TableDesign, source: OriginalSource): string {
  return qualified(targetSchema(source), table.name);
}

/** Other keys found in the data, best ranked first: the rest are usually accidental. */
const SHOWN_OTHER_KEYS = 2;

const columnsSql = (names: string[]) => names.map(quoteIdent).join(", ");

export function createTableSql(table: TableDesign, source: OriginalSource, typeOf?: (column: TableDesign["columns"][number]) => string): string {
  const lines = table.columns.map((c) => `  ${quoteIdent(c.name)} ${typeOf?.(c) ?? c.type}${c.notNull ? " NOT NULL" : ""}`);
  if (table.primaryKey.length) lines.push(`  PRIMARY KEY (${columnsSql(table.primaryKey)})`);
  for (const fk of table.foreignKeys) {
    lines.push(`  FOREIGN KEY (${columnsSql(fk.columns)}) REFERENCES ${qualified(targetSchema(source), fk.references)} (${columnsSql(fk.referencedColumns)})`);
  }
  const otherKeys = table.otherKeys.slice(0, SHOWN_OTHER_KEYS).map((key) => `-- also unique in the data (declare it if that is a rule): UNIQUE (${columnsSql(key)})`);
  return [`CREATE TABLE ${tableRef(table, source)} (`, lines.join(",\n"), `);`, ...otherKeys].join("\n");
}

export function ddl(decomposition: Decomposition, source: OriginalSource): string {
  return decomposition.tables.map((t) => createTableSql(t, source)).join("\n\n");
}

/** The statement that makes the original rows available under the staging name. */
export function stagingSql(relation: Relation, source: OriginalSource, typeOf: (column: number) => string): string[] {
  const staging = stagingTable(relation, source);
  if (source.kind === "table") return [`ALTER TABLE ${qualified(source.schema, source.table)} RENAME TO ${quoteIdent(`${source.table}_unnormalized`.slice(0, 63))};`];
  const columns = relation.columns.map((name, c) => `  ${quoteIdent(name)} ${typeOf(c)}`).join(",\n");
  return [`CREATE TABLE ${staging} (\n${columns}\n);`];
}

function loadHint(relation: Relation, source: OriginalSource): string {
  if (source.kind === "table") {
    return `-- Foreign keys that referenced ${qualified(source.schema, source.table)} now reference the renamed table: point them at the new one.`;
  }
  const delimiter = source.delimiter === "," ? "" : `, DELIMITER ${source.delimiter === "\t" ? "E'\\t'" : literal(source.delimiter)}`;
  return `\\copy ${stagingTable(relation, source)} FROM ${literal(source.path)} WITH (FORMAT csv, HEADER ${source.header}${delimiter})`;
}

export function insertSql(relation: Relation, table: TableDesign, source: OriginalSource): string {
  const target = `${tableRef(table, source)} (${columnsSql(table.columns.map((c) => c.name))})`;
  const from = stagingTable(relation, source);
  const origin = table.origin;
  const sourceColumn = (c: number) => `s.${quoteIdent(relation.columns[c]!)}`;
  if (origin.kind === "delimited-list") {
    const owners = table.columns.slice(0, -1).map((c) => sourceColumn(c.from));
    const pattern = literal(`\\s*${origin.delimiter.replace(/[|]/g, "\\|")}\\s*`);
    return [
      `INSERT INTO ${target}`,
      `SELECT DISTINCT ${[...owners, "x.item"].join(", ")}`,
      `FROM ${from} AS s CROSS JOIN LATERAL regexp_split_to_table(btrim(${sourceColumn(origin.column)}), ${pattern}) AS x(item)`,
      `WHERE x.item <> '';`,
    ].join("\n");
  }
  if (origin.kind === "repeating-group") {
    const owners = table.columns.slice(0, -2).map((c) => sourceColumn(c.from));
    const slots = origin.columns.map((c, i) => `(${i + 1}, ${sourceColumn(c)})`).join(", ");
    return [
      `INSERT INTO ${target}`,
      `SELECT DISTINCT ${[...owners, "v.position", "v.value"].join(", ")}`,
      `FROM ${from} AS s CROSS JOIN LATERAL (VALUES ${slots}) AS v(position, value)`,
      `WHERE v.value IS NOT NULL;`,
    ].join("\n");
  }
  return `INSERT INTO ${target}\nSELECT DISTINCT ${columnsSql(table.columns.map((c) => relation.columns[c.from]!))}\nFROM ${from};`;
}

export interface Migration {
  staging: string[];
  hint: string;
  inserts: string[];
}

export function migration(relation: Relation, decomposition: Decomposition, source: OriginalSource, typeOf: (column: number) => string): Migration {
  return {
    staging: stagingSql(relation, source, typeOf),
    hint: loadHint(relation, source),
    inserts: decomposition.tables.map((t) => insertSql(relation, t, source)),
  };
}

export function migrationText(relation: Relation, decomposition: Decomposition, source: OriginalSource, typeOf: (column: number) => string): string {
  const steps = migration(relation, decomposition, source, typeOf);
  const staging = stagingTable(relation, source);
  return [
    source.kind === "file" ? "-- 1. Load the file into a staging table:" : "-- 1. Set the original table aside:",
    ...steps.staging,
    source.kind === "file" ? steps.hint : steps.hint,
    "-- 2. Create the new tables (the DDL above), then fill them, referenced tables first:",
    ...steps.inserts,
    `-- 3. Once the application reads the new tables: DROP TABLE ${staging};`,
  ].join("\n");
}
