import type { Column, SchemaModel } from "../catalog/model.js";

export type ValueKind =
  | "integer"
  | "numeric"
  | "float"
  | "money"
  | "text"
  | "boolean"
  | "date"
  | "timestamp"
  | "timestamptz"
  | "time"
  | "interval"
  | "uuid"
  | "json"
  | "jsonb"
  | "bytea"
  | "inet"
  | "macaddr"
  | "range"
  | "tsvector"
  | "enum"
  | "array"
  | "unknown";

const BY_NAME: Record<string, ValueKind> = {
  int2: "integer",
  int4: "integer",
  int8: "integer",
  numeric: "numeric",
  float4: "float",
  float8: "float",
  money: "money",
  text: "text",
  varchar: "text",
  bpchar: "text",
  citext: "text",
  name: "text",
  bool: "boolean",
  date: "date",
  timestamp: "timestamp",
  timestamptz: "timestamptz",
  time: "time",
  timetz: "time",
  interval: "interval",
  uuid: "uuid",
  json: "json",
  jsonb: "jsonb",
  bytea: "bytea",
  inet: "inet",
  cidr: "inet",
  macaddr: "macaddr",
  tstzrange: "range",
  tsrange: "range",
  daterange: "range",
  int4range: "range",
  int8range: "range",
  numrange: "range",
  tsvector: "tsvector",
};

/** What kind of value a column holds, looking through domains to their base type. */
export function valueKind(column: Pick<Column, "isArray" | "typeName" | "baseTypeName" | "typeSchema">, model: SchemaModel): ValueKind {
  if (column.isArray) return "array";
  const base = column.baseTypeName.replace(/^_/, "");
  if (BY_NAME[base]) return BY_NAME[base]!;
  if (enumValues(column, model)) return "enum";
  return "unknown";
}

/** Labels of the column's enum type (directly or through a domain), if it is one. */
export function enumValues(column: Pick<Column, "typeName" | "baseTypeName" | "typeSchema">, model: SchemaModel): string[] | undefined {
  const found =
    model.enums.find((e) => e.name === column.typeName && e.schema === column.typeSchema) ?? model.enums.find((e) => e.name === column.baseTypeName);
  return found?.values;
}

export function domainOf(column: Pick<Column, "typeName" | "typeSchema">, model: SchemaModel) {
  return model.domains.find((d) => d.name === column.typeName && d.schema === column.typeSchema);
}

const INT_LIMITS: Record<string, number> = { int2: 32767, int4: 2147483647, int8: Number.MAX_SAFE_INTEGER };

export function integerLimit(column: Pick<Column, "baseTypeName">): number {
  return INT_LIMITS[column.baseTypeName] ?? INT_LIMITS.int8!;
}

/** numeric(p,s) → { precision, scale }; plain numeric → undefined precision and scale 2. */
export function numericShape(type: string): { precision?: number; scale: number } {
  const match = /\((\d+)(?:,\s*(\d+))?\)/.exec(type);
  if (!match) return { scale: 2 };
  return { precision: Number(match[1]), scale: Number(match[2] ?? 0) };
}

/** varchar(n) / character(n) → n. */
export function declaredLength(column: Pick<Column, "type" | "baseTypeName">): number | undefined {
  if (!["varchar", "bpchar"].includes(column.baseTypeName)) return undefined;
  const match = /\((\d+)\)/.exec(column.type);
  return match ? Number(match[1]) : undefined;
}
