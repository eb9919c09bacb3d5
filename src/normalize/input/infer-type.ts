import type { InferredType } from "../types.js";

const INTEGER = /^[-+]?(0|[1-9]\d*)$/;
const LEADING_ZERO = /^[-+]?0\d/;
const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[-+]\d{2}(:?\d{2})?)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BOOLEAN = new Set(["true", "false", "t", "f", "TRUE", "FALSE", "True", "False"]);
const INT32_MAX = 2147483647n;
const INT64_MAX = 9223372036854775807n;

/** The narrowest type of one non-NULL value. Integers with leading zeros (zip codes, ids) stay text. */
export function typeOfValue(value: string): InferredType {
  if (BOOLEAN.has(value)) return "boolean";
  if (INTEGER.test(value)) {
    const magnitude = BigInt(value.replace(/^[-+]/, ""));
    if (magnitude <= INT32_MAX) return "integer";
    return magnitude <= INT64_MAX ? "bigint" : "numeric";
  }
  if (NUMERIC.test(value) && !LEADING_ZERO.test(value)) return "numeric";
  if (DATE.test(value) && !Number.isNaN(Date.parse(value))) return "date";
  if (TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value.slice(0, 10)))) return "timestamptz";
  if (UUID.test(value)) return "uuid";
  if (isJsonDocument(value)) return "jsonb";
  return "text";
}

function isJsonDocument(value: string): boolean {
  const first = value[0];
  if (first !== "{" && first !== "[") return false;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

const NUMBER_RANK: Partial<Record<InferredType, number>> = { integer: 1, bigint: 2, numeric: 3 };

/** The narrowest type that holds both: integer widens to bigint and numeric, date to timestamptz, anything else to text. */
export function widenType(a: InferredType, b: InferredType): InferredType {
  if (a === b) return a;
  const ra = NUMBER_RANK[a];
  const rb = NUMBER_RANK[b];
  if (ra !== undefined && rb !== undefined) return ra > rb ? a : b;
  if ((a === "date" && b === "timestamptz") || (a === "timestamptz" && b === "date")) return "timestamptz";
  return "text";
}

/** The type of a column from its distinct non-NULL values; an all-NULL column is text. */
export function inferColumnType(values: readonly string[]): InferredType {
  let type: InferredType | undefined;
  for (const value of values) {
    type = type === undefined ? typeOfValue(value) : widenType(type, typeOfValue(value));
    if (type === "text") return type;
  }
  return type ?? "text";
}
